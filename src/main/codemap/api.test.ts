// JSON shapes of the code map: every handler's answer validates against the contract's schema, and (once the methods are
// wired into the shared API and the CLI) `mira quality|hotspots|domains --json` print the fields CONTRACT.md fixes.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMira, type Mira } from '../app';
import { loadConfig } from '../config';
import { methods } from '../../shared/api';
import { codemapMethods } from '../../shared/api/codemap';
import { MiraError } from '../../shared/errors';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';
import { runCli } from '../../../test/helpers/cli';
import { codemapHandlers } from '../handlers/codemap';
import { registerCodemapStages } from './service';

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/codemap/two-domains');
const wired = 'codemap/hotspots' in methods;

describe('code map API shapes', () => {
  let repo: TestRepo;
  let home: string;
  let mira: Mira;

  beforeAll(async () => {
    repo = createRepo();
    home = tempDir('mira-home-');
    for (const f of fs.readdirSync(path.join(FIXTURE, 'src'))) repo.write(`src/${f}`, fs.readFileSync(path.join(FIXTURE, 'src', f), 'utf8'));
    // A test: code with metrics, but not ranked and in no domain.
    repo.write('test/invoice.test.ts', "import { totalOf } from '../src/invoice';\nexport function check(): boolean {\n  return totalOf([]) === 0;\n}\n");
    repo.commit('first', { date: '2024-01-01T10:00:00Z' });
    repo.write('src/invoice_tax.ts', fs.readFileSync(path.join(FIXTURE, 'src/invoice_tax.ts'), 'utf8') + 'export const VERSION = 2;\n');
    repo.commit('fix tax rounding bug', { date: '2024-02-01T10:00:00Z' });
    mira = createMira({ config: loadConfig(home, {}), mode: 'test', project: repo.root });
    const p = mira.project();
    if (!p.indexer.fileStages.some((s) => s.name === 'codemap-quality')) registerCodemapStages(p);
    await mira.index({ git: true });
  }, 60_000);

  afterAll(() => {
    mira?.close();
    repo?.cleanup();
    fs.rmSync(home, { recursive: true, force: true });
  });

  /** Calls a handler the way the router does: params through the schema, the answer checked against the result schema. */
  async function call<M extends keyof typeof codemapMethods>(m: M, params: unknown): Promise<Record<string, unknown>> {
    const spec = codemapMethods[m];
    const parsed = spec.params.parse(params);
    const handler = codemapHandlers(mira)[m] as (p: unknown, c: { via: 'in-process' }) => unknown;
    const r = await handler(parsed, { via: 'in-process' });
    return spec.result.parse(r) as Record<string, unknown>;
  }

  it('answers every method with its contract shape', async () => {
    const q = await call('codemap/quality', {});
    expect(q.results).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'src/invoice.ts', symbol: expect.any(String), complexity: expect.any(Number), cognitive: expect.any(Number), lines: expect.any(Number), nesting: expect.any(Number), fan_in: expect.any(Number), fan_out: expect.any(Number) })]));
    expect(q.took_ms).toEqual(expect.any(Number));
    const qf = await call('codemap/quality', { file: 'src/invoice.ts', sort: 'cognitive' });
    expect((qf.results as { symbol: string }[]).map((r) => r.symbol).sort()).toEqual(['settle', 'totalOf']);
    const h = await call('codemap/hotspots', { k: 3 });
    expect(h.results).toHaveLength(3);
    expect((h.results as Record<string, unknown>[])[0]).toEqual(expect.objectContaining({ path: expect.any(String), score: expect.any(Number), churn: expect.any(Number), complexity: expect.any(Number), reasons: expect.any(Array) }));
    const d = await call('codemap/domains', {});
    expect((d.results as Record<string, unknown>[])[0]).toEqual(expect.objectContaining({ name: expect.any(String), files: expect.any(Array), concepts: expect.any(Array), cohesion: expect.any(Number) }));
    expect(d.edges).toEqual(expect.any(Array));
    const t = await call('codemap/treemap', {});
    expect((t.root as { size: number }).size).toBeGreaterThan(0);
    // Every file says why it is not ranked (its role), ranked ones carry their churn, and the answer counts what is left out.
    const leaves: { path: string; score: number | null; role?: string; churn?: number }[] = [];
    const walk = (n: { children?: unknown[] }) => (n.children ? n.children.forEach((c) => walk(c as { children?: unknown[] })) : leaves.push(n as (typeof leaves)[number]));
    walk(t.root as { children?: unknown[] });
    expect(leaves.find((l) => l.path === 'test/invoice.test.ts')).toMatchObject({ score: null, role: 'test' });
    for (const l of leaves.filter((x) => x.path.startsWith('src/'))) {
      expect(l.role).toBeUndefined();
      expect(l.churn).toEqual(expect.any(Number));
    }
    expect(t.coverage).toEqual({ roles: { source: 6, test: 1 }, ranked: 6, commits: 2 });
    expect(d.coverage).toEqual(t.coverage);
    // Kept between requests, and counted again after an index run that changed the files.
    expect((await call('codemap/treemap', {})).coverage).toEqual(t.coverage);
    repo.write('test/extra.test.ts', 'export const extra = 1;\n');
    await mira.index({ git: true });
    expect(((await call('codemap/domains', {})).coverage as { roles: Record<string, number> }).roles).toEqual({ source: 6, test: 2 });
    repo.remove('test/extra.test.ts');
    await mira.index({ git: true });
    const tr = await call('codemap/trend', { path: 'src/invoice_tax.ts' });
    expect((tr.points as { fix: boolean }[]).map((p) => p.fix)).toEqual([false, true]);
  });

  it('refuses bad input with a clear error and keeps the data', async () => {
    expect(() => codemapMethods['codemap/quality'].params.parse({ k: 0 })).toThrow();
    expect(() => codemapMethods['codemap/trend'].params.parse({})).toThrow();
    await expect(call('codemap/quality', { file: 'src/nope.ts' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(call('codemap/quality', { file: 'src/nope.ts' })).rejects.toBeInstanceOf(MiraError);
    const again = await call('codemap/hotspots', {});
    expect((again.results as unknown[]).length).toBeGreaterThan(0);
  });

  it.skipIf(!wired)('mira quality / hotspots / domains --json print the contract fields', async () => {
    const base = ['--home', home, '--project', repo.root, '--json'];
    const q = await runCli(['quality', ...base]);
    expect(q.code).toBe(0);
    const qj = JSON.parse(q.stdout);
    expect(Object.keys(qj.results[0])).toEqual(expect.arrayContaining(['path', 'symbol', 'complexity', 'cognitive', 'lines', 'nesting', 'fan_in', 'fan_out']));
    expect(qj.took_ms).toEqual(expect.any(Number));
    const qf = await runCli(['quality', 'src/invoice.ts', ...base]);
    expect(JSON.parse(qf.stdout).results.map((r: { path: string }) => r.path)).toEqual(['src/invoice.ts', 'src/invoice.ts']);
    const h = JSON.parse((await runCli(['hotspots', '--k', '2', ...base])).stdout);
    expect(h.results).toHaveLength(2);
    expect(Object.keys(h.results[0])).toEqual(expect.arrayContaining(['path', 'score', 'churn', 'complexity', 'reasons']));
    const d = JSON.parse((await runCli(['domains', ...base])).stdout);
    expect(Object.keys(d.results[0])).toEqual(expect.arrayContaining(['name', 'files', 'concepts', 'cohesion']));
    expect(d.took_ms).toEqual(expect.any(Number));
    const bad = await runCli(['hotspots', '--k', 'x', ...base]);
    expect(bad.code).toBe(2);
    const batch = path.join(home, 'batch.jsonl');
    fs.writeFileSync(batch, '{"file":"src/session.ts"}\n{"file":"src/missing.ts"}\n');
    const b = await runCli(['quality', '--batch', batch, ...base]);
    const lines = b.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0].results.length).toBe(1);
    expect(lines[1].error.code).toBe('not_found');
  });
});
