// The apply engine's part of the contract: apply an edit (search/replace, unified diff, or whole file with elisions).
import { z } from 'zod';
import { method } from './define';

export const ApplyOutcome = z.union([
  z.object({ path: z.string(), applied: z.literal(true), format: z.string(), strategy: z.string(), content: z.string(), diff: z.string(), written: z.boolean(), took_ms: z.number() }),
  z.object({
    path: z.string(),
    applied: z.literal(false),
    format: z.string().nullable().optional(),
    error: z.object({ code: z.string(), message: z.string(), candidates: z.array(z.object({ line: z.number(), text: z.string() })).optional() }),
    took_ms: z.number(),
  }),
]);
export type ApplyOutcome = z.infer<typeof ApplyOutcome>;

export const applyMethods = {
  'apply/edit': method(
    z.object({
      file: z.string().min(1).max(4096),
      edit: z.string().max(8 * 1024 * 1024),
      format: z.enum(['search-replace', 'udiff', 'whole']).optional(),
      dry_run: z.boolean().default(false),
      expected_hash: z.string().optional(),
    }),
    ApplyOutcome,
    { sideEffect: true },
  ),
};

export const applyEvents = {};
