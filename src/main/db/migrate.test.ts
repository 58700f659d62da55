// The migration runner: fresh database, upgrade with a backup, a newer database refused, a changed migration refused.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/git-repo';
import { MiraError } from '../../shared/errors';
import { openDb, packagePath } from './open';
import { loadMigrations } from './migrate';

const dirs: string[] = [];
function scratch(): string {
  const d = tempDir('mira-mig-');
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function writeMigrations(dir: string, files: Record<string, string>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [n, sql] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), sql);
}

function expectCode(fn: () => unknown, code: string): MiraError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MiraError);
    expect((e as MiraError).code).toBe(code);
    return e as MiraError;
  }
  throw new Error(`expected ${code}`);
}

describe('migrations', () => {
  it('applies the shipped migrations to a fresh database with WAL, foreign keys and a busy timeout', () => {
    const home = scratch();
    const { db, migration } = openDb(path.join(home, 'mira.db'));
    const shipped = loadMigrations(packagePath('migrations'));
    expect(migration.applied).toEqual(shipped.map((m) => m.version));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(Number(db.pragma('busy_timeout', { simple: true }))).toBeGreaterThanOrEqual(5000);
    const rows = db.prepare('SELECT version, checksum FROM schema_migrations ORDER BY version').all() as { version: number; checksum: string }[];
    expect(rows.map((r) => r.checksum)).toEqual(shipped.map((m) => m.checksum));
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['projects', 'files', 'settings']));
    db.close();
    // Reopening applies nothing and makes no backup.
    const again = openDb(path.join(home, 'mira.db'));
    expect(again.migration.applied).toEqual([]);
    expect(again.migration.backup).toBeUndefined();
    again.db.close();
  });

  it('upgrades an existing database in order, copying it aside first', () => {
    const home = scratch();
    const mdir = path.join(home, 'm');
    writeMigrations(mdir, { '001_a.sql': 'CREATE TABLE a (x INTEGER);' });
    const file = path.join(home, 'mira.db');
    const first = openDb(file, { migrationsDir: mdir, vectors: false });
    first.db.prepare('INSERT INTO a VALUES (42)').run();
    first.db.close();
    writeMigrations(mdir, { '002_b.sql': 'CREATE TABLE b (y TEXT); INSERT INTO b SELECT x FROM a;', '003_c.sql': 'ALTER TABLE b ADD COLUMN z INTEGER DEFAULT 7;' });
    const second = openDb(file, { migrationsDir: mdir, vectors: false });
    expect(second.migration.from).toBe(1);
    expect(second.migration.applied).toEqual([2, 3]);
    expect(second.db.prepare('SELECT y, z FROM b').get()).toEqual({ y: '42', z: 7 });
    expect(second.migration.backup).toBeDefined();
    const backup = new Database(second.migration.backup!, { readonly: true });
    expect(backup.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: 1 });
    expect(backup.prepare('SELECT x FROM a').get()).toEqual({ x: 42 });
    backup.close();
    second.db.close();
  });

  it('rolls back a failing migration and keeps the data', () => {
    const home = scratch();
    const mdir = path.join(home, 'm');
    writeMigrations(mdir, { '001_a.sql': 'CREATE TABLE a (x INTEGER);' });
    const file = path.join(home, 'mira.db');
    const first = openDb(file, { migrationsDir: mdir, vectors: false });
    first.db.prepare('INSERT INTO a VALUES (1)').run();
    first.db.close();
    writeMigrations(mdir, { '002_bad.sql': 'CREATE TABLE b (y INTEGER); INSERT INTO nope VALUES (1);' });
    expectCode(() => openDb(file, { migrationsDir: mdir, vectors: false }), 'internal');
    const db = new Database(file);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: 1 });
    expect(db.prepare('SELECT x FROM a').get()).toEqual({ x: 1 });
    db.close();
  });

  it('refuses a database made by a newer version, untouched', () => {
    const home = scratch();
    const mdir = path.join(home, 'm');
    writeMigrations(mdir, { '001_a.sql': 'CREATE TABLE a (x INTEGER);' });
    const file = path.join(home, 'mira.db');
    openDb(file, { migrationsDir: mdir, vectors: false }).db.close();
    const raw = new Database(file);
    raw.prepare("INSERT INTO schema_migrations (version, name, checksum) VALUES (99, 'future', 'abc')").run();
    raw.close();
    const err = expectCode(() => openDb(file, { migrationsDir: mdir, vectors: false }), 'db_newer');
    expect(err.message).toMatch(/newer Mira.*99.*1/);
    expect(err.hint).toBeTruthy();
  });

  it('refuses an applied migration that has since changed', () => {
    const home = scratch();
    const mdir = path.join(home, 'm');
    writeMigrations(mdir, { '001_a.sql': 'CREATE TABLE a (x INTEGER);' });
    const file = path.join(home, 'mira.db');
    openDb(file, { migrationsDir: mdir, vectors: false }).db.close();
    writeMigrations(mdir, { '001_a.sql': 'CREATE TABLE a (x INTEGER, y INTEGER);' });
    const err = expectCode(() => openDb(file, { migrationsDir: mdir, vectors: false }), 'db_migration_changed');
    expect(err.message).toMatch(/001_a was changed/);
  });

  it('detects a corrupt database file with a clear error', () => {
    const home = scratch();
    const file = path.join(home, 'mira.db');
    fs.writeFileSync(file, Buffer.alloc(8192, 7));
    const err = expectCode(() => openDb(file), 'db_corrupt');
    expect(err.hint).toMatch(/backup|rebuild/);
  });

  it('rejects two migrations with the same version', () => {
    const home = scratch();
    const mdir = path.join(home, 'm');
    writeMigrations(mdir, { '001_a.sql': 'SELECT 1;', '001_b.sql': 'SELECT 2;' });
    expect(() => loadMigrations(mdir)).toThrow(/share version 1/);
  });
});
