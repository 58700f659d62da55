// Applies a ConceptEnricher (an LLM) to symbols still tagged only by heuristics, caching every answer by content hash.
import type { Db } from '../db/open';
import type { ConceptEnricher, EnrichInput, SemanticNode } from './concepts';

const BATCH = 50;
/** Only symbols worth a model call: named definitions of some size, not tests, not fields. */
const KINDS = "('function', 'method', 'class', 'struct', 'trait', 'interface', 'enum', 'module')";

export async function enrichConcepts(
  db: Db,
  projectId: number,
  enricher: ConceptEnricher,
  fileIds: number[] | null,
  log: (msg: string, extra?: Record<string, unknown>) => void,
): Promise<number> {
  const rows = db
    .prepare(
      `SELECT e.id, e.content_hash AS hash, e.name, e.kind, e.path, e.signature, e.doc, e.file_id,
              c.purpose, c.concepts, c.domains, c.confidence
       FROM code_concepts c JOIN code_elements e ON e.id = c.symbol_id
       WHERE c.project_id = ? AND c.source = 'heuristic' AND e.is_test = 0 AND e.kind IN ${KINDS}`,
    )
    .all(projectId) as (EnrichInput & { id: number; file_id: number; purpose: string | null; concepts: string; domains: string; confidence: number })[];
  const wanted = fileIds ? new Set(fileIds) : null;
  const todo = rows.filter((r) => !wanted || wanted.has(r.file_id));
  if (!todo.length) return 0;
  const getCache = db.prepare('SELECT result FROM concept_cache WHERE content_hash = ? AND enricher = ?').pluck();
  const putCache = db.prepare('INSERT OR REPLACE INTO concept_cache (content_hash, enricher, result) VALUES (?, ?, ?)');
  const update = db.prepare('UPDATE code_concepts SET purpose = ?, concepts = ?, domains = ?, confidence = ?, source = ? WHERE symbol_id = ?');
  const clearIndex = db.prepare('DELETE FROM concept_index WHERE symbol_id = ?');
  const addIndex = db.prepare('INSERT OR REPLACE INTO concept_index (project_id, concept, symbol_id, file_id, score) VALUES (?, ?, ?, ?, ?)');
  const apply = (r: (typeof todo)[number], node: SemanticNode) => {
    update.run(node.purpose, JSON.stringify(node.concepts), JSON.stringify(node.domains), node.confidence, enricher.name, r.id);
    clearIndex.run(r.id);
    for (const c of node.concepts) addIndex.run(projectId, c.concept, r.id, r.file_id, c.score);
  };
  let applied = 0;
  const misses: typeof todo = [];
  db.transaction(() => {
    for (const r of todo) {
      const cached = getCache.get(r.hash, enricher.name) as string | undefined;
      if (cached) {
        apply(r, JSON.parse(cached) as SemanticNode);
        applied++;
      } else misses.push(r);
    }
  })();
  for (let i = 0; i < misses.length; i += BATCH) {
    const batch = misses.slice(i, i + BATCH);
    let answers: Map<string, SemanticNode>;
    try {
      answers = await enricher.enrich(
        batch.map((r) => ({
          hash: r.hash,
          name: r.name,
          kind: r.kind,
          path: r.path,
          signature: r.signature,
          doc: r.doc,
          heuristic: { purpose: r.purpose, concepts: JSON.parse(r.concepts), domains: JSON.parse(r.domains), confidence: r.confidence },
        })),
      );
    } catch (e) {
      // Enrichment is a bonus: a failing model leaves the heuristic nodes in place.
      log('concept enrichment failed', { error: (e as Error).message });
      break;
    }
    db.transaction(() => {
      for (const r of batch) {
        const node = answers.get(r.hash);
        if (!node) continue;
        putCache.run(r.hash, enricher.name, JSON.stringify(node));
        apply(r, node);
        applied++;
      }
    })();
  }
  return applied;
}
