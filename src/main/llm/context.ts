// Where an answer's context comes from: the ContextProvider interface (the context oracle plugs in here), the memory provider, and a composite that shares a token budget.
import type { Memory } from '../memory';
import { countTokens } from './tokens';

export interface ContextItem {
  /** profile, memory, habit, conversation, plan, code, doc ... */
  kind: string;
  path?: string;
  text: string;
  /** Why this item was chosen, for people. */
  reason: string;
  score?: number;
  /** A stable reference to what the item came from (e.g. `reasoning_pattern:12`), for bookkeeping. */
  ref?: string;
}

export interface GatherOptions {
  projectId: number | null;
  projectRoot?: string | null;
  conversationId?: number | null;
  /** Token budget for everything this provider returns. */
  maxTokens: number;
  signal?: AbortSignal;
}

export interface GatheredContext {
  items: ContextItem[];
  tokens: number;
}

export interface ContextProvider {
  gather(question: string, opts: GatherOptions): Promise<GatheredContext>;
}

/** Keeps items in order until the budget is spent; an item that does not fit is cut to the room left when that is worth it. */
export function fitToBudget(items: ContextItem[], maxTokens: number): GatheredContext {
  const out: ContextItem[] = [];
  let used = 0;
  for (const it of items) {
    const t = countTokens(it.text) + 12;
    if (used + t <= maxTokens) {
      out.push(it);
      used += t;
      continue;
    }
    const room = maxTokens - used - 12;
    if (room >= 80) {
      const text = it.text.slice(0, room * 3) + ' …';
      out.push({ ...it, text });
      used += countTokens(text) + 12;
    }
    break;
  }
  return { items: out, tokens: used };
}

/** Context from personal memory: the profile, facts and habits that match the question, past conversations, and a plan from a reasoning pattern. */
export class MemoryContextProvider implements ContextProvider {
  constructor(private readonly memory: Memory) {}

  async gather(question: string, opts: GatherOptions): Promise<GatheredContext> {
    const items: ContextItem[] = [];
    const matches = await this.memory.reasoning.match(question, { projectId: opts.projectId, k: 1 });
    const best = matches[0];
    if (best) {
      items.push({
        kind: 'plan',
        text: this.memory.reasoning.plan(best),
        reason: `a recipe that solved a similar task (match ${best.similarity.toFixed(2)})`,
        score: best.score,
        ref: `reasoning_pattern:${best.pattern.id}`,
      });
    }
    const recalled = await this.memory.recall.recall(question, { projectId: opts.projectId, k: 16, excludeConversation: opts.conversationId ?? null, touch: true });
    for (const r of recalled) {
      items.push({
        kind: r.kind === 'fact' ? 'memory' : r.kind === 'pattern' ? 'habit' : r.kind,
        text: r.text,
        reason: r.reasons.join(', ') || r.kind,
        score: r.score,
        ref: r.key,
      });
    }
    return fitToBudget(items, opts.maxTokens);
  }
}

/** Several providers sharing one budget: each gets its share, and what one leaves unused goes to the next. */
export class CompositeContextProvider implements ContextProvider {
  constructor(private readonly parts: { provider: ContextProvider; share: number }[]) {}

  async gather(question: string, opts: GatherOptions): Promise<GatheredContext> {
    const total = this.parts.reduce((n, p) => n + p.share, 0) || 1;
    const items: ContextItem[] = [];
    let used = 0;
    let carry = 0;
    for (const p of this.parts) {
      const budget = Math.floor((opts.maxTokens * p.share) / total) + carry;
      if (budget <= 0) continue;
      const got = await p.provider.gather(question, { ...opts, maxTokens: budget });
      items.push(...got.items);
      used += got.tokens;
      carry = Math.max(0, budget - got.tokens);
    }
    return { items, tokens: used };
  }
}

/** The code context until the oracle is plugged in: nothing. */
export const EMPTY_CONTEXT: ContextProvider = {
  gather: async () => ({ items: [], tokens: 0 }),
};
