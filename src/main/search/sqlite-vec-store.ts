// The default vector store: sqlite-vec vec0 tables in Mira's own database, one per collection, payloads in vector_items.
//
// Each collection is a vec0 virtual table `vec_<collection>` made on first use with the embedder's dims, cosine
// distance, `project_id` as partition key (a project's KNN only scans its own vectors) and `path` as a metadata
// column (filterable inside the KNN). Payloads live in the normal table vector_items, whose item_id is the vec0 rowid.
// Filters on other payload fields fall back to an exact scan with vec_distance_cosine: correct, just slower.
import type Database from 'better-sqlite3';
import type { Db } from '../db/open';
import { MiraError } from '../../shared/errors';
import { vectorToBlob } from './embedder';
import {
  checkCollection,
  checkFilter,
  checkItems,
  checkK,
  checkVector,
  type Collection,
  type EnsureResult,
  type FilterValue,
  type SyncVectorWrites,
  type VectorFilter,
  type VectorMatch,
  type VectorItem,
  type VectorStore,
} from './vector-store';

/** sqlite-vec refuses larger k in one KNN query. */
export const SQLITE_VEC_MAX_K = 4096;

export interface SqliteVecStoreOptions {
  dims: number;
  /** The embedder id; a collection made for another one is re-made. */
  space: string;
}

interface CollectionStatements {
  insertVec: Database.Statement;
  deleteVec: Database.Statement;
  knn: Map<string, Database.Statement>;
}

/** Binds an integer payload value the way vec0 wants it: partition keys refuse JS numbers (bound as REAL). */
function int(v: unknown): bigint | null {
  return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : null;
}

function bindValue(v: FilterValue): string | number | bigint {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return v;
}

export function vecAvailable(db: Db): boolean {
  try {
    db.prepare('SELECT vec_version()').get();
    return true;
  } catch {
    return false;
  }
}

export class SqliteVecStore implements VectorStore, SyncVectorWrites {
  readonly kind = 'sqlite-vec' as const;
  readonly dims: number;
  readonly space: string;
  private readonly ready = new Map<Collection, CollectionStatements>();
  private readonly stmts;
  private readonly dynamic = new Map<string, Database.Statement>();

  constructor(private readonly db: Db, opts: SqliteVecStoreOptions) {
    if (!vecAvailable(db)) {
      throw new MiraError('vectors_unavailable', 'the sqlite-vec extension is not loaded in this database', 'reinstall Mira so its sqlite-vec package is present, or set QDRANT_URL to use Qdrant');
    }
    if (!Number.isInteger(opts.dims) || opts.dims < 1 || opts.dims > 8192) throw new MiraError('bad_request', `vector dims must be an integer in 1..8192, got ${opts.dims}`);
    this.dims = opts.dims;
    this.space = opts.space;
    this.stmts = {
      collection: db.prepare('SELECT dims, space FROM vector_collections WHERE name = ?'),
      tableExists: db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`),
      setCollection: db.prepare(`INSERT INTO vector_collections (name, dims, space) VALUES (?, ?, ?)
        ON CONFLICT (name) DO UPDATE SET dims = excluded.dims, space = excluded.space, created_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`),
      clearItems: db.prepare('DELETE FROM vector_items WHERE collection = ?'),
      upsertItem: db.prepare(`INSERT INTO vector_items (collection, id, project_id, path, payload) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (collection, id) DO UPDATE SET project_id = excluded.project_id, path = excluded.path, payload = excluded.payload
        RETURNING item_id`),
      deleteItem: db.prepare('DELETE FROM vector_items WHERE collection = ? AND id = ? RETURNING item_id'),
      deleteItemById: db.prepare('DELETE FROM vector_items WHERE item_id = ?'),
    };
  }

  async ensure(collection: Collection): Promise<EnsureResult> {
    return this.ensureSync(collection);
  }

  /**
   * Makes (or re-makes, when dims or space changed) the collection's vec0 table. Checked once per instance and
   * collection: one process is expected to use one embedder (two stores of different dims on one database would
   * keep re-making each other's collections).
   */
  ensureSync(collection: Collection): EnsureResult {
    checkCollection(collection);
    if (this.ready.has(collection)) return { created: false };
    const table = `vec_${collection}`;
    const row = this.stmts.collection.get(collection) as { dims: number; space: string } | undefined;
    const intact = row && row.dims === this.dims && row.space === this.space && this.stmts.tableExists.get(table);
    let created = false;
    if (!intact) {
      this.db.transaction(() => {
        // Table names come from the fixed collection list, never from input: safe to build.
        this.db.exec(`DROP TABLE IF EXISTS ${table}`);
        this.stmts.clearItems.run(collection);
        this.db.exec(`CREATE VIRTUAL TABLE ${table} USING vec0(
          item_id INTEGER PRIMARY KEY,
          embedding float[${this.dims}] distance_metric=cosine,
          project_id INTEGER PARTITION KEY,
          path TEXT
        )`);
        this.stmts.setCollection.run(collection, this.dims, this.space);
      })();
      created = true;
    }
    this.ready.set(collection, {
      insertVec: this.db.prepare(`INSERT INTO ${table} (item_id, embedding, project_id, path) VALUES (?, ?, ?, ?)`),
      deleteVec: this.db.prepare(`DELETE FROM ${table} WHERE item_id = ?`),
      knn: new Map(),
    });
    return { created };
  }

  async upsert(collection: Collection, items: VectorItem[]): Promise<void> {
    this.upsertSync(collection, items);
  }

  upsertSync(collection: Collection, items: VectorItem[]): void {
    checkCollection(collection);
    checkItems(items, this.dims);
    if (!items.length) return;
    const s = this.statements(collection);
    this.db.transaction(() => {
      for (const it of items) {
        const project = int(it.payload.project_id);
        const path = typeof it.payload.path === 'string' ? it.payload.path : null;
        const { item_id } = this.stmts.upsertItem.get(collection, it.id, project, path, JSON.stringify(it.payload)) as { item_id: number };
        // vec0 has no upsert: the old vector (if any) goes first. Its partition key may change with the payload.
        s.deleteVec.run(BigInt(item_id));
        s.insertVec.run(BigInt(item_id), vectorToBlob(it.vector), project, path ?? '');
      }
    })();
  }

  async delete(collection: Collection, ids: string[]): Promise<void> {
    this.deleteSync(collection, ids);
  }

  deleteSync(collection: Collection, ids: string[]): void {
    checkCollection(collection);
    if (!ids.length) return;
    const s = this.statements(collection);
    this.db.transaction(() => {
      for (const id of ids) {
        const row = this.stmts.deleteItem.get(collection, id) as { item_id: number } | undefined;
        if (row) s.deleteVec.run(BigInt(row.item_id));
      }
    })();
  }

  async deleteWhere(collection: Collection, filter: VectorFilter): Promise<void> {
    this.deleteWhereSync(collection, filter);
  }

  deleteWhereSync(collection: Collection, filter: VectorFilter): void {
    checkCollection(collection);
    const fields = checkFilter(filter);
    if (!fields.length) throw new MiraError('bad_request', 'deleteWhere needs at least one filter field', 'to empty a collection, delete its items by id');
    const s = this.statements(collection);
    const { sql, params } = this.itemWhere(fields);
    const select = this.prepared(`SELECT item_id FROM vector_items WHERE collection = ?${sql}`);
    this.db.transaction(() => {
      const ids = (select.all(collection, ...params) as { item_id: number }[]).map((r) => r.item_id);
      for (const id of ids) {
        s.deleteVec.run(BigInt(id));
        this.stmts.deleteItemById.run(id);
      }
    })();
  }

  async search(collection: Collection, vector: Float32Array, k: number, filter?: VectorFilter): Promise<VectorMatch[]> {
    return this.searchSync(collection, vector, k, filter);
  }

  searchSync(collection: Collection, vector: Float32Array, k: number, filter?: VectorFilter): VectorMatch[] {
    checkCollection(collection);
    checkVector(vector, this.dims, 'query vector');
    checkK(k);
    const fields = checkFilter(filter);
    const s = this.statements(collection);
    const blob = vectorToBlob(vector);
    let rows: { id: string; payload: string; distance: number | null }[];
    if (fields.every(([f]) => f === 'project_id' || f === 'path')) {
      // The vec0 KNN, with project_id (partition) and path (metadata) constraints inside it.
      const byProject = fields.find(([f]) => f === 'project_id');
      const byPath = fields.find(([f]) => f === 'path');
      const key = `${byProject ? 'p' : ''}${byPath ? 'f' : ''}`;
      let stmt = s.knn.get(key);
      if (!stmt) {
        stmt = this.db.prepare(`WITH knn AS MATERIALIZED (
            SELECT item_id, distance FROM vec_${collection}
            WHERE embedding MATCH ? AND k = ?${byProject ? ' AND project_id = ?' : ''}${byPath ? ' AND path = ?' : ''}
          )
          SELECT i.id, i.payload, knn.distance FROM knn JOIN vector_items i ON i.item_id = knn.item_id
          ORDER BY knn.distance, i.id`);
        s.knn.set(key, stmt);
      }
      const params: unknown[] = [blob, Math.min(k, SQLITE_VEC_MAX_K)];
      if (byProject) params.push(bindValue(byProject[1]));
      if (byPath) params.push(byPath[1]);
      rows = stmt.all(...params) as typeof rows;
    } else {
      const { sql, params } = this.itemWhere(fields, 'i.');
      const stmt = this.prepared(`SELECT i.id, i.payload, vec_distance_cosine(v.embedding, ?) AS distance
        FROM vector_items i JOIN vec_${collection} v ON v.item_id = i.item_id
        WHERE i.collection = ?${sql}
        ORDER BY distance, i.id LIMIT ?`);
      rows = stmt.all(blob, collection, ...params, k) as typeof rows;
    }
    return rows.map((r) => ({ id: r.id, score: r.distance === null ? 0 : 1 - r.distance, payload: JSON.parse(r.payload) as Record<string, unknown> }));
  }

  async count(collection: Collection, filter?: VectorFilter): Promise<number> {
    checkCollection(collection);
    const fields = checkFilter(filter);
    this.statements(collection);
    const { sql, params } = this.itemWhere(fields);
    return (this.prepared(`SELECT count(*) AS n FROM vector_items WHERE collection = ?${sql}`).get(collection, ...params) as { n: number }).n;
  }

  async close(): Promise<void> {
    // The database belongs to the caller.
  }

  private statements(collection: Collection): CollectionStatements {
    this.ensureSync(collection);
    return this.ready.get(collection)!;
  }

  /** A WHERE tail over vector_items: indexed columns for project_id and path, json_extract for the rest (names checked). */
  private itemWhere(fields: [string, FilterValue][], alias = ''): { sql: string; params: unknown[] } {
    let sql = '';
    const params: unknown[] = [];
    for (const [f, v] of fields) {
      if (f === 'project_id' || f === 'path') {
        sql += ` AND ${alias}${f} = ?`;
        params.push(bindValue(v));
      } else {
        sql += ` AND json_extract(${alias}payload, ?) = ?`;
        params.push(`$."${f}"`, bindValue(v));
      }
    }
    return { sql, params };
  }

  /** Statements whose text depends only on which filter fields are present (never on values) are made once. */
  private prepared(sql: string): Database.Statement {
    let s = this.dynamic.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.dynamic.set(sql, s);
    }
    return s;
  }
}
