// Applies migrations/NNN_name.sql in order, each in its own transaction, recording version and checksum.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { MiraError } from '../../shared/errors';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  from: number;
  to: number;
  applied: number[];
  backup?: string;
}

const FILE_RE = /^(\d{3,})_([a-z0-9_]+)\.sql$/;

export function loadMigrations(dir: string): Migration[] {
  if (!fs.existsSync(dir)) throw new MiraError('internal', `migrations folder not found: ${dir}`);
  const out: Migration[] = [];
  const seen = new Map<number, string>();
  for (const f of fs.readdirSync(dir).sort()) {
    const m = FILE_RE.exec(f);
    if (!m) continue;
    const version = Number(m[1]);
    if (seen.has(version)) throw new MiraError('internal', `two migrations share version ${version}: ${seen.get(version)} and ${f}`);
    seen.set(version, f);
    const sql = fs.readFileSync(path.join(dir, f), 'utf8');
    out.push({ version, name: m[2]!, sql, checksum: checksum(sql) });
  }
  return out.sort((a, b) => a.version - b.version);
}

export function checksum(sql: string): string {
  // Line endings are normalised so a checkout with CRLF does not look like a changed migration.
  return crypto.createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/**
 * Brings the database to the newest schema. `backupOf` names the file to copy aside first
 * (only when there is something to apply and the database already had data).
 */
export function migrate(db: Database.Database, dir: string, backupOf?: string): MigrateResult {
  const migrations = loadMigrations(dir);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
  )`);
  // Another process may open the same home at the same moment: the check and the apply happen under one write
  // lock (BEGIN IMMEDIATE waits out the busy timeout), so a migration is never applied twice.
  const first = db.transaction(() => pendingOf(db, migrations)).immediate();
  const result: MigrateResult = { from: first.current, to: first.current, applied: [] };
  if (first.pending.length === 0) return result;
  // VACUUM INTO cannot run inside a transaction: copy first, then re-check under the lock before applying.
  if (backupOf && first.applied > 0) result.backup = backupDatabase(db, backupOf, first.current);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)');
  let failure: MiraError | null = null;
  db.transaction(() => {
    const { pending } = pendingOf(db, migrations);
    for (const m of pending) {
      // Each migration is its own savepoint: a failing one is undone alone, the ones before it stay applied.
      try {
        db.transaction(() => {
          db.exec(m.sql);
          record.run(m.version, m.name, m.checksum);
        })();
      } catch (e) {
        failure = new MiraError('internal', `migration ${m.version}_${m.name} failed and was rolled back: ${(e as Error).message}`);
        return;
      }
      result.applied.push(m.version);
      result.to = m.version;
    }
  }).immediate();
  if (failure) throw failure;
  return result;
}

function pendingOf(db: Database.Database, migrations: Migration[]): { current: number; applied: number; pending: Migration[] } {
  const applied = db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as { version: number; name: string; checksum: string }[];
  const known = new Map(migrations.map((m) => [m.version, m]));
  const latestKnown = migrations.at(-1)?.version ?? 0;
  const current = applied.at(-1)?.version ?? 0;
  if (current > latestKnown) {
    throw new MiraError(
      'db_newer',
      `the database was made by a newer Mira (schema version ${current}; this build knows up to ${latestKnown})`,
      'update Mira, or point --home at another folder',
    );
  }
  for (const a of applied) {
    const m = known.get(a.version);
    if (!m) throw new MiraError('db_migration_changed', `applied migration ${a.version}_${a.name} is missing from this build`, 'use the Mira version that made this database');
    if (m.checksum !== a.checksum) {
      throw new MiraError(
        'db_migration_changed',
        `migration ${String(a.version).padStart(3, '0')}_${a.name} was changed after it was applied (checksum ${a.checksum.slice(0, 12)} in the database, ${m.checksum.slice(0, 12)} in migrations/)`,
        'never edit an applied migration: restore it and add a new one',
      );
    }
  }
  const done = new Set(applied.map((a) => a.version));
  return { current, applied: applied.length, pending: migrations.filter((m) => !done.has(m.version)) };
}

/** Copies the database aside (a consistent snapshot via VACUUM INTO), keeping the three newest backups. */
export function backupDatabase(db: Database.Database, file: string, version: number): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = `${file}.bak-v${version}-${stamp}`;
  db.prepare('VACUUM INTO ?').run(target);
  const dir = path.dirname(file);
  const base = path.basename(file) + '.bak-';
  const olds = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(base))
    .sort();
  for (const old of olds.slice(0, Math.max(0, olds.length - 3))) fs.rmSync(path.join(dir, old), { force: true });
  return target;
}
