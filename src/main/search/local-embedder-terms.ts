// Per-project term statistics for the offline embedder: chunk frequencies (query idf) and co-occurrence (query expansion).
//
// Every project names its concepts its own way: one says "tenant" where another says "workspace" or "org". What the
// built-in lexicon cannot know, the project's own code shows: terms that keep appearing in the same chunks are related.
// We record each chunk's distinct terms while indexing (cheap, in the file's transaction), and a project stage learns
// normalised PMI over them. Only queries use the result, so learning never invalidates stored vectors.
import type { Db } from '../db/open';
import type { QueryVocabulary } from './local-embedder';

export interface ChunkTerms {
  key: string;
  terms: string[];
}

export interface LearnOptions {
  /** Related terms kept per term. */
  perTerm?: number;
  /** Minimum normalised PMI for two terms to count as related. */
  minNpmi?: number;
  /** Chunk terms considered per chunk (the rarest first): bounds the pair count at n^2/2 per chunk. */
  termsPerChunk?: number;
  /** Chunks used for pair counting at most (an even sample of them beyond that); frequencies always use all. */
  maxChunks?: number;
  /** Vocabulary size bound for pair counting. */
  maxVocabulary?: number;
}

export interface LearnResult {
  chunks: number;
  terms: number;
  related_terms: number;
  took_ms: number;
}

interface VocabRow {
  df: number;
  related: [string, number][];
}

/**
 * Terms in more than this share of chunks are left out of pair counting. NPMI already scores such terms low (they
 * co-occur with everything); the cap bounds the work, since the commonest terms make most of the pairs.
 */
const MAX_DF_SHARE = 0.2;
/**
 * How far the idf may tilt a query term's weight: from 1 (rare) down to 1 - IDF_TILT (in every chunk). Only a tilt:
 * document vectors carry no idf, and a full idf on queries alone measured worse than none on the evaluation sets
 * (common project words like `schema` or `route` are often exactly what a task is about).
 */
const IDF_TILT = 0.5;

export class TermStats implements QueryVocabulary {
  private readonly stmts;
  /** Per project: chunk count at learning time and looked-up rows; dropped when that project learns again. */
  private readonly cache = new Map<number, { chunks: number; learnedAt: string | null; rows: Map<string, VocabRow | null> }>();

  constructor(private readonly db: Db) {
    this.stmts = {
      deleteFile: db.prepare('DELETE FROM vector_terms WHERE project_id = ? AND path = ?'),
      insert: db.prepare('INSERT OR REPLACE INTO vector_terms (project_id, path, key, terms) VALUES (?, ?, ?, ?)'),
      countFile: db.prepare('SELECT count(*) AS n FROM vector_terms WHERE project_id = ? AND path = ?'),
      bump: db.prepare(`INSERT INTO vector_vocabulary_state (project_id, changes) VALUES (?, ?)
        ON CONFLICT (project_id) DO UPDATE SET changes = changes + excluded.changes`),
      state: db.prepare('SELECT chunks, changes, learned_at FROM vector_vocabulary_state WHERE project_id = ?'),
      count: db.prepare('SELECT count(*) AS n FROM vector_terms WHERE project_id = ?'),
      all: db.prepare('SELECT terms FROM vector_terms WHERE project_id = ?'),
      clearVocab: db.prepare('DELETE FROM vector_vocabulary WHERE project_id = ?'),
      insertVocab: db.prepare('INSERT INTO vector_vocabulary (project_id, term, df, related) VALUES (?, ?, ?, ?)'),
      learned: db.prepare(`INSERT INTO vector_vocabulary_state (project_id, chunks, changes, learned_at) VALUES (?, ?, 0, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
        ON CONFLICT (project_id) DO UPDATE SET chunks = excluded.chunks, changes = 0, learned_at = excluded.learned_at`),
      lookup: db.prepare('SELECT df, related FROM vector_vocabulary WHERE project_id = ? AND term = ?'),
    };
  }

  /** Replaces the recorded terms of one file's chunks. Synchronous: call it inside the file's index transaction. */
  replaceFile(projectId: number, path: string, chunks: ChunkTerms[]): void {
    const before = (this.stmts.countFile.get(projectId, path) as { n: number }).n;
    this.stmts.deleteFile.run(projectId, path);
    for (const c of chunks) this.stmts.insert.run(projectId, path, c.key, c.terms.join(' '));
    this.stmts.bump.run(projectId, Math.max(before, chunks.length));
  }

  removeFiles(projectId: number, paths: string[]): void {
    let removed = 0;
    for (const p of paths) removed += this.stmts.deleteFile.run(projectId, p).changes;
    if (removed) this.stmts.bump.run(projectId, removed);
  }

  /** True when the vocabulary was never learned, or enough chunks changed since (2%, at least 20) to learn again. */
  needsLearning(projectId: number): boolean {
    const s = this.stmts.state.get(projectId) as { chunks: number; changes: number; learned_at: string | null } | undefined;
    if (!s) return false;
    if (!s.learned_at) return s.changes > 0;
    return s.changes >= Math.max(20, Math.ceil(s.chunks * 0.02));
  }

  /**
   * Learns chunk frequencies and related terms (normalised PMI over chunk co-occurrence) for one project.
   * Cost is bounded: at most `termsPerChunk`^2/2 pairs per chunk, over at most `maxChunks` chunks and a bounded vocabulary.
   */
  learn(projectId: number, opts: LearnOptions = {}): LearnResult {
    const started = performance.now();
    const perTerm = opts.perTerm ?? 8;
    const minNpmi = opts.minNpmi ?? 0.3;
    const termsPerChunk = opts.termsPerChunk ?? 32;
    const maxChunks = opts.maxChunks ?? 20_000;
    const maxVocabulary = opts.maxVocabulary ?? 30_000;

    const chunks: string[][] = [];
    const df = new Map<string, number>();
    for (const row of this.stmts.all.iterate(projectId) as IterableIterator<{ terms: string }>) {
      const terms = row.terms ? row.terms.split(' ') : [];
      chunks.push(terms);
      for (const t of terms) df.set(t, (df.get(t) ?? 0) + 1);
    }
    const n = chunks.length;
    const maxDf = Math.max(5, Math.floor(n * MAX_DF_SHARE));
    const minCo = n < 500 ? 2 : 3;

    // Candidates for relations: seen at least twice, not everywhere; the most frequent ones if there are too many.
    const candidates = [...df.entries()].filter(([, d]) => d >= minCo && d <= maxDf);
    candidates.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    candidates.length = Math.min(candidates.length, maxVocabulary);
    const idOf = new Map<string, number>();
    const names: string[] = [];
    const dfs: number[] = [];
    for (const [t, d] of candidates) {
      idOf.set(t, names.length);
      names.push(t);
      dfs.push(d);
    }
    const v = names.length;

    const pairs = new Map<number, number>();
    const ids: number[] = [];
    // An even, deterministic sample when there are many chunks: relations between terms frequent enough to matter survive it.
    const sampled = Math.min(chunks.length, maxChunks);
    const scale = chunks.length / Math.max(1, sampled);
    for (let s = 0; s < sampled; s++) {
      const terms = chunks[Math.floor(s * scale)]!;
      ids.length = 0;
      for (const t of terms) {
        const id = idOf.get(t);
        if (id !== undefined) ids.push(id);
      }
      if (ids.length < 2) continue;
      if (ids.length > termsPerChunk) {
        // The rarest terms say the most about the chunk; ties by id keep it deterministic.
        ids.sort((a, b) => dfs[a]! - dfs[b]! || a - b);
        ids.length = termsPerChunk;
      }
      ids.sort((a, b) => a - b);
      for (let i = 0; i < ids.length; i++) {
        const base = ids[i]! * v;
        for (let j = i + 1; j < ids.length; j++) {
          const key = base + ids[j]!;
          pairs.set(key, (pairs.get(key) ?? 0) + 1);
        }
      }
    }

    const related = new Map<number, [number, number][]>();
    for (const [key, c] of pairs) {
      if (c < minCo) continue;
      const a = Math.floor(key / v);
      const b = key - a * v;
      const co = c * scale; // estimated co-occurrences over all chunks
      const pmi = Math.log((co * n) / (dfs[a]! * dfs[b]!));
      const denom = -Math.log(co / n);
      if (pmi <= 0 || denom <= 0) continue;
      const npmi = pmi / denom;
      if (npmi < minNpmi) continue;
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const) {
        let list = related.get(x);
        if (!list) related.set(x, (list = []));
        list.push([y, npmi]);
      }
    }

    let relatedTerms = 0;
    this.db.transaction(() => {
      this.stmts.clearVocab.run(projectId);
      for (const [term, d] of df) {
        const id = idOf.get(term);
        let rel: [string, number][] = [];
        const list = id !== undefined ? related.get(id) : undefined;
        if (list) {
          list.sort((p, q) => q[1] - p[1] || p[0] - q[0]);
          rel = list.slice(0, perTerm).map(([y, s]) => [names[y]!, Math.round(s * 1000) / 1000]);
          relatedTerms++;
        }
        // Terms seen once and related to nothing carry no information beyond "rare", which is the default for unknown terms.
        if (d < 2 && !rel.length) continue;
        this.stmts.insertVocab.run(projectId, term, d, JSON.stringify(rel));
      }
      this.stmts.learned.run(projectId, n);
    })();
    this.cache.delete(projectId);
    return { chunks: n, terms: df.size, related_terms: relatedTerms, took_ms: Math.round(performance.now() - started) };
  }

  weight(projectId: number, term: string): number {
    const entry = this.project(projectId);
    if (entry.chunks < 2) return 1;
    const df = this.row(projectId, term)?.df ?? 1;
    const n = entry.chunks;
    const idf = Math.min(1, Math.max(0, Math.log((n + 1) / (df + 0.5)) / Math.log(n + 1)));
    return 1 - IDF_TILT + IDF_TILT * idf;
  }

  related(projectId: number, term: string): readonly (readonly [string, number])[] {
    return this.row(projectId, term)?.related ?? [];
  }

  /** Called once per query: another process (a `mira index` beside `mira serve`) may have learned since. */
  begin(projectId: number): void {
    const s = this.stmts.state.get(projectId) as { learned_at: string | null } | undefined;
    const entry = this.cache.get(projectId);
    if (entry && entry.learnedAt !== (s?.learned_at ?? null)) this.cache.delete(projectId);
  }

  private project(projectId: number) {
    let entry = this.cache.get(projectId);
    if (!entry) {
      const s = this.stmts.state.get(projectId) as { chunks: number; learned_at: string | null } | undefined;
      entry = { chunks: s?.learned_at ? s.chunks : 0, learnedAt: s?.learned_at ?? null, rows: new Map() };
      this.cache.set(projectId, entry);
    }
    return entry;
  }

  private row(projectId: number, term: string): VocabRow | null {
    const entry = this.project(projectId);
    const hit = entry.rows.get(term);
    if (hit !== undefined) return hit;
    const r = this.stmts.lookup.get(projectId, term) as { df: number; related: string } | undefined;
    const row = r ? { df: r.df, related: JSON.parse(r.related) as [string, number][] } : null;
    if (entry.rows.size > 20_000) entry.rows.clear();
    entry.rows.set(term, row);
    return row;
  }
}
