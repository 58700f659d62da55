// Documents as project knowledge: extract, chunk, index for full text and vectors (the `conversation` collection), list, and search both ways fused.
import crypto from 'node:crypto';
import path from 'node:path';
import type { MiraConfig } from '../../shared/config';
import { MiraError } from '../../shared/errors';
import type { Db } from '../db/open';
import { loadEncoder } from '../llm/tokens';
import { scrub } from '../log';
import { embedQueries, type Embedder } from '../search/embedder';
import { matchExpressions } from '../search/fts-text';
import type { VectorStore } from '../search/vector-store';
import { openVectors } from '../search/vectors';
import { chunkMarkdown, chunkText, markdownTitle, type DocChunk } from './chunk';
import { extractText, kindOf, type DocKind } from './extract';
import { DocsStore, type DocumentRow } from './store';

/** Where document vectors live: next to conversation vectors, told apart by `kind: 'doc'` in the payload. */
const COLLECTION = 'conversation' as const;
const RRF_K = 60;
const MAX_DOC_BYTES = 20 * 1024 * 1024;

export interface DocVectors {
  embedder: Embedder;
  store: VectorStore;
}

export interface DocsDeps {
  db: Db;
  config: Pick<MiraConfig, 'embeddingModel' | 'openaiApiKey' | 'openaiBaseUrl' | 'qdrantUrl' | 'qdrantApiKey'>;
  log?: { warn(obj: object, msg: string): void };
  /** Opens the embedder and store (default: the configured ones); tests pass a failing one to check the full-text fallback. */
  vectors?: () => Promise<DocVectors>;
}

export interface DocInput {
  /** How the document is known: project-relative inside the project, otherwise the absolute path it came from. */
  path: string;
  bytes: Uint8Array;
}

export interface AddedDoc {
  id: number;
  path: string;
  title: string;
  kind: DocKind;
  chunks: number;
  status: 'added' | 'updated' | 'unchanged';
  vectors: boolean;
}

export interface DocHit {
  document_id: number;
  chunk_id: number;
  path: string;
  title: string;
  heading: string;
  text: string;
  snippet: string;
  /** Reciprocal-rank fusion of the full-text and vector lists, scaled so 1 is first in both. */
  score: number;
  reasons: string[];
}

export class DocsService {
  readonly store: DocsStore;
  private vectorsPromise: Promise<DocVectors | null> | null = null;

  constructor(private readonly deps: DocsDeps) {
    this.store = new DocsStore(deps.db);
  }

  /** Adds (or refreshes) documents; an unchanged file (same content hash) is left as it is. */
  async add(projectId: number, inputs: DocInput[]): Promise<AddedDoc[]> {
    await loadEncoder();
    const out: AddedDoc[] = [];
    for (const input of inputs) {
      if (input.bytes.length > MAX_DOC_BYTES) throw new MiraError('too_large', `${input.path} is over ${MAX_DOC_BYTES / 1048576} MB`, 'split it, or add the parts that matter');
      const hash = crypto.createHash('sha256').update(input.bytes).digest('hex');
      const existing = this.store.byPath(projectId, input.path);
      if (existing && existing.hash === hash && (existing.vectors || !(await this.vectors()))) {
        out.push({ id: existing.id, path: existing.path, title: existing.title, kind: existing.kind, chunks: existing.chunks, status: 'unchanged', vectors: !!existing.vectors });
        continue;
      }
      const kind = kindOf(input.path, input.bytes);
      const text = await extractText(input.path, input.bytes, kind);
      const chunks = kind === 'markdown' ? chunkMarkdown(text) : chunkText(text);
      const title = (kind === 'markdown' ? markdownTitle(text) : null) ?? path.basename(input.path);
      const { row, chunkIds } = this.store.save(projectId, { path: input.path, title, kind, hash, bytes: input.bytes.length }, chunks);
      const vectors = await this.writeVectors(projectId, row, chunks, chunkIds);
      this.store.setVectors(row.id, vectors);
      out.push({ id: row.id, path: row.path, title, kind, chunks: chunks.length, status: existing ? 'updated' : 'added', vectors });
    }
    return out;
  }

  list(projectId: number): DocumentRow[] {
    return this.store.list(projectId);
  }

  async remove(projectId: number, id: number): Promise<boolean> {
    const doc = this.store.byId(id);
    if (!doc || doc.project_id !== projectId) return false;
    const v = await this.vectors();
    if (v) {
      try {
        await v.store.deleteWhere(COLLECTION, { project_id: projectId, path: doc.path, kind: 'doc' });
      } catch (e) {
        this.deps.log?.warn({ error: scrub((e as Error).message) }, 'removing document vectors failed');
      }
    }
    return this.store.remove(projectId, id);
  }

  /** The k chunks of the project's documents that best match a query: full text and vectors, fused by rank. */
  async searchDocs(projectId: number, query: string, k = 8): Promise<DocHit[]> {
    if (!query.trim()) return [];
    const want = Math.max(k * 3, 12);
    const lists: { name: string; ids: number[]; snippets?: Map<number, string> }[] = [];
    const expr = matchExpressions(query);
    if (expr) {
      let hits = expr.all ? this.store.fts(projectId, expr.all, want) : [];
      if (hits.length < want) {
        const seen = new Set(hits.map((h) => h.chunk_id));
        hits = [...hits, ...this.store.fts(projectId, expr.any, want).filter((h) => !seen.has(h.chunk_id))];
      }
      lists.push({ name: 'text match', ids: hits.map((h) => h.chunk_id), snippets: new Map(hits.map((h) => [h.chunk_id, h.snippet])) });
    }
    const v = await this.vectors();
    if (v) {
      try {
        const [qv] = await embedQueries(v.embedder, [query], projectId);
        const matches = await v.store.search(COLLECTION, qv!, want, { project_id: projectId, kind: 'doc' });
        lists.push({ name: 'similar meaning', ids: matches.filter((m) => m.score > 0.05).map((m) => Number(m.payload.chunk_id)).filter((id) => Number.isInteger(id)) });
      } catch (e) {
        this.deps.log?.warn({ error: scrub((e as Error).message) }, 'document vector search failed; full text only');
      }
    }
    const fused = new Map<number, { score: number; reasons: string[] }>();
    for (const l of lists) {
      l.ids.forEach((id, rank) => {
        const f = fused.get(id) ?? { score: 0, reasons: [] };
        f.score += 1 / (RRF_K + rank + 1);
        if (!f.reasons.includes(l.name)) f.reasons.push(l.name);
        fused.set(id, f);
      });
    }
    const best = lists.length / (RRF_K + 1);
    const docs = new Map<number, DocumentRow | undefined>();
    const out: DocHit[] = [];
    for (const [id, f] of [...fused].sort((a, b) => b[1].score - a[1].score)) {
      if (out.length >= k) break;
      const c = this.store.chunk(projectId, id);
      if (!c) continue;
      if (!docs.has(c.document_id)) docs.set(c.document_id, this.store.byId(c.document_id));
      const d = docs.get(c.document_id);
      if (!d) continue;
      const snippet = lists.find((l) => l.snippets?.has(id))?.snippets?.get(id) ?? clip(c.text, 240);
      out.push({ document_id: d.id, chunk_id: c.id, path: d.path, title: d.title, heading: c.heading, text: c.text, snippet, score: Math.round((f.score / best) * 1000) / 1000, reasons: f.reasons });
    }
    return out;
  }

  /** Embeds and stores a document's chunks; false (and a log line) when vectors are not available, so full text still serves. */
  private async writeVectors(projectId: number, doc: DocumentRow, chunks: DocChunk[], chunkIds: number[]): Promise<boolean> {
    const v = await this.vectors();
    if (!v) return false;
    try {
      await v.store.ensure(COLLECTION);
      await v.store.deleteWhere(COLLECTION, { project_id: projectId, path: doc.path, kind: 'doc' });
      if (!chunks.length) return true;
      const vectors = await v.embedder.embed(chunks.map((c) => `${doc.title}\n${c.heading}\n${c.text}`));
      await v.store.upsert(
        COLLECTION,
        chunks.map((c, i) => ({
          id: `doc:${projectId}:${doc.id}:${i}`,
          vector: vectors[i]!,
          payload: { project_id: projectId, path: doc.path, kind: 'doc', document_id: doc.id, chunk_id: chunkIds[i]!, heading: c.heading },
        })),
      );
      return true;
    } catch (e) {
      this.deps.log?.warn({ path: doc.path, error: scrub((e as Error).message) }, 'document vectors failed; full-text search only');
      return false;
    }
  }

  /** The embedder and store, opened once; null (logged once) when they cannot be had. */
  private vectors(): Promise<DocVectors | null> {
    this.vectorsPromise ??= (async () => {
      try {
        if (this.deps.vectors) return await this.deps.vectors();
        const v = await openVectors(this.deps.db, this.deps.config);
        return { embedder: v.embedder, store: v.store };
      } catch (e) {
        this.deps.log?.warn({ error: scrub((e as Error).message) }, 'vectors unavailable for documents; full-text search only');
        return null;
      }
    })();
    return this.vectorsPromise;
  }
}

function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

const byDb = new WeakMap<Db, DocsService>();

/** One documents service per database (the handlers, the assistant's context and the operations share it). */
export function docsFor(deps: DocsDeps): DocsService {
  let s = byDb.get(deps.db);
  if (!s) {
    s = new DocsService(deps);
    byDb.set(deps.db, s);
  }
  return s;
}
