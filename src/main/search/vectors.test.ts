// The vector capability end to end: config parsing, factories, VectorIndexer over sqlite-vec and the Qdrant protocol fake, and the index stages.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';
import { MiraError } from '../../shared/errors';
import { openDb, type Db } from '../db/open';
import { ProjectsRepo } from '../db/projects';
import { Indexer, type IndexedFile } from '../project/indexer';
import { LocalEmbedder } from './local-embedder';
import { OpenAIEmbedder } from './openai-embedder';
import { QdrantStore } from './qdrant-store';
import { startFakeQdrant, type FakeQdrant } from './qdrant-store.fake';
import { SqliteVecStore } from './sqlite-vec-store';
import { createEmbedder, createVectorStages, createVectorStore, openVectors, parseEmbeddingModel, vectorSource, VectorIndexer, type CodeChunk } from './vectors';

/** Chunks a file in 10-line windows: enough for tests (the code capability brings the real chunker). */
function lineChunks(file: Pick<IndexedFile, 'path' | 'text'>): CodeChunk[] {
  const lines = file.text.split('\n');
  const out: CodeChunk[] = [];
  for (let i = 0; i < lines.length; i += 10) {
    const text = lines.slice(i, i + 10).join('\n');
    if (text.trim()) out.push({ key: `${i + 1}`, path: file.path, start_line: i + 1, end_line: Math.min(lines.length, i + 10), symbol: null, kind: 'window', text });
  }
  return out;
}

const FILES: Record<string, string> = {
  'src/db/users.ts': "export function saveUser(db, user) {\n  return db.prepare('INSERT INTO users (email) VALUES (?)').run(user.email);\n}",
  'src/net/retry.ts': 'export async function withRetry(fn, attempts = 5) {\n  for (let i = 0; i < attempts; i++) {\n    try { return await fn() } catch { await sleep(2 ** i * 100) } // exponential backoff\n  }\n}',
  'src/ui/button.tsx': 'export function Button({ label, onClick }) {\n  return <button className="btn" onClick={onClick}>{label}</button>;\n}',
  'src/util/dates.ts': "export function formatDate(d) {\n  return d.toISOString().slice(0, 10); // yyyy-mm-dd\n}",
};

type VectorConfig = { embeddingModel: string; openaiApiKey?: string; openaiBaseUrl?: string; qdrantUrl?: string; qdrantApiKey?: string };
const baseConfig: VectorConfig = { embeddingModel: 'local' };

describe('configuration and factories', () => {
  let db: Db;
  let dir: string;
  beforeAll(() => {
    dir = tempDir('mira-vecf-');
    db = openDb(path.join(dir, 'mira.db')).db;
  });
  afterAll(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads MIRA_EMBEDDING_MODEL', () => {
    expect(parseEmbeddingModel(undefined)).toEqual({ provider: 'local', model: 'local', dimensions: 512 });
    expect(parseEmbeddingModel('local@384')).toEqual({ provider: 'local', model: 'local', dimensions: 384 });
    expect(parseEmbeddingModel('text-embedding-3-large')).toEqual({ provider: 'openai', model: 'text-embedding-3-large', dimensions: undefined });
    expect(parseEmbeddingModel('text-embedding-3-large@1024')).toEqual({ provider: 'openai', model: 'text-embedding-3-large', dimensions: 1024 });
    expect(() => parseEmbeddingModel('@12')).toThrow(MiraError);
  });

  it('makes the local embedder by default and a server one when named, refusing it without a key', () => {
    expect(createEmbedder(baseConfig, db)).toBeInstanceOf(LocalEmbedder);
    const server = createEmbedder({ ...baseConfig, embeddingModel: 'text-embedding-3-large', openaiApiKey: 'sk-x' }, db);
    expect(server).toBeInstanceOf(OpenAIEmbedder);
    expect(server.dims).toBe(3072);
    expect(() => createEmbedder({ ...baseConfig, embeddingModel: 'text-embedding-3-small' }, db)).toThrow(expect.objectContaining({ code: 'llm_not_configured' }));
  });

  it('uses sqlite-vec unless a Qdrant URL is configured', () => {
    expect(createVectorStore(db, baseConfig, { dims: 8, space: 's' })).toBeInstanceOf(SqliteVecStore);
    expect(createVectorStore(db, { ...baseConfig, qdrantUrl: 'http://127.0.0.1:6333' }, { dims: 8, space: 's' })).toBeInstanceOf(QdrantStore);
  });
});

describe('VectorIndexer on sqlite-vec', () => {
  let db: Db;
  let dir: string;
  let p1: number;
  let p2: number;
  let vectors: VectorIndexer;
  beforeAll(async () => {
    dir = tempDir('mira-veci-');
    db = openDb(path.join(dir, 'mira.db')).db;
    p1 = new ProjectsRepo(db).ensure(path.join(dir, 'one')).id;
    p2 = new ProjectsRepo(db).ensure(path.join(dir, 'two')).id;
    vectors = await openVectors(db, baseConfig);
  });
  afterAll(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('indexes files and finds the chunk a question is about, with its location', async () => {
    expect(vectors.syncWrites).toBe(true);
    for (const [p, text] of Object.entries(FILES)) await vectors.replaceFile(p1, p, lineChunks({ path: p, text }));
    const hits = await vectors.searchCode('where are users saved in the database', 3, p1);
    expect(hits[0]).toMatchObject({ key: '1', path: 'src/db/users.ts', start_line: 1, end_line: 3, kind: 'window', symbol: null });
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    expect((await vectors.searchCode('retry with exponential backoff', 1, p1))[0]!.path).toBe('src/net/retry.ts');
    expect(await vectors.searchCode('   ', 5, p1)).toEqual([]);
  });

  it('serves the hybrid ranker as a VectorSource: chunk ids when known, else path and line', async () => {
    await vectors.replaceFile(p2, 'src/ids.ts', [{ key: 'a', chunk_id: 77, path: 'src/ids.ts', start_line: 5, end_line: 9, symbol: 'parseCsvRow', kind: 'function', text: 'split comma separated values' }]);
    const source = vectorSource(async () => vectors, p2);
    const [hit] = await source.search('comma separated values', 1);
    expect(hit).toMatchObject({ chunk_id: 77, path: 'src/ids.ts', line: 5 });
    const [byLine] = await vectorSource(vectors, p1).search('exponential backoff', 1);
    expect(byLine).toEqual({ path: 'src/net/retry.ts', line: 1, score: expect.any(Number) });
    await vectors.removeFiles(p2, ['src/ids.ts']);
  });

  it('keeps projects apart', async () => {
    await vectors.replaceFile(p2, 'src/db/users.ts', lineChunks({ path: 'src/db/users.ts', text: FILES['src/db/users.ts']! }));
    const hits = await vectors.searchCode('users database', 10, p2);
    expect(hits.map((h) => h.path)).toEqual(['src/db/users.ts']);
    expect(await vectors.store.count('code', { project_id: p1 })).toBe(4);
  });

  it('replaces a file: its old chunks go, the new ones come', async () => {
    const text = Array.from({ length: 25 }, (_, i) => `export const thumbnailWidth${i} = ${i * 10}; // image resize`).join('\n');
    await vectors.replaceFile(p1, 'src/util/dates.ts', lineChunks({ path: 'src/util/dates.ts', text }));
    expect(await vectors.store.count('code', { project_id: p1, path: 'src/util/dates.ts' })).toBe(3);
    const hits = await vectors.searchCode('format a date', 10, p1);
    expect(hits.filter((h) => h.path === 'src/util/dates.ts').every((h) => h.kind === 'window')).toBe(true);
    expect((await vectors.searchCode('resize the image thumbnail', 1, p1))[0]!.path).toBe('src/util/dates.ts');
    await vectors.removeFiles(p1, ['src/util/dates.ts']);
    expect(await vectors.store.count('code', { project_id: p1, path: 'src/util/dates.ts' })).toBe(0);
    expect((db.prepare('SELECT count(*) AS n FROM vector_terms WHERE project_id = ? AND path = ?').get(p1, 'src/util/dates.ts') as { n: number }).n).toBe(0);
  });

  it('writes inside the caller transaction: a failed file leaves its old vectors', async () => {
    const embedded = await vectors.embedChunks(lineChunks({ path: 'src/ui/button.tsx', text: 'export const nothing = 1' }));
    expect(() =>
      db.transaction(() => {
        vectors.writeFileSync(p1, 'src/ui/button.tsx', embedded);
        throw new Error('later stage failed');
      })(),
    ).toThrow('later stage failed');
    expect((await vectors.searchCode('button click label', 1, p1))[0]!.path).toBe('src/ui/button.tsx');
  });

  it('notices a change of embedder: the collection is re-made and every project needs a full pass', async () => {
    vectors.markComplete(p1);
    expect(vectors.needsFullPass(p1)).toBe(false);
    expect(vectors.needsFullPass(p2)).toBe(true);
    const smaller = await openVectors(db, { ...baseConfig, embeddingModel: 'local@256' });
    expect(smaller.store.dims).toBe(256);
    expect(await smaller.store.count('code')).toBe(0);
    expect(smaller.needsFullPass(p1)).toBe(true);
    // And back: the old one sees its space gone too.
    const again = await openVectors(db, baseConfig);
    expect(again.needsFullPass(p1)).toBe(true);
  });
});

describe('index stages (createVectorStages) with the real Indexer', () => {
  let repo: TestRepo;
  let dir: string;
  let db: Db;
  let fake: FakeQdrant | undefined;
  afterEach(async () => {
    db?.close();
    repo?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await fake?.close();
    fake = undefined;
  });

  async function run(config: VectorConfig) {
    const project = new ProjectsRepo(db).ensure(repo.root);
    const indexer = new Indexer(db);
    let opened: Promise<VectorIndexer> | null = null;
    const stages = createVectorStages(() => (opened ??= openVectors(db, config)), (f) => lineChunks(f));
    indexer.addFileStage(stages.file);
    indexer.addProjectStage(stages.project);
    const logs: string[] = [];
    await indexer.index(project, { git: false, log: (m) => logs.push(m) });
    return { vectors: await opened!, project, logs };
  }

  for (const kind of ['sqlite-vec', 'qdrant protocol fake'] as const) {
    it(`indexes, updates and deletes files' vectors incrementally (${kind})`, async () => {
      repo = createRepo({ git: false });
      dir = tempDir('mira-vecs-');
      db = openDb(path.join(dir, 'mira.db')).db;
      let config = baseConfig;
      if (kind !== 'sqlite-vec') {
        fake = await startFakeQdrant();
        config = { ...baseConfig, qdrantUrl: fake.url };
      }
      for (const [p, text] of Object.entries(FILES)) repo.write(p, text);

      let r = await run(config);
      expect(r.vectors.store.kind).toBe(kind === 'sqlite-vec' ? 'sqlite-vec' : 'qdrant');
      expect(await r.vectors.store.count('code', { project_id: r.project.id })).toBe(4);
      expect(r.vectors.needsFullPass(r.project.id)).toBe(false);
      expect((await r.vectors.searchCode('exponential backoff', 1, r.project.id))[0]!.path).toBe('src/net/retry.ts');

      repo.write('src/util/dates.ts', Array.from({ length: 15 }, (_, i) => `export const resizeImage${i} = ${i};`).join('\n'));
      repo.remove('src/ui/button.tsx');
      r = await run(config);
      expect(await r.vectors.store.count('code', { project_id: r.project.id, path: 'src/util/dates.ts' })).toBe(2);
      expect(await r.vectors.store.count('code', { project_id: r.project.id, path: 'src/ui/button.tsx' })).toBe(0);
      expect(await r.vectors.store.count('code', { project_id: r.project.id })).toBe(4);

      // A new embedder: unchanged files are re-embedded by the project stage's full pass.
      r = await run({ ...config, embeddingModel: 'local@128' });
      expect(r.vectors.store.dims).toBe(128);
      expect(await r.vectors.store.count('code', { project_id: r.project.id })).toBe(4);
      expect(r.vectors.needsFullPass(r.project.id)).toBe(false);
      expect((await r.vectors.searchCode('save the user email', 1, r.project.id))[0]!.path).toBe('src/db/users.ts');
    });
  }

  it('keeps indexing when the vector store is unreachable, and catches up on the next run', async () => {
    repo = createRepo({ git: false });
    dir = tempDir('mira-vecs-');
    db = openDb(path.join(dir, 'mira.db')).db;
    for (const [p, text] of Object.entries(FILES)) repo.write(p, text);
    const project = new ProjectsRepo(db).ensure(repo.root);
    const indexer = new Indexer(db);
    const stages = createVectorStages(() => Promise.reject(new MiraError('vectors_unavailable', 'cannot reach Qdrant')), (f) => lineChunks(f));
    indexer.addFileStage(stages.file);
    indexer.addProjectStage(stages.project);
    const logs: string[] = [];
    const summary = await indexer.index(project, { git: false, log: (m) => logs.push(m) });
    expect(summary.added).toHaveLength(4);
    expect(logs.some((l) => l.includes('vector index unavailable'))).toBe(true);
    // Next run with a working store: nothing changed on disk, yet every file gets its vectors.
    const r = await run(baseConfig);
    expect(await r.vectors.store.count('code', { project_id: r.project.id })).toBe(4);
  });
});
