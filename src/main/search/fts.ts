// The full-text index (SQLite FTS5): chunks of a file in and out, bulk loading for a first index, and ranked queries.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import { expandText, matchExpressions, nameText, pathText } from './fts-text';

export interface FtsChunkInput {
  start_line: number;
  end_line: number;
  symbol_id: number | null;
  /** Qualified name shown in results. */
  symbol: string | null;
  kind: string | null;
  /** Extra names to boost (the symbol's own name, its parent's). */
  names: string[];
  text: string;
  hash: string;
}

export interface FtsHit {
  chunk_id: number;
  /** bm25 (lower is better, as SQLite reports it). */
  rank: number;
}

export interface ChunkRow {
  id: number;
  file_id: number;
  path: string;
  language: string | null;
  start_line: number;
  end_line: number;
  symbol_id: number | null;
  symbol: string | null;
  kind: string | null;
}

interface PendingText {
  id: number;
  names: string;
  path: string;
  body: string;
}

/** Words in more than this share of chunks are left out of queries that have rarer words. */
const COMMON_SHARE = 0.1;

/** Column weights for bm25: a hit in a symbol's name counts most, then its path, then its body. */
const WEIGHTS = { names: 10, path: 2.5, body: 1 };

/**
 * FTS5 writes a new segment at every commit, so thousands of one-file transactions (a first index) cost far more
 * than the rows themselves. A first index therefore queues the text (`deferred`) and loads it in a few large
 * transactions (`flush`); chunk rows say `fts = 0` until then, and `repair` re-reads any left behind by a crash.
 */
export class FtsIndex {
  private readonly stmts;
  private pending: PendingText[] = [];
  private pendingChars = 0;

  constructor(private readonly db: Db) {
    this.stmts = {
      chunksOf: db.prepare('SELECT id, fts FROM code_chunks WHERE file_id = ?'),
      deleteFts: db.prepare('DELETE FROM code_fts WHERE rowid = ?'),
      deleteChunks: db.prepare('DELETE FROM code_chunks WHERE file_id = ?'),
      insertChunk: db.prepare(
        `INSERT INTO code_chunks (project_id, file_id, path, language, start_line, end_line, symbol_id, symbol, kind, content_hash, fts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertFts: db.prepare('INSERT INTO code_fts (rowid, names, path, body) VALUES (?, ?, ?, ?)'),
      markIndexed: db.prepare('UPDATE code_chunks SET fts = 1 WHERE id = ?'),
      unindexed: db.prepare(
        `SELECT c.id, c.path, c.start_line, c.end_line, c.symbol, e.name FROM code_chunks c LEFT JOIN code_elements e ON e.id = c.symbol_id
         WHERE c.project_id = ? AND c.fts = 0 ORDER BY c.path, c.start_line`,
      ),
      query: db.prepare(
        `SELECT f.rowid AS chunk_id, bm25(code_fts, ${WEIGHTS.names}, ${WEIGHTS.path}, ${WEIGHTS.body}) AS rank
         FROM code_fts f JOIN code_chunks c ON c.id = f.rowid
         WHERE code_fts MATCH @match AND c.project_id = @project
           AND (@language IS NULL OR c.language = @language)
           AND (@concept IS NULL OR c.symbol_id IN (SELECT symbol_id FROM concept_index WHERE project_id = @project AND concept = @concept))
         ORDER BY rank LIMIT @limit`,
      ),
      chunk: db.prepare('SELECT id, file_id, path, language, start_line, end_line, symbol_id, symbol, kind FROM code_chunks WHERE id = ?'),
      commonTerms: db.prepare('SELECT term FROM code_fts_vocab WHERE doc > ?').pluck(),
      chunkCount: db.prepare('SELECT count(*) FROM code_chunks').pluck(),
    };
  }

  private common: Set<string> | null = null;
  private commonAt = 0;

  /**
   * Whether a word is in more than a fifth of all chunks. The common words are read from the vocabulary in one scan
   * (a per-term lookup would scan it each time), refreshed every few minutes.
   */
  private tooCommon = (word: string): boolean => {
    const now = Date.now();
    if (!this.common || now - this.commonAt > 300_000) {
      const total = this.stmts.chunkCount.get() as number;
      this.common = new Set(total < 200 ? [] : (this.stmts.commonTerms.all(Math.floor(total * COMMON_SHARE)) as string[]));
      this.commonAt = now;
    }
    // The index stores stems (porter); the query's word is looked up as the tokenizer would store it.
    return this.common.has(word) || this.common.has(stemLikeFts(word));
  };

  /**
   * Replaces a file's chunks; call inside the file's transaction. With `deferred`, the text is queued for `flush`
   * instead of entering the index in this transaction.
   */
  replaceFile(projectId: number, fileId: number, filePath: string, language: string | null, chunks: FtsChunkInput[], opts: { deferred?: boolean } = {}): void {
    this.removeFile(fileId);
    const ptext = pathText(filePath);
    for (const c of chunks) {
      const id = Number(this.stmts.insertChunk.run(projectId, fileId, filePath, language, c.start_line, c.end_line, c.symbol_id, c.symbol, c.kind, c.hash, opts.deferred ? 0 : 1).lastInsertRowid);
      const names = nameText(c.names);
      const body = expandText(c.text);
      if (opts.deferred) {
        this.pending.push({ id, names, path: ptext, body });
        this.pendingChars += body.length + names.length + ptext.length;
      } else this.stmts.insertFts.run(id, names, ptext, body);
    }
  }

  removeFile(fileId: number): void {
    for (const c of this.stmts.chunksOf.all(fileId) as { id: number; fts: number }[]) {
      if (c.fts) this.stmts.deleteFts.run(c.id);
      else this.pending = this.pending.filter((p) => p.id !== c.id);
    }
    this.stmts.deleteChunks.run(fileId);
  }

  /** Characters of text waiting in the queue (callers flush when it grows large). */
  get queued(): number {
    return this.pendingChars;
  }

  /** Loads the queued text in one transaction (call outside any file transaction). */
  flush(): number {
    if (!this.pending.length) return 0;
    const rows = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    this.db.transaction(() => {
      for (const r of rows) {
        this.stmts.insertFts.run(r.id, r.names, r.path, r.body);
        this.stmts.markIndexed.run(r.id);
      }
    })();
    return rows.length;
  }

  /** Indexes chunks still marked `fts = 0` that no queue holds (after a crash), reading their text from disk. */
  repair(projectId: number, root: string): number {
    const rows = this.stmts.unindexed.all(projectId) as { id: number; path: string; start_line: number; end_line: number; symbol: string | null; name: string | null }[];
    if (!rows.length) return 0;
    const queuedIds = new Set(this.pending.map((p) => p.id));
    let lines: string[] | null = null;
    let current = '';
    let n = 0;
    this.db.transaction(() => {
      for (const r of rows) {
        if (queuedIds.has(r.id)) continue;
        if (r.path !== current) {
          current = r.path;
          try {
            lines = fs.readFileSync(path.join(root, r.path), 'utf8').split('\n');
          } catch {
            lines = null;
          }
        }
        const text = lines ? lines.slice(r.start_line - 1, r.end_line).join('\n') : '';
        this.stmts.insertFts.run(r.id, nameText([r.name, r.symbol]), pathText(r.path), expandText(text));
        this.stmts.markIndexed.run(r.id);
        n++;
      }
    })();
    return n;
  }

  /**
   * Chunks of the project matching a free-text query, best first. `column` restricts the match to one column (the
   * symbol-name list of hybrid search uses `names`); `language` and `concept` filter.
   */
  query(projectId: number, text: string, opts: { limit: number; column?: 'names' | 'path' | 'body'; language?: string | null; concept?: string | null }): FtsHit[] {
    const exprs = matchExpressions(text, opts.column, this.tooCommon);
    if (!exprs) return [];
    const run = (match: string, limit: number) =>
      this.stmts.query.all({ match, project: projectId, limit, language: opts.language ?? null, concept: opts.concept ?? null }) as FtsHit[];
    // Chunks with every word first (a cheap intersection); the OR query only fills up what they leave.
    const strict = exprs.all ? run(exprs.all, opts.limit) : [];
    if (strict.length >= Math.min(opts.limit, 20)) return strict;
    const seen = new Set(strict.map((h) => h.chunk_id));
    const loose = run(exprs.any, opts.limit).filter((h) => !seen.has(h.chunk_id));
    return [...strict, ...loose].slice(0, opts.limit);
  }

  chunk(id: number): ChunkRow | undefined {
    return this.stmts.chunk.get(id) as ChunkRow | undefined;
  }
}

/** Enough of the porter stemmer for frequency lookups: the common suffixes (exact stems only matter for frequent words). */
function stemLikeFts(w: string): string {
  return w
    .toLowerCase()
    .replace(/(sses|ies)$/, (m) => (m === 'sses' ? 'ss' : 'i'))
    .replace(/([^s])s$/, '$1');
}
