// Hybrid search over a fixture: symbol names and full text fused by RRF, filters, snippets, and a vector list plugged in.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMira, type Mira } from '../app';
import { loadConfig } from '../config';
import { tempDir } from '../../../test/helpers/git-repo';
import { codeIndexOf } from '../code/stages';
import { searchServiceOf } from '../code/services';

const FIXTURE = path.resolve(import.meta.dirname, '../../../test/fixtures/code');
let mira: Mira;

beforeAll(async () => {
  mira = createMira({ config: loadConfig(tempDir('mira-home-'), {}), mode: 'test', project: FIXTURE });
  await mira.index({ git: false });
});
afterAll(async () => {
  await codeIndexOf(mira.project()).close();
  mira.close();
});

const search = (query: string, extra: { k?: number; language?: string; concept?: string } = {}) => mira.client().call('code/search', { query, ...extra });

describe('code search', () => {
  it('puts the definition named by the query first, with path, line, symbol and snippet', async () => {
    const r = await search('factorial');
    expect(r.results[0]).toMatchObject({ path: 'typescript/src/util/math.ts', line: 10, symbol: 'factorial', kind: 'function' });
    expect(r.results[0]!.snippet).toContain('factorial');
    expect(r.took_ms).toBeGreaterThanOrEqual(0);
  });

  it('finds camelCase names from separate words and snake_case from either form', async () => {
    expect((await search('make shape')).results[0]).toMatchObject({ symbol: 'makeShape' });
    expect((await search('makeShape')).results[0]).toMatchObject({ symbol: 'makeShape' });
    expect((await search('timing middleware')).results[0]).toMatchObject({ symbol: 'timing_middleware' });
  });

  it('filters by language and concept', async () => {
    const py = await search('helper', { language: 'python', k: 20 });
    expect(py.results.length).toBeGreaterThan(0);
    expect(py.results.every((x) => x.path.endsWith('.py'))).toBe(true);
    const db = await search('users', { concept: 'database', k: 20 });
    expect(db.results.length).toBeGreaterThan(0);
    expect(db.results.every((x) => x.symbol !== null)).toBe(true);
  });

  it('fuses a vector list as one more ranking', async () => {
    const svc = searchServiceOf(mira.project());
    const target = mira.db.prepare(`SELECT path, start_line FROM code_chunks WHERE symbol = 'Sorter.run'`).get() as { path: string; start_line: number };
    svc.setVectorSource({ search: async () => [{ path: target.path, line: target.start_line, score: 0.9 }] });
    try {
      const r = await search('qqzzxv wwxxyy', { k: 5 });
      expect(r.results[0]).toMatchObject({ symbol: 'Sorter.run', sources: ['vector'] });
    } finally {
      svc.setVectorSource(null);
    }
  });

  it('answers a batch quickly in process', async () => {
    const times: number[] = [];
    for (const q of ['helper', 'area', 'Circle', 'parse json', 'fib', 'Engine start', 'query', 'builder', 'notify observers', 'stripe']) {
      const t = performance.now();
      await search(q);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    expect(times[Math.floor(times.length * 0.95)]!).toBeLessThan(200);
  });
});
