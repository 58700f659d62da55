// Opens the one SQLite database in $MIRA_HOME with WAL, foreign keys and a busy timeout, then migrates it.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MiraError } from '../../shared/errors';
import { alive } from './locks';
import { migrate, type MigrateResult } from './migrate';

export type Db = Database.Database;

export interface OpenDbOptions {
  /** Directory holding NNN_name.sql files; defaults to the package's migrations/. */
  migrationsDir?: string;
  readonly?: boolean;
  /** Load the sqlite-vec extension (default true; failure is logged, not fatal). */
  vectors?: boolean;
}

export interface OpenedDb {
  db: Db;
  migration: MigrateResult;
  vecLoaded: boolean;
}

/** Finds a file or folder shipped with the package (migrations/, resources/, out/renderer) from any bundle layout. */
export function packagePath(...parts: string[]): string {
  let dir = import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname);
  for (let i = 0; i < 8; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'migrations'))) return path.join(dir, ...parts);
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const resources = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (resources && fs.existsSync(path.join(resources, parts[0] ?? ''))) return path.join(resources, ...parts);
  return path.join(process.cwd(), ...parts);
}

export function openDb(file: string, opts: OpenDbOptions = {}): OpenedDb {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const existed = fs.existsSync(file) && fs.statSync(file).size > 0;
  let db: Db;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false });
  } catch (e) {
    throw new MiraError('db_corrupt', `cannot open database ${file}: ${(e as Error).message}`, 'check the file permissions, or move it aside to start fresh');
  }
  try {
    db.pragma('busy_timeout = 10000');
    if (!opts.readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // A full check reads the whole file (2.5 s at 1.4 GB), so it runs when it can find something: after a process
    // that had the database open died, and otherwise once a day. A header too damaged to open fails above anyway.
    const check = existed && needsCheck(file) ? db.pragma('quick_check', { simple: true }) : 'ok';
    if (check === 'ok' && existed && !opts.readonly) markChecked(file);
    if (check !== 'ok') throw new MiraError('db_corrupt', `database ${file} is damaged (${String(check)})`, 'run `mira repair`: it keeps your memory, conversations and budget (from this file or the newest backup, mira.db.bak-*) and the next `mira index` rebuilds the index');
  } catch (e) {
    db.close();
    if (e instanceof MiraError) throw e;
    const msg = (e as Error).message;
    throw new MiraError('db_corrupt', `database ${file} cannot be used: ${msg}`, 'run `mira repair`: it keeps your memory, conversations and budget (from this file or the newest backup, mira.db.bak-*) and the next `mira index` rebuilds the index');
  }
  if (!opts.readonly) beginSession(file);
  let vecLoaded = false;
  if (opts.vectors !== false) vecLoaded = loadVec(db);
  let migration: MigrateResult;
  try {
    migration = migrate(db, opts.migrationsDir ?? packagePath('migrations'), existed ? file : undefined);
  } catch (e) {
    db.close();
    throw e;
  }
  return { db, migration, vecLoaded };
}

function loadVec(db: Db): boolean {
  try {
    // Resolved lazily so a missing optional extension never stops the rest of Mira.
    const require = createRequire(import.meta.url);
    const vec = require('sqlite-vec') as { load: (db: Db) => void };
    vec.load(db);
    return true;
  } catch {
    return false;
  }
}

// Sessions: each process that opens the database read-write leaves a marker (`mira.db.sessions/<pid>`) and removes it
// on a clean close. A marker whose process is gone means it stopped mid-way (killed, crashed, power cut): the next
// open checks the whole file. So does the first open of each day (`mira.db.checked` holds the time of the last check).

const DAY_MS = 86_400_000;

function sessionsDir(file: string): string {
  return `${file}.sessions`;
}

/** Whether the file should be checked now: a session ended uncleanly, or no check in the last day. */
export function needsCheck(file: string): boolean {
  try {
    const stamp = fs.statSync(`${file}.checked`).mtimeMs;
    if (Date.now() - stamp > DAY_MS) return true;
  } catch {
    return true;
  }
  try {
    for (const name of fs.readdirSync(sessionsDir(file))) {
      const pid = Number(name);
      if (!Number.isInteger(pid) || pid === process.pid || !alive(pid)) return true;
    }
  } catch {
    /* no sessions folder: no session ever died here */
  }
  return false;
}

function markChecked(file: string): void {
  try {
    fs.writeFileSync(`${file}.checked`, new Date().toISOString());
    // Markers of dead processes are settled by this check.
    for (const name of fs.readdirSync(sessionsDir(file))) {
      const pid = Number(name);
      if (pid !== process.pid && (!Number.isInteger(pid) || !alive(pid))) fs.rmSync(path.join(sessionsDir(file), name), { force: true });
    }
  } catch {
    /* a read-only home: the check simply runs again next time */
  }
}

function beginSession(file: string): void {
  try {
    fs.mkdirSync(sessionsDir(file), { recursive: true });
    fs.writeFileSync(path.join(sessionsDir(file), String(process.pid)), '');
  } catch {
    /* without a marker an unclean end is caught by the daily check */
  }
}

/** A clean close: this process's marker goes (the database itself is closed by the caller). */
export function endSession(file: string): void {
  try {
    fs.rmSync(path.join(sessionsDir(file), String(process.pid)), { force: true });
  } catch {
    /* nothing to remove */
  }
}
