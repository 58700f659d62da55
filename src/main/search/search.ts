// Hybrid code search: reciprocal rank fusion of full-text hits, symbol-name hits and (when present) vector hits.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import { FtsIndex, type ChunkRow } from './fts';
import { queryTerms, splitIdentifier } from './fts-text';

/** A vector hit names its chunk by id (code_chunks.id), or by path and line. */
export interface VectorHit {
  chunk_id?: number;
  path?: string;
  line?: number;
  score: number;
}

/** What the vector engineer implements: nearest chunks for a query. One more ranked list for the fusion. */
export interface VectorSource {
  search(query: string, k: number, opts?: { language?: string; concept?: string }): Promise<VectorHit[]>;
}

export interface SearchOptions {
  k?: number;
  language?: string;
  concept?: string;
}

export interface SearchResult {
  path: string;
  line: number;
  end_line: number;
  symbol: string | null;
  kind: string | null;
  score: number;
  snippet: string;
  /** Which ranked lists found it: fts, symbol, vector. */
  sources: string[];
}

/** RRF's damping constant (the value from Cormack et al.; robust across list lengths). */
const RRF_K = 60;
const LIST_WEIGHTS = { fts: 1, symbol: 1.2, vector: 1 } as const;
type ListName = keyof typeof LIST_WEIGHTS;
const TEST_PATH = /(^|\/)(tests?|__tests__|spec|specs|testing|testdata|fixtures)\/|\.(test|spec)\.|_test\.(go|py)$|(^|\/)test_[^/]*\.py$/;
const TEST_PENALTY = 0.75;

const DEF_PRIORITY: Record<string, number> = { class: 0, struct: 0, interface: 0, trait: 0, enum: 1, type: 1, function: 0, method: 1, module: 2, namespace: 2, macro: 2, constant: 3, variable: 3, field: 4, enum_member: 5 };

/** Cosine similarity a vector-only hit needs to enter the fusion (the offline embedder's unrelated texts score ~0.1). */
const MIN_VECTOR_SIMILARITY = 0.2;

export class SearchService {
  readonly fts: FtsIndex;
  private vectors: VectorSource | null = null;
  private readonly s;

  constructor(db: Db, private readonly projectId: number, private readonly root: string) {
    this.fts = new FtsIndex(db);
    this.s = {
      exact: db.prepare(
        `SELECT e.id, e.kind, e.language, e.is_test FROM code_elements e WHERE e.project_id = ? AND e.name = ? COLLATE NOCASE
           AND (@language IS NULL OR e.language = @language) LIMIT 50`,
      ),
      chunkOfSymbol: db.prepare('SELECT id FROM code_chunks WHERE symbol_id = ? ORDER BY start_line LIMIT 1').pluck(),
      chunkAt: db.prepare('SELECT id FROM code_chunks WHERE project_id = ? AND path = ? AND start_line <= ? AND end_line >= ? ORDER BY (end_line - start_line) LIMIT 1').pluck(),
      chunkOfEnclosing: db.prepare(
        `SELECT c.id FROM code_elements e JOIN code_chunks c ON c.symbol_id = e.id WHERE e.id = (
           SELECT parent_id FROM code_elements WHERE id = ?) ORDER BY c.start_line LIMIT 1`,
      ).pluck(),
      inConcept: db.prepare('SELECT 1 FROM concept_index WHERE symbol_id = ? AND concept = ?').pluck(),
    };
  }

  /** Plugs in (or removes) the vector list. */
  setVectorSource(v: VectorSource | null): void {
    this.vectors = v;
  }

  async search(query: string, opts: SearchOptions = {}): Promise<SearchResult[]> {
    const k = Math.max(1, Math.min(opts.k ?? 10, 200));
    const depth = Math.max(50, k * 5);
    const language = opts.language ?? null;
    const concept = opts.concept?.toLowerCase() ?? null;
    const lists: { name: ListName; ids: number[] }[] = [];

    lists.push({ name: 'fts', ids: this.fts.query(this.projectId, query, { limit: depth, language, concept }).map((h) => h.chunk_id) });
    lists.push({ name: 'symbol', ids: this.symbolList(query, depth, language, concept) });
    if (this.vectors) {
      try {
        const hits = await this.vectors.search(query, depth, { language: language ?? undefined, concept: concept ?? undefined });
        const ids: number[] = [];
        for (const h of [...hits].sort((a, b) => b.score - a.score)) {
          // Nearest neighbours always exist; below this similarity they are noise, not meaning.
          if (h.score < MIN_VECTOR_SIMILARITY) break;
          const id = h.chunk_id ?? (h.path && h.line ? (this.s.chunkAt.get(this.projectId, h.path, h.line, h.line) as number | undefined) : undefined);
          if (id !== undefined && !ids.includes(id)) ids.push(id);
        }
        lists.push({ name: 'vector', ids });
      } catch {
        // Vector search is an extra list: without it the other two still answer.
      }
    }

    const fused = new Map<number, { score: number; sources: Set<string> }>();
    for (const list of lists) {
      list.ids.forEach((id, rank) => {
        const f = fused.get(id) ?? { score: 0, sources: new Set<string>() };
        f.score += LIST_WEIGHTS[list.name] / (RRF_K + rank + 1);
        f.sources.add(list.name);
        fused.set(id, f);
      });
    }
    const max = lists.reduce((a, l) => a + (l.ids.length ? LIST_WEIGHTS[l.name] : 0), 0) / (RRF_K + 1) || 1;
    // Tests mention everything they test; unless the query asks for tests, the code itself comes first.
    const wantsTests = /\b(test|tests|spec|specs|mock|fixture)\b/i.test(query);
    if (!wantsTests) {
      for (const [id, f] of fused) {
        const c = this.fts.chunk(id);
        if (c && TEST_PATH.test(c.path)) f.score *= TEST_PENALTY;
      }
    }
    const ranked = [...fused.entries()].sort((a, b) => b[1].score - a[1].score);
    const words = queryTerms(query).words;
    const out: SearchResult[] = [];
    const files = new Map<string, string[] | null>();
    for (const [id, f] of ranked) {
      if (out.length >= k) break;
      const c = this.fts.chunk(id);
      if (!c) continue;
      if (language && c.language !== language) continue;
      if (concept && (c.symbol_id === null || !this.s.inConcept.get(c.symbol_id, concept))) continue;
      out.push({
        path: c.path,
        line: c.start_line,
        end_line: c.end_line,
        symbol: c.symbol,
        kind: c.kind,
        score: Math.round((f.score / max) * 1000) / 1000,
        snippet: this.snippet(c, words, files),
        sources: [...f.sources],
      });
    }
    return out;
  }

  /**
   * Symbols whose name is the query (or one of its identifiers), best kinds first, then name-column full-text hits.
   * Each maps to the chunk holding the symbol's definition.
   */
  private symbolList(query: string, depth: number, language: string | null, concept: string | null): number[] {
    const ids: number[] = [];
    const push = (id: number | undefined) => {
      if (id !== undefined && !ids.includes(id)) ids.push(id);
    };
    const { raw } = queryTerms(query);
    // Tier 0: the whole query as one name ("parse config" → parseConfig, parse_config); tier 1: each word alone.
    const tiers = new Map<string, number>();
    const words = raw.flatMap((w) => splitIdentifier(w));
    if (raw.length === 1) tiers.set(raw[0]!, 0);
    if (words.length > 1 && words.length <= 4) {
      tiers.set(words.map((w, i) => (i ? w[0]!.toUpperCase() + w.slice(1) : w)).join(''), 0);
      tiers.set(words.join('_'), 0);
    }
    for (const w of raw) if (w.length >= 2 && !tiers.has(w)) tiers.set(w, 1);
    const exact: { id: number; kind: string; is_test: number; tier: number }[] = [];
    for (const [name, tier] of tiers) for (const e of this.s.exact.all(this.projectId, name, { language }) as { id: number; kind: string; is_test: number }[]) exact.push({ ...e, tier });
    exact.sort((a, b) => a.tier - b.tier || a.is_test - b.is_test || (DEF_PRIORITY[a.kind] ?? 6) - (DEF_PRIORITY[b.kind] ?? 6));
    for (const e of exact) {
      if (concept && !this.s.inConcept.get(e.id, concept)) continue;
      // Fields and members without a chunk of their own point at their container's chunk.
      push((this.s.chunkOfSymbol.get(e.id) as number | undefined) ?? (this.s.chunkOfEnclosing.get(e.id) as number | undefined));
    }
    for (const h of this.fts.query(this.projectId, query, { limit: depth, column: 'names', language, concept })) push(h.chunk_id);
    return ids.slice(0, depth);
  }

  /** The chunk's lines that best match the query (read from the file, so nothing is duplicated in the index). */
  private snippet(c: ChunkRow, words: string[], files: Map<string, string[] | null>): string {
    let lines = files.get(c.path);
    if (lines === undefined) {
      try {
        lines = fs.readFileSync(path.join(this.root, c.path), 'utf8').split('\n');
      } catch {
        lines = null;
      }
      files.set(c.path, lines);
    }
    if (!lines) return c.symbol ?? '';
    const from = c.start_line - 1;
    const to = Math.min(lines.length, c.end_line);
    let best = from;
    let bestHits = -1;
    for (let i = from; i < to; i++) {
      const l = lines[i]!.toLowerCase();
      let hits = 0;
      for (const w of words) if (l.includes(w)) hits++;
      if (hits > bestHits) {
        best = i;
        bestHits = hits;
      }
    }
    // The definition line leads when it matches as well as any other line.
    const start = Math.max(from, best - 1);
    const text = lines
      .slice(start, Math.min(to, start + 3))
      .map((l) => l.trimEnd())
      .join('\n')
      .replace(/^\s*\n/, '');
    return text.length > 400 ? text.slice(0, 399) + '…' : text;
  }
}
