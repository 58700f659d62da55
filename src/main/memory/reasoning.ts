// Reasoning patterns: recipes that worked (trigger, steps, solution template, contexts), matched to new tasks, replayed as a plan, and judged by their outcomes.
import { MiraError } from '../../shared/errors';
import type { Db } from '../db/open';
import { coverage, jaccard, similarity, termSet } from './lexical';

/**
 * Words every task shares that say nothing about what the task is: the file it is in (paths, file names) and generic
 * code nouns. Two tasks on the same file ("add a JSDoc to x in lib/utils.js", "make y in lib/utils.js use includes")
 * are not the same task.
 */
const GENERIC = new Set(['file', 'code', 'function', 'method', 'line', 'lib', 'src', 'instead', 'project', 'change']);
const PATHISH = /[\w.@~-]*[/\\][\w.@~/\\-]*|\b[\w-]+\.(?:[cm]?[jt]sx?|py|rs|go|rb|java|kt|cs|cpp|cc|c|h|hpp|json|ya?ml|toml|md|css|scss|html|sql|sh)\b/gi;

/** The terms of a task that say what it is about: its words without paths, file names and generic code nouns. */
export function contentTerms(text: string): Set<string> {
  const out = new Set<string>();
  for (const t of termSet(text.replace(PATHISH, ' '))) if (!GENERIC.has(t)) out.add(t);
  return out;
}

/** A pattern is only offered for a task whose own content terms it mostly covers (at least this share, and at least one). */
export const MIN_CONTENT_COVERAGE = 0.5;

export interface ReasoningStep {
  description: string;
  tool?: string | null;
  args?: Record<string, unknown> | null;
}

export interface RecipeInput {
  task: string;
  steps: ReasoningStep[];
  name?: string;
  solutionTemplate?: string;
  contexts?: string[];
  projectId?: number | null;
  operationId?: string;
  source?: string;
}

export interface ReasoningPattern {
  id: number;
  project_id: number | null;
  name: string;
  trigger: string;
  solution_template: string;
  contexts: string[];
  source: string;
  operation_id: string | null;
  status: 'active' | 'deprecated';
  deprecated_reason: string | null;
  uses: number;
  successes: number;
  failures: number;
  success_rate: number | null;
  steps: ReasoningStep[];
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
}

export interface PatternMatch {
  pattern: ReasoningPattern;
  score: number;
  similarity: number;
}

export type Outcome = 'success' | 'failure';

interface PatternRow {
  id: number;
  project_id: number | null;
  name: string;
  trigger: string;
  solution_template: string;
  contexts_json: string;
  source: string;
  operation_id: string | null;
  status: 'active' | 'deprecated';
  deprecated_reason: string | null;
  uses: number;
  successes: number;
  failures: number;
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
}

/** A pattern is deprecated once at least this many of its last DEPRECATE_WINDOW judged uses failed. */
const DEPRECATE_FAILURES = 3;
const DEPRECATE_WINDOW = 5;
/** Two tasks this alike with the same tool sequence are one recipe, reinforced instead of stored twice. */
const SAME_RECIPE = 0.6;

export type PatternVectorScorer = (task: string, texts: string[]) => Promise<number[]>;

export class ReasoningPatterns {
  private readonly q;
  private vector: PatternVectorScorer | null = null;

  constructor(private readonly db: Db, private readonly now: () => Date = () => new Date()) {
    this.q = {
      insert: db.prepare(`INSERT INTO reasoning_patterns (project_id, name, trigger, solution_template, contexts_json, source, operation_id, successes, uses, created_at, updated_at)
        VALUES (@project_id, @name, @trigger, @solution_template, @contexts_json, @source, @operation_id, 1, 0, @now, @now)`),
      step: db.prepare(`INSERT INTO reasoning_steps (pattern_id, ord, description, tool, args_json) VALUES (?, ?, ?, ?, ?)`),
      get: db.prepare(`SELECT * FROM reasoning_patterns WHERE id = ?`),
      steps: db.prepare(`SELECT description, tool, args_json FROM reasoning_steps WHERE pattern_id = ? ORDER BY ord`),
      list: db.prepare(`SELECT * FROM reasoning_patterns WHERE (? IS NULL OR project_id IS NULL OR project_id = ?) AND (status = 'active' OR ?) ORDER BY successes DESC, updated_at DESC`),
      reinforce: db.prepare(`UPDATE reasoning_patterns SET successes = successes + 1, updated_at = @now, contexts_json = @contexts_json,
        solution_template = CASE WHEN solution_template = '' THEN @solution_template ELSE solution_template END WHERE id = @id`),
      use: db.prepare(`INSERT INTO pattern_usage (pattern_id, project_id, conversation_id, operation_id, task, score, used_at, used_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      bumpUse: db.prepare(`UPDATE reasoning_patterns SET uses = uses + 1, last_used_at = ? WHERE id = ?`),
      usage: db.prepare(`SELECT * FROM pattern_usage WHERE id = ?`),
      setOutcome: db.prepare(`UPDATE pattern_usage SET outcome = ?, outcome_source = ?, note = ?, outcome_at = ? WHERE id = ? AND outcome = 'pending'`),
      count: db.prepare(`UPDATE reasoning_patterns SET successes = successes + ?, failures = failures + ?, updated_at = ? WHERE id = ?`),
      recentOutcomes: db.prepare(`SELECT outcome FROM pattern_usage WHERE pattern_id = ? AND outcome IN ('success', 'failure') ORDER BY id DESC LIMIT ?`),
      deprecate: db.prepare(`UPDATE reasoning_patterns SET status = 'deprecated', deprecated_reason = ?, updated_at = ? WHERE id = ?`),
      setStatus: db.prepare(`UPDATE reasoning_patterns SET status = ?, deprecated_reason = NULL, updated_at = ? WHERE id = ?`),
      pending: db.prepare(`SELECT id, conversation_id FROM pattern_usage WHERE outcome = 'pending' AND ifnull(project_id, 0) = ifnull(?, 0) AND used_at_ms >= ? ORDER BY id`),
      remove: db.prepare(`DELETE FROM reasoning_patterns WHERE id = ?`),
    };
  }

  setVectorScorer(fn: PatternVectorScorer | null): void {
    this.vector = fn;
  }

  /** Stores a recipe that just worked; the same recipe seen again is reinforced rather than duplicated. */
  recordRecipe(input: RecipeInput): { pattern: ReasoningPattern; action: 'added' | 'reinforced' } {
    const task = input.task.trim();
    if (!task) throw new MiraError('bad_request', 'a reasoning pattern needs the task it solved');
    const steps = input.steps.filter((s) => s.description?.trim());
    if (!steps.length) throw new MiraError('bad_request', 'a reasoning pattern needs at least one step');
    const projectId = input.projectId ?? null;
    const now = this.now().toISOString();
    return this.db.transaction(() => {
      const want = termSet(task);
      const tools = steps.map((s) => s.tool ?? '').join('>');
      for (const row of this.q.list.all(projectId, projectId, 0) as PatternRow[]) {
        if ((row.project_id ?? null) !== projectId) continue;
        const same = jaccard(want, termSet(row.trigger)) >= SAME_RECIPE && this.stepsOf(row.id).map((s) => s.tool ?? '').join('>') === tools;
        if (!same) continue;
        const contexts = [...new Set([...(JSON.parse(row.contexts_json) as string[]), ...(input.contexts ?? [])])];
        this.q.reinforce.run({ id: row.id, now, contexts_json: JSON.stringify(contexts), solution_template: input.solutionTemplate ?? '' });
        return { pattern: this.get(row.id)!, action: 'reinforced' as const };
      }
      const r = this.q.insert.run({
        project_id: projectId,
        name: (input.name ?? task).replace(/\s+/g, ' ').slice(0, 120),
        trigger: task,
        solution_template: input.solutionTemplate ?? '',
        contexts_json: JSON.stringify(input.contexts ?? []),
        source: input.source ?? 'operation',
        operation_id: input.operationId ?? null,
        now,
      });
      const id = Number(r.lastInsertRowid);
      steps.forEach((s, i) => this.q.step.run(id, i + 1, s.description.trim(), s.tool ?? null, s.args ? JSON.stringify(s.args) : null));
      return { pattern: this.get(id)!, action: 'added' as const };
    }).immediate();
  }

  get(id: number): ReasoningPattern | undefined {
    const row = this.q.get.get(id) as PatternRow | undefined;
    return row ? this.hydrate(row) : undefined;
  }

  list(opts: { projectId?: number | null; includeDeprecated?: boolean } = {}): ReasoningPattern[] {
    const pid = opts.projectId === undefined ? null : (opts.projectId ?? -1);
    return (this.q.list.all(pid, pid, opts.includeDeprecated ? 1 : 0) as PatternRow[]).map((r) => this.hydrate(r));
  }

  /**
   * Patterns whose trigger resembles the task, best first. Similarity is lexical (and vector when a scorer is set),
   * weighted by the pattern's record so a recipe that keeps working outranks one that merely sounds alike.
   */
  async match(task: string, opts: { projectId?: number | null; k?: number; minScore?: number; requireOverlap?: boolean } = {}): Promise<PatternMatch[]> {
    const projectId = opts.projectId ?? null;
    const patterns = this.list({ projectId: undefined }).filter((p) => p.status === 'active');
    if (!patterns.length) return [];
    const docs = patterns.map((p) => `${p.name}\n${p.trigger}\n${p.contexts.join(' ')}`);
    let sims = similarity(task, docs);
    if (this.vector) {
      try {
        const v = await this.vector(task, docs);
        sims = sims.map((s, i) => Math.max(s, v[i] ?? 0));
      } catch {
        /* lexical alone still works */
      }
    }
    const out: PatternMatch[] = [];
    const want = contentTerms(task);
    patterns.forEach((p, i) => {
      const sim = sims[i]!;
      if (sim <= 0) return;
      // Shared boilerplate (the same file, "make", "use") is not a reason to replay a recipe: the task's own terms must
      // be mostly covered by the pattern's (a search listing may ask for loose matches with requireOverlap false).
      if (opts.requireOverlap !== false) {
        const have = contentTerms(`${p.name}\n${p.trigger}`);
        if (!want.size || coverage(want, have) < MIN_CONTENT_COVERAGE) return;
      }
      const record = (p.successes + 1) / (p.successes + p.failures + 2);
      const place = p.project_id === null ? 0.95 : p.project_id === projectId ? 1 : 0.8;
      const score = sim * (0.7 + 0.3 * record) * place;
      if (score >= (opts.minScore ?? 0.3)) out.push({ pattern: p, score: Math.round(score * 1000) / 1000, similarity: Math.round(sim * 1000) / 1000 });
    });
    return out.sort((a, b) => b.score - a.score).slice(0, opts.k ?? 3);
  }

  /** The pattern as a plan a prompt can carry. */
  plan(m: PatternMatch | ReasoningPattern): string {
    const p = 'pattern' in m ? m.pattern : m;
    const rate = p.success_rate === null ? 'not yet judged' : `${Math.round(p.success_rate * 100)}% success over ${p.successes + p.failures}`;
    const lines = [`Plan from a recipe that worked before ("${p.name}"; ${rate}):`];
    p.steps.forEach((s, i) => lines.push(`${i + 1}. ${s.description}${s.tool ? ` [tool: ${s.tool}]` : ''}`));
    if (p.solution_template) lines.push(`Solution shape: ${p.solution_template}`);
    if (p.contexts.length) lines.push(`Worked in: ${p.contexts.join(', ')}`);
    return lines.join('\n');
  }

  recordUse(patternId: number, u: { task: string; score?: number; projectId?: number | null; conversationId?: number | null; operationId?: string | null }): number {
    const now = this.now();
    return this.db.transaction(() => {
      const r = this.q.use.run(patternId, u.projectId ?? null, u.conversationId ?? null, u.operationId ?? null, u.task.slice(0, 2000), u.score ?? 0, now.toISOString(), now.getTime());
      this.q.bumpUse.run(now.toISOString(), patternId);
      return Number(r.lastInsertRowid);
    }).immediate();
  }

  /** Judges one use (user feedback, or the next build or test run); a pattern that keeps failing is deprecated. */
  recordOutcome(usageId: number, outcome: Outcome, source: string, note?: string): ReasoningPattern | undefined {
    return this.db.transaction(() => {
      const use = this.q.usage.get(usageId) as { pattern_id: number; outcome: string } | undefined;
      if (!use) throw new MiraError('not_found', `pattern use ${usageId} does not exist`);
      const changed = this.q.setOutcome.run(outcome, source, note ?? null, this.now().toISOString(), usageId).changes;
      if (changed) {
        this.q.count.run(outcome === 'success' ? 1 : 0, outcome === 'failure' ? 1 : 0, this.now().toISOString(), use.pattern_id);
        this.checkDeprecation(use.pattern_id);
      }
      return this.get(use.pattern_id);
    }).immediate();
  }

  /** Feedback about a pattern as a whole (no particular use): recorded as a judged use. */
  feedback(patternId: number, outcome: Outcome, source = 'user', note?: string): ReasoningPattern | undefined {
    const p = this.get(patternId);
    if (!p) throw new MiraError('not_found', `reasoning pattern ${patternId} does not exist`);
    const use = this.recordUse(patternId, { task: p.trigger, projectId: p.project_id });
    return this.recordOutcome(use, outcome, source, note);
  }

  /** The outcome of a build or test run judges the uses still pending in this project from the last `withinMs`. */
  recordRunOutcome(projectId: number | null, success: boolean, source: 'build' | 'test' = 'build', withinMs = 2 * 3600_000): number {
    const since = this.now().getTime() - withinMs;
    const pending = this.q.pending.all(projectId, since) as { id: number; conversation_id: number | null }[];
    // Only verified outcomes count as successes: a passing build after a chat answer that mentioned a recipe does not
    // show the recipe was followed, let alone that it worked (the UX audit's "75% success over 4" counted two such
    // runs). A failing one still counts against it, as before; operation uses are judged either way.
    const judged = pending.filter((p) => !(success && p.conversation_id !== null));
    for (const p of judged) this.recordOutcome(p.id, success ? 'success' : 'failure', source);
    return judged.length;
  }

  setStatus(id: number, status: 'active' | 'deprecated', reason?: string): ReasoningPattern | undefined {
    if (status === 'deprecated') this.q.deprecate.run(reason ?? 'deprecated by the user', this.now().toISOString(), id);
    else this.q.setStatus.run('active', this.now().toISOString(), id);
    return this.get(id);
  }

  remove(id: number): boolean {
    return this.q.remove.run(id).changes > 0;
  }

  private checkDeprecation(id: number): void {
    const recent = (this.q.recentOutcomes.all(id, DEPRECATE_WINDOW) as { outcome: string }[]).map((r) => r.outcome);
    const failed = recent.filter((o) => o === 'failure').length;
    if (failed >= DEPRECATE_FAILURES && failed / recent.length > 0.5) {
      this.q.deprecate.run(`failed ${failed} of its last ${recent.length} uses`, this.now().toISOString(), id);
    }
  }

  private stepsOf(id: number): ReasoningStep[] {
    return (this.q.steps.all(id) as { description: string; tool: string | null; args_json: string | null }[]).map((s) => ({
      description: s.description,
      tool: s.tool,
      args: s.args_json ? (JSON.parse(s.args_json) as Record<string, unknown>) : null,
    }));
  }

  private hydrate(r: PatternRow): ReasoningPattern {
    const judged = r.successes + r.failures;
    return {
      id: r.id,
      project_id: r.project_id,
      name: r.name,
      trigger: r.trigger,
      solution_template: r.solution_template,
      contexts: JSON.parse(r.contexts_json) as string[],
      source: r.source,
      operation_id: r.operation_id,
      status: r.status,
      deprecated_reason: r.deprecated_reason,
      uses: r.uses,
      successes: r.successes,
      failures: r.failures,
      success_rate: judged ? r.successes / judged : null,
      steps: this.stepsOf(r.id),
      created_at: r.created_at,
      updated_at: r.updated_at,
      last_used_at: r.last_used_at,
    };
  }
}
