// The assistant's conversation loop: gather context and memory, answer (streamed, with tool calls), store the conversation, learn from it and keep its summary rolling.
import { MiraError } from '../../shared/errors';
import type { Memory, MemoryLlm } from '../memory';
import { scrub } from '../log';
import { CompositeContextProvider, EMPTY_CONTEXT, MemoryContextProvider, type ContextItem, type ContextProvider } from './context';
import type { Effort } from './models';
import { historyMessages, systemPrompt, type PromptProject } from './prompts';
import { notConfigured, type ChatMessage, type ToolCall } from './provider';
import type { CacheMode, LlmService } from './service';
import type { LlmSettings } from './settings';
import { countTokens } from './tokens';
import type { ConfirmFn, ConfirmRequest } from './tools';

export interface AskInput {
  question: string;
  conversationId?: number | null;
  model?: string;
  effort?: Effort;
  cache?: CacheMode;
  /** Offer Mira's tools to the model (default true). */
  tools?: boolean;
  /** How side-effecting tools are approved: ask the user through chat/confirm events, refuse them all, or allow them all. */
  confirm?: 'ask' | 'deny' | 'allow';
  signal?: AbortSignal;
}

export interface AskContextItem {
  kind: string;
  path?: string;
  reason: string;
  text: string;
}

export interface AskResult {
  answer: string;
  context: AskContextItem[];
  cost_usd: number;
  cached: boolean;
  conversation_id: number;
  message_id: number;
  model: string;
  stopped: boolean;
  tokens_in: number;
  tokens_out: number;
  tool_calls: { name: string; ok: boolean; declined: boolean }[];
  learned: string[];
  took_ms: number;
}

export interface AssistantEvents {
  emit(event: 'chat/delta', data: { conversation_id: number; delta: string }): void;
  emit(event: 'chat/done', data: { conversation_id: number; message_id: number; cost_usd: number; cached: boolean; stopped: boolean }): void;
  emit(event: 'chat/confirm', data: { conversation_id: number; request_id: string; tool: string; description: string; args: Record<string, unknown> }): void;
}

export interface AssistantDeps {
  llm: LlmService;
  memory: Memory;
  settings: LlmSettings;
  events: AssistantEvents;
  project: () => (PromptProject & { id: number }) | null;
  log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** How long a chat/confirm question waits for an answer before it counts as no. */
  confirmTimeoutMs?: number;
}

/** Messages kept verbatim in a prompt next to the rolling summary. */
const RECENT_MESSAGES = 8;

export class Assistant {
  private codeContext: ContextProvider = EMPTY_CONTEXT;
  private readonly memoryContext: ContextProvider;
  private readonly running = new Map<number, AbortController>();
  private readonly confirmations = new Map<string, { resolve: (ok: boolean) => void; timer: NodeJS.Timeout; conversationId: number }>();
  private nextConfirm = 1;

  constructor(private readonly deps: AssistantDeps) {
    this.memoryContext = new MemoryContextProvider(deps.memory);
  }

  /** Plugs in the context oracle (code, docs); memory context is always added next to it. */
  setCodeContext(provider: ContextProvider | null): void {
    this.codeContext = provider ?? EMPTY_CONTEXT;
  }

  /** An LLM adapter for memory upkeep (fact extraction, summaries): cheapest effort, never streamed. */
  memoryLlm(signal?: AbortSignal, spent?: { usd: number }): MemoryLlm | null {
    if (!this.deps.llm.configured()) return null;
    return {
      complete: async (system, user, o) => {
        const r = await this.deps.llm.chat(
          { messages: [{ role: 'system', content: system }, { role: 'user', content: user }], effort: 'none', maxOutputTokens: 1200, responseFormat: o.json ? 'json' : undefined },
          { purpose: o.purpose, signal: o.signal ?? signal, projectId: this.deps.project()?.id ?? null },
        );
        if (spent) spent.usd += r.costUsd;
        return r.content;
      },
    };
  }

  async ask(input: AskInput): Promise<AskResult> {
    const started = performance.now();
    const { llm, memory, settings } = this.deps;
    if (!llm.configured()) throw notConfigured();
    const question = input.question.trim();
    if (!question) throw new MiraError('bad_request', 'the question is empty');
    const project = this.deps.project();
    const projectId = project?.id ?? null;

    const conv = input.conversationId ? memory.conversations.get(input.conversationId) : memory.conversations.create({ projectId, model: input.model ?? settings.model });
    if (this.running.has(conv.id)) throw new MiraError('conflict', `conversation ${conv.id} is already answering`, 'wait for it, or stop it with chat/stop');
    const ac = new AbortController();
    const signal = input.signal ? AbortSignal.any([input.signal, ac.signal]) : ac.signal;
    this.running.set(conv.id, ac);
    try {
      // Context first, while the new question is not yet part of the stored conversation.
      const gathered = await new CompositeContextProvider([
        { provider: this.codeContext, share: 2 },
        { provider: this.memoryContext, share: 1 },
      ]).gather(question, { projectId, projectRoot: project?.root ?? null, conversationId: conv.id, maxTokens: settings.contextTokens, signal });
      const history = historyMessages(memory.conversations.recent(conv.id, RECENT_MESSAGES));
      memory.conversations.add(conv.id, { role: 'user', content: question, tokens: countTokens(question) });

      const useTools = input.tools !== false && settings.maxToolRounds > 0;
      const toolSpecs = useTools ? llm.tools.specs() : [];
      const messages: ChatMessage[] = [
        {
          role: 'system',
          content: systemPrompt({ project, profile: memory.facts.profile(), items: gathered.items, summary: conv.summary, tools: toolSpecs.map((t) => t.name) }),
        },
        ...history,
        { role: 'user', content: question },
      ];
      for (const it of gathered.items) {
        if (it.ref?.startsWith('reasoning_pattern:')) {
          memory.reasoning.recordUse(Number(it.ref.split(':')[1]), { task: question, score: it.score, projectId, conversationId: conv.id });
        }
      }

      let answer = '';
      let streamed = '';
      let cost = 0;
      let cachedAll = true;
      let tokensIn = 0;
      let tokensOut = 0;
      let model = input.model ?? settings.model;
      let stopped = false;
      const toolLog: AskResult['tool_calls'] = [];
      const confirm = this.confirmFn(conv.id, input.confirm ?? 'ask');
      try {
        for (let round = 0; ; round++) {
          const lastRound = round >= settings.maxToolRounds;
          const r = await llm.chat(
            { messages, model: input.model, effort: input.effort, tools: lastRound ? undefined : toolSpecs, toolChoice: toolSpecs.length && !lastRound ? 'auto' : undefined },
            {
              purpose: 'ask',
              cache: input.cache,
              signal,
              projectId,
              onDelta: (delta) => {
                streamed += delta;
                this.deps.events.emit('chat/delta', { conversation_id: conv.id, delta });
              },
            },
          );
          cost += r.costUsd;
          cachedAll &&= r.cached;
          tokensIn += r.usage.input;
          tokensOut += r.usage.output;
          model = r.model;
          if (!r.toolCalls.length || lastRound) {
            answer = r.content;
            break;
          }
          messages.push({ role: 'assistant', content: r.content || null, tool_calls: r.toolCalls });
          memory.conversations.add(conv.id, { role: 'assistant', content: r.content, toolCalls: r.toolCalls, model: r.model, costUsd: r.costUsd, cached: r.cached });
          for (const call of r.toolCalls) {
            const out = await this.runTool(call, { projectId, conversationId: conv.id, signal, confirm });
            toolLog.push({ name: call.name, ok: out.ok, declined: !!out.declined });
            messages.push({ role: 'tool', tool_call_id: call.id, content: out.content });
            memory.conversations.add(conv.id, { role: 'tool', content: out.content, toolCallId: call.id });
          }
        }
      } catch (e) {
        const err = MiraError.from(e);
        if (err.code !== 'cancelled') throw err;
        // A stopped answer keeps what was said so far.
        stopped = true;
        answer = streamed;
        cachedAll = false;
      }

      const msg = memory.conversations.add(conv.id, { role: 'assistant', content: answer, model, tokens: tokensOut, costUsd: cost, cached: cachedAll && !stopped });

      // Memory upkeep: learn from the question, keep the summary rolling. Failures here never fail the answer.
      const learned: string[] = [];
      if (!stopped) {
        const spent = { usd: 0 };
        const mllm = settings.learn === 'auto' ? this.memoryLlm(undefined, spent) : null;
        try {
          const l = await memory.learnFrom(question, { projectId, llm: mllm, mode: settings.learn });
          for (const x of l.learned) learned.push('key' in x.result ? x.result.key : `pattern:${x.result.id}`);
        } catch (e) {
          this.deps.log?.warn({ error: scrub((e as Error).message) }, 'learning from a message failed');
        }
        try {
          await memory.maybeSummarize(conv.id, { every: settings.summaryEvery, llm: this.memoryLlm(undefined, spent) });
        } catch (e) {
          this.deps.log?.warn({ error: scrub((e as Error).message) }, 'summarizing a conversation failed');
        }
        cost += spent.usd;
      }

      this.deps.events.emit('chat/done', { conversation_id: conv.id, message_id: msg.id, cost_usd: round6(cost), cached: cachedAll && !stopped, stopped });
      return {
        answer,
        context: gathered.items.map((i) => ({ kind: i.kind, ...(i.path ? { path: i.path } : {}), reason: i.reason, text: i.text })),
        cost_usd: round6(cost),
        cached: cachedAll && !stopped,
        conversation_id: conv.id,
        message_id: msg.id,
        model,
        stopped,
        tokens_in: tokensIn,
        tokens_out: tokensOut,
        tool_calls: toolLog,
        learned,
        took_ms: Math.round(performance.now() - started),
      };
    } finally {
      this.running.delete(conv.id);
      for (const [id, c] of this.confirmations) if (c.conversationId === conv.id) this.answerConfirmation(id, false);
    }
  }

  isRunning(conversationId: number): boolean {
    return this.running.has(conversationId);
  }

  /** Stops a conversation's answer; what was streamed so far is kept. */
  stop(conversationId: number): boolean {
    const ac = this.running.get(conversationId);
    if (!ac) return false;
    ac.abort();
    return true;
  }

  /** The user's answer to a chat/confirm question. */
  answerConfirmation(requestId: string, allow: boolean): boolean {
    const c = this.confirmations.get(requestId);
    if (!c) return false;
    clearTimeout(c.timer);
    this.confirmations.delete(requestId);
    c.resolve(allow);
    return true;
  }

  private confirmFn(conversationId: number, mode: 'ask' | 'deny' | 'allow'): ConfirmFn {
    if (mode === 'allow') return async () => true;
    if (mode === 'deny') return async () => false;
    return (req: ConfirmRequest) =>
      new Promise<boolean>((resolve) => {
        const id = `c${this.nextConfirm++}`;
        const timer = setTimeout(() => this.answerConfirmation(id, false), this.deps.confirmTimeoutMs ?? 120_000);
        this.confirmations.set(id, { resolve, timer, conversationId });
        this.deps.events.emit('chat/confirm', { conversation_id: conversationId, request_id: id, tool: req.tool, description: req.description, args: req.args });
      });
  }

  private async runTool(call: ToolCall, ctx: { projectId: number | null; conversationId: number; signal: AbortSignal; confirm: ConfirmFn }) {
    const started = performance.now();
    const out = await this.deps.llm.tools.execute(call, ctx);
    this.deps.log?.info({ tool: call.name, ok: out.ok, declined: !!out.declined, took_ms: Math.round(performance.now() - started) }, 'tool call');
    return out;
  }
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

export type { ContextItem };
