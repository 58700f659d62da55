// The VectorStore contract shared by the embedded sqlite-vec store and Qdrant, with the checks both apply to input.
import { MiraError } from '../../shared/errors';

export const COLLECTIONS = ['code', 'conversation', 'git'] as const;
export type Collection = (typeof COLLECTIONS)[number];

export type FilterValue = string | number | boolean;
/** Every field must equal its value. `project_id` (integer) and `path` (string) are indexed; other payload fields also work, slower. */
export type VectorFilter = Record<string, FilterValue>;

export interface VectorItem {
  /** Any string, unique within the collection (Qdrant gets a UUID derived from it; it is given back as is). */
  id: string;
  vector: Float32Array;
  /** JSON-serialisable. By convention `project_id` (integer) and `path` (string) when the item belongs to a file. */
  payload: Record<string, unknown>;
}

export interface VectorMatch {
  id: string;
  /** Cosine similarity: 1 is the same direction, 0 unrelated. */
  score: number;
  payload: Record<string, unknown>;
}

export interface EnsureResult {
  /** The collection was made now: new, or re-made because the dims or the embedder changed (its old items are gone). */
  created: boolean;
}

export interface VectorStore {
  readonly kind: 'sqlite-vec' | 'qdrant';
  readonly dims: number;
  /** Names the embedder whose vectors the store holds; a collection made for another space is re-made. */
  readonly space: string;
  /** Makes the collection if needed (every other method does so too); says whether it was made or re-made. */
  ensure(collection: Collection): Promise<EnsureResult>;
  /** Inserts or replaces items by id. */
  upsert(collection: Collection, items: VectorItem[]): Promise<void>;
  delete(collection: Collection, ids: string[]): Promise<void>;
  deleteWhere(collection: Collection, filter: VectorFilter): Promise<void>;
  /** The k nearest items by cosine similarity, best first, among those matching the filter. */
  search(collection: Collection, vector: Float32Array, k: number, filter?: VectorFilter): Promise<VectorMatch[]>;
  count(collection: Collection, filter?: VectorFilter): Promise<number>;
  close(): Promise<void>;
}

/**
 * Synchronous writes, offered by stores that live in the project database: the index stage can then replace a file's
 * vectors inside the same transaction as the file's other rows (all or nothing).
 */
export interface SyncVectorWrites {
  upsertSync(collection: Collection, items: VectorItem[]): void;
  deleteSync(collection: Collection, ids: string[]): void;
  deleteWhereSync(collection: Collection, filter: VectorFilter): void;
}

export function hasSyncWrites(store: VectorStore): store is VectorStore & SyncVectorWrites {
  return typeof (store as Partial<SyncVectorWrites>).upsertSync === 'function';
}

export function checkCollection(c: string): asserts c is Collection {
  if (!(COLLECTIONS as readonly string[]).includes(c)) throw new MiraError('bad_request', `unknown vector collection "${c}"`, `use one of ${COLLECTIONS.join(', ')}`);
}

export function checkVector(v: Float32Array, dims: number, what = 'vector'): void {
  if (!(v instanceof Float32Array)) throw new MiraError('bad_request', `${what} must be a Float32Array`);
  if (v.length !== dims) throw new MiraError('bad_request', `${what} has ${v.length} dimensions, the store holds ${dims}`, 'embed with the embedder the store was opened for');
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!Number.isFinite(x)) throw new MiraError('bad_request', `${what} holds a non-finite number at ${i}`);
    norm += x * x;
  }
  // A zero vector has no direction: cosine is undefined, and sqlite-vec and Qdrant disagree on what they do with it.
  if (norm === 0) throw new MiraError('bad_request', `${what} is all zeros`, 'embedders must return a vector with some direction');
}

const FIELD_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkFilter(filter: VectorFilter | undefined): [string, FilterValue][] {
  if (!filter) return [];
  const out: [string, FilterValue][] = [];
  for (const [k, v] of Object.entries(filter)) {
    if (!FIELD_RE.test(k)) throw new MiraError('bad_request', `vector filter field "${k}" is not a plain name`);
    if (typeof v !== 'string' && typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) {
      throw new MiraError('bad_request', `vector filter ${k} must be a string, a finite number or a boolean`);
    }
    if (k === 'project_id' && !(typeof v === 'number' && Number.isInteger(v))) throw new MiraError('bad_request', 'vector filter project_id must be an integer');
    if (k === 'path' && typeof v !== 'string') throw new MiraError('bad_request', 'vector filter path must be a string');
    out.push([k, v]);
  }
  return out;
}

export function checkItems(items: VectorItem[], dims: number): void {
  const seen = new Set<string>();
  for (const it of items) {
    if (typeof it.id !== 'string' || !it.id) throw new MiraError('bad_request', 'every vector item needs a non-empty string id');
    if (seen.has(it.id)) throw new MiraError('bad_request', `vector item id "${it.id}" appears twice in one upsert`);
    seen.add(it.id);
    checkVector(it.vector, dims, `vector of item "${it.id}"`);
    const pid = it.payload.project_id;
    if (pid !== undefined && pid !== null && !(typeof pid === 'number' && Number.isInteger(pid))) {
      throw new MiraError('bad_request', `item "${it.id}": payload project_id must be an integer`);
    }
    const path = it.payload.path;
    if (path !== undefined && path !== null && typeof path !== 'string') throw new MiraError('bad_request', `item "${it.id}": payload path must be a string`);
  }
}

export function checkK(k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new MiraError('bad_request', `k must be a positive integer, got ${k}`);
  return k;
}
