// `mira repair`: a damaged database is replaced by a fresh one that keeps the user's data; the damaged file is kept,
// and nothing is replaced while some of the user's data would be lost unless the user says so.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMira } from '../../src/main/app';
import { loadConfig } from '../../src/main/config';
import { packagePath } from '../../src/main/db/open';
import { createRepo, tempDir, type TestRepo } from '../helpers/git-repo';

const BIN = packagePath('bin', 'mira.mjs');
const mira = (home: string, ...args: string[]) => spawnSync(process.execPath, [BIN, '--home', home, ...args], { encoding: 'utf8' });

/** Overwrites the root page of a table with garbage (the database must be closed and checkpointed). */
function damageTable(file: string, table: string): void {
  const db = new Database(file, { readonly: true });
  const { rootpage } = db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').get(table) as { rootpage: number };
  const size = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(size, 0x5a), 0, size, (rootpage - 1) * size);
  fs.closeSync(fd);
}

describe('mira repair', () => {
  let repo: TestRepo;
  const homes: string[] = [];

  /** A home with an indexed project, 12 remembered facts and a conversation, closed cleanly (WAL checkpointed). */
  async function populated(): Promise<string> {
    const home = tempDir('mira-repair-');
    homes.push(home);
    const m = createMira({ config: loadConfig(home, {}), mode: 'test', project: repo.root });
    await m.index({ git: true });
    const c = m.client();
    for (let i = 0; i < 12; i++) await c.call('memory/set', { key: `fact_${i}`, value: `value ${i}` });
    m.db.prepare(`INSERT INTO conversations (id, title) VALUES (7, 'how do sessions work')`).run();
    m.db.prepare(`INSERT INTO messages (conversation_id, role, content) VALUES (7, 'user', 'explain the session cookie refresh')`).run();
    m.close();
    return home;
  }

  beforeAll(() => {
    repo = createRepo();
    for (let i = 0; i < 40; i++) repo.write(`src/f${i}.ts`, `export function session${i}(x: number) {\n  return x + ${i};\n}\n`);
    repo.commit('initial');
  });

  afterAll(() => {
    repo?.cleanup();
    for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
  });

  it('says a healthy database needs nothing', async () => {
    const home = await populated();
    const r = mira(home, '--json', 'repair');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ healthy_before: true, replaced: false });
  });

  it('damage in the index: keeps every fact and message, keeps the damaged file, and the next index rebuilds', async () => {
    const home = await populated();
    const file = path.join(home, 'mira.db');
    damageTable(file, 'code_elements');
    const before = mira(home, '--project', repo.root, 'symbols');
    expect(before.status).toBe(1);
    expect(before.stderr).toMatch(/damaged|malformed|cannot be used/);
    expect(before.stderr).toMatch(/hint: run `mira repair`/);

    const r = mira(home, '--json', 'repair');
    expect(r.status, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep).toMatchObject({ healthy_before: false, replaced: true, lost: [] });
    expect(fs.existsSync(rep.damaged_copy)).toBe(true);
    expect(rep.tables.find((t: { table: string }) => t.table === 'memory_facts')).toMatchObject({ source: 'damaged', rows: 12, unreadable: 0 });

    const db = new Database(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((db.prepare('SELECT count(*) AS n FROM memory_facts').get() as { n: number }).n).toBe(12);
    expect((db.prepare(`SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'cookie'`).get() as { n: number }).n).toBe(1);
    expect((db.prepare('SELECT count(*) AS n FROM code_elements').get() as { n: number }).n).toBe(0);
    db.close();

    const idx = mira(home, '--json', 'index', repo.root);
    expect(idx.status, idx.stderr).toBe(0);
    expect(JSON.parse(idx.stdout).files).toBe(40);
    const syms = mira(home, '--project', repo.root, '--json', 'symbols');
    expect(JSON.parse(syms.stdout).results.length).toBeGreaterThanOrEqual(40);
    const mem = mira(home, '--json', 'memory', 'list');
    expect(mem.stdout).toContain('fact_11');
  }, 120_000);

  it('damage in the user data: refuses without --yes (nothing changed), takes it from a healthy backup when there is one', async () => {
    const home = await populated();
    const file = path.join(home, 'mira.db');
    damageTable(file, 'memory_facts');
    const damagedBytes = fs.readFileSync(file);

    const r = mira(home, '--json', 'repair');
    expect(r.status).toBe(1);
    const rep = JSON.parse(r.stdout);
    expect(rep.replaced).toBe(false);
    expect(rep.lost).toContain('memory_facts');
    expect(rep.next).toMatch(/--yes/);
    expect(fs.readFileSync(file).equals(damagedBytes)).toBe(true);

    // A backup taken before the damage (as the migrator keeps them): the facts come from it.
    const healthyHome = await populated();
    fs.copyFileSync(path.join(healthyHome, 'mira.db'), `${file}.bak-v15-2026-01-01T00-00-00-000Z`);
    const r2 = mira(home, '--json', 'repair');
    expect(r2.status, r2.stdout + r2.stderr).toBe(0);
    const rep2 = JSON.parse(r2.stdout);
    expect(rep2.replaced).toBe(true);
    expect(rep2.backup_used).toMatch(/\.bak-v15-/);
    expect(rep2.tables.find((t: { table: string }) => t.table === 'memory_facts')).toMatchObject({ source: 'backup', rows: 12 });
    const db = new Database(file, { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM memory_facts').get() as { n: number }).n).toBe(12);
    db.close();
  }, 120_000);

  it('an unreadable file without a backup: --yes starts afresh, keeping the damaged file', async () => {
    const home = tempDir('mira-repair-');
    homes.push(home);
    const file = path.join(home, 'mira.db');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(8192, 0xab)]));
    const refused = mira(home, '--json', 'repair');
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout).lost).toContain('memory_facts');
    const r = mira(home, '--json', 'repair', '--yes');
    expect(r.status, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.replaced).toBe(true);
    expect(fs.readFileSync(rep.damaged_copy).subarray(16, 20).equals(Buffer.alloc(4, 0xab))).toBe(true);
    expect(mira(home, '--json', 'budget').status).toBe(0);
  }, 60_000);
});
