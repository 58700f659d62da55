// The operations part of the contract: start a task, follow its steps, review its artifacts per file or hunk, apply, verify, undo, resume.
import { z } from 'zod';
import { method } from './define';

export const OPERATION_STATUSES = ['planning', 'gathering', 'proposing', 'awaiting_review', 'applying', 'verifying', 'done', 'failed', 'cancelled'] as const;
export const OperationStatus = z.enum(OPERATION_STATUSES);
export type OperationStatus = z.infer<typeof OperationStatus>;

export const OperationError = z.object({ code: z.string(), message: z.string(), hint: z.string().optional() });

export const OperationStep = z.object({
  id: z.number(),
  ord: z.number(),
  /** plan, context, llm, tool, edit, apply, verify, review, undo, status */
  kind: z.string(),
  name: z.string(),
  status: z.string(),
  detail: z.string(),
  args: z.record(z.string(), z.unknown()).nullable(),
  result: z.string().nullable(),
  tokens_in: z.number(),
  tokens_out: z.number(),
  cost_usd: z.number(),
  took_ms: z.number(),
  created_at: z.string(),
});
export type OperationStep = z.infer<typeof OperationStep>;

export const HunkState = z.enum(['pending', 'accepted', 'rejected']);

export const ArtifactHunk = z.object({
  index: z.number(),
  /** The hunk's `@@ -a,b +c,d @@` line, as in the diff. */
  header: z.string(),
  old_start: z.number(),
  old_lines: z.number(),
  new_start: z.number(),
  new_lines: z.number(),
  state: HunkState,
});

export const ArtifactInfo = z.object({
  id: z.number(),
  path: z.string(),
  round: z.number(),
  /** proposed, accepted, rejected, partial, applied, reverted, discarded */
  status: z.string(),
  /** Whether the file existed when the edit was proposed (false: the artifact creates it). */
  creates: z.boolean(),
  diff: z.string(),
  hunks: z.array(ArtifactHunk),
  additions: z.number(),
  deletions: z.number(),
  edits: z.number(),
  base_hash: z.string().nullable(),
  applied_at: z.string().nullable(),
  reverted_at: z.string().nullable(),
});
export type ArtifactInfo = z.infer<typeof ArtifactInfo>;

export const VerificationRun = z.object({
  kind: z.enum(['baseline', 'verify']),
  round: z.number(),
  run_id: z.number().nullable(),
  command: z.string(),
  status: z.string(),
  exit_code: z.number().nullable(),
  passed: z.boolean(),
  error_count: z.number(),
  resolved_count: z.number(),
  duration_ms: z.number(),
});

export const Verification = z.object({
  command: z.string(),
  passed: z.boolean(),
  exit_code: z.number().nullable(),
  run_id: z.number().nullable(),
  /** The operation's rounds (a failed verification starts the next one), as the steps count them. */
  rounds: z.number(),
  /** How many times the verification ran after a change. */
  verify_runs: z.number().optional(),
  /** The command already failed before the change (its baseline run). */
  baseline_failed: z.boolean().optional(),
  errors: z.array(z.object({ id: z.number(), tool: z.string(), file: z.string().nullable(), line: z.number().nullable(), message: z.string() })),
  /** Build errors that disappeared with this operation's change. */
  resolved: z.array(z.object({ error_id: z.number(), file: z.string().nullable(), message: z.string() })),
  runs: z.array(VerificationRun),
});

export const OperationView = z.object({
  operation_id: z.number(),
  status: OperationStatus,
  /** For a finished operation, what it achieved: 'changed' (files written and kept), 'no_changes' (done, but nothing
   * written: the model proposed nothing, its edits were refused or every change was rejected), 'undone'. */
  outcome: z.enum(['changed', 'no_changes', 'undone']).nullable().optional(),
  task: z.string(),
  plan: z.string().nullable(),
  summary: z.string().nullable(),
  steps: z.array(OperationStep),
  artifacts: z.array(ArtifactInfo),
  verification: Verification.nullable(),
  cost_usd: z.number(),
  tokens_in: z.number(),
  tokens_out: z.number(),
  llm_calls: z.number(),
  tool_calls: z.number(),
  round: z.number(),
  apply: z.boolean(),
  error: OperationError.nullable(),
  /** Not terminal, and the process running it is gone: ops/resume continues it, ops/discard drops it. */
  interrupted: z.boolean(),
  /** Whether ops/resume can continue it (interrupted, or stopped by a limit or a model failure). */
  resumable: z.boolean(),
  reverted: z.boolean(),
  pattern_id: z.number().nullable(),
  learned_pattern_id: z.number().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  finished_at: z.string().nullable(),
});
export type OperationView = z.infer<typeof OperationView>;

export const OperationSummary = OperationView.pick({
  operation_id: true,
  status: true,
  outcome: true,
  task: true,
  cost_usd: true,
  apply: true,
  error: true,
  interrupted: true,
  resumable: true,
  reverted: true,
  created_at: true,
  updated_at: true,
  finished_at: true,
}).extend({ artifacts: z.number(), steps: z.number() });

const Id = z.number().int().positive();

const RunOptions = {
  /** Return at once (false, the default: follow ops/step and ops/status events) or when the operation stops or waits for review. */
  wait: z.boolean().optional(),
};

export const opsMethods = {
  'ops/start': method(
    z.object({
      task: z.string().min(1).max(20_000),
      /** Apply the artifacts when the model is done, without waiting for a review. */
      apply: z.boolean().optional(),
      /** A build or test command run after applying (default: config.json's testCommand). */
      verify: z.string().min(1).max(4000).optional(),
      /** Do not run any verification, even the configured testCommand. */
      no_verify: z.boolean().optional(),
      /** Model turns allowed (each may call several tools). */
      max_steps: z.number().int().min(1).max(100).optional(),
      /** Verify-and-fix rounds allowed after the first application. */
      max_rounds: z.number().int().min(1).max(10).optional(),
      model: z.string().min(1).max(200).optional(),
      effort: z.enum(['none', 'minimal', 'low', 'medium', 'high']).optional(),
      /** Tools with side effects (build_run): refused (default) or allowed. */
      confirm: z.enum(['deny', 'allow']).optional(),
      /** Store a successful verified operation as a reasoning pattern (default true). */
      learn: z.boolean().optional(),
      ...RunOptions,
    }),
    OperationView,
    { sideEffect: true },
  ),
  'ops/get': method(z.object({ operation_id: Id }), OperationView),
  'ops/list': method(
    z.object({ limit: z.number().int().min(1).max(500).optional(), status: OperationStatus.optional(), interrupted: z.boolean().optional() }).optional(),
    z.object({ results: z.array(OperationSummary) }),
  ),
  'ops/cancel': method(z.object({ operation_id: Id }), OperationView),
  'ops/resume': method(z.object({ operation_id: Id, max_steps: z.number().int().min(1).max(100).optional(), ...RunOptions }), OperationView, { sideEffect: true }),
  'ops/discard': method(z.object({ operation_id: Id }), OperationView, { sideEffect: true }),
  'ops/review': method(
    z.object({
      operation_id: Id,
      artifact_id: Id,
      decision: z.enum(['accept', 'reject']),
      /** Hunk indexes (0-based, in diff order) the decision is for; without them it is for the whole file. */
      hunks: z.array(z.number().int().min(0)).max(10_000).optional(),
    }),
    ArtifactInfo,
  ),
  'ops/apply': method(
    z.object({
      operation_id: Id,
      verify: z.string().min(1).max(4000).optional(),
      no_verify: z.boolean().optional(),
      /** Apply only hunks accepted explicitly (default: hunks nobody rejected). */
      only_accepted: z.boolean().optional(),
      ...RunOptions,
    }),
    OperationView,
    { sideEffect: true },
  ),
  'ops/undo': method(
    z.object({ operation_id: Id, /** Restore even files changed since the operation wrote them. */ force: z.boolean().optional() }),
    OperationView.extend({ restored: z.array(z.object({ path: z.string(), action: z.enum(['restored', 'deleted']) })) }),
    { sideEffect: true },
  ),
};

export const opsEvents = {
  'ops/status': z.object({
    operation_id: z.number(),
    status: OperationStatus,
    cost_usd: z.number(),
    tokens_in: z.number(),
    tokens_out: z.number(),
    artifacts: z.number(),
    error: OperationError.nullable(),
  }),
  'ops/step': z.object({ operation_id: z.number(), step: OperationStep }),
  /** The model's text as it streams. */
  'ops/delta': z.object({ operation_id: z.number(), delta: z.string() }),
};
