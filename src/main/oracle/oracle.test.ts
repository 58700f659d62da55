// The context oracle on a real repository with history: fused signals with reasons, calibration, time-split evaluation, context assembly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from '../../../test/helpers/git-repo';
import { startTestMira, type TestMira } from '../../../test/helpers/mira';
import { runCli } from '../../../test/helpers/cli';
import { oracleFor, maybeCalibrate, projectWeights } from './service';
import { choosePreset, OracleContextProvider, snippetFor } from './context';
import { evalLocateHistory } from '../eval/locate';
import { rankingMetrics } from './metrics';
import { DEFAULT_WEIGHTS } from './signals';

const MODULES: Record<string, { file: string; words: string[]; body: string }> = {
  session: { file: 'src/auth/session.ts', words: ['session', 'cookie', 'login'], body: 'export function refreshSessionCookie(req: Request) {\n  return req.headers.get("cookie");\n}\nexport function login(user: string) {\n  return refreshSessionCookie(new Request("x"));\n}\n' },
  router: { file: 'src/http/router.ts', words: ['route', 'path', 'match'], body: 'export class Router {\n  match(path: string) {\n    return path.split("/");\n  }\n}\n' },
  db: { file: 'src/db/query.ts', words: ['query', 'sql', 'transaction'], body: 'export function runQuery(sql: string) {\n  return sql.trim();\n}\nexport function inTransaction(fn: () => void) {\n  fn();\n}\n' },
  parser: { file: 'src/config/parse.ts', words: ['config', 'yaml', 'parse'], body: 'export function parseConfig(text: string) {\n  return JSON.parse(text);\n}\n' },
};

let repo: TestRepo;
let t: TestMira;

beforeAll(async () => {
  repo = createRepo();
  for (const m of Object.values(MODULES)) repo.write(m.file, m.body);
  repo.write('test/session.test.ts', 'import { login } from "../src/auth/session";\nlogin("session cookie login refresh");\n');
  repo.write('README.md', '# demo app\n');
  repo.commit('initial import', { date: '2023-01-01T00:00:00Z' });
  // A history where each area is changed by commits that talk about it, often with its test or a neighbour.
  const names = Object.keys(MODULES);
  let day = 2;
  for (let round = 0; round < 12; round++) {
    for (const name of names) {
      const m = MODULES[name]!;
      repo.write(m.file, `${m.body}// change ${round}\n`);
      if (name === 'session') repo.write('src/http/router.ts', `${MODULES.router!.body}// session hook ${round}\n`);
      const [a, b, c] = m.words;
      repo.commit(`${round % 2 ? 'fix' : 'feat'}: ${a} ${b} handling ${round % 3 ? c : ''}`.trim(), { date: `2023-02-${String(day).padStart(2, '0')}T00:00:00Z`, author: name === 'db' ? 'Dana Base' : 'Test User', email: name === 'db' ? 'dana@example.com' : 'test@example.com' });
      day = (day % 27) + 1;
    }
  }
  t = await startTestMira(repo.root, 'in-process');
  await t.client.call('index/run', {});
});

afterAll(async () => {
  await t.close();
  repo.cleanup();
});

describe('oracle/locate', () => {
  it('ranks the file a task is about first, with reasons from text, path and history', async () => {
    const r = await t.client.call('oracle/locate', { query: 'session cookie not refreshed after login', k: 5 });
    expect(r.results[0]?.path).toBe('src/auth/session.ts');
    // Indexing calibrated this project's weights on its own history; with the starting weights every signal speaks.
    const plain = oracleFor(t.mira.project()).locate('session cookie not refreshed after login', { k: 5, weights: DEFAULT_WEIGHTS });
    expect(plain[0]?.path).toBe('src/auth/session.ts');
    const sources = plain[0]!.reasons.map((x) => x.source);
    expect(sources).toContain('text');
    expect(sources).toContain('history');
    expect(plain[0]!.reasons.find((x) => x.source === 'history')?.detail).toMatch(/commit [0-9a-f]{8} ".*session/);
    expect(r.took_ms).toBeGreaterThan(0);
    // Tests rank after the source files that carry the same evidence.
    const testAt = r.results.findIndex((x) => x.path.startsWith('test/'));
    expect(testAt === -1 || testAt > 0).toBe(true);
  });

  it('follows co-change from the top hit', async () => {
    const r = { results: oracleFor(t.mira.project()).locate('session cookie login', { k: 5, weights: DEFAULT_WEIGHTS }) };
    const router = r.results.find((x) => x.path === 'src/http/router.ts');
    expect(router?.reasons.some((x) => x.source === 'cochange' && /src\/auth\/session\.ts/.test(x.detail))).toBe(true);
  });

  it('finds a named identifier through its definition', async () => {
    const r = await t.client.call('oracle/locate', { query: 'runQuery trims too much', k: 3 });
    expect(r.results[0]?.path).toBe('src/db/query.ts');
  });

  it('answers with --batch from the CLI, one JSON line per request, in order', async () => {
    const input = `${repo.root}/batch.jsonl`;
    (await import('node:fs')).writeFileSync(input, '{"query": "yaml config parse"}\n{"query": "route path match"}\n');
    const out = await runCli(['--home', t.home, '--project', repo.root, 'locate', '--batch', input]);
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.results[0].path)).toEqual(['src/config/parse.ts', 'src/http/router.ts']);
    (await import('node:fs')).rmSync(input);
  });

  it('ignores history after asOf (no leak from the future)', () => {
    const o = oracleFor(t.mira.project());
    const early = Date.parse('2023-01-15T00:00:00Z') / 1000;
    const r = o.locate('session cookie handling', { k: 5, asOf: early, weights: { ...DEFAULT_WEIGHTS, text: 0, path: 0, symbol: 0, churn: 0 } });
    // Only the initial import existed then, and it is too big (6 files) to say much; nothing from February shows.
    for (const x of r) for (const reason of x.reasons) expect(reason.detail).not.toMatch(/handling/);
  });
});

describe('calibration and evaluation', () => {
  it('calibrates weights on the project history and stores them', () => {
    const cal = maybeCalibrate(t.mira.project(), true);
    expect(cal).not.toBeNull();
    expect(cal!.queries).toBeGreaterThanOrEqual(30);
    expect(cal!.after['hit@5']).toBeGreaterThanOrEqual(cal!.before['hit@5']!);
    expect(projectWeights(t.mira.project())).toEqual(cal!.weights);
  });

  it('evaluates on a time split of its own history', () => {
    const r = evalLocateHistory(t.mira.project(), 15);
    expect(r.queries).toBe(15);
    expect(r.mira['hit@5']).toBeGreaterThan(0.8);
    expect(r.mira['hit@5']).toBeGreaterThanOrEqual(r.text_only['hit@5']!);
  });

  it('computes hit@k, recall@k and MRR exactly', () => {
    const m = rankingMetrics([['a', 'b', 'c'], ['x', 'y']], [['b', 'z'], ['q']], [1, 3]);
    expect(m).toMatchObject({ 'hit@1': 0, 'hit@3': 0.5, 'recall@3': 0.25, mrr: 0.25 });
  });
});

describe('context assembly', () => {
  it('chooses leaner presets as the budget is spent, and for_error for errors', () => {
    expect(choosePreset({ task: 'add a feature', spentFraction: 0, openErrors: 0 })).toBe('full');
    expect(choosePreset({ task: 'add a feature', spentFraction: 0.7, openErrors: 0 })).toBe('default');
    expect(choosePreset({ task: 'add a feature', spentFraction: 0.95, openErrors: 0 })).toBe('minimal');
    expect(choosePreset({ task: "TypeError: Cannot read properties of undefined", spentFraction: 0.1, openErrors: 0 })).toBe('for_error');
  });

  it('fits the token budget with numbered code around the key symbols, and says what it left out', async () => {
    const p = t.mira.project();
    const provider = new OracleContextProvider({
      db: t.mira.db,
      projectId: p.id,
      root: p.root,
      locate: (task, k) => oracleFor(p).locate(task, { k }),
      openErrors: () => [],
      spentFraction: () => 0,
    });
    const big = await provider.gather('session cookie login refresh', { projectId: p.id, maxTokens: 4000 });
    expect(big.preset).toBe('full');
    expect(big.items[0]?.path).toBe('src/auth/session.ts');
    expect(big.items[0]?.text).toMatch(/^\/\/ src\/auth\/session\.ts\n\s+1 export function refreshSessionCookie/);
    expect(big.tokens).toBeLessThanOrEqual(4000);
    const small = await provider.gather('session cookie login refresh', { projectId: p.id, maxTokens: 60 });
    expect(small.tokens).toBeLessThanOrEqual(60);
    expect(small.omitted.some((o) => /token budget/.test(o.reason))).toBe(true);
  });

  it('numbers snippet lines and elides the rest', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n');
    const s = snippetFor(text, { path: 'a.ts', symbols: [{ name: 'x', kind: 'function', line: 50 }] }, 20);
    expect(s.split('\n')[0]).toBe('// a.ts');
    expect(s).toContain('  50 line 50');
    expect(s).not.toContain('line 10\n');
  });
});
