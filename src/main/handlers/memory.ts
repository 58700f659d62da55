// Handlers for personal memory's methods: profile and facts, learned patterns, recall, and reasoning patterns.
import type { z } from 'zod';
import type { Mira } from '../app';
import type { CallContext } from '../transport/router';
import { memoryMethods } from '../../shared/api/memory';
import { MiraError } from '../../shared/errors';
import { memoryFor, type FactRow, type LearnedPatternRow, type ProfileRow, type ReasoningPattern } from '../memory';

type Spec = typeof memoryMethods;
export type MemoryHandlers = {
  [M in keyof Spec]: (params: z.output<Spec[M]['params']>, ctx: CallContext) => Promise<z.output<Spec[M]['result']>> | z.output<Spec[M]['result']>;
};

function projectId(mira: Mira): number | null {
  return mira.hasProject() ? mira.project().id : null;
}

export function memoryHandlers(mira: Mira): MemoryHandlers {
  const mem = () => memoryFor(mira.db);
  // The next build or test run judges the reasoning patterns used since (their plans were followed, then verified).
  mira.events.subscribe((event, data) => {
    if (event !== 'build/finished') return;
    const d = data as { status?: string; exit_code?: number | null };
    if (d.exit_code === null || d.exit_code === undefined || d.status === 'cancelled') return;
    try {
      mem().reasoning.recordRunOutcome(projectId(mira), d.exit_code === 0, 'build');
    } catch (e) {
      mira.log.warn({ error: (e as Error).message }, 'recording a build outcome on reasoning patterns failed');
    }
  });
  return {
    'memory/list': (p) => {
      const m = mem();
      const kind = p?.kind ?? 'all';
      const pid = projectId(mira);
      let results = [
        ...(kind === 'all' || kind === 'profile' ? m.facts.profileRows().map(profileEntry) : []),
        ...(kind === 'all' || kind === 'facts' ? m.facts.facts(pid).map(factEntry) : []),
      ];
      const q = p?.query?.trim().toLowerCase();
      if (q) results = results.filter((r) => r.key.includes(q) || r.value.toLowerCase().includes(q));
      const patterns = kind === 'all' || kind === 'patterns' ? m.learned.list({ projectId: pid }).map(patternInfo) : [];
      return { results, profile: m.facts.profile(), patterns };
    },
    'memory/set': ({ key, value, scope }) => {
      const pid = projectId(mira);
      // Team facts (project.*, stack.*) belong to the open project unless said otherwise.
      const wantProject = scope === 'project' || (scope === undefined && /^(project|stack)\./i.test(key.trim()));
      if (scope === 'project' && pid === null) throw new MiraError('bad_request', 'no project is open for a project-scoped fact', 'open a project (--project PATH) or use scope global');
      return mem().facts.set(key, { value, projectId: wantProject ? pid : null, source: 'user', confidence: 0.95 });
    },
    'memory/forget': ({ key }) => ({ key, forgotten: mem().facts.forget(key, projectId(mira)) }),
    'memory/profile': () => mem().facts.profile(),
    'memory/patterns': (p) => ({ results: mem().learned.list({ projectId: projectId(mira), includeRetired: p?.include_retired }).map(patternInfo) }),
    'memory/patternFeedback': ({ id, confirmed }) => {
      const m = mem();
      const change = confirmed ? m.learned.confirm(id) : m.learned.contradict(id);
      if (!change) throw new MiraError('not_found', `learned pattern ${id} does not exist`, 'list them with memory/patterns');
      return patternInfo(m.learned.get(id)!);
    },
    'memory/recall': async ({ query, k }) => {
      const started = performance.now();
      const results = await mem().recall.recall(query, { projectId: projectId(mira), k });
      return { results: results.map(({ kind, key, text, score, reasons }) => ({ kind, key, text, score, reasons })), took_ms: Math.round(performance.now() - started) };
    },
    'memory/reasoning': async (p) => {
      const started = performance.now();
      const m = mem();
      const pid = projectId(mira);
      if (p?.query?.trim()) {
        const matches = await m.reasoning.match(p.query, { projectId: pid, k: p.k ?? 10, minScore: 0.05, requireOverlap: false });
        return { results: matches.map((x) => ({ ...reasoningInfo(x.pattern), score: x.score, plan: m.reasoning.plan(x) })), took_ms: Math.round(performance.now() - started) };
      }
      const list = m.reasoning.list({ projectId: pid, includeDeprecated: p?.include_deprecated }).slice(0, p?.k ?? 100);
      return { results: list.map(reasoningInfo), took_ms: Math.round(performance.now() - started) };
    },
    'memory/reasoningFeedback': ({ pattern_id, usage_id, success, note }) => {
      const m = mem();
      const out = usage_id !== undefined ? m.reasoning.recordOutcome(usage_id, success ? 'success' : 'failure', 'user', note) : m.reasoning.feedback(pattern_id!, success ? 'success' : 'failure', 'user', note);
      if (!out) throw new MiraError('not_found', 'that reasoning pattern does not exist');
      return reasoningInfo(out);
    },
    'memory/recordRecipe': (p) => {
      const pid = projectId(mira);
      const r = mem().reasoning.recordRecipe({
        task: p.task,
        steps: p.steps.map((s) => ({ description: s.description, tool: s.tool ?? null, args: s.args ?? null })),
        name: p.name,
        solutionTemplate: p.solution_template,
        contexts: p.contexts,
        operationId: p.operation_id,
        projectId: p.scope === 'global' ? null : pid,
        source: p.operation_id ? 'operation' : 'user',
      });
      return { pattern: reasoningInfo(r.pattern), action: r.action };
    },
  };
}

function profileEntry(r: ProfileRow) {
  return {
    key: `${r.category}.${r.key}`,
    value: r.value,
    kind: 'profile' as const,
    category: r.category,
    confidence: r.confidence,
    source: r.source,
    scope: 'global' as const,
    previous_value: r.previous_value,
    times_referenced: r.times_referenced,
    updated_at: r.updated_at,
  };
}

function factEntry(f: FactRow) {
  return {
    key: f.key,
    value: f.value,
    kind: 'fact' as const,
    category: f.category,
    confidence: f.confidence,
    source: f.source,
    scope: f.project_id === null ? ('global' as const) : ('project' as const),
    previous_value: f.previous_value,
    times_referenced: f.times_referenced,
    updated_at: f.updated_at,
  };
}

function patternInfo(p: LearnedPatternRow) {
  return {
    id: p.id,
    pattern: p.pattern,
    applies_when: p.applies_when,
    category: p.category,
    confidence: Math.round(p.confidence * 1000) / 1000,
    confirmations: p.confirmations,
    contradictions: p.contradictions,
    status: p.status,
    source: p.source,
    scope: p.project_id === null ? ('global' as const) : ('project' as const),
    last_seen_at: p.last_seen_at,
  };
}

function reasoningInfo(p: ReasoningPattern) {
  return {
    id: p.id,
    name: p.name,
    trigger: p.trigger,
    solution_template: p.solution_template,
    contexts: p.contexts,
    status: p.status,
    deprecated_reason: p.deprecated_reason,
    uses: p.uses,
    successes: p.successes,
    failures: p.failures,
    success_rate: p.success_rate,
    steps: p.steps,
    scope: p.project_id === null ? ('global' as const) : ('project' as const),
    source: p.source,
  };
}
