// One home, many processes at once: the app (a server in this process, writing through its API), and CLI processes
// indexing, remembering and running builds. SQLite's WAL lets readers through while one writer holds the lock; the
// busy timeout queues the other writers. Nothing may fail with "database is locked", and every write must land.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from '../helpers/git-repo';
import { startTestMira, type TestMira } from '../helpers/mira';
import { packagePath } from '../../src/main/db/open';

const BIN = packagePath('bin', 'mira.mjs');

function cli(home: string, project: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--home', home, '--project', project, '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the app, mira serve and CLI commands on one home at once', () => {
  let repo: TestRepo;
  let t: TestMira;

  beforeAll(async () => {
    repo = createRepo();
    for (let i = 0; i < 120; i++) {
      repo.write(`src/m${i % 8}/f${i}.ts`, `export function f${i}(x: number): number {\n  return x > 0 ? ${i} + x : -x;\n}\n`);
      if (i % 15 === 14) repo.commit(`add files up to ${i}`);
    }
    t = await startTestMira(repo.root, 'websocket');
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    repo?.cleanup();
  });

  it('every writer succeeds, in any order, and every write lands', async () => {
    const home = t.home;
    const root = repo.root;
    // The app writes through its API while the CLI processes start: facts, settings and an index run of its own.
    const appWrites = (async () => {
      const done: string[] = [];
      for (let i = 0; i < 25; i++) {
        await t.client.call('memory/set', { key: `app_fact_${i}`, value: `from the app ${i}` });
        done.push(`app_fact_${i}`);
      }
      return done;
    })();
    const appIndex = t.client.call('index/run', { git: true });
    const cliRuns = Promise.all([
      cli(home, root, ['index']),
      cli(home, root, ['index']),
      cli(home, root, ['build', 'run', '--', 'sh', '-c', 'echo "src/a.c:1:1: error: boom"; exit 1']),
      ...Array.from({ length: 6 }, (_, i) => cli(home, root, ['memory', 'set', `cli_fact_${i}`, `from the cli ${i}`])),
      cli(home, root, ['search', 'function']),
      cli(home, root, ['budget']),
    ]);
    const [facts, idx, runs] = await Promise.all([appWrites, appIndex, cliRuns]);
    for (const r of runs.slice(0, 2)) expect(r.code, r.stderr).toBe(0);
    expect(runs[2]!.code).toBe(1); // the build's own failure, recorded
    for (const r of runs.slice(3)) expect(r.code, r.stderr).toBe(0);
    for (const r of runs) expect(r.stderr).not.toMatch(/database is locked|SQLITE_BUSY/i);
    expect(idx.files).toBe(120);
    expect(facts).toHaveLength(25);

    const db = new Database(path.join(home, 'mira.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const keys = new Set((db.prepare('SELECT key FROM memory_facts').all() as { key: string }[]).map((r) => r.key));
      for (let i = 0; i < 25; i++) expect(keys.has(`app_fact_${i}`)).toBe(true);
      for (let i = 0; i < 6; i++) expect(keys.has(`cli_fact_${i}`)).toBe(true);
      // Three index runs at once: each file once, each symbol once.
      expect((db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n).toBe(120);
      expect((db.prepare('SELECT count(*) AS n FROM code_elements').get() as { n: number }).n).toBeGreaterThanOrEqual(120);
      const dup = db.prepare('SELECT count(*) AS n FROM (SELECT path, name, start_line, count(*) AS c FROM code_elements GROUP BY path, name, start_line HAVING c > 1)').get() as { n: number };
      expect(dup.n).toBe(0);
      const runsRow = db.prepare(`SELECT status, error_count FROM build_runs`).all() as { status: string; error_count: number }[];
      expect(runsRow).toEqual([{ status: 'done', error_count: 1 }]);
    } finally {
      db.close();
    }
    // The app still answers after the storm, and sees what the CLI wrote.
    const list = await t.client.call('memory/list', { kind: 'facts' });
    expect(list.results.map((r) => r.key)).toEqual(expect.arrayContaining(['cli_fact_0', 'app_fact_24']));
    expect(fs.existsSync(path.join(home, 'mira.db-wal'))).toBe(true);
  }, 180_000);
});
