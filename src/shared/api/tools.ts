// The tool-synthesis capability's part of the contract: detect tools from history, list them, run one in its sandbox, apply or reject the change, and see a tool's history.
import { z } from 'zod';
import { method } from './define';

export const ToolParam = z.object({ name: z.string(), required: z.boolean(), description: z.string() });

export const ToolValidation = z.object({ cases: z.number(), path_f1: z.number(), line_f1: z.number() });

export const DetectedToolItem = z.object({
  name: z.string(),
  version: z.number(),
  status: z.string(),
  description: z.string(),
  params: z.array(ToolParam),
  templates: z.array(z.string()),
  registries: z.array(z.string()),
  examples: z.array(z.string()),
  support: z.number(),
  validation: ToolValidation,
  event: z.string(),
});
export type DetectedToolItem = z.infer<typeof DetectedToolItem>;

export const ToolListItem = z.object({
  name: z.string(),
  version: z.number(),
  status: z.string(),
  description: z.string(),
  runs: z.number(),
  accepted: z.number(),
  rejected: z.number(),
  /** Applied runs not followed by a failing build or test run. */
  successes: z.number(),
  success_rate: z.number().nullable(),
  /** How many past commits the replay validation scored it on (`validation.cases`). */
  validation: ToolValidation,
  /** Commits it was learned from (distinct, newest first, at most 20). */
  examples: z.array(z.string()),
  /** How many commits of the history show this kind of change. */
  commits: z.number(),
  /** How many of the newest examples the tool was derived from. */
  learned_from: z.number(),
  /** The parameters as a JSON Schema object (for forms and for the assistant). */
  parameters: z.record(z.string(), z.unknown()),
});
export type ToolListItem = z.infer<typeof ToolListItem>;

export const ToolFile = z.object({ path: z.string(), action: z.enum(['create', 'modify']), content: z.string(), diff: z.string() });

/** Parameter values are text; numbers and booleans from JSON lines are accepted and turned into text. */
const ParamValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v)));

export const ToolRunResult = z.object({
  tool: z.string(),
  version: z.number(),
  execution_id: z.number(),
  /** The same id under the name the app panel reads. */
  run_id: z.number(),
  files: z.array(ToolFile),
  applied: z.boolean(),
  took_ms: z.number(),
});
export type ToolRunResult = z.infer<typeof ToolRunResult>;

export const toolsMethods = {
  'tools/detect': method(
    z.object({ limit: z.number().int().min(1).max(500).optional() }).default({}),
    z.object({
      results: z.array(DetectedToolItem),
      patterns: z.object({ files: z.number(), commands: z.number() }),
      commits: z.object({ mined: z.number(), new: z.number() }),
      took_ms: z.number(),
    }),
  ),
  'tools/list': method(
    z.object({ all: z.boolean().optional() }).default({}),
    z.object({ results: z.array(ToolListItem), took_ms: z.number() }),
  ),
  'tools/run': method(
    z
      .object({
        tool: z.string().min(1).max(64).optional(),
        /** Accepted for `tool` (the app panel's name for it). */
        name: z.string().min(1).max(64).optional(),
        params: ParamValues.default({}),
        apply: z.boolean().optional(),
        /** Runs are dry unless `apply` is true; accepted for clarity. */
        dry_run: z.boolean().optional(),
      })
      .refine((p) => !!(p.tool ?? p.name), { message: 'tool is required', path: ['tool'] }),
    ToolRunResult,
    { sideEffect: true },
  ),
  'tools/apply': method(
    z
      .object({ execution_id: z.number().int().optional(), run_id: z.union([z.number().int(), z.string().regex(/^\d+$/)]).optional() })
      .refine((p) => p.execution_id !== undefined || p.run_id !== undefined, { message: 'execution_id is required', path: ['execution_id'] }),
    z.object({ execution_id: z.number(), applied: z.boolean(), files: z.array(z.string()) }),
    { sideEffect: true },
  ),
  'tools/reject': method(z.object({ execution_id: z.number().int() }), z.object({ execution_id: z.number(), rejected: z.boolean() })),
  'tools/history': method(
    /** With a tool: its versions, evolution and runs. Without: the project's recent runs of every tool (`results`). */
    z.object({ tool: z.string().min(1).max(64).optional(), limit: z.number().int().min(1).max(500).optional() }).default({}),
    z.object({
      name: z.string().nullable(),
      results: z.array(
        z.object({ id: z.number(), tool: z.string(), version: z.number(), params: z.record(z.string(), z.string()), files: z.array(z.string()), status: z.string(), outcome: z.string().nullable(), created_at: z.string() }),
      ),
      versions: z.array(z.object({ version: z.number(), status: z.string(), created_at: z.string(), description: z.string(), validation: ToolValidation, examples: z.array(z.string()), program: z.string() })),
      evolution: z.array(z.object({ from_version: z.number().nullable(), to_version: z.number().nullable(), event: z.string(), reason: z.string(), commit: z.string().nullable(), created_at: z.string() })),
      executions: z.array(
        z.object({
          id: z.number(),
          version: z.number(),
          params: z.record(z.string(), z.string()),
          files: z.array(z.string()),
          status: z.string(),
          outcome: z.string().nullable(),
          duration_ms: z.number().nullable(),
          created_at: z.string(),
          error: z.string().nullable(),
        }),
      ),
    }),
  ),
};

export const toolsEvents = {
  'tools/progress': z.object({ stage: z.string(), done: z.number(), total: z.number() }),
};
