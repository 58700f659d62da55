// The context oracle's part of the contract: locate files for a task, with reasons, and the assembled context.
import { z } from 'zod';
import { method } from './define';

export const LocateItem = z.object({
  path: z.string(),
  score: z.number(),
  reasons: z.array(z.object({ source: z.string(), detail: z.string(), weight: z.number().optional() })),
  symbols: z.array(z.object({ name: z.string(), kind: z.string(), line: z.number() })).optional(),
});
export type LocateItem = z.infer<typeof LocateItem>;

export const oracleMethods = {
  'oracle/locate': method(
    z.object({ query: z.string().min(1).max(20_000), k: z.number().int().min(1).max(200).default(10), include_auxiliary: z.boolean().optional() }),
    z.object({ results: z.array(LocateItem), took_ms: z.number() }),
  ),
};

export const oracleEvents = {};
