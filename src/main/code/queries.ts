// Read side of the code index: symbols, callers, callees, impact (cycle-safe), concepts, patterns, symbol at a line.
import type { Db } from '../db/open';
import { MiraError } from '../../shared/errors';
import { LEXICON } from './concept-lexicon';

export interface SymbolRow {
  id: number;
  name: string;
  qualified_name: string;
  kind: string;
  path: string;
  start_line: number;
  end_line: number;
  parent: string | null;
  signature: string | null;
  visibility: string | null;
  language: string;
}

export interface EdgeResult {
  name: string;
  path: string | null;
  line: number;
  confidence: number;
  resolution: string;
  /** callers: the definition line of the calling symbol; callees: the line of the call. */
  symbol_line?: number;
  call_line?: number;
}

export interface ImpactResult {
  name: string;
  path: string;
  line: number;
  depth: number;
  via: string;
}

const SYMBOL_COLS = `e.id, e.name, e.qualified_name, e.kind, e.path, e.start_line, e.end_line, p.qualified_name AS parent, e.signature, e.visibility, e.language`;
const SYMBOL_FROM = `code_elements e LEFT JOIN code_elements p ON p.id = e.parent_id`;

/** `path:name` (the path has a folder or an extension; `a::b` is a Rust path, not a file). */
export function splitSymbolArg(arg: string): { path: string | null; name: string } {
  const m = /^(.*?(?:\/|\.[A-Za-z0-9]+)):(?!:)(.+)$/.exec(arg.trim());
  if (m && !m[1]!.endsWith(':')) return { path: m[1]!.replace(/^\.\//, ''), name: m[2]! };
  return { path: null, name: arg.trim() };
}

export class CodeQueries {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      byName: db.prepare(`SELECT ${SYMBOL_COLS} FROM ${SYMBOL_FROM} WHERE e.project_id = ? AND e.name = ? COLLATE NOCASE`),
      byFile: db.prepare(`SELECT ${SYMBOL_COLS} FROM ${SYMBOL_FROM} WHERE e.project_id = ? AND e.path = ? ORDER BY e.start_line, e.id`),
      all: db.prepare(`SELECT ${SYMBOL_COLS} FROM ${SYMBOL_FROM} WHERE e.project_id = ? ORDER BY e.path, e.start_line, e.id LIMIT ?`),
      filtered: db.prepare(
        `SELECT ${SYMBOL_COLS} FROM ${SYMBOL_FROM} WHERE e.project_id = @p AND (@kind IS NULL OR e.kind = @kind)
           AND (@q IS NULL OR e.name LIKE @q ESCAPE '\\') ORDER BY e.path, e.start_line, e.id LIMIT @limit`,
      ),
      callers: db.prepare(
        `SELECT g.caller_id, c.qualified_name AS caller, c.start_line AS caller_line, f.path, g.line, g.confidence, g.resolution
         FROM call_graph g JOIN files f ON f.id = g.file_id LEFT JOIN code_elements c ON c.id = g.caller_id
         WHERE g.callee_id = ? AND g.confidence >= ? ORDER BY f.path, g.line`,
      ),
      callees: db.prepare(
        `SELECT g.callee_id, e.qualified_name AS callee, g.callee_name, e.path, e.start_line, g.line, g.confidence, g.resolution
         FROM call_graph g LEFT JOIN code_elements e ON e.id = g.callee_id
         WHERE g.caller_id = ? AND (g.confidence >= ? OR (? = 1 AND g.callee_id IS NULL)) ORDER BY g.line, g.confidence DESC`,
      ),
      at: db.prepare(`SELECT ${SYMBOL_COLS} FROM ${SYMBOL_FROM} WHERE e.project_id = ? AND e.path = ? AND e.start_line <= ? AND e.end_line >= ? ORDER BY (e.end_line - e.start_line), e.id DESC LIMIT 1`),
      conceptSizes: db.prepare(`SELECT concept, count(*) AS symbols, count(DISTINCT file_id) AS files, round(avg(score), 2) AS avg_score FROM concept_index WHERE project_id = ? GROUP BY concept ORDER BY symbols DESC`),
      conceptMembers: db.prepare(
        `SELECT e.id, e.qualified_name AS name, e.kind, e.path, e.start_line AS line, ci.score, c.confidence, c.purpose, c.concepts, e.is_test
         FROM concept_index ci JOIN code_elements e ON e.id = ci.symbol_id LEFT JOIN code_concepts c ON c.symbol_id = e.id
         WHERE ci.project_id = ? AND ci.concept = ? ORDER BY e.is_test, ci.score DESC, e.path LIMIT ?`,
      ),
      patterns: db.prepare(
        `SELECT d.id, d.pattern, d.confidence, d.evidence, a.qualified_name AS anchor, a.path AS anchor_path FROM design_patterns d JOIN code_elements a ON a.id = d.anchor_id
         WHERE d.project_id = ? AND (@pattern IS NULL OR lower(d.pattern) = lower(@pattern)) ORDER BY d.confidence DESC, d.pattern, a.path`,
      ),
      patternMembers: db.prepare(
        `SELECT e.qualified_name AS name, e.path, e.start_line AS line, m.role FROM design_pattern_members m JOIN code_elements e ON e.id = m.symbol_id
         WHERE m.pattern_id = ? ORDER BY m.role = 'anchor' DESC, e.path, e.start_line`,
      ),
    };
  }

  /** The symbols a SYMBOL argument names: `name`, `Class.method`, or `path:name`. */
  find(projectId: number, arg: string): SymbolRow[] {
    const { path, name } = splitSymbolArg(arg);
    const segs = name.split(/\.|::/).filter(Boolean);
    const last = segs[segs.length - 1] ?? name;
    let rows = (this.s.byName.all(projectId, last) as SymbolRow[]).filter((r) => r.name === last || r.name.toLowerCase() === last.toLowerCase());
    if (segs.length > 1) {
      const q = segs.join('.');
      rows = rows.filter((r) => r.qualified_name === q || r.qualified_name.endsWith(`.${q}`));
    }
    if (path) rows = rows.filter((r) => r.path === path || r.path.endsWith(`/${path}`));
    // An exact-case match wins over case-insensitive ones.
    const exact = rows.filter((r) => r.name === last);
    return exact.length ? exact : rows;
  }

  findOrThrow(projectId: number, arg: string): SymbolRow[] {
    const rows = this.find(projectId, arg);
    if (!rows.length) throw new MiraError('not_found', `no symbol named ${arg}`, 'check the name with `mira symbols`, or give it as path:name');
    return rows;
  }

  symbols(projectId: number, opts: { file?: string; kind?: string; query?: string; limit?: number }): SymbolRow[] {
    if (opts.file) {
      const file = opts.file.replace(/^\.\//, '');
      const rows = this.s.byFile.all(projectId, file) as SymbolRow[];
      return opts.kind ? rows.filter((r) => r.kind === opts.kind) : rows;
    }
    const limit = opts.limit ?? 10000;
    if (opts.kind || opts.query) {
      const q = opts.query ? `%${opts.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
      return this.s.filtered.all({ p: projectId, kind: opts.kind ?? null, q, limit }) as SymbolRow[];
    }
    return this.s.all.all(projectId, limit) as SymbolRow[];
  }

  callers(projectId: number, arg: string, minConfidence = 0.3): { symbols: SymbolRow[]; results: EdgeResult[] } {
    const symbols = this.findOrThrow(projectId, arg);
    const out: EdgeResult[] = [];
    const seen = new Set<string>();
    for (const s of symbols) {
      for (const r of this.s.callers.all(s.id, minConfidence) as { caller: string | null; caller_line: number | null; path: string; line: number; confidence: number; resolution: string }[]) {
        const key = `${r.path}:${r.line}:${r.caller}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ name: r.caller ?? '<module>', path: r.path, line: r.line, confidence: r.confidence, resolution: r.resolution, ...(r.caller_line ? { symbol_line: r.caller_line } : {}) });
      }
    }
    return { symbols, results: out };
  }

  callees(projectId: number, arg: string, minConfidence = 0.3, includeUnresolved = false): { symbols: SymbolRow[]; results: EdgeResult[] } {
    const symbols = this.findOrThrow(projectId, arg);
    const out: EdgeResult[] = [];
    const seen = new Set<string>();
    for (const s of symbols) {
      const rows = this.s.callees.all(s.id, minConfidence, includeUnresolved ? 1 : 0) as { callee_id: number | null; callee: string | null; callee_name: string; path: string | null; start_line: number | null; line: number; confidence: number; resolution: string }[];
      for (const r of rows) {
        const key = r.callee_id !== null ? `id:${r.callee_id}` : `name:${r.callee_name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ name: r.callee ?? r.callee_name, path: r.path, line: r.start_line ?? r.line, call_line: r.line, confidence: r.confidence, resolution: r.resolution });
      }
    }
    return { symbols, results: out };
  }

  /** Everything that transitively calls the symbol, breadth-first up to `depth`; each caller once (cycles stop). */
  impact(projectId: number, arg: string, depth = 3, minConfidence = 0.3, limit = 2000): { symbols: SymbolRow[]; results: ImpactResult[] } {
    const symbols = this.findOrThrow(projectId, arg);
    const visited = new Set<number>(symbols.map((s) => s.id));
    const moduleSeen = new Set<string>();
    const out: ImpactResult[] = [];
    let frontier = symbols.map((s) => ({ id: s.id, name: s.qualified_name }));
    for (let d = 1; d <= depth && frontier.length && out.length < limit; d++) {
      const next: { id: number; name: string }[] = [];
      for (const f of frontier) {
        for (const r of this.s.callers.all(f.id, minConfidence) as { caller_id: number | null; caller: string | null; caller_line: number | null; path: string; line: number }[]) {
          if (r.caller_id === null) {
            // Module-level code calls it: reported once per file, with nothing further up.
            const key = `${r.path}`;
            if (moduleSeen.has(key)) continue;
            moduleSeen.add(key);
            out.push({ name: '<module>', path: r.path, line: r.line, depth: d, via: f.name });
            continue;
          }
          if (visited.has(r.caller_id)) continue;
          visited.add(r.caller_id);
          out.push({ name: r.caller ?? '?', path: r.path, line: r.caller_line ?? r.line, depth: d, via: f.name });
          next.push({ id: r.caller_id, name: r.caller ?? '?' });
          if (out.length >= limit) break;
        }
      }
      frontier = next;
    }
    return { symbols, results: out };
  }

  symbolAt(projectId: number, path: string, line: number): SymbolRow | null {
    return (this.s.at.get(projectId, path.replace(/^\.\//, ''), line, line) as SymbolRow | undefined) ?? null;
  }

  conceptSizes(projectId: number): { concept: string; domain: string | null; symbols: number; files: number; avg_score: number }[] {
    return (this.s.conceptSizes.all(projectId) as { concept: string; symbols: number; files: number; avg_score: number }[]).map((r) => ({ ...r, domain: LEXICON[r.concept]?.domain ?? null }));
  }

  conceptMembers(projectId: number, concept: string, limit = 50): { name: string; kind: string; path: string; line: number; score: number; confidence: number; purpose: string | null; concepts: string[] }[] {
    const rows = this.s.conceptMembers.all(projectId, concept.toLowerCase(), limit) as { name: string; kind: string; path: string; line: number; score: number; confidence: number | null; purpose: string | null; concepts: string | null }[];
    return rows.map((r) => ({
      name: r.name,
      kind: r.kind,
      path: r.path,
      line: r.line,
      score: r.score,
      confidence: r.confidence ?? 0,
      purpose: r.purpose,
      concepts: r.concepts ? (JSON.parse(r.concepts) as { concept: string }[]).map((c) => c.concept) : [],
    }));
  }

  patterns(projectId: number, pattern?: string): { pattern: string; confidence: number; symbols: { name: string; path: string; line: number; role: string }[]; evidence: string[] }[] {
    const rows = this.s.patterns.all(projectId, { pattern: pattern ?? null }) as { id: number; pattern: string; confidence: number; evidence: string }[];
    return rows.map((r) => ({
      pattern: r.pattern,
      confidence: r.confidence,
      symbols: this.s.patternMembers.all(r.id) as { name: string; path: string; line: number; role: string }[],
      evidence: JSON.parse(r.evidence) as string[],
    }));
  }
}
