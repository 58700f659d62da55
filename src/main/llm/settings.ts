// The LLM layer's settings: MiraConfig plus `prices` and `llm` tuning read from the raw config.json (which keeps fields it does not know).
import { z } from 'zod';
import type { MiraConfig } from '../../shared/config';
import { MiraError } from '../../shared/errors';
import { readConfigFile } from '../config';
import { PricesSchema, type Effort, type Price } from './models';

export const LlmTuningSchema = z
  .object({
    timeoutMs: z.number().int().positive().optional(),
    idleTimeoutMs: z.number().int().positive().optional(),
    maxRetries: z.number().int().min(0).max(10).optional(),
    retryBaseMs: z.number().int().min(0).optional(),
    cacheTtlHours: z.number().min(0).optional(),
    cacheMaxEntries: z.number().int().positive().optional(),
    cacheMaxMb: z.number().positive().optional(),
    /** Summarize a conversation every this many messages. */
    summaryEvery: z.number().int().min(2).optional(),
    /** How facts are learned from conversations: with the LLM when configured ('auto'), by rules only, or not at all. */
    learn: z.enum(['auto', 'rules', 'off']).optional(),
    maxToolRounds: z.number().int().min(0).max(20).optional(),
    /** Tokens of context (memory, code) put in front of a question. */
    contextTokens: z.number().int().positive().optional(),
  })
  .passthrough();

export type LlmTuning = z.infer<typeof LlmTuningSchema>;

export interface LlmSettings {
  apiKey?: string;
  baseURL?: string;
  model: string;
  effort: Effort;
  embeddingModel: string;
  timeoutMs: number;
  idleTimeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  cacheTtlMs: number;
  cacheMaxEntries: number;
  cacheMaxBytes: number;
  summaryEvery: number;
  learn: 'auto' | 'rules' | 'off';
  maxToolRounds: number;
  contextTokens: number;
  prices: Record<string, Price>;
}

/** Reads the settings; `prices` and `llm` are validated here, with a clear error naming the bad field. */
export function loadLlmSettings(config: MiraConfig): LlmSettings {
  const raw = readConfigFile(config.home) as Record<string, unknown>;
  const prices = raw.prices === undefined ? {} : parseOr(PricesSchema, raw.prices, 'prices', 'prices maps a model name to {"input": USD per 1M tokens, "output": ..., "cached_input": ...}');
  const t = raw.llm === undefined ? {} : parseOr(LlmTuningSchema, raw.llm, 'llm');
  return {
    apiKey: config.openaiApiKey,
    baseURL: config.openaiBaseUrl,
    model: config.model,
    effort: config.reasoningEffort,
    embeddingModel: config.embeddingModel,
    timeoutMs: t.timeoutMs ?? 300_000,
    idleTimeoutMs: t.idleTimeoutMs ?? 120_000,
    maxRetries: t.maxRetries ?? 3,
    retryBaseMs: t.retryBaseMs ?? 500,
    cacheTtlMs: (t.cacheTtlHours ?? 24 * 7) * 3600_000,
    cacheMaxEntries: t.cacheMaxEntries ?? 5000,
    cacheMaxBytes: Math.round((t.cacheMaxMb ?? 64) * 1024 * 1024),
    summaryEvery: t.summaryEvery ?? 10,
    learn: t.learn ?? 'auto',
    maxToolRounds: t.maxToolRounds ?? 6,
    contextTokens: t.contextTokens ?? 6000,
    prices: prices as Record<string, Price>,
  };
}

function parseOr<T extends z.ZodType>(schema: T, value: unknown, field: string, hint?: string): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = [field, ...(issue?.path ?? []).map(String)].join('.');
  throw new MiraError('config_invalid', `config.json: ${where}: ${issue?.message ?? 'invalid'}`, hint ?? `fix ${field} in config.json`);
}
