// Crash safety of history ingest and build runs: `mira index` SIGKILLed while it reads ~1500 commits, and
// `mira build run` SIGKILLed while its command runs. The database must stay whole and the next run must be right.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, tempDir, type TestRepo } from '../helpers/git-repo';
import { packagePath } from '../../src/main/db/open';

const BIN = packagePath('bin', 'mira.mjs');
const COMMITS = 1500;

/** Writes COMMITS small commits in one `git fast-import` (seconds, not minutes): each touches one of 40 files. */
function makeHistory(repo: TestRepo): void {
  const parts: string[] = [];
  const t0 = 1_700_000_000;
  for (let i = 0; i < COMMITS; i++) {
    const file = `src/area${i % 8}/mod${i % 40}.ts`;
    const msg = `${i % 7 === 0 ? 'fix' : 'change'} mod${i % 40}: step ${i}\n`;
    const content = `// revision ${i}\nexport function mod${i % 40}(x: number): number {\n  return x + ${i};\n}\n`;
    const who = `Dev${i % 5} <dev${i % 5}@example.com> ${t0 + i * 60} +0000`;
    parts.push(
      `commit refs/heads/main\nmark :${i + 1}\nauthor ${who}\ncommitter ${who}\ndata ${Buffer.byteLength(msg)}\n${msg}` +
        (i > 0 ? `from :${i}\n` : '') +
        `M 100644 inline ${file}\ndata ${Buffer.byteLength(content)}\n${content}\n`,
    );
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo.root, input: parts.join(''), stdio: ['pipe', 'ignore', 'pipe'] });
  repo.git('reset', '-q', '--hard', 'main');
}

function run(args: string[], killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', () => {});
    const timer = killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, ms: performance.now() - started });
    });
  });
}

/** Runs `mira index` and SIGKILLs it as soon as the stored commit count reaches `atLeast` (read from the side, read-only). */
function killWhenCommits(home: string, root: string, atLeast: number): Promise<{ killedAt: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--home', home, 'index', root], { stdio: 'ignore' });
    let killedAt: number | null = null;
    const poll = setInterval(() => {
      const file = path.join(home, 'mira.db');
      if (!fs.existsSync(file)) return;
      try {
        const db = new Database(file, { readonly: true, fileMustExist: true });
        try {
          const has = db.prepare(`SELECT 1 FROM sqlite_master WHERE type='table' AND name='git_commits'`).get();
          const n = has ? (db.prepare('SELECT count(*) AS n FROM git_commits').get() as { n: number }).n : 0;
          if (n >= atLeast && killedAt === null) {
            killedAt = n;
            child.kill('SIGKILL');
          }
        } finally {
          db.close();
        }
      } catch {
        // busy or mid-migration: look again next tick
      }
    }, 5);
    child.on('exit', (_code, signal) => {
      clearInterval(poll);
      resolve({ killedAt, signal });
    });
  });
}

const HISTORY_TABLES = ['git_authors', 'git_commits', 'git_commit_files', 'git_file_stats', 'git_folder_stats', 'git_folder_cochange', 'historical_fixes'];

function history(home: string): { integrity: string; shas: string[]; count: number; distinct: number; files: number; tables: Record<string, number> } {
  const db = new Database(path.join(home, 'mira.db'), { readonly: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    const has = db.prepare(`SELECT 1 FROM sqlite_master WHERE type='table' AND name='git_commits'`).get();
    const tables: Record<string, number> = {};
    for (const t of HISTORY_TABLES) {
      const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type='table' AND name = ?`).get(t);
      tables[t] = exists ? (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n : 0;
    }
    if (!has) return { integrity, shas: [], count: 0, distinct: 0, files: 0, tables };
    const shas = (db.prepare('SELECT sha FROM git_commits ORDER BY sha').all() as { sha: string }[]).map((r) => r.sha);
    const distinct = (db.prepare('SELECT count(DISTINCT project_id || sha) AS n FROM git_commits').get() as { n: number }).n;
    const files = (db.prepare('SELECT count(*) AS n FROM git_commit_files').get() as { n: number }).n;
    return { integrity, shas, count: shas.length, distinct, files, tables };
  } finally {
    db.close();
  }
}

describe('crash safety of history ingest and build runs', () => {
  let repo: TestRepo;
  let clean: ReturnType<typeof history>;
  let cleanMs = 0;
  const homes: string[] = [];
  const home = () => {
    const h = tempDir('mira-crash-ingest-home-');
    homes.push(h);
    return h;
  };

  beforeAll(async () => {
    repo = createRepo();
    makeHistory(repo);
    expect(repo.git('rev-list', '--count', 'HEAD').trim()).toBe(String(COMMITS));
    const h = home();
    const r = await run(['--home', h, '--json', 'index', repo.root]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).commits).toBe(COMMITS);
    cleanMs = r.ms;
    clean = history(h);
    expect(clean.integrity).toBe('ok');
    expect(clean.count).toBe(COMMITS);
    expect(clean.distinct).toBe(COMMITS);
  }, 120_000);

  afterAll(() => {
    repo?.cleanup();
    for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
  });

  it('SIGKILL at moments spread over a cold run (code stages, then ingest): integrity holds, the next index equals a clean run', async () => {
    const h = home();
    // Moments spread over a clean run's length (the start is process and code-index time; the rest is mostly history),
    // then a few past it so later kills land in an ingest that resumes from what the earlier ones left.
    const fractions = [0.35, 0.5, 0.6, 0.7, 0.8, 0.9];
    const seen: number[] = [];
    for (const f of fractions) {
      const r = await run(['--home', h, 'index', repo.root], Math.round(cleanMs * f));
      if (!fs.existsSync(path.join(h, 'mira.db'))) continue;
      const s = history(h);
      expect(s.integrity).toBe('ok');
      expect(s.count).toBe(s.distinct); // never a duplicate, even half way
      seen.push(s.count);
      if (r.signal !== 'SIGKILL') expect(r.code).toBe(0);
    }
    console.log(`commits stored after each kill (clean run ${Math.round(cleanMs)} ms): ${seen.join(', ')}`);
    const r = await run(['--home', h, '--json', 'index', repo.root]);
    expect(r.code).toBe(0);
    const after = history(h);
    expect(after.integrity).toBe('ok');
    expect(after.count).toBe(clean.count);
    expect(after.distinct).toBe(clean.count);
    expect(after.shas).toEqual(clean.shas);
    expect(after.files).toBe(clean.files);
    expect(after.tables).toEqual(clean.tables);
  }, 180_000);

  it('SIGKILL right after a batch of commits is stored, mid-resume, and once all are stored: the next index equals a clean run', async () => {
    const h = home();
    // Batches are 500 commits: kill after the first lands, after the resumed run adds another, and once all are in
    // (the derived tables — stats, folders, co-change, fixes — may be half done at that moment).
    const killed: (number | null)[] = [];
    for (const atLeast of [1, 1000, COMMITS]) {
      const r = await killWhenCommits(h, repo.root, atLeast);
      killed.push(r.killedAt);
      const s = history(h);
      expect(s.integrity).toBe('ok');
      expect(s.count).toBe(s.distinct);
      expect(s.count % 500 === 0 || s.count === COMMITS).toBe(true); // whole batches only
    }
    console.log(`killed at stored commit counts: ${killed.join(', ')}`);
    const r = await run(['--home', h, '--json', 'index', repo.root]);
    expect(r.code).toBe(0);
    const after = history(h);
    expect(after.integrity).toBe('ok');
    expect(after.shas).toEqual(clean.shas);
    expect(after.distinct).toBe(clean.count);
    expect(after.tables).toEqual(clean.tables);
  }, 180_000);

  it('SIGKILL during a build run: the database stays whole and the next build run works', async () => {
    const h = home();
    // Killed once the run is recorded (a loaded machine may take seconds just to start the CLI), not at a fixed time.
    const first = await new Promise<{ signal: NodeJS.Signals | null }>((resolve) => {
      const child = spawn(process.execPath, [BIN, '--home', h, '--project', repo.root, 'build', 'run', '--', 'sh', '-c', 'sleep 30'], { stdio: 'ignore' });
      const poll = setInterval(() => {
        try {
          const db = new Database(path.join(h, 'mira.db'), { readonly: true, fileMustExist: true });
          const started = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'build_runs'`).get() as { n: number };
          const n = started.n ? (db.prepare('SELECT count(*) AS n FROM build_runs').get() as { n: number }).n : 0;
          db.close();
          if (n > 0) {
            clearInterval(poll);
            setTimeout(() => child.kill('SIGKILL'), 300);
          }
        } catch {
          /* not created yet */
        }
      }, 100);
      child.on('exit', (_code, signal) => {
        clearInterval(poll);
        resolve({ signal });
      });
    });
    expect(first.signal).toBe('SIGKILL');
    {
      const db = new Database(path.join(h, 'mira.db'), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const runs = db.prepare('SELECT status FROM build_runs').all() as { status: string }[];
      expect(runs.length).toBe(1); // left 'running' (or however it was recorded): fine, as long as nothing breaks
      db.close();
    }
    const next = await run(['--home', h, '--project', repo.root, '--json', 'build', 'run', '--', 'sh', '-c', 'echo done']);
    expect(next.code).toBe(0);
    const out = JSON.parse(next.stdout) as { status: string; exit_code: number };
    expect(out.status).toBe('done');
    expect(out.exit_code).toBe(0);
    const db = new Database(path.join(h, 'mira.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const statuses = (db.prepare('SELECT status FROM build_runs ORDER BY id').all() as { status: string }[]).map((r) => r.status);
    console.log(`build runs after a SIGKILL and a rerun: ${statuses.join(', ')}`);
    expect(statuses.length).toBe(2);
    // The killed run's process is gone: the next process to open the project closes it instead of showing it running.
    expect(statuses[0]).toBe('interrupted');
    expect(statuses[1]).toBe('done');
    db.close();
  }, 60_000);
});
