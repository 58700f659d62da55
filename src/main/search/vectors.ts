// The vector capability's entry points: pick the embedder and store from config, index code chunks, and search them.
//
// Typical use (the code capability's index stage and the hybrid ranker):
//   const vectors = await openVectors(db, config, { onUsage });          // once per process
//   const embedded = await vectors.embedChunks(chunks);                  // async: in FileStage.analyze
//   vectors.writeFileSync(projectId, path, embedded);                    // sync: in FileStage.write (sqlite-vec)
//   await vectors.searchCode('where are users stored', 20, projectId);   // {key, chunk_id, path, start_line, score}[]
//   search.setVectorSource(vectorSource(() => vectorsPromise, projectId)); // the hybrid ranker's hook
// or let createVectorStages() do the indexing part, given a chunker.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import type { MiraConfig } from '../../shared/config';
import { MiraError } from '../../shared/errors';
import type { FileStage, IndexedFile, ProjectStage, StageContext } from '../project/indexer';
import { embedQueries, type Embedder, type EmbeddingUsage } from './embedder';
import { LOCAL_DEFAULT_DIMS, LocalEmbedder } from './local-embedder';
import { TermStats, type LearnResult } from './local-embedder-terms';
import { OpenAIEmbedder } from './openai-embedder';
import { QdrantStore } from './qdrant-store';
import { SqliteVecStore } from './sqlite-vec-store';
import type { VectorSource } from './search';
import { hasSyncWrites, type SyncVectorWrites, type VectorItem, type VectorStore } from './vector-store';

// ---------------------------------------------------------------------------------------------------------------
// Factories

export interface EmbeddingSpec {
  provider: 'local' | 'openai';
  model: string;
  dimensions?: number;
}

/**
 * Reads MIRA_EMBEDDING_MODEL: `local` (built in, offline), `local@384`, or a server model such as
 * `text-embedding-3-large` / `text-embedding-3-large@1024` (the suffix asks for shorter vectors, or names the size
 * of a model Mira does not know).
 */
export function parseEmbeddingModel(spec: string | undefined): EmbeddingSpec {
  const s = (spec ?? 'local').trim() || 'local';
  const m = /^(.*?)(?:@(\d+))?$/.exec(s)!;
  const model = m[1]!;
  const dimensions = m[2] !== undefined ? Number(m[2]) : undefined;
  if (!model) throw new MiraError('config_invalid', `embedding model "${s}" has no name`, 'write local, or a model name such as text-embedding-3-large[@DIMS]');
  if (dimensions !== undefined && (dimensions < 1 || dimensions > 8192)) throw new MiraError('config_invalid', `embedding dims in "${s}" must be 1..8192`);
  return model === 'local' ? { provider: 'local', model, dimensions: dimensions ?? LOCAL_DEFAULT_DIMS } : { provider: 'openai', model, dimensions };
}

export interface EmbedderHooks {
  /** Spend counting: told the tokens of every paid embedding request. */
  onUsage?: (usage: EmbeddingUsage) => void;
  /** Budget check before a paid request; throw to refuse it. */
  beforeRequest?: (usage: EmbeddingUsage) => void | Promise<void>;
}

type EmbedConfig = Pick<MiraConfig, 'embeddingModel' | 'openaiApiKey' | 'openaiBaseUrl'>;
type StoreConfig = Pick<MiraConfig, 'qdrantUrl' | 'qdrantApiKey'>;

/** The embedder the config names. Call `init()` on it before reading `dims` (a no-op unless the model's size is unknown). */
export function createEmbedder(config: EmbedConfig, db: Db, hooks: EmbedderHooks = {}): Embedder {
  const spec = parseEmbeddingModel(config.embeddingModel);
  if (spec.provider === 'local') return new LocalEmbedder({ dims: spec.dimensions, vocabulary: new TermStats(db) });
  return new OpenAIEmbedder({
    model: spec.model,
    dimensions: spec.dimensions,
    apiKey: config.openaiApiKey,
    baseURL: config.openaiBaseUrl,
    db,
    onUsage: hooks.onUsage,
    beforeRequest: hooks.beforeRequest,
  });
}

/** Qdrant when the config has a URL, otherwise sqlite-vec in the same database. */
export function createVectorStore(db: Db, config: StoreConfig, shape: { dims: number; space: string }): VectorStore {
  if (config.qdrantUrl) return new QdrantStore({ url: config.qdrantUrl, apiKey: config.qdrantApiKey, dims: shape.dims, space: shape.space });
  return new SqliteVecStore(db, shape);
}

/** Embedder, store and indexer from config, ready to use (the code collection exists, stale state is noticed). */
export async function openVectors(db: Db, config: EmbedConfig & StoreConfig, hooks: EmbedderHooks = {}): Promise<VectorIndexer> {
  const embedder = createEmbedder(config, db, hooks);
  await embedder.init?.();
  const store = createVectorStore(db, config, { dims: embedder.dims, space: embedder.id });
  const indexer = new VectorIndexer(db, embedder, store);
  await indexer.prepare();
  return indexer;
}

// ---------------------------------------------------------------------------------------------------------------
// Indexing and searching code chunks

export interface CodeChunk {
  /** Unique within its file (e.g. `start-end` or a symbol path). */
  key: string;
  path: string;
  start_line: number;
  end_line: number;
  symbol?: string | null;
  kind?: string | null;
  /** code_chunks.id when the chunk has a row there: hits then name it directly (the hybrid ranker's preferred key). */
  chunk_id?: number | null;
  language?: string | null;
  text: string;
}

export interface EmbeddedChunk extends CodeChunk {
  vector: Float32Array;
  /** Canonical terms, recorded for the offline embedder's co-occurrence learning. */
  terms?: string[];
}

export interface CodeVectorHit {
  key: string;
  chunk_id: number | null;
  path: string;
  start_line: number;
  end_line: number;
  symbol: string | null;
  kind: string | null;
  /** Cosine similarity of query and chunk. */
  score: number;
}

/**
 * The hybrid ranker's vector list for one project (SearchService.setVectorSource). `vectors` may be a promise or a
 * getter, so the search service can be wired before the store is open; a failure just leaves the list out (the ranker
 * catches it). Language and concept filters are applied by the ranker after fusion, so they are not passed down.
 */
export function vectorSource(vectors: VectorIndexer | (() => Promise<VectorIndexer>), projectId: number): VectorSource {
  return {
    async search(query, k) {
      const v = typeof vectors === 'function' ? await vectors() : vectors;
      const hits = await v.searchCode(query, k, projectId);
      return hits.map((h) => (h.chunk_id !== null ? { chunk_id: h.chunk_id, path: h.path, line: h.start_line, score: h.score } : { path: h.path, line: h.start_line, score: h.score }));
    },
  };
}

/** What the embedder sees of a chunk: where it is and what it is named carry as much meaning as its body. */
export function chunkEmbeddingText(c: CodeChunk): string {
  const head = [c.path, c.kind, c.symbol].filter((x) => typeof x === 'string' && x).join(' ');
  return `${head}\n${c.text}`;
}

const COLLECTION = 'code' as const;
const EMBED_BATCH = 512;

export class VectorIndexer {
  readonly terms?: TermStats;
  private readonly stmts;
  /** Per project: paths whose vectors were written by this process since the last `markComplete` (the full pass skips them). */
  private readonly written = new Map<number, Set<string>>();

  constructor(db: Db, readonly embedder: Embedder, readonly store: VectorStore) {
    if (embedder.dims !== store.dims) throw new MiraError('internal', `embedder ${embedder.id} makes ${embedder.dims}-d vectors, the store holds ${store.dims}-d`);
    if (embedder instanceof LocalEmbedder) this.terms = new TermStats(db);
    this.stmts = {
      state: db.prepare('SELECT space, complete FROM vector_index_state WHERE project_id = ? AND collection = ?'),
      setState: db.prepare(`INSERT INTO vector_index_state (project_id, collection, space, complete) VALUES (?, ?, ?, ?)
        ON CONFLICT (project_id, collection) DO UPDATE SET space = excluded.space, complete = excluded.complete, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`),
      clearState: db.prepare('DELETE FROM vector_index_state WHERE collection = ?'),
    };
  }

  /** Writes can join the caller's SQLite transaction (sqlite-vec); otherwise use the async methods. */
  get syncWrites(): boolean {
    return hasSyncWrites(this.store);
  }

  /** Makes the code collection; if it was (re-)made, every project's vectors must be written again. */
  async prepare(): Promise<void> {
    const { created } = await this.store.ensure(COLLECTION);
    if (created) this.stmts.clearState.run(COLLECTION);
  }

  async embedChunks(chunks: CodeChunk[]): Promise<EmbeddedChunk[]> {
    const out: EmbeddedChunk[] = [];
    for (let i = 0; i < chunks.length; i += EMBED_BATCH) {
      const part = chunks.slice(i, i + EMBED_BATCH);
      const texts = part.map(chunkEmbeddingText);
      if (this.embedder instanceof LocalEmbedder) {
        // One pass gives the vector and the terms for co-occurrence learning.
        const local = this.embedder;
        part.forEach((c, j) => out.push({ ...c, ...local.embedDocument(texts[j]!) }));
        // Local embedding is synchronous CPU work: let the event loop breathe between batches (`mira serve` stays responsive).
        if (i + EMBED_BATCH < chunks.length) await new Promise((r) => setImmediate(r));
        continue;
      }
      const vectors = await this.embedder.embed(texts);
      part.forEach((c, j) => out.push({ ...c, vector: vectors[j]! }));
    }
    return out;
  }

  /** Embeds the chunks of many files in shared batches (fewer, fuller requests to a server embedder). */
  async embedFiles(files: { path: string; chunks: CodeChunk[] }[]): Promise<Map<string, EmbeddedChunk[]>> {
    const all = await this.embedChunks(files.flatMap((f) => f.chunks));
    const out = new Map<string, EmbeddedChunk[]>();
    let at = 0;
    for (const f of files) {
      out.set(f.path, all.slice(at, at + f.chunks.length));
      at += f.chunks.length;
    }
    return out;
  }

  /** Replaces one file's vectors. Synchronous, for FileStage.write: needs the embedded store (see `syncWrites`). */
  writeFileSync(projectId: number, filePath: string, embedded: EmbeddedChunk[]): void {
    const store = this.syncStore();
    store.deleteWhereSync(COLLECTION, { project_id: projectId, path: filePath });
    store.upsertSync(COLLECTION, this.items(projectId, filePath, embedded));
    this.terms?.replaceFile(projectId, filePath, this.chunkTerms(embedded));
    this.noteWritten(projectId, filePath);
  }

  async writeFile(projectId: number, filePath: string, embedded: EmbeddedChunk[]): Promise<void> {
    if (this.syncWrites) return this.writeFileSync(projectId, filePath, embedded);
    await this.store.deleteWhere(COLLECTION, { project_id: projectId, path: filePath });
    await this.store.upsert(COLLECTION, this.items(projectId, filePath, embedded));
    this.terms?.replaceFile(projectId, filePath, this.chunkTerms(embedded));
    this.noteWritten(projectId, filePath);
  }

  /** Embeds a file's chunks and replaces its vectors (delete by project + path, then upsert). Returns the chunk count. */
  async replaceFile(projectId: number, filePath: string, chunks: CodeChunk[]): Promise<number> {
    const embedded = await this.embedChunks(chunks);
    await this.writeFile(projectId, filePath, embedded);
    return embedded.length;
  }

  removeFilesSync(projectId: number, paths: string[]): void {
    const store = this.syncStore();
    for (const p of paths) store.deleteWhereSync(COLLECTION, { project_id: projectId, path: p });
    this.terms?.removeFiles(projectId, paths);
  }

  async removeFiles(projectId: number, paths: string[]): Promise<void> {
    if (this.syncWrites) return this.removeFilesSync(projectId, paths);
    for (const p of paths) await this.store.deleteWhere(COLLECTION, { project_id: projectId, path: p });
    this.terms?.removeFiles(projectId, paths);
  }

  /**
   * Files whose vectors may be missing or stale: all of them when the project was never completed with this embedder
   * (first index, a model change, a re-made collection, an interrupted Qdrant flush), minus those written since.
   */
  needsFullPass(projectId: number): boolean {
    const s = this.stmts.state.get(projectId, COLLECTION) as { space: string; complete: number } | undefined;
    return !s || s.space !== this.embedder.id || !s.complete;
  }

  /** Paths written by this process since the last `markComplete` (a full pass need not embed them again). */
  writtenSince(projectId: number): ReadonlySet<string> {
    return this.written.get(projectId) ?? new Set();
  }

  markComplete(projectId: number, complete = true): void {
    this.stmts.setState.run(projectId, COLLECTION, this.embedder.id, complete ? 1 : 0);
    if (complete) this.written.delete(projectId);
  }

  /** Learns the project's vocabulary for query expansion when enough changed (offline embedder only). */
  learnIfNeeded(projectId: number): LearnResult | null {
    if (!this.terms || !this.terms.needsLearning(projectId)) return null;
    return this.terms.learn(projectId);
  }

  /** The k chunks nearest to a natural-language (or code) query, within one project, best first. */
  async searchCode(query: string, k: number, projectId: number): Promise<CodeVectorHit[]> {
    if (!query.trim()) return [];
    const [vector] = await embedQueries(this.embedder, [query], projectId);
    const hits = await this.store.search(COLLECTION, vector!, k, { project_id: projectId });
    return hits.map((h) => {
      const p = h.payload;
      return {
        key: String(p.key ?? h.id),
        chunk_id: typeof p.chunk_id === 'number' ? p.chunk_id : null,
        path: String(p.path ?? ''),
        start_line: Number(p.start_line ?? 0),
        end_line: Number(p.end_line ?? p.start_line ?? 0),
        symbol: typeof p.symbol === 'string' ? p.symbol : null,
        kind: typeof p.kind === 'string' ? p.kind : null,
        score: h.score,
      };
    });
  }

  async close(): Promise<void> {
    await this.store.close();
  }

  private syncStore(): VectorStore & SyncVectorWrites {
    if (!hasSyncWrites(this.store)) throw new MiraError('internal', `the ${this.store.kind} store cannot write synchronously`, 'use writeFile/removeFiles, outside the file transaction');
    return this.store;
  }

  private items(projectId: number, filePath: string, embedded: EmbeddedChunk[]): VectorItem[] {
    return embedded.map((c) => ({
      // Project and path in the id: chunk keys need only be unique within their file.
      id: `${projectId}:${filePath}:${c.key}`,
      vector: c.vector,
      payload: {
        project_id: projectId,
        path: filePath,
        key: c.key,
        chunk_id: c.chunk_id ?? null,
        start_line: c.start_line,
        end_line: c.end_line,
        symbol: c.symbol ?? null,
        kind: c.kind ?? null,
        language: c.language ?? null,
      },
    }));
  }

  private chunkTerms(embedded: EmbeddedChunk[]) {
    return embedded.map((c) => ({ key: c.key, terms: c.terms ?? [] }));
  }

  private noteWritten(projectId: number, filePath: string): void {
    let s = this.written.get(projectId);
    if (!s) this.written.set(projectId, (s = new Set()));
    s.add(filePath);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Ready-made index stages (optional: the code capability may register these, or call VectorIndexer itself)

/** Splits a file into chunks; may read a table the code stages filled, or chunk the text itself. */
export type Chunker = (file: IndexedFile, ctx: StageContext) => CodeChunk[] | Promise<CodeChunk[]>;

export interface VectorStages {
  file: FileStage<EmbeddedChunk[]>;
  project: ProjectStage;
}

/**
 * A FileStage that embeds changed files' chunks (async, in analyze) and replaces their vectors in the file's
 * transaction, and a ProjectStage that flushes writes a remote store could not make in that transaction, fills in
 * files whose vectors are missing or stale (see needsFullPass) and learns the vocabulary. Vector failures are
 * logged, never fatal to indexing: the project is left marked incomplete and the next run catches up.
 */
export function createVectorStages(getVectors: () => Promise<VectorIndexer>, chunker: Chunker): VectorStages {
  /** Writes a remote store will get in the project stage: path -> chunks (null: remove). Per project. */
  const queued = new Map<number, Map<string, EmbeddedChunk[] | null>>();
  let failed = false;
  let opened: VectorIndexer | null = null;
  /** Set when opening failed this run: a down Qdrant should cost one timeout per run, not one per batch. */
  let unavailable = false;
  const vectors = async (ctx: StageContext): Promise<VectorIndexer | null> => {
    if (opened || unavailable) return opened;
    try {
      opened = await getVectors();
      return opened;
    } catch (e) {
      failed = true;
      unavailable = true;
      ctx.log('vector index unavailable; continuing without it', { error: (e as Error).message });
      return null;
    }
  };
  const queue = (projectId: number) => {
    let q = queued.get(projectId);
    if (!q) queued.set(projectId, (q = new Map()));
    return q;
  };
  const pathsOf = (ctx: StageContext, ids: number[]) => {
    const stmt = ctx.db.prepare('SELECT path FROM files WHERE id = ?');
    return ids.map((id) => (stmt.get(id) as { path: string } | undefined)?.path).filter((p): p is string => !!p);
  };

  const file: FileStage<EmbeddedChunk[]> = {
    name: 'vectors',
    async analyze(files, ctx) {
      const out = new Map<string, EmbeddedChunk[]>();
      const v = await vectors(ctx);
      if (!v) return out;
      try {
        const chunked = [];
        for (const f of files) chunked.push({ path: f.path, chunks: await chunker(f, ctx) });
        return await v.embedFiles(chunked);
      } catch (e) {
        failed = true;
        ctx.log('embedding failed; vectors of these files are left for the next run', { error: (e as Error).message, files: files.length });
        return out;
      }
    },
    write(ctx, f, data) {
      if (!opened || data === undefined) return;
      if (opened.syncWrites) opened.writeFileSync(ctx.project.id, f.path, data);
      else queue(ctx.project.id).set(f.path, data);
    },
    remove(ctx, fileIds) {
      if (!opened) {
        // Not opened this run: nothing can be removed now, so the next run must check everything.
        failed = true;
        return;
      }
      const paths = pathsOf(ctx, fileIds);
      if (opened.syncWrites) opened.removeFilesSync(ctx.project.id, paths);
      else for (const p of paths) queue(ctx.project.id).set(p, null);
    },
  };

  const project: ProjectStage = {
    name: 'vectors',
    async run(ctx) {
      const v = await vectors(ctx);
      unavailable = false;
      if (!v) return;
      const pid = ctx.project.id;
      try {
        const q = queued.get(pid);
        if (q?.size) {
          v.markComplete(pid, false);
          for (const [p, data] of q) {
            if (data) await v.writeFile(pid, p, data);
            else await v.removeFiles(pid, [p]);
          }
          queued.delete(pid);
        }
        if (failed) {
          v.markComplete(pid, false);
          failed = false;
        }
        if (v.needsFullPass(pid)) {
          const done = v.writtenSince(pid);
          const rows = ctx.db.prepare('SELECT id, path, hash, size, language FROM files WHERE project_id = ? AND skip_reason IS NULL ORDER BY path').all(pid) as {
            id: number;
            path: string;
            hash: string;
            size: number;
            language: string | null;
          }[];
          const todo = rows.filter((r) => !done.has(r.path));
          for (let i = 0; i < todo.length; i += 64) {
            if (ctx.signal?.aborted) return;
            ctx.progress({ phase: 'stage', done: i, total: todo.length, detail: 'vectors' });
            const files: { path: string; chunks: CodeChunk[] }[] = [];
            for (const r of todo.slice(i, i + 64)) {
              const abs = path.join(ctx.root, r.path);
              let text: string;
              try {
                text = fs.readFileSync(abs, 'utf8');
              } catch {
                continue;
              }
              files.push({ path: r.path, chunks: await chunker({ id: r.id, path: r.path, abs, hash: r.hash, size: r.size, language: r.language, text }, ctx) });
            }
            const embedded = await v.embedFiles(files);
            if (v.syncWrites) ctx.db.transaction(() => embedded.forEach((chunks, p) => v.writeFileSync(pid, p, chunks)))();
            else for (const [p, chunks] of embedded) await v.writeFile(pid, p, chunks);
          }
        }
        v.markComplete(pid);
        const learned = v.learnIfNeeded(pid);
        if (learned) ctx.log('vector vocabulary learned', { ...learned });
      } catch (e) {
        v.markComplete(pid, false);
        throw e;
      }
    },
  };
  return { file, project };
}
