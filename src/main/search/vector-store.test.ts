// Runs the one VectorStore contract against sqlite-vec, against a Qdrant protocol fake, and against a real Qdrant when QDRANT_URL is set.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/git-repo';
import { openDb, type Db } from '../db/open';
import { pointId, QdrantStore } from './qdrant-store';
import { startFakeQdrant, type FakeQdrant } from './qdrant-store.fake';
import { SqliteVecStore } from './sqlite-vec-store';
import { seededVector, vectorStoreContract } from './vector-store.contract';
import { MiraError } from '../../shared/errors';

function scratchDb(): { db: Db; dir: string } {
  const dir = tempDir('mira-vec-');
  return { db: openDb(path.join(dir, 'mira.db')).db, dir };
}

vectorStoreContract('sqlite-vec store (embedded, default)', async () => {
  const { db, dir } = scratchDb();
  return {
    open: async ({ dims, space }) => new SqliteVecStore(db, { dims, space }),
    cleanup: async () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

vectorStoreContract('Qdrant store against an in-test PROTOCOL FAKE of Qdrant (not a real server)', async () => {
  const fake = await startFakeQdrant();
  return {
    open: async ({ dims, space }) => new QdrantStore({ url: fake.url, dims, space }),
    cleanup: () => fake.close(),
  };
});

const QDRANT_URL = process.env.QDRANT_URL;
vectorStoreContract(
  'Qdrant store against the real server at QDRANT_URL',
  async () => {
    const prefix = `mira_contract_${process.pid}_${Date.now()}_`;
    const stores: QdrantStore[] = [];
    return {
      open: async ({ dims, space }) => {
        const s = new QdrantStore({ url: QDRANT_URL!, apiKey: process.env.QDRANT_API_KEY, dims, space, prefix });
        stores.push(s);
        return s;
      },
      cleanup: async () => {
        await stores[0]?.dropAll();
      },
    };
  },
  { skip: QDRANT_URL ? undefined : 'QDRANT_URL not set: no Qdrant server can run on this machine' },
);

describe('sqlite-vec store specifics', () => {
  let db: Db;
  let dir: string;
  beforeAll(() => ({ db, dir } = scratchDb()));
  afterAll(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes synchronously inside a caller transaction, and a rollback takes the vectors with it', () => {
    const store = new SqliteVecStore(db, { dims: 8, space: 's' });
    store.upsertSync('code', [{ id: 'keep', vector: seededVector(1, 8), payload: { project_id: 1, path: 'a.ts' } }]);
    expect(() =>
      db.transaction(() => {
        store.deleteWhereSync('code', { project_id: 1, path: 'a.ts' });
        store.upsertSync('code', [{ id: 'new', vector: seededVector(2, 8), payload: { project_id: 1, path: 'a.ts' } }]);
        throw new Error('parse failed');
      })(),
    ).toThrow('parse failed');
    expect(store.searchSync('code', seededVector(1, 8), 5).map((h) => h.id)).toEqual(['keep']);
  });

  it('uses the vec0 KNN for project and path filters (the query plan names the virtual table index)', () => {
    const store = new SqliteVecStore(db, { dims: 8, space: 's' });
    store.ensureSync('code');
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT item_id, distance FROM vec_code WHERE embedding MATCH ? AND k = ? AND project_id = ? AND path = ?`)
      .all(Buffer.from(seededVector(1, 8).buffer), 5, 1n, 'a.ts') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/VIRTUAL TABLE INDEX/);
  });

  it('refuses to start without the sqlite-vec extension, with a hint', () => {
    const dir2 = tempDir('mira-novec-');
    const plain = openDb(path.join(dir2, 'mira.db'), { vectors: false }).db;
    try {
      expect(() => new SqliteVecStore(plain, { dims: 8, space: 's' })).toThrow(MiraError);
      try {
        new SqliteVecStore(plain, { dims: 8, space: 's' });
      } catch (e) {
        expect((e as MiraError).code).toBe('vectors_unavailable');
        expect((e as MiraError).hint).toMatch(/QDRANT_URL/);
      }
    } finally {
      plain.close();
      fs.rmSync(dir2, { recursive: true, force: true });
    }
  });
});

describe('Qdrant adapter specifics (against the protocol fake)', () => {
  let fake: FakeQdrant;
  beforeAll(async () => {
    fake = await startFakeQdrant({ apiKey: 'secret-key-123' });
  });
  afterAll(() => fake.close());

  it('maps string ids to RFC 4122 v5 UUIDs (the same ones Python uuid5(NAMESPACE_URL, id) gives)', () => {
    expect(pointId('hello')).toBe('074171de-bc84-5ea4-b636-1135477620e1');
    expect(pointId('p1:src/a.ts#1-10')).toBe('bb3b3bea-9e7e-5aed-a9c8-2432e3052a4c');
  });

  it('creates cosine collections with payload indexes on project_id and path, sending the api key', async () => {
    const store = new QdrantStore({ url: fake.url, apiKey: 'secret-key-123', dims: 8, space: 's', prefix: 't_' });
    await store.upsert('code', [{ id: 'x', vector: seededVector(1, 8), payload: { project_id: 1, path: 'a.ts' } }]);
    const col = fake.collections.get('t_code')!;
    expect(col.distance).toBe('Cosine');
    expect(col.size).toBe(8);
    expect(col.indexes).toEqual({ project_id: 'integer', path: 'keyword' });
    const stored = [...col.points.values()][0]!;
    expect(stored.id).toBe(pointId('x'));
    expect(stored.payload._mira_id).toBe('x');
    expect(fake.requests).toContain('PUT /collections/t_code/index');
  });

  it('turns a refused key and an unreachable server into MiraErrors with hints', async () => {
    const wrongKey = new QdrantStore({ url: fake.url, apiKey: 'nope', dims: 8, space: 's', prefix: 'u_' });
    await expect(wrongKey.count('code')).rejects.toMatchObject({ code: 'unauthorized' });
    const down = new QdrantStore({ url: 'http://127.0.0.1:9', dims: 8, space: 's', timeoutMs: 2000 });
    await expect(down.count('code')).rejects.toMatchObject({ code: 'vectors_unavailable' });
    expect(() => new QdrantStore({ url: 'localhost:6333', dims: 8, space: 's' })).toThrow(MiraError);
  });

  it('splits large upserts into several requests', async () => {
    const store = new QdrantStore({ url: fake.url, apiKey: 'secret-key-123', dims: 3072, space: 's', prefix: 'big_' });
    const before = fake.requests.filter((r) => r === 'PUT /collections/big_code/points').length;
    await store.upsert('code', Array.from({ length: 300 }, (_, i) => ({ id: `i${i}`, vector: seededVector(i + 1, 3072), payload: {} })));
    const after = fake.requests.filter((r) => r === 'PUT /collections/big_code/points').length;
    expect(after - before).toBeGreaterThan(1);
    expect(await store.count('code')).toBe(300);
  });
});
