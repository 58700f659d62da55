// What Mira knows about chat and embedding models: family, the reasoning effort each accepts, and prices per million tokens.
import { z } from 'zod';

export type Effort = 'none' | 'minimal' | 'low' | 'medium' | 'high';
export const EFFORTS: readonly Effort[] = ['none', 'minimal', 'low', 'medium', 'high'];

/**
 * - gpt5: gpt-5, gpt-5-mini, gpt-5-nano (minimal/low/medium/high; no 'none')
 * - gpt5x: gpt-5.1 and later point releases (none/low/medium/high; no 'minimal')
 * - gpt5pro: gpt-5-pro (high only)
 * - o: o1, o3, o4-mini... (low/medium/high)
 * - plain: everything else (gpt-4o, gpt-4.1, chat-latest aliases, local models): no reasoning_effort at all
 */
export type ModelFamily = 'gpt5' | 'gpt5x' | 'gpt5pro' | 'o' | 'plain';

export function modelFamily(model: string): ModelFamily {
  // Provider prefixes such as "openai/gpt-5.1" (OpenRouter, LiteLLM) name the same model.
  const m = model.toLowerCase().replace(/^.*\//, '');
  if (/chat-latest|-chat$|(^|-)chat-/.test(m)) return 'plain';
  if (/^gpt-5(-\d{4}-\d{2}-\d{2})?-pro\b|^gpt-5-pro/.test(m)) return 'gpt5pro';
  if (/^gpt-5\.\d+/.test(m)) return 'gpt5x';
  if (/^gpt-5(\b|-)/.test(m)) return 'gpt5';
  // o1-mini and o1-preview predate reasoning_effort and reject it.
  if (/^o1-(mini|preview)/.test(m)) return 'plain';
  if (/^o\d+(\b|-|$)/.test(m)) return 'o';
  return 'plain';
}

export function isReasoningModel(model: string): boolean {
  return modelFamily(model) !== 'plain';
}

/**
 * The reasoning_effort to send for a model, or undefined to omit the parameter.
 * Unsupported values move to the nearest supported one instead of making the server answer 400.
 */
export function mapEffort(model: string, effort: Effort | undefined): Effort | undefined {
  if (!effort) return undefined;
  switch (modelFamily(model)) {
    case 'gpt5x':
      return effort === 'minimal' ? 'low' : effort;
    case 'gpt5':
      return effort === 'none' ? 'minimal' : effort;
    case 'gpt5pro':
      return 'high';
    case 'o':
      return effort === 'none' || effort === 'minimal' ? 'low' : effort;
    case 'plain':
      return undefined;
  }
}

/** Output tokens to hold in reserve when a call sets no maximum: reasoning tokens are billed as output. */
export function defaultOutputReserve(model: string, effort: Effort | undefined): number {
  const mapped = mapEffort(model, effort);
  if (!mapped) return 2048;
  return { none: 2048, minimal: 3072, low: 4096, medium: 8192, high: 16384 }[mapped];
}

/** USD per million tokens. */
export interface Price {
  input: number;
  output: number;
  cached_input?: number;
}

export const PriceSchema = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative().default(0),
  cached_input: z.number().nonnegative().optional(),
});
export const PricesSchema = z.record(z.string(), PriceSchema);

/** Standard-tier list prices (USD per 1M tokens). Override or add models with `prices` in config.json. */
export const DEFAULT_PRICES: Record<string, Price> = {
  'gpt-5.1': { input: 1.25, cached_input: 0.125, output: 10 },
  'gpt-5': { input: 1.25, cached_input: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cached_input: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cached_input: 0.005, output: 0.4 },
  'gpt-4.1': { input: 2, cached_input: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cached_input: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cached_input: 0.025, output: 0.4 },
  'gpt-4o': { input: 2.5, cached_input: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cached_input: 0.075, output: 0.6 },
  o3: { input: 2, cached_input: 0.5, output: 8 },
  'o4-mini': { input: 1.1, cached_input: 0.275, output: 4.4 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-ada-002': { input: 0.1, output: 0 },
};

export class PriceTable {
  private readonly prices: Record<string, Price>;
  constructor(overrides: Record<string, Price> = {}) {
    this.prices = { ...DEFAULT_PRICES, ...overrides };
  }

  /**
   * The price of a model: exact name, then without a date suffix (gpt-4o-2024-08-06), then the longest
   * known name it extends (gpt-5.1-codex → gpt-5.1). Unknown and local models are free (null price).
   */
  lookup(model: string): Price | null {
    const m = model.toLowerCase();
    const bare = m.replace(/^.*\//, '');
    for (const name of [model, m, bare, bare.replace(/-\d{4}-\d{2}-\d{2}$/, '')]) {
      const p = this.prices[name];
      if (p) return p;
    }
    let best: string | null = null;
    for (const name of Object.keys(this.prices)) {
      if (bare.startsWith(name + '-') && (!best || name.length > best.length)) best = name;
    }
    return best ? this.prices[best]! : null;
  }

  cost(model: string, usage: { input: number; output: number; cached?: number }): number {
    const p = this.lookup(model);
    if (!p) return 0;
    const cached = Math.min(usage.cached ?? 0, usage.input);
    const cachedRate = p.cached_input ?? p.input;
    return ((usage.input - cached) * p.input + cached * cachedRate + usage.output * p.output) / 1e6;
  }
}
