// The documents tables: one row per document, its chunks (full text indexed by triggers into document_fts).
import type { Db } from '../db/open';
import type { DocChunk } from './chunk';
import type { DocKind } from './extract';

export interface DocumentRow {
  id: number;
  project_id: number;
  path: string;
  title: string;
  kind: DocKind;
  hash: string;
  bytes: number;
  chunks: number;
  vectors: number;
  created_at: string;
  updated_at: string;
}

export interface ChunkRow {
  id: number;
  document_id: number;
  ord: number;
  heading: string;
  text: string;
  tokens: number;
}

export interface FtsHit {
  chunk_id: number;
  rank: number;
  snippet: string;
}

export class DocsStore {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = {
      byPath: db.prepare('SELECT * FROM documents WHERE project_id = ? AND path = ?'),
      byId: db.prepare('SELECT * FROM documents WHERE id = ?'),
      list: db.prepare('SELECT * FROM documents WHERE project_id = ? ORDER BY path'),
      insert: db.prepare(`INSERT INTO documents (project_id, path, title, kind, hash, bytes, chunks) VALUES (@project_id, @path, @title, @kind, @hash, @bytes, @chunks)`),
      update: db.prepare(`UPDATE documents SET title = @title, kind = @kind, hash = @hash, bytes = @bytes, chunks = @chunks, vectors = 0,
        updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = @id`),
      setVectors: db.prepare('UPDATE documents SET vectors = ? WHERE id = ?'),
      deleteChunks: db.prepare('DELETE FROM document_chunks WHERE document_id = ?'),
      insertChunk: db.prepare('INSERT INTO document_chunks (document_id, project_id, ord, heading, text, tokens) VALUES (?, ?, ?, ?, ?, ?)'),
      chunks: db.prepare('SELECT id, document_id, ord, heading, text, tokens FROM document_chunks WHERE document_id = ? ORDER BY ord'),
      chunk: db.prepare(`SELECT c.id, c.document_id, c.ord, c.heading, c.text, c.tokens FROM document_chunks c WHERE c.id = ? AND c.project_id = ?`),
      remove: db.prepare('DELETE FROM documents WHERE id = ? AND project_id = ?'),
      fts: db.prepare(`SELECT c.id AS chunk_id, bm25(document_fts, 2.0, 1.0) AS rank, snippet(document_fts, 1, '', '', '…', 32) AS snippet
        FROM document_fts JOIN document_chunks c ON c.id = document_fts.rowid
        WHERE document_fts MATCH ? AND c.project_id = ? ORDER BY rank LIMIT ?`),
    };
  }

  byPath(projectId: number, path: string): DocumentRow | undefined {
    return this.q.byPath.get(projectId, path) as DocumentRow | undefined;
  }

  byId(id: number): DocumentRow | undefined {
    return this.q.byId.get(id) as DocumentRow | undefined;
  }

  list(projectId: number): DocumentRow[] {
    return this.q.list.all(projectId) as DocumentRow[];
  }

  /** Inserts or replaces a document and its chunks in one transaction; returns the row and the new chunk ids in order. */
  save(projectId: number, doc: { path: string; title: string; kind: DocKind; hash: string; bytes: number }, chunks: DocChunk[]): { row: DocumentRow; chunkIds: number[] } {
    return this.db.transaction(() => {
      const existing = this.byPath(projectId, doc.path);
      let id: number;
      if (existing) {
        id = existing.id;
        this.q.deleteChunks.run(id);
        this.q.update.run({ id, title: doc.title, kind: doc.kind, hash: doc.hash, bytes: doc.bytes, chunks: chunks.length });
      } else {
        id = Number(this.q.insert.run({ project_id: projectId, ...doc, chunks: chunks.length }).lastInsertRowid);
      }
      const chunkIds = chunks.map((c, i) => Number(this.q.insertChunk.run(id, projectId, i, c.heading, c.text, c.tokens).lastInsertRowid));
      return { row: this.byId(id)!, chunkIds };
    }).immediate();
  }

  setVectors(id: number, ok: boolean): void {
    this.q.setVectors.run(ok ? 1 : 0, id);
  }

  chunks(documentId: number): ChunkRow[] {
    return this.q.chunks.all(documentId) as ChunkRow[];
  }

  chunk(projectId: number, chunkId: number): ChunkRow | undefined {
    return this.q.chunk.get(chunkId, projectId) as ChunkRow | undefined;
  }

  remove(projectId: number, id: number): boolean {
    return this.db.transaction(() => {
      this.q.deleteChunks.run(id);
      return this.q.remove.run(id, projectId).changes > 0;
    }).immediate();
  }

  /** Full-text hits, best first; `match` must be an FTS5 expression built from quoted terms (never raw user text). */
  fts(projectId: number, match: string, k: number): FtsHit[] {
    return this.q.fts.all(match, projectId, k) as FtsHit[];
  }
}
