// The Qdrant vector store, used when QDRANT_URL is set: collections code, conversation and git, cosine, indexed project_id and path.
//
// Qdrant point ids must be unsigned integers or UUIDs, so each string id maps to a deterministic UUID (v5 layout over
// SHA-1, as RFC 4122 names it) and the original id travels in the payload (`_mira_id`) to be given back on search.
import crypto from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
import { MiraError } from '../../shared/errors';
import {
  checkCollection,
  checkFilter,
  checkItems,
  checkK,
  checkVector,
  type Collection,
  type EnsureResult,
  type FilterValue,
  type VectorFilter,
  type VectorMatch,
  type VectorItem,
  type VectorStore,
} from './vector-store';

const ID_FIELD = '_mira_id';
/** RFC 4122's URL namespace, so the UUIDs are ordinary v5 UUIDs anyone can recompute. */
const NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
/** Floats per upsert request: keeps a request far below Qdrant's 32 MB default body limit at any dims. */
const FLOATS_PER_REQUEST = 400_000;

export interface QdrantStoreOptions {
  url: string;
  apiKey?: string;
  dims: number;
  space: string;
  /** Prepended to the collection names (tests use it to stay apart from real data). */
  prefix?: string;
  timeoutMs?: number;
}

/** A UUID v5 (SHA-1 name-based) for a string id. */
export function pointId(id: string): string {
  const ns = Buffer.from(NAMESPACE.replace(/-/g, ''), 'hex');
  const h = crypto.createHash('sha1').update(ns).update(id, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function status(e: unknown): number | undefined {
  const s = (e as { status?: unknown }).status;
  return typeof s === 'number' ? s : undefined;
}

function toMiraError(e: unknown, what: string, url: string): MiraError {
  if (e instanceof MiraError) return e;
  const code = status(e);
  const msg = e instanceof Error ? e.message : String(e);
  if (code === 401 || code === 403) return new MiraError('unauthorized', `Qdrant refused ${what} (HTTP ${code})`, 'check QDRANT_API_KEY');
  if (code === undefined) return new MiraError('vectors_unavailable', `cannot reach Qdrant at ${url} (${what}): ${msg}`, 'start Qdrant, fix QDRANT_URL, or unset it to use the embedded store');
  return new MiraError('vectors_error', `Qdrant failed ${what} (HTTP ${code}): ${msg.split('\n')[0]}`);
}

function qdrantFilter(fields: [string, FilterValue][]) {
  return fields.length ? { must: fields.map(([key, value]) => ({ key, match: { value } })) } : undefined;
}

export class QdrantStore implements VectorStore {
  readonly kind = 'qdrant' as const;
  readonly dims: number;
  readonly space: string;
  private readonly client: QdrantClient;
  private readonly prefix: string;
  private readonly url: string;
  private readonly ready = new Map<Collection, Promise<void>>();

  constructor(opts: QdrantStoreOptions) {
    this.dims = opts.dims;
    this.space = opts.space;
    this.prefix = opts.prefix ?? '';
    this.url = opts.url;
    try {
      // checkCompatibility would make a request at construction; a wrong URL should fail on first use, with our message.
      this.client = new QdrantClient({ url: opts.url, apiKey: opts.apiKey, timeout: opts.timeoutMs ?? 30_000, checkCompatibility: false });
    } catch (e) {
      throw new MiraError('config_invalid', `QDRANT_URL=${opts.url} is not usable: ${(e as Error).message}`, 'write it as http(s)://host:port');
    }
  }

  name(collection: Collection): string {
    return `${this.prefix}${collection}`;
  }

  ensure(collection: Collection): Promise<EnsureResult> {
    checkCollection(collection);
    const known = this.ready.get(collection);
    if (known) return known.then(() => ({ created: false }));
    const made = this.make(collection);
    const settled = made.then(() => undefined);
    // A failure (server down) must not stick: the next call tries again.
    settled.catch(() => this.ready.delete(collection));
    this.ready.set(collection, settled);
    return made;
  }

  private async make(collection: Collection): Promise<EnsureResult> {
    const name = this.name(collection);
    let size: number | undefined;
    try {
      const info = await this.client.getCollection(name);
      const vectors = info.config?.params?.vectors as { size?: number } | undefined;
      size = vectors?.size;
    } catch (e) {
      if (status(e) !== 404) throw toMiraError(e, `reading collection ${name}`, this.url);
    }
    // The embedder's id is not recorded on the server (Qdrant collections carry no free metadata in every version),
    // so only a dims change is noticed here; the local index state notices an embedder change with equal dims.
    if (size === this.dims) {
      await this.indexes(name);
      return { created: false };
    }
    try {
      if (size !== undefined) await this.client.deleteCollection(name);
      await this.client.createCollection(name, { vectors: { size: this.dims, distance: 'Cosine' } });
    } catch (e) {
      throw toMiraError(e, `creating collection ${name}`, this.url);
    }
    await this.indexes(name);
    return { created: true };
  }

  private async indexes(name: string): Promise<void> {
    try {
      // Idempotent on the server: re-creating an existing index is accepted.
      await this.client.createPayloadIndex(name, { field_name: 'project_id', field_schema: 'integer', wait: true });
      await this.client.createPayloadIndex(name, { field_name: 'path', field_schema: 'keyword', wait: true });
    } catch (e) {
      throw toMiraError(e, `indexing payload fields of ${name}`, this.url);
    }
  }

  async upsert(collection: Collection, items: VectorItem[]): Promise<void> {
    checkCollection(collection);
    checkItems(items, this.dims);
    if (!items.length) return;
    await this.ensure(collection);
    const per = Math.max(1, Math.floor(FLOATS_PER_REQUEST / this.dims));
    for (let i = 0; i < items.length; i += per) {
      const points = items.slice(i, i + per).map((it) => ({ id: pointId(it.id), vector: Array.from(it.vector), payload: { ...it.payload, [ID_FIELD]: it.id } }));
      try {
        await this.client.upsert(this.name(collection), { wait: true, points });
      } catch (e) {
        throw toMiraError(e, `writing ${points.length} points to ${this.name(collection)}`, this.url);
      }
    }
  }

  async delete(collection: Collection, ids: string[]): Promise<void> {
    checkCollection(collection);
    if (!ids.length) return;
    await this.ensure(collection);
    try {
      await this.client.delete(this.name(collection), { wait: true, points: ids.map(pointId) });
    } catch (e) {
      throw toMiraError(e, `deleting points from ${this.name(collection)}`, this.url);
    }
  }

  async deleteWhere(collection: Collection, filter: VectorFilter): Promise<void> {
    checkCollection(collection);
    const fields = checkFilter(filter);
    if (!fields.length) throw new MiraError('bad_request', 'deleteWhere needs at least one filter field', 'to empty a collection, delete its items by id');
    await this.ensure(collection);
    try {
      await this.client.delete(this.name(collection), { wait: true, filter: qdrantFilter(fields)! });
    } catch (e) {
      throw toMiraError(e, `deleting points from ${this.name(collection)}`, this.url);
    }
  }

  async search(collection: Collection, vector: Float32Array, k: number, filter?: VectorFilter): Promise<VectorMatch[]> {
    checkCollection(collection);
    checkVector(vector, this.dims, 'query vector');
    checkK(k);
    const fields = checkFilter(filter);
    await this.ensure(collection);
    let res;
    try {
      res = await this.client.search(this.name(collection), { vector: Array.from(vector), limit: k, filter: qdrantFilter(fields), with_payload: true });
    } catch (e) {
      throw toMiraError(e, `searching ${this.name(collection)}`, this.url);
    }
    return res.map((p) => {
      const { [ID_FIELD]: id, ...payload } = (p.payload ?? {}) as Record<string, unknown>;
      return { id: typeof id === 'string' ? id : String(p.id), score: p.score, payload };
    });
  }

  async count(collection: Collection, filter?: VectorFilter): Promise<number> {
    checkCollection(collection);
    const fields = checkFilter(filter);
    await this.ensure(collection);
    try {
      return (await this.client.count(this.name(collection), { exact: true, filter: qdrantFilter(fields) })).count;
    } catch (e) {
      throw toMiraError(e, `counting ${this.name(collection)}`, this.url);
    }
  }

  /** Drops the collections this store made (tests clean up with it; Mira itself never calls it). */
  async dropAll(): Promise<void> {
    for (const c of ['code', 'conversation', 'git'] as const) {
      try {
        await this.client.deleteCollection(this.name(c));
      } catch {
        /* already gone */
      }
    }
    this.ready.clear();
  }

  async close(): Promise<void> {
    // The REST client holds pooled keep-alive sockets only; nothing to flush.
  }
}
