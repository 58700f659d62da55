// Tests the git commands end to end through `main([...])`: --json shapes, --batch lines, exit codes, `mira eval`.
// `mira eval` runs on a small set built from a test repository (and on the real sets when their mirrors are here).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';
import { change, day } from './testkit';

let r: TestRepo;
let home: string;
let shas: string[] = [];
const dirs: string[] = [];

beforeAll(() => {
  r = createRepo();
  home = tempDir('mira-home-');
  dirs.push(home);
  const A = { author: 'Alice', email: 'alice@example.com' };
  const B = { author: 'Bob', email: 'bob@example.com' };
  shas = [
    change(r, { 'src/a.ts': 'a\n', 'src/b.ts': 'b\n', 'test/a.test.ts': 't\n' }, 'add a and b', { ...A, at: day(1) }),
    change(r, { 'src/a.ts': 'a2\n', 'test/a.test.ts': 't2\n' }, 'Fix TypeError: x is undefined in a (closes #7)', { ...A, at: day(2) }),
    change(r, { 'src/b.ts': 'b2\n', 'src/c.ts': 'c\n' }, 'b and c', { ...B, at: day(3) }),
    change(r, { 'src/a.ts': 'a3\n', 'src/b.ts': 'b3\n' }, 'a and b again', { ...A, at: day(4) }),
    change(r, { 'src/a.ts': 'a4\n', 'test/a.test.ts': 't4\n' }, 'a with its test', { ...B, at: day(5) }),
    change(r, { 'src/c.ts': 'c2\n', 'src/b.ts': 'b5\n' }, 'c and b', { ...B, at: day(6) }),
  ];
});

afterAll(() => {
  r.cleanup();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const mira = (...args: string[]) => runCli(['--home', home, '--project', r.root, ...args], { cwd: r.root });
const json = async (...args: string[]) => {
  const out = await mira('--json', ...args);
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  return JSON.parse(out.stdout) as Record<string, unknown> & { results: Record<string, unknown>[]; took_ms: number };
};

describe('git commands', () => {
  it('syncs and reports status', async () => {
    const s = await json('git', 'sync');
    expect(s).toMatchObject({ status: 'ok', commits_added: 6, commits_total: 6 });
    const st = await json('git', 'status');
    expect(st).toMatchObject({ status: 'ok', commits: 6, authors: 2, fixes: 1, mode: 'numstat' });
  });

  it('mira cochange FILE --json', async () => {
    const r1 = await json('cochange', 'src/a.ts');
    expect(typeof r1.took_ms).toBe('number');
    expect(r1.results[0]).toMatchObject({ path: 'test/a.test.ts', support: 3 });
    for (const x of r1.results) expect(Object.keys(x)).toEqual(expect.arrayContaining(['path', 'support', 'confidence', 'score', 'evidence']));
    const multi = await json('cochange', 'src/b.ts', 'src/c.ts', '--k', '2');
    expect(multi.results.length).toBeLessThanOrEqual(2);
    expect(multi.query).toEqual(['src/b.ts', 'src/c.ts']);
  });

  it('mira cochange --batch: one JSON line per request, errors answered in place', async () => {
    const batch = path.join(home, 'batch.jsonl');
    fs.writeFileSync(batch, ['{"file": "src/a.ts"}', '{"files": ["src/a.ts", "src/b.ts"], "k": 3}', 'not json', '{"k": 3}', ''].join('\n'));
    const out = await mira('--json', '--batch', batch, 'cochange');
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as { results?: unknown[]; error?: { code: string } });
    expect(lines).toHaveLength(4);
    expect(lines[0]!.results!.length).toBeGreaterThan(0);
    expect(lines[1]!.results!.length).toBeLessThanOrEqual(3);
    expect(lines[2]!.error!.code).toBe('bad_request');
    expect(lines[3]!.error!.code).toBe('bad_request');
  });

  it('mira experts PATH... --json', async () => {
    const e = await json('experts', 'src/a.ts', 'test/a.test.ts');
    expect(e.results[0]).toMatchObject({ email: 'alice@example.com', author: 'Alice' });
    expect(Object.keys(e.results[0]!)).toEqual(expect.arrayContaining(['author', 'email', 'score']));
    const folder = await json('experts', 'src');
    expect(folder.results.length).toBe(2);
    expect(e.results[0]!.why).toMatch(/^\d+ commits? here, last \d{4}-\d{2}-\d{2}/);
    expect((e.authors as { email: string }[]).map((x) => x.email)).toContain('alice@example.com');
    // The table says who will likely change it next and why, then who wrote it.
    const table = await mira('experts', 'src/a.ts');
    expect(table.stdout).toMatch(/^Likely to change it next:\nauthor\s+email\s+score\s+why\n/);
    expect(table.stdout).toMatch(/\nWrote most of it:\nauthor\s+email\s+commits\s+lines\s+last commit\s+status\n/);
  });

  it('mira fixes TEXT --json and mira blame FILE --line N --json', async () => {
    const f = await json('fixes', "TypeError: Cannot read properties of undefined (reading 'x')", '--file', 'src/a.ts');
    expect(f.results[0]).toMatchObject({ commit: shas[1], files: ['src/a.ts', 'test/a.test.ts'] });
    expect(String(f.results[0]!.message)).toMatch(/^Fix TypeError/);
    const b = await json('blame', 'src/a.ts', '--line', '1');
    expect(b.results).toEqual([{ line: 1, commit: shas[4], author: 'Bob', email: 'bob@example.com', date: new Date(day(5) * 1000).toISOString(), summary: 'a with its test' }]);
  });

  it('prints tables for people, and exits 2 on bad usage', async () => {
    const out = await mira('cochange', 'src/a.ts');
    expect(out.code).toBe(0);
    expect(out.stdout.split('\n')[0]).toMatch(/path\s+score\s+support\s+confidence/);
    const log = await mira('git', 'log', 'src/c.ts');
    expect(log.stdout).toMatch(/c and b/);
    const bad = await mira('cochange', 'src/a.ts', '--k', '0');
    expect(bad.code).toBe(2);
    const none = await mira('cochange');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/needs an argument/);
  });

  it('reads history on the first query of a project never indexed', async () => {
    const fresh = tempDir('mira-home2-');
    dirs.push(fresh);
    const out = await runCli(['--home', fresh, '--project', r.root, '--json', 'cochange', 'src/c.ts'], { cwd: r.root });
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).results[0]).toMatchObject({ path: 'src/b.ts', support: 2 });
  });

  it('mira index counts the commits', async () => {
    const out = await mira('--json', 'index');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).commits).toBe(6);
  });

  it('mira eval cochange / experts on a set built from the repository', async () => {
    const set = path.join(tempDir('mira-set-'), 'demo');
    dirs.push(path.dirname(set));
    fs.mkdirSync(set);
    fs.writeFileSync(path.join(set, 'meta.json'), JSON.stringify({ t0: shas[3] }));
    fs.writeFileSync(path.join(set, 'cochange.jsonl'), [JSON.stringify({ sha: shas[4], files: ['src/a.ts', 'test/a.test.ts'] }), JSON.stringify({ sha: shas[5], files: ['src/b.ts', 'src/c.ts'] })].join('\n') + '\n');
    fs.writeFileSync(path.join(set, 'experts.jsonl'), [JSON.stringify({ sha: shas[4], author: 'bob@example.com', files: ['src/a.ts', 'test/a.test.ts'] })].join('\n') + '\n');
    fs.writeFileSync(
      path.join(path.dirname(set), 'baselines.jsonl'),
      JSON.stringify({ set: 'demo', rose: { 'recall@5': 0.5, 'hit@3': 0.5, queries: 4 }, experts: { commits: { mrr: 0.5 }, recent: { mrr: 0.25 } } }) + '\n',
    );
    const bare = path.join(path.dirname(set), 'repo.git');
    execFileSync('git', ['clone', '-q', '--mirror', r.root, bare], { stdio: 'ignore' });
    const cc = await runCli(['--json', 'eval', 'cochange', '--set', set, '--repo', bare]);
    expect(cc.code).toBe(0);
    const res = JSON.parse(cc.stdout);
    expect(res).toMatchObject({ set: 'demo', task: 'cochange', queries: 4, baseline_queries: 4, ingest: { status: 'ok', commits_total: 4 } });
    expect(res.metrics['recall@5']).toBe(1);
    expect(res.goals.map((g: { name: string }) => g.name)).toEqual(['recall@5', 'hit@3']);
    const ex = await runCli(['--json', 'eval', 'experts', '--set', set, '--repo', bare]);
    const er = JSON.parse(ex.stdout);
    expect(er).toMatchObject({ task: 'experts', queries: 1 });
    expect(er.metrics.mrr).toBeGreaterThan(0);
    expect(er.goals[0]).toMatchObject({ name: 'mrr', baseline: 0.5, goal: 0.55 });
    const human = await runCli(['eval', 'cochange', '--set', set, '--repo', bare]);
    expect(human.stdout).toMatch(/recall@5/);
  });
});

// The real sets, when their mirrors were fetched on this machine (see /work/shared/eval/README.md).
const SETS = '/work/shared/eval';
// Mirrors of the sets' repositories (fetched with the tool library), e.g. MIRA_MIRRORS=<dir holding owner+name/repo>.
const MIRRORS = process.env.MIRA_MIRRORS ?? '';
const real = ['expressjs+express', 'BurntSushi+ripgrep', 'colinhacks+zod'].filter((s) => !!MIRRORS && fs.existsSync(`${MIRRORS}/${s}/repo`) && fs.existsSync(`${SETS}/${s}/meta.json`));
describe.skipIf(real.length === 0 || !process.env.MIRA_EVAL_REAL)('real evaluation sets (set MIRA_EVAL_REAL=1; needs the mirrors)', () => {
  for (const s of real) {
    it(`beats the ROSE baseline on hit@3 for ${s}`, async () => {
      const out = await runCli(['--json', 'eval', 'cochange', '--set', `${SETS}/${s}`, '--repo', `${MIRRORS}/${s}/repo`]);
      const res = JSON.parse(out.stdout);
      expect(res.goals.find((g: { name: string }) => g.name === 'hit@3').met).toBe(true);
    }, 120_000);
  }
});
