// Domains on a fixture with two clear clusters (invoices and sessions, linked only inside each group): two named
// domains, and the same ids and names after a small change.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMira, type Mira } from '../app';
import { loadConfig } from '../config';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';
import { clusterFiles, matchClusters, nameDomain, seededRandom } from './domains';
import { codemapOf, registerCodemapStages } from './service';

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/codemap/two-domains');

describe('domains', () => {
  let repo: TestRepo;
  let home: string;
  let mira: Mira;

  beforeAll(async () => {
    repo = createRepo();
    home = tempDir('mira-home-');
    for (const f of fs.readdirSync(path.join(FIXTURE, 'src'))) repo.write(`src/${f}`, fs.readFileSync(path.join(FIXTURE, 'src', f), 'utf8'));
    repo.commit('two domains');
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

  it('finds the two clusters and names them from their files', () => {
    const { results, edges } = codemapOf(mira.project()).domainsOf();
    expect(results).toHaveLength(2);
    const invoice = results.find((d) => d.files.includes('src/invoice.ts'))!;
    const session = results.find((d) => d.files.includes('src/session.ts'))!;
    expect(invoice.files).toEqual(['src/invoice.ts', 'src/invoice_pay.ts', 'src/invoice_tax.ts']);
    expect(session.files).toEqual(['src/session.ts', 'src/session_store.ts', 'src/session_token.ts']);
    expect(invoice.name).toMatch(/^invoice/);
    expect(session.name).toMatch(/^session/);
    expect(invoice.cohesion).toBeGreaterThan(0.7);
    // The two only share a folder: a weak link between them.
    expect(edges).toHaveLength(1);
    expect(edges[0]!.kinds.imports ?? 0).toBe(0);
  });

  it('keeps ids and names after a small change', async () => {
    const before = codemapOf(mira.project()).domainsOf().results.map((d) => ({ id: d.id, name: d.name }));
    repo.write('src/invoice_refund.ts', "import { charge } from './invoice_pay';\nexport function refund(id: string, amount: number) { return charge(id, -amount); }\n");
    repo.commit('refunds', { date: '2024-02-01T12:00:00Z' });
    await mira.index({ git: true });
    const after = codemapOf(mira.project()).domainsOf().results;
    expect(after.map((d) => ({ id: d.id, name: d.name })).sort((a, b) => a.id - b.id)).toEqual(before.sort((a, b) => a.id - b.id));
    expect(after.find((d) => d.files.includes('src/invoice_refund.ts'))!.files).toContain('src/invoice.ts');
  });
});

describe('domain helpers', () => {
  it('the seeded generator is reproducible', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it('matches new clusters to old domains by overlap, greedily', () => {
    const now = new Map([
      [0, new Set(['a', 'b', 'c', 'x'])],
      [1, new Set(['d', 'e'])],
      [2, new Set(['z'])],
    ]);
    const old = new Map([
      [10, new Set(['a', 'b', 'c'])],
      [11, new Set(['d', 'e', 'f'])],
    ]);
    expect([...matchClusters(now, old).entries()].sort()).toEqual([
      [0, 10],
      [1, 11],
    ]);
  });

  it('names a domain by the folder its files share, skipping generic folders', () => {
    expect(nameDomain(['src/router/index.js', 'src/router/layer.js', 'src/router/route.js'], [], new Set())).toBe('router');
    expect(nameDomain(['crates/searcher/src/a.rs', 'crates/searcher/src/b.rs'], ['file io'], new Set())).toBe('searcher (file io)');
    expect(nameDomain(['crates/searcher/src/a.rs'], [], new Set(['searcher']))).toBe('searcher 2');
  });

  it('clusters a graph deterministically', () => {
    const bag = { edges: new Map<string, { a: string; b: string; w: number; kinds: Record<string, number> }>() };
    const link = (a: string, b: string) => bag.edges.set(`${a}\0${b}`, { a, b, w: 1, kinds: { imports: 1 } });
    link('a', 'b');
    link('b', 'c');
    link('a', 'c');
    link('d', 'e');
    link('e', 'f');
    link('d', 'f');
    link('c', 'd');
    const r1 = clusterFiles(['a', 'b', 'c', 'd', 'e', 'f'], bag as never);
    const r2 = clusterFiles(['f', 'e', 'd', 'c', 'b', 'a'], bag as never);
    expect([...r1.communities.entries()].sort()).toEqual([...r2.communities.entries()].sort());
    expect(r1.communities.get('a')).toBe(r1.communities.get('c'));
    expect(r1.communities.get('a')).not.toBe(r1.communities.get('d'));
  });
});
