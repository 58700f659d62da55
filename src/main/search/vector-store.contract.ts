// The one behaviour contract every VectorStore must meet; vector-store.test.ts runs it against each store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiraError } from '../../shared/errors';
import type { VectorItem, VectorStore } from './vector-store';

export interface StoreHarness {
  /** Opens a store over the same backing data each time (so a second open with other dims meets the first one's collections). */
  open(opts: { dims: number; space: string }): Promise<VectorStore>;
  cleanup(): Promise<void>;
}

/** A deterministic pseudo-random vector (mulberry32), so failures reproduce. */
export function seededVector(seed: number, dims: number): Float32Array {
  let a = seed >>> 0 || 1;
  const v = new Float32Array(dims);
  for (let i = 0; i < dims; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    v[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  }
  return v;
}

function basis(i: number, dims: number, scale = 1): Float32Array {
  const v = new Float32Array(dims);
  v[i] = scale;
  return v;
}

/** A vector near `base`: the same direction plus a small push along axis j (how near is set by eps). */
function near(base: Float32Array, j: number, eps: number): Float32Array {
  const v = Float32Array.from(base);
  v[j] = v[j]! + eps;
  return v;
}

async function expectMira(p: Promise<unknown>, code = 'bad_request'): Promise<void> {
  await expect(p).rejects.toBeInstanceOf(MiraError);
  await expect(p).rejects.toMatchObject({ code });
}

export function vectorStoreContract(name: string, makeHarness: () => Promise<StoreHarness>, opts: { skip?: string } = {}): void {
  const suite = opts.skip ? describe.skip : describe;
  suite(opts.skip ? `${name} — skipped: ${opts.skip}` : name, () => {
    const D = 8;
    let h: StoreHarness;
    let store: VectorStore;
    beforeAll(async () => {
      h = await makeHarness();
      store = await h.open({ dims: D, space: 'contract-a' });
    });
    afterAll(async () => {
      await store?.close();
      await h?.cleanup();
    });

    const item = (id: string, vector: Float32Array, payload: Record<string, unknown> = {}): VectorItem => ({ id, vector, payload });

    it('makes a collection on first use and says so once', async () => {
      const first = await store.ensure('git');
      expect(first.created).toBe(true);
      expect((await store.ensure('git')).created).toBe(false);
      expect(await store.count('git')).toBe(0);
      expect(store.dims).toBe(D);
    });

    it('upserts, counts, and finds the nearest item first with its payload intact', async () => {
      const base = basis(0, D);
      await store.upsert('code', [
        item('a', near(base, 1, 0.05), { project_id: 1, path: 'src/a.ts', start_line: 3, symbol: 'alpha', nested: { tags: ['x', 'y'], ok: true }, none: null }),
        item('b', near(base, 2, 0.5), { project_id: 1, path: 'src/b.ts', start_line: 7 }),
        item('c', basis(3, D), { project_id: 1, path: 'src/c.ts', start_line: 1 }),
      ]);
      expect(await store.count('code')).toBe(3);
      const hits = await store.search('code', base, 2);
      expect(hits.map((x) => x.id)).toEqual(['a', 'b']);
      expect(hits[0]!.payload).toEqual({ project_id: 1, path: 'src/a.ts', start_line: 3, symbol: 'alpha', nested: { tags: ['x', 'y'], ok: true }, none: null });
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    });

    it('scores are cosine similarities: 1 same direction, 0 orthogonal, -1 opposite, whatever the length', async () => {
      await store.upsert('conversation', [
        item('same', basis(0, D, 5)),
        item('orth', basis(1, D)),
        item('opp', basis(0, D, -2)),
      ]);
      const hits = await store.search('conversation', basis(0, D, 0.5), 3);
      expect(hits.map((x) => x.id)).toEqual(['same', 'orth', 'opp']);
      expect(hits[0]!.score).toBeCloseTo(1, 4);
      expect(hits[1]!.score).toBeCloseTo(0, 4);
      expect(hits[2]!.score).toBeCloseTo(-1, 4);
      await store.delete('conversation', ['same', 'orth', 'opp']);
    });

    it('upsert with an existing id replaces its vector and payload', async () => {
      await store.upsert('code', [item('c', basis(0, D), { project_id: 1, path: 'src/c2.ts', start_line: 99 })]);
      expect(await store.count('code')).toBe(3);
      const hits = await store.search('code', basis(0, D), 1);
      expect(hits[0]!.id).toBe('c');
      expect(hits[0]!.payload).toEqual({ project_id: 1, path: 'src/c2.ts', start_line: 99 });
      // The old path no longer matches anything.
      expect(await store.count('code', { path: 'src/c.ts' })).toBe(0);
      expect(await store.count('code', { path: 'src/c2.ts' })).toBe(1);
    });

    it('keeps ids opaque: any string round-trips', async () => {
      const ids = ['p1:src/x.ts#10-20', 'ünïcödé/名前', 'with "quotes" and spaces', '42'];
      await store.upsert('git', ids.map((id, i) => item(id, seededVector(100 + i, D), { n: i })));
      for (let i = 0; i < ids.length; i++) {
        const [hit] = await store.search('git', seededVector(100 + i, D), 1);
        expect(hit!.id).toBe(ids[i]);
        expect(hit!.payload).toEqual({ n: i });
      }
      await store.delete('git', ids);
      expect(await store.count('git')).toBe(0);
    });

    it('delete removes by id and ignores unknown ids', async () => {
      await store.upsert('code', [item('tmp', basis(5, D), { project_id: 1, path: 'tmp.ts' })]);
      expect(await store.count('code')).toBe(4);
      await store.delete('code', ['tmp', 'never-existed']);
      await store.delete('code', []);
      expect(await store.count('code')).toBe(3);
      expect((await store.search('code', basis(5, D), 10)).map((x) => x.id)).not.toContain('tmp');
    });

    it('filters searches by project_id, path and other payload fields', async () => {
      await store.upsert('code', [
        item('p2-a', near(basis(0, D), 4, 0.01), { project_id: 2, path: 'src/a.ts', kind: 'function', exported: true }),
        item('p2-b', near(basis(0, D), 4, 0.3), { project_id: 2, path: 'src/b.ts', kind: 'class', exported: false }),
        item('p2-c', near(basis(0, D), 4, 0.6), { project_id: 2, path: 'src/b.ts', kind: 'function', exported: true }),
      ]);
      const q = basis(0, D);
      expect((await store.search('code', q, 10, { project_id: 2 })).map((x) => x.id)).toEqual(['p2-a', 'p2-b', 'p2-c']);
      expect((await store.search('code', q, 10, { project_id: 1 })).every((x) => x.payload.project_id === 1)).toBe(true);
      expect((await store.search('code', q, 10, { project_id: 2, path: 'src/b.ts' })).map((x) => x.id)).toEqual(['p2-b', 'p2-c']);
      expect((await store.search('code', q, 10, { path: 'src/a.ts' })).map((x) => x.id).sort()).toEqual(['a', 'p2-a']);
      expect((await store.search('code', q, 10, { project_id: 2, kind: 'function' })).map((x) => x.id)).toEqual(['p2-a', 'p2-c']);
      expect((await store.search('code', q, 10, { exported: false })).map((x) => x.id)).toEqual(['p2-b']);
      expect(await store.search('code', q, 10, { project_id: 3 })).toEqual([]);
      expect(await store.count('code', { project_id: 2 })).toBe(3);
      expect(await store.count('code', { project_id: 2, kind: 'function' })).toBe(2);
    });

    it('k larger than the collection returns everything that matches, best first', async () => {
      const hits = await store.search('code', basis(0, D), 500, { project_id: 2 });
      expect(hits).toHaveLength(3);
      for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    });

    it('deleteWhere removes only the items matching every field (a file of a project)', async () => {
      await store.deleteWhere('code', { project_id: 2, path: 'src/b.ts' });
      expect((await store.search('code', basis(0, D), 10, { project_id: 2 })).map((x) => x.id)).toEqual(['p2-a']);
      // Project 1's src/b.ts is untouched.
      expect(await store.count('code', { project_id: 1, path: 'src/b.ts' })).toBe(1);
      await store.deleteWhere('code', { project_id: 2 });
      expect(await store.count('code', { project_id: 2 })).toBe(0);
      expect(await store.count('code')).toBe(3);
      // Any payload field works as a condition, not only the indexed ones.
      await store.upsert('code', [item('t1', basis(6, D), { project_id: 9, kind: 'scratch' }), item('t2', basis(7, D), { project_id: 9, kind: 'keep' })]);
      await store.deleteWhere('code', { kind: 'scratch' });
      expect((await store.search('code', basis(6, D), 10, { project_id: 9 })).map((x) => x.id)).toEqual(['t2']);
      await store.delete('code', ['t2']);
      expect(await store.count('code')).toBe(3);
    });

    it('keeps the collections apart', async () => {
      await store.upsert('git', [item('a', basis(0, D), { project_id: 1, path: 'src/a.ts' })]);
      expect(await store.count('git')).toBe(1);
      expect(await store.count('code')).toBe(3);
      await store.deleteWhere('git', { project_id: 1 });
      expect(await store.count('git')).toBe(0);
      expect(await store.count('code', { project_id: 1 })).toBe(3);
    });

    it('refuses bad input with a MiraError and changes nothing', async () => {
      await expectMira(store.upsert('code', [item('bad', new Float32Array(D + 1))]));
      await expectMira(store.upsert('code', [item('zero', new Float32Array(D))]));
      await expectMira(store.upsert('code', [item('nan', Float32Array.from({ length: D }, () => NaN))]));
      await expectMira(store.upsert('code', [item('x', basis(0, D)), item('x', basis(1, D))]));
      await expectMira(store.upsert('code', [item('pid', basis(0, D), { project_id: 'one' })]));
      await expectMira(store.search('code', new Float32Array(D - 1), 3));
      await expectMira(store.search('code', basis(0, D), 0));
      await expectMira(store.search('code', basis(0, D), 3, { 'bad field': 1 }));
      await expectMira(store.deleteWhere('code', {}));
      await expectMira(store.count('nope' as 'code'));
      expect(await store.count('code')).toBe(3);
    });

    it('a change of dims or embedder re-makes the collection, empty', async () => {
      const wider = await h.open({ dims: 16, space: 'contract-a' });
      expect((await wider.ensure('code')).created).toBe(true);
      expect(await wider.count('code')).toBe(0);
      await wider.upsert('code', [item('w', seededVector(7, 16), { project_id: 1, path: 'w.ts' })]);
      expect((await wider.search('code', seededVector(7, 16), 1))[0]!.id).toBe('w');
      await wider.close();

      const other = await h.open({ dims: 16, space: 'contract-b' });
      const made = await other.ensure('code');
      await other.close();
      // The embedded store records the embedder and re-makes on a change; Qdrant can only see dims (documented).
      if (other.kind === 'sqlite-vec') expect(made.created).toBe(true);

      const again = await h.open({ dims: 16, space: other.kind === 'sqlite-vec' ? 'contract-b' : 'contract-a' });
      expect((await again.ensure('code')).created).toBe(false);
      await again.close();
    });
  });
}
