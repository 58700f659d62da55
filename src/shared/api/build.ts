// The build capability's part of the contract: run, cancel, parse, errors and their past fixes.
import { z } from 'zod';
import { method } from './define';

export const Diagnostic = z.object({
  tool: z.string(),
  file: z.string().nullable(),
  line: z.number().nullable(),
  column: z.number().nullable(),
  severity: z.string(),
  code: z.string().nullable(),
  message: z.string(),
  notes: z.array(z.object({ file: z.string().nullable(), line: z.number().nullable(), column: z.number().nullable(), message: z.string() })).optional(),
});

export const BuildErrorItem = z.object({
  id: z.number(),
  tool: z.string(),
  code: z.string().nullable(),
  severity: z.string(),
  file: z.string().nullable(),
  line: z.number().nullable(),
  column: z.number().nullable(),
  message: z.string(),
  occurrences: z.number(),
  recurring: z.boolean(),
  status: z.string(),
  first_seen_at: z.string(),
  last_seen_at: z.string(),
  snippet: z.string().nullable().optional(),
  /** What to do about it, when the parser knows (a missing command: install dependencies). */
  hint: z.string().nullable().optional(),
});
export type BuildErrorItem = z.infer<typeof BuildErrorItem>;

export const BuildRunResult = z.object({
  run_id: z.number(),
  command: z.string(),
  status: z.string(),
  exit_code: z.number().nullable(),
  duration_ms: z.number(),
  tool: z.string().nullable(),
  error_count: z.number(),
  warning_count: z.number(),
  errors: z.array(Diagnostic),
  resolved: z.array(z.object({ error_id: z.number(), file: z.string().nullable(), message: z.string(), diff: z.string().nullable() })),
});

export const buildMethods = {
  'build/run': method(
    z.object({ command: z.union([z.string().min(1), z.array(z.string()).min(1)]), timeout_ms: z.number().int().positive().optional(), trigger: z.string().max(64).optional() }),
    BuildRunResult,
    { sideEffect: true },
  ),
  'build/cancel': method(z.object({ run_id: z.number().int() }), z.object({ ok: z.boolean() })),
  'build/parse': method(z.object({ text: z.string(), tool: z.string().optional(), command: z.string().optional() }), z.object({ errors: z.array(Diagnostic) })),
  'build/errors': method(
    z.object({ status: z.enum(['open', 'resolved', 'all']).default('open'), limit: z.number().int().min(1).max(500).default(50) }).default({ status: 'open', limit: 50 }),
    z.object({ results: z.array(BuildErrorItem), took_ms: z.number() }),
  ),
  'build/runs': method(
    z.object({ limit: z.number().int().min(1).max(500).default(20) }).default({ limit: 20 }),
    z.object({
      results: z.array(z.object({ id: z.number(), command: z.string(), status: z.string(), exit_code: z.number().nullable(), started_at: z.string(), duration_ms: z.number().nullable(), error_count: z.number(), warning_count: z.number(), trigger: z.string() })),
    }),
  ),
  'build/resolutions': method(
    z.object({ error_id: z.number().int() }),
    z.object({ results: z.array(z.object({ id: z.number(), diff: z.string().nullable(), commit_sha: z.string().nullable(), commit_message: z.string().nullable(), created_at: z.string(), file: z.string().nullable() })) }),
  ),
};

export const buildEvents = {
  'build/started': z.object({ run_id: z.number(), command: z.string() }),
  'build/output': z.object({ run_id: z.number(), data: z.string() }),
  'build/finished': z.object({ run_id: z.number(), status: z.string(), exit_code: z.number().nullable(), error_count: z.number(), warning_count: z.number() }),
};
