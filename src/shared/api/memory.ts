// The personal-memory part of the contract: profile, facts, learned patterns, recall and reasoning patterns.
import { z } from 'zod';
import { method } from './define';

export const MemoryEntry = z.object({
  key: z.string(),
  value: z.string(),
  kind: z.enum(['fact', 'profile']),
  category: z.string(),
  confidence: z.number(),
  source: z.string(),
  scope: z.enum(['global', 'project']),
  previous_value: z.string().nullable(),
  times_referenced: z.number(),
  updated_at: z.string(),
});
export type MemoryEntry = z.infer<typeof MemoryEntry>;

export const MemoryProfile = z.object({
  preferences: z.record(z.string(), z.string()),
  coding_style: z.record(z.string(), z.string()),
  tech_stack: z.record(z.string(), z.string()),
  communication_style: z.record(z.string(), z.string()),
  identity: z.record(z.string(), z.string()),
});
export type MemoryProfile = z.infer<typeof MemoryProfile>;

export const LearnedPattern = z.object({
  id: z.number(),
  pattern: z.string(),
  applies_when: z.string(),
  category: z.string(),
  confidence: z.number(),
  confirmations: z.number(),
  contradictions: z.number(),
  status: z.enum(['active', 'retired']),
  source: z.string(),
  scope: z.enum(['global', 'project']),
  last_seen_at: z.string(),
});

export const ReasoningStepInfo = z.object({ description: z.string(), tool: z.string().nullable().optional(), args: z.record(z.string(), z.unknown()).nullable().optional() });

export const ReasoningPatternInfo = z.object({
  id: z.number(),
  name: z.string(),
  trigger: z.string(),
  solution_template: z.string(),
  contexts: z.array(z.string()),
  status: z.enum(['active', 'deprecated']),
  deprecated_reason: z.string().nullable(),
  uses: z.number(),
  successes: z.number(),
  failures: z.number(),
  success_rate: z.number().nullable(),
  steps: z.array(ReasoningStepInfo),
  scope: z.enum(['global', 'project']),
  source: z.string(),
  score: z.number().optional(),
  plan: z.string().optional(),
});

export const memoryMethods = {
  'memory/list': method(
    z.object({ kind: z.enum(['all', 'facts', 'profile', 'patterns']).optional(), query: z.string().max(1000).optional() }).optional(),
    z.object({ results: z.array(MemoryEntry), profile: MemoryProfile, patterns: z.array(LearnedPattern) }),
  ),
  'memory/set': method(
    z.object({ key: z.string().min(1).max(200), value: z.string().min(1).max(4000), scope: z.enum(['global', 'project']).optional() }),
    z.object({ kind: z.enum(['fact', 'profile']), key: z.string(), value: z.string(), action: z.enum(['added', 'updated', 'confirmed']), previous_value: z.string().nullable(), confidence: z.number(), scope: z.enum(['global', 'project']) }),
  ),
  'memory/forget': method(z.object({ key: z.string().min(1).max(200) }), z.object({ key: z.string(), forgotten: z.number() })),
  'memory/profile': method(z.object({}).optional(), MemoryProfile),
  'memory/patterns': method(z.object({ include_retired: z.boolean().optional() }).optional(), z.object({ results: z.array(LearnedPattern) })),
  'memory/patternFeedback': method(z.object({ id: z.number().int().positive(), confirmed: z.boolean() }), LearnedPattern),
  'memory/recall': method(
    z.object({ query: z.string().min(1).max(4000), k: z.number().int().min(1).max(100).optional() }),
    z.object({ results: z.array(z.object({ kind: z.string(), key: z.string(), text: z.string(), score: z.number(), reasons: z.array(z.string()) })), took_ms: z.number() }),
  ),
  'memory/reasoning': method(
    z.object({ query: z.string().max(4000).optional(), include_deprecated: z.boolean().optional(), k: z.number().int().min(1).max(100).optional() }).optional(),
    z.object({ results: z.array(ReasoningPatternInfo), took_ms: z.number() }),
  ),
  'memory/reasoningFeedback': method(
    z
      .object({ pattern_id: z.number().int().positive().optional(), usage_id: z.number().int().positive().optional(), success: z.boolean(), note: z.string().max(2000).optional() })
      .refine((v) => v.pattern_id !== undefined || v.usage_id !== undefined, 'give pattern_id or usage_id'),
    ReasoningPatternInfo,
  ),
  'memory/recordRecipe': method(
    z.object({
      task: z.string().min(1).max(4000),
      steps: z.array(ReasoningStepInfo).min(1).max(50),
      name: z.string().max(200).optional(),
      solution_template: z.string().max(8000).optional(),
      contexts: z.array(z.string().max(200)).max(50).optional(),
      operation_id: z.string().max(200).optional(),
      scope: z.enum(['global', 'project']).optional(),
    }),
    z.object({ pattern: ReasoningPatternInfo, action: z.enum(['added', 'reinforced']) }),
  ),
};

export const memoryEvents = {};
