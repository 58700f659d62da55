// Crash safety and concurrency: `mira index` killed with SIGKILL at random moments, and two index runs at once, on one home.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, tempDir, type TestRepo } from '../helpers/git-repo';
import { packagePath } from '../../src/main/db/open';

const BIN = packagePath('bin', 'mira.mjs');

function makeProject(repo: TestRepo, files: number): void {
  for (let i = 0; i < files; i++) {
    const dir = `src/mod${i % 12}`;
    repo.write(
      `${dir}/file${i}.ts`,
      `import { helper${(i + 1) % files} } from '../mod${(i + 1) % 12}/file${(i + 1) % files}';\n` +
        `export function helper${i}(x: number): number {\n  return x > 0 ? helper${(i + 1) % files}(x - 1) : ${i};\n}\n` +
        `export class Service${i} {\n  run() {\n    return helper${i}(3);\n  }\n}\n`,
    );
    if (i % 25 === 0) repo.commit(`add modules up to ${i}`);
  }
  repo.commit('last modules');
}

function runIndex(home: string, root: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--home', home, '--json', 'index', root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function killAfter(home: string, root: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--home', home, 'index', root], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** What an index holds, in a form two homes can be compared by (ids differ, content must not). */
function snapshot(home: string): { integrity: string; files: string[]; tables: Record<string, number>; orphans: number } {
  const db = new Database(path.join(home, 'mira.db'), { readonly: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    // Killed before the first migration committed: a database with no tables yet is a valid state too.
    const migrated = !!db.prepare(`SELECT 1 FROM sqlite_master WHERE type='table' AND name='files'`).get();
    const files = migrated
      ? (db.prepare('SELECT path, hash, skip_reason FROM files ORDER BY path').all() as { path: string; hash: string; skip_reason: string | null }[]).map((f) => `${f.path}:${f.hash}:${f.skip_reason ?? ''}`)
      : [];
    const tables: Record<string, number> = {};
    for (const t of ['code_elements', 'call_graph', 'code_calls', 'code_imports', 'git_commits', 'git_commit_files']) {
      const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type='table' AND name = ?`).get(t);
      tables[t] = exists ? (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n : 0;
    }
    const hasElements = db.prepare(`SELECT 1 FROM sqlite_master WHERE type='table' AND name='code_elements'`).get();
    const orphans = hasElements ? (db.prepare('SELECT count(*) AS n FROM code_elements e LEFT JOIN files f ON f.id = e.file_id WHERE f.id IS NULL').get() as { n: number }).n : 0;
    return { integrity, files, tables, orphans };
  } finally {
    db.close();
  }
}

describe('crash safety and concurrency of mira index', () => {
  let repo: TestRepo;
  let clean: ReturnType<typeof snapshot>;
  const homes: string[] = [];
  const home = () => {
    const h = tempDir('mira-crash-home-');
    homes.push(h);
    return h;
  };

  beforeAll(async () => {
    repo = createRepo();
    makeProject(repo, 240);
    const h = home();
    const r = await runIndex(h, repo.root);
    expect(r.code).toBe(0);
    clean = snapshot(h);
    expect(clean.files.length).toBe(240);
  }, 120_000);

  afterAll(() => {
    repo.cleanup();
    for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
  });

  it('survives SIGKILL at random moments: integrity holds, nothing half-written, the next run equals a clean run', async () => {
    const h = home();
    // Deterministic "random" moments spread over a run, from just after start to late.
    const delays = [150, 420, 700, 980, 1300, 1750];
    for (const ms of delays) {
      await killAfter(h, repo.root, ms);
      if (fs.existsSync(path.join(h, 'mira.db'))) {
        const s = snapshot(h);
        expect(s.integrity).toBe('ok');
        expect(s.orphans).toBe(0);
      }
    }
    const r = await runIndex(h, repo.root);
    expect(r.code).toBe(0);
    const after = snapshot(h);
    expect(after.integrity).toBe('ok');
    expect(after.files).toEqual(clean.files);
    expect(after.tables).toEqual(clean.tables);
  }, 180_000);

  it('two index runs at once neither corrupt nor duplicate anything', async () => {
    const h = home();
    const [a, b] = await Promise.all([runIndex(h, repo.root), runIndex(h, repo.root)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const s = snapshot(h);
    expect(s.integrity).toBe('ok');
    expect(s.files).toEqual(clean.files);
    expect(s.tables).toEqual(clean.tables);
    // The run that waited found nothing left to do, or did the same work again: either way the same index.
    const changed = [JSON.parse(a.stdout).changed_files, JSON.parse(b.stdout).changed_files].sort((x, y) => x - y);
    expect(changed[1]).toBe(240);
  }, 180_000);

  it('a corrupt database is reported on open with a way to recover', () => {
    const h = home();
    fs.writeFileSync(path.join(h, 'mira.db'), Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 0xab)]));
    const r = spawnSync(process.execPath, [BIN, '--home', h, 'index', repo.root], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^mira: .*(damaged|cannot be used|cannot open)/m);
    expect(r.stderr).toMatch(/hint: .*(backup|rebuild)/);
  });
});
