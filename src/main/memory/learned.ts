// Learned patterns: behaviours observed in the user ("runs the tests after each edit"), when they apply, and a confidence that grows with confirmations and decays with contradictions.
import type { Db } from '../db/open';
import { scrub } from '../log';
import { jaccard, termSet, tokens } from './lexical';

export interface LearnedPatternRow {
  id: number;
  project_id: number | null;
  norm: string;
  pattern: string;
  applies_when: string;
  category: string;
  confidence: number;
  confirmations: number;
  contradictions: number;
  status: 'active' | 'retired';
  source: string;
  created_at: string;
  last_seen_at: string;
}

export interface ObserveInput {
  pattern: string;
  appliesWhen?: string;
  category?: string;
  projectId?: number | null;
  source?: string;
  /** Starting confidence of a new pattern: a stated habit is surer than one inferred from a single action. */
  confidence?: number;
}

export interface PatternChange {
  id: number;
  confidence: number;
  status: 'active' | 'retired';
  action: 'added' | 'confirmed' | 'contradicted';
}

/** Below this a pattern is retired: kept for the record, no longer recalled. */
export const RETIRE_BELOW = 0.15;
/** Wordings this similar (Jaccard over stemmed terms) are one pattern. */
const SAME_PATTERN = 0.75;

export function normalizePattern(text: string): string {
  return [...new Set(tokens(text))].sort().join(' ') || text.trim().toLowerCase();
}

/** Each confirmation closes a quarter of the gap to certainty. */
export function confirmConfidence(c: number): number {
  return Math.min(0.99, c + (1 - c) * 0.25);
}

/** Each contradiction takes away 40%: two in a row undo several confirmations, so stale habits fade fast. */
export function contradictConfidence(c: number): number {
  return c * 0.6;
}

export class LearnedPatterns {
  private readonly q;

  constructor(private readonly db: Db, private readonly now: () => Date = () => new Date()) {
    this.q = {
      byNorm: db.prepare(`SELECT * FROM learned_patterns WHERE ifnull(project_id, 0) = ifnull(?, 0) AND norm = ?`),
      scope: db.prepare(`SELECT * FROM learned_patterns WHERE ifnull(project_id, 0) = ifnull(?, 0)`),
      byId: db.prepare(`SELECT * FROM learned_patterns WHERE id = ?`),
      insert: db.prepare(`INSERT INTO learned_patterns (project_id, norm, pattern, applies_when, category, confidence, source, created_at, last_seen_at)
        VALUES (@project_id, @norm, @pattern, @applies_when, @category, @confidence, @source, @now, @now)`),
      update: db.prepare(`UPDATE learned_patterns SET confidence = @confidence, confirmations = confirmations + @conf, contradictions = contradictions + @contra,
        status = @status, last_seen_at = @now, applies_when = CASE WHEN @applies_when != '' THEN @applies_when ELSE applies_when END WHERE id = @id`),
      list: db.prepare(`SELECT * FROM learned_patterns WHERE (project_id IS NULL OR project_id = ?) AND (status = 'active' OR ?) ORDER BY confidence DESC, last_seen_at DESC`),
      remove: db.prepare(`DELETE FROM learned_patterns WHERE id = ?`),
    };
  }

  /** Records an observation: a pattern seen before (same or near-same wording) is confirmed, a new one is added. */
  observe(input: ObserveInput): PatternChange {
    const projectId = input.projectId ?? null;
    const norm = normalizePattern(input.pattern);
    return this.db.transaction((): PatternChange => {
      const existing = (this.q.byNorm.get(projectId, norm) as LearnedPatternRow | undefined) ?? this.similar(projectId, input.pattern);
      if (existing) return this.adjust(existing, +1, input.appliesWhen ?? '');
      const confidence = input.confidence ?? 0.5;
      const r = this.q.insert.run({
        project_id: projectId,
        norm,
        pattern: scrub(input.pattern).trim(),
        applies_when: scrub(input.appliesWhen ?? '').trim(),
        category: input.category ?? 'behaviour',
        confidence,
        source: input.source ?? 'observed',
        now: this.now().toISOString(),
      });
      return { id: Number(r.lastInsertRowid), confidence, status: 'active', action: 'added' };
    }).immediate();
  }

  confirm(id: number): PatternChange | null {
    const row = this.q.byId.get(id) as LearnedPatternRow | undefined;
    return row ? this.adjust(row, +1, '') : null;
  }

  contradict(id: number): PatternChange | null {
    const row = this.q.byId.get(id) as LearnedPatternRow | undefined;
    return row ? this.adjust(row, -1, '') : null;
  }

  /** Contradicts the pattern closest to a description (e.g. "the user did NOT run the tests"), if one is close enough. */
  contradictMatching(pattern: string, projectId: number | null = null): PatternChange | null {
    const row = (this.q.byNorm.get(projectId, normalizePattern(pattern)) as LearnedPatternRow | undefined) ?? this.similar(projectId, pattern);
    return row ? this.adjust(row, -1, '') : null;
  }

  get(id: number): LearnedPatternRow | undefined {
    return this.q.byId.get(id) as LearnedPatternRow | undefined;
  }

  list(opts: { projectId?: number | null; includeRetired?: boolean } = {}): LearnedPatternRow[] {
    return this.q.list.all(opts.projectId ?? -1, opts.includeRetired ? 1 : 0) as LearnedPatternRow[];
  }

  remove(id: number): boolean {
    return this.q.remove.run(id).changes > 0;
  }

  private similar(projectId: number | null, pattern: string): LearnedPatternRow | undefined {
    const want = termSet(pattern);
    let best: LearnedPatternRow | undefined;
    let bestSim = SAME_PATTERN;
    for (const row of this.q.scope.all(projectId) as LearnedPatternRow[]) {
      const s = jaccard(want, termSet(row.pattern));
      if (s >= bestSim) {
        best = row;
        bestSim = s;
      }
    }
    return best;
  }

  private adjust(row: LearnedPatternRow, direction: 1 | -1, appliesWhen: string): PatternChange {
    const confidence = direction > 0 ? confirmConfidence(row.confidence) : contradictConfidence(row.confidence);
    // A retired pattern comes back once it is confirmed above the line again.
    const status = confidence < RETIRE_BELOW ? 'retired' : 'active';
    this.q.update.run({ id: row.id, confidence, conf: direction > 0 ? 1 : 0, contra: direction < 0 ? 1 : 0, status, now: this.now().toISOString(), applies_when: appliesWhen.trim() });
    return { id: row.id, confidence, status, action: direction > 0 ? 'confirmed' : 'contradicted' };
  }
}
