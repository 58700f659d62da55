// Semantic edges: links between symbols that share a concept (or a domain), a few per symbol, nearest code first.
import path from 'node:path';
import type { Db } from '../db/open';
import { LEXICON } from './concept-lexicon';

interface Row {
  symbol_id: number;
  file_id: number;
  path: string;
  concept: string;
  score: number;
}

const SHARED_PER_SYMBOL = 3;
const DOMAIN_PER_SYMBOL = 2;

/** Recomputes the edges leaving the symbols of `fileIds` (or of the whole project when `fileIds` is null). */
export function updateSemanticEdges(db: Db, projectId: number, fileIds: number[] | null): number {
  if (fileIds && !fileIds.length) return 0;
  // A few changed files: indexed lookups around them beat loading every tagged symbol of the project.
  if (fileIds && fileIds.length <= 50) return updateAround(db, projectId, fileIds);
  const rows = db
    .prepare(
      `SELECT ci.symbol_id, ci.file_id, e.path, ci.concept, ci.score FROM concept_index ci JOIN code_elements e ON e.id = ci.symbol_id
       WHERE ci.project_id = ? AND e.is_test = 0`,
    )
    .all(projectId) as Row[];
  const byConcept = new Map<string, Row[]>();
  const bySymbol = new Map<number, Row[]>();
  for (const r of rows) {
    (byConcept.get(r.concept) ?? byConcept.set(r.concept, []).get(r.concept)!).push(r);
    (bySymbol.get(r.symbol_id) ?? bySymbol.set(r.symbol_id, []).get(r.symbol_id)!).push(r);
  }
  for (const list of byConcept.values()) list.sort((a, b) => b.score - a.score);
  const byDomain = new Map<string, Row[]>();
  for (const [concept, list] of byConcept) {
    const d = LEXICON[concept]?.domain;
    if (!d) continue;
    const dl = byDomain.get(d) ?? [];
    for (const r of list) dl.push(r); // not push(...list): a concept can have more rows than a call takes arguments
    byDomain.set(d, dl);
  }
  for (const list of byDomain.values()) list.sort((a, b) => b.score - a.score);

  const wanted = fileIds ? new Set(fileIds) : null;
  const insert = db.prepare('INSERT OR REPLACE INTO semantic_edges (project_id, from_id, to_id, kind, label, weight) VALUES (?, ?, ?, ?, ?, ?)');
  const clearFile = db.prepare('DELETE FROM semantic_edges WHERE from_id IN (SELECT id FROM code_elements WHERE file_id = ?)');
  let n = 0;
  db.transaction(() => {
    if (wanted) for (const f of wanted) clearFile.run(f);
    else db.prepare('DELETE FROM semantic_edges WHERE project_id = ?').run(projectId);
    for (const [symbolId, mine] of bySymbol) {
      const first = mine[0]!;
      if (wanted && !wanted.has(first.file_id)) continue;
      const dir = path.posix.dirname(first.path);
      const taken = new Set<number>([symbolId]);
      const primary = [...mine].sort((a, b) => b.score - a.score)[0]!;
      for (const o of nearest(byConcept.get(primary.concept) ?? [], first, dir, taken, SHARED_PER_SYMBOL)) {
        insert.run(projectId, symbolId, o.symbol_id, 'shared_concept', primary.concept, weight(primary.score, o.score));
        taken.add(o.symbol_id);
        n++;
      }
      const domain = LEXICON[primary.concept]?.domain;
      if (!domain) continue;
      const domainRows = byDomain.get(domain) ?? [];
      const g = groupCache.get(domainRows) ?? groupRows(domainRows);
      const sameDomain = [...(g.byFile.get(first.file_id) ?? []), ...(g.byDir.get(dir) ?? []).slice(0, 200)].filter((o) => o.concept !== primary.concept);
      for (const o of sameDomain.filter((o, i) => sameDomain.indexOf(o) === i && !taken.has(o.symbol_id)).slice(0, DOMAIN_PER_SYMBOL)) {
        insert.run(projectId, symbolId, o.symbol_id, 'same_domain', domain, weight(primary.score, o.score) / 2);
        taken.add(o.symbol_id);
        n++;
      }
    }
  })();
  return n;
}

/** Up to `k` candidates: same file first, then same folder, then the strongest anywhere. */
function nearest(list: Row[], me: Row, dir: string, taken: Set<number>, k: number): Row[] {
  const out: Row[] = [];
  const groups = groupCache.get(list) ?? groupRows(list);
  const pick = (cands: Row[] | undefined, limit: number) => {
    if (!cands) return;
    let seen = 0;
    for (const r of cands) {
      if (out.length >= k || seen++ > limit) return;
      if (!taken.has(r.symbol_id) && !out.includes(r)) out.push(r);
    }
  };
  pick(groups.byFile.get(me.file_id), 200);
  pick(groups.byDir.get(dir), 200);
  pick(list, 50);
  return out;
}

const groupCache = new WeakMap<Row[], { byFile: Map<number, Row[]>; byDir: Map<string, Row[]> }>();

function groupRows(list: Row[]): { byFile: Map<number, Row[]>; byDir: Map<string, Row[]> } {
  const byFile = new Map<number, Row[]>();
  const byDir = new Map<string, Row[]>();
  for (const r of list) {
    (byFile.get(r.file_id) ?? byFile.set(r.file_id, []).get(r.file_id)!).push(r);
    const d = path.posix.dirname(r.path);
    (byDir.get(d) ?? byDir.set(d, []).get(d)!).push(r);
  }
  const g = { byFile, byDir };
  groupCache.set(list, g);
  return g;
}

function weight(a: number, b: number): number {
  return Math.round(Math.min(1, Math.sqrt(a * b) / 8) * 100) / 100;
}

/** The incremental path: candidates from the same file, the same folder and the concept's strongest symbols. */
function updateAround(db: Db, projectId: number, fileIds: number[]): number {
  const cols = 'ci.symbol_id, ci.file_id, e.path, ci.concept, ci.score';
  const ofFile = db.prepare(`SELECT ${cols} FROM concept_index ci JOIN code_elements e ON e.id = ci.symbol_id WHERE ci.file_id = ? AND e.is_test = 0`);
  const inDir = db.prepare(
    `SELECT ${cols} FROM code_elements e JOIN concept_index ci ON ci.symbol_id = e.id
     WHERE e.project_id = ? AND e.path >= ? AND e.path < ? AND e.is_test = 0 AND ci.concept = ? ORDER BY ci.score DESC LIMIT 20`,
  );
  const top = db.prepare(`SELECT ${cols} FROM concept_index ci JOIN code_elements e ON e.id = ci.symbol_id WHERE ci.project_id = ? AND ci.concept = ? AND e.is_test = 0 ORDER BY ci.score DESC LIMIT 12`);
  const clearFile = db.prepare('DELETE FROM semantic_edges WHERE from_id IN (SELECT id FROM code_elements WHERE file_id = ?)');
  const insert = db.prepare('INSERT OR REPLACE INTO semantic_edges (project_id, from_id, to_id, kind, label, weight) VALUES (?, ?, ?, ?, ?, ?)');
  let n = 0;
  db.transaction(() => {
    for (const fileId of fileIds) {
      clearFile.run(fileId);
      const rows = ofFile.all(fileId) as Row[];
      const bySymbol = new Map<number, Row[]>();
      for (const r of rows) (bySymbol.get(r.symbol_id) ?? bySymbol.set(r.symbol_id, []).get(r.symbol_id)!).push(r);
      for (const [symbolId, mine] of bySymbol) {
        const primary = [...mine].sort((a, b) => b.score - a.score)[0]!;
        const dir = path.posix.dirname(primary.path);
        const prefix = dir === '.' ? '' : `${dir}/`;
        const taken = new Set<number>([symbolId]);
        const pool = [
          ...rows.filter((r) => r.concept === primary.concept),
          ...(inDir.all(projectId, prefix, `${prefix}\uffff`, primary.concept) as Row[]).filter((r) => path.posix.dirname(r.path) === dir),
          ...(top.all(projectId, primary.concept) as Row[]),
        ];
        let shared = 0;
        for (const o of pool) {
          if (shared >= SHARED_PER_SYMBOL) break;
          if (taken.has(o.symbol_id)) continue;
          taken.add(o.symbol_id);
          insert.run(projectId, symbolId, o.symbol_id, 'shared_concept', primary.concept, weight(primary.score, o.score));
          shared++;
          n++;
        }
        const domain = LEXICON[primary.concept]?.domain;
        if (!domain) continue;
        let same = 0;
        for (const o of rows) {
          if (same >= DOMAIN_PER_SYMBOL) break;
          if (taken.has(o.symbol_id) || o.concept === primary.concept || LEXICON[o.concept]?.domain !== domain) continue;
          taken.add(o.symbol_id);
          insert.run(projectId, symbolId, o.symbol_id, 'same_domain', domain, weight(primary.score, o.score) / 2);
          same++;
          n++;
        }
      }
    }
  })();
  return n;
}
