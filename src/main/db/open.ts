// Opens the one SQLite database in $MIRA_HOME with WAL, foreign keys and a busy timeout, then migrates it.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MiraError } from '../../shared/errors';
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
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new MiraError('db_corrupt', `database ${file} is damaged (${String(check)})`, 'run `mira repair`: it keeps your memory, conversations and budget (from this file or the newest backup, mira.db.bak-*) and the next `mira index` rebuilds the index');
  } catch (e) {
    db.close();
    if (e instanceof MiraError) throw e;
    const msg = (e as Error).message;
    throw new MiraError('db_corrupt', `database ${file} cannot be used: ${msg}`, 'run `mira repair`: it keeps your memory, conversations and budget (from this file or the newest backup, mira.db.bak-*) and the next `mira index` rebuilds the index');
  }
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
