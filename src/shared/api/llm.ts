// The LLM capability's part of the contract: budget and limits, asking, conversations (streamed as chat/delta), and the activity of LLM calls.
import { z } from 'zod';
import { method } from './define';

export const LlmEffort = z.enum(['none', 'minimal', 'low', 'medium', 'high']);

export const BudgetDay = z.object({ day: z.string(), cost_usd: z.number(), calls: z.number(), cache_hits: z.number(), saved_usd: z.number() });

export const BudgetResult = z.object({
  daily_spend_usd: z.number(),
  daily_limit_usd: z.number(),
  monthly_spend_usd: z.number(),
  monthly_limit_usd: z.number(),
  daily_remaining_usd: z.number(),
  monthly_remaining_usd: z.number(),
  /** Held by calls in flight, on top of the spend. */
  reserved_usd: z.number(),
  /** Hits over lookups of the response cache (chat and embeddings), persisted across runs. */
  cache_hit_rate: z.number(),
  cache_lookups: z.number(),
  cache_entries: z.number(),
  analysis_cache_hit_rate: z.number(),
  /** Calls this month, cache hits included. */
  calls: z.number(),
  calls_today: z.number(),
  cache_hits: z.number(),
  failures: z.number(),
  /** What cache hits saved this month, and ever. */
  saved_usd: z.number(),
  saved_usd_total: z.number(),
  tokens_in: z.number(),
  tokens_out: z.number(),
  /** Spend per day for the last 30 days, oldest first (zero days included, for a chart). */
  days: z.array(BudgetDay),
  by_model: z.array(z.object({ model: z.string(), calls: z.number(), cost_usd: z.number(), tokens_in: z.number(), tokens_out: z.number() })),
  configured: z.boolean(),
  model: z.string(),
  effort: z.string(),
  took_ms: z.number(),
});
export type BudgetResult = z.infer<typeof BudgetResult>;

const AskOptions = {
  conversation_id: z.number().int().positive().optional(),
  model: z.string().min(1).max(200).optional(),
  effort: LlmEffort.optional(),
  /** false answers without reading or writing the cache. */
  cache: z.boolean().optional(),
  /** Offer Mira's tools (search, locate, callers, ...) to the model. */
  tools: z.boolean().optional(),
  /** How tools with side effects are approved: chat/confirm events ('ask'), refused ('deny') or allowed ('allow'). */
  confirm: z.enum(['ask', 'deny', 'allow']).optional(),
  /** The caller's id for this call: chat/stop {request_id} stops it at once, before the conversation id is known; events carry it. */
  request_id: z.string().min(1).max(100).optional(),
  /** Replace a turn of conversation_id: that user message and all after it are removed, then the message is asked (regenerate, edit). */
  replace_from: z.number().int().positive().optional(),
};

export const AskContextItem = z.object({ kind: z.string(), path: z.string().optional(), reason: z.string(), text: z.string() });

export const AskResult = z.object({
  answer: z.string(),
  context: z.array(AskContextItem),
  cost_usd: z.number(),
  /** Part of cost_usd and the tokens are estimated (an answer stopped mid-stream is billed for what streamed). */
  cost_estimated: z.boolean().optional(),
  cached: z.boolean(),
  conversation_id: z.number(),
  message_id: z.number(),
  /** The stored question; replace_from takes it to regenerate or edit this turn. */
  user_message_id: z.number().optional(),
  model: z.string(),
  stopped: z.boolean(),
  tokens_in: z.number(),
  tokens_out: z.number(),
  tool_calls: z.array(z.object({ name: z.string(), ok: z.boolean(), declined: z.boolean() })),
  learned: z.array(z.string()),
  /** What was learned and its value; memory/forget {key} undoes a fact (patterns have keys `pattern:<id>`). */
  learned_facts: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
  took_ms: z.number(),
});
export type AskResult = z.infer<typeof AskResult>;

export const ConversationInfo = z.object({
  id: z.number(),
  project_id: z.number().nullable(),
  title: z.string(),
  model: z.string().nullable(),
  message_count: z.number(),
  cost_usd: z.number(),
  summary: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ConversationInfo = z.infer<typeof ConversationInfo>;

export const ChatMessageInfo = z.object({
  id: z.number(),
  role: z.string(),
  content: z.string(),
  tool_calls: z.array(z.object({ id: z.string(), name: z.string(), arguments: z.string() })).optional(),
  tool_call_id: z.string().nullable(),
  model: z.string().nullable(),
  cost_usd: z.number(),
  cached: z.boolean(),
  created_at: z.string(),
});

export const llmMethods = {
  'llm/budget': method(z.object({ days: z.number().int().min(1).max(366).optional() }).optional(), BudgetResult),
  'llm/setLimits': method(
    z.object({ daily_usd: z.number().nonnegative().optional(), monthly_usd: z.number().nonnegative().optional() }).refine((v) => v.daily_usd !== undefined || v.monthly_usd !== undefined, 'give daily_usd, monthly_usd or both'),
    z.object({ daily_limit_usd: z.number(), monthly_limit_usd: z.number(), overridden_by_env: z.array(z.string()) }),
    { sideEffect: true },
  ),
  'llm/status': method(
    z.object({}).optional(),
    z.object({ configured: z.boolean(), model: z.string(), effort: z.string(), base_url: z.string(), embedding_model: z.string(), tools: z.array(z.string()) }),
  ),
  'llm/models': method(z.object({}).optional(), z.object({ results: z.array(z.object({ id: z.string() })) })),
  'llm/clearCache': method(z.object({}).optional(), z.object({ removed: z.number() })),
  'llm/ask': method(z.object({ question: z.string().min(1).max(100_000), ...AskOptions }), AskResult),
  'chat/send': method(z.object({ message: z.string().min(1).max(100_000), ...AskOptions }), AskResult),
  /** Stops an answer by its conversation, or by the request_id given to chat/send (works before the first token, even before the call began). */
  'chat/stop': method(
    z.object({ conversation_id: z.number().int().positive().optional(), request_id: z.string().min(1).max(100).optional() }).refine((p) => p.conversation_id !== undefined || p.request_id !== undefined, 'give conversation_id or request_id'),
    z.object({ stopped: z.boolean() }),
  ),
  'chat/confirm': method(z.object({ request_id: z.string().min(1).max(100), allow: z.boolean() }), z.object({ ok: z.boolean() })),
  'chat/list': method(
    z.object({ limit: z.number().int().min(1).max(500).optional(), all_projects: z.boolean().optional() }).optional(),
    z.object({ results: z.array(ConversationInfo) }),
  ),
  'chat/get': method(
    z.object({ id: z.number().int().positive() }),
    ConversationInfo.extend({ messages: z.array(ChatMessageInfo), summaries: z.array(z.object({ upto_message_id: z.number(), summary: z.string(), method: z.string(), created_at: z.string() })) }),
  ),
  'chat/search': method(
    z.object({ query: z.string().min(1).max(1000), k: z.number().int().min(1).max(200).optional(), all_projects: z.boolean().optional() }),
    z.object({
      results: z.array(z.object({ conversation_id: z.number(), message_id: z.number(), role: z.string(), title: z.string(), snippet: z.string(), score: z.number(), created_at: z.string() })),
      took_ms: z.number(),
    }),
  ),
  'chat/delete': method(z.object({ id: z.number().int().positive() }), z.object({ deleted: z.boolean() }), { sideEffect: true }),
};

export const llmEvents = {
  'chat/delta': z.object({ conversation_id: z.number(), delta: z.string(), request_id: z.string().optional() }),
  'chat/done': z.object({ conversation_id: z.number(), message_id: z.number(), cost_usd: z.number(), cached: z.boolean(), stopped: z.boolean() }),
  /** A tool with side effects wants to run: answer with chat/confirm {request_id, allow}. */
  'chat/confirm': z.object({ conversation_id: z.number(), request_id: z.string(), ask_request_id: z.string().optional(), tool: z.string(), description: z.string(), args: z.record(z.string(), z.unknown()) }),
  'llm/call': z.object({
    id: z.number().nullable(),
    kind: z.enum(['chat', 'embedding']),
    purpose: z.string().nullable(),
    model: z.string(),
    effort: z.string().nullable(),
    status: z.enum(['ok', 'cached', 'error', 'refused']),
    tokens_in: z.number(),
    tokens_out: z.number(),
    cost_usd: z.number(),
    took_ms: z.number(),
    error: z.string().optional(),
    at: z.string(),
  }),
};
