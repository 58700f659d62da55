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
  /** The caller's id for this ask, so it can be stopped (stopRequest) before the conversation id is known. */
  requestId?: string;
  /** Replace a turn: this user message of the conversation and everything after it are removed first (regenerate, edit). */
  replaceFrom?: number;
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
  /** Part of the cost is estimated from the text streamed (an answer stopped or cut short mid-stream). */
  cost_estimated: boolean;
  cached: boolean;
  conversation_id: number;
  message_id: number;
  /** The stored question (regenerate and edit replace the turn from it). */
  user_message_id: number;
  model: string;
  stopped: boolean;
  tokens_in: number;
  tokens_out: number;
  tool_calls: { name: string; ok: boolean; declined: boolean }[];
  learned: string[];
  /** What was learned, with its value (a pattern's key is `pattern:<id>`). */
  learned_facts: { key: string; value: string }[];
  took_ms: number;
}

export interface AssistantEvents {
  emit(event: 'chat/delta', data: { conversation_id: number; delta: string; request_id?: string }): void;
  emit(event: 'chat/done', data: { conversation_id: number; message_id: number; cost_usd: number; cached: boolean; stopped: boolean }): void;
  emit(event: 'chat/confirm', data: { conversation_id: number; request_id: string; ask_request_id?: string; tool: string; description: string; args: Record<string, unknown> }): void;
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
  private readonly runningRequests = new Map<string, AbortController>();
  /** Stops asked for by request id before that ask began (the stop overtook the send); kept a minute. */
  private readonly stoppedEarly = new Map<string, NodeJS.Timeout>();
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

    if (input.conversationId && this.running.has(input.conversationId)) throw new MiraError('conflict', `conversation ${input.conversationId} is already answering`, 'wait for it, or stop it with chat/stop');
    if (input.replaceFrom !== undefined) {
      if (!input.conversationId) throw new MiraError('bad_request', 'replacing a turn needs its conversation_id');
      memory.conversations.truncateFrom(input.conversationId, input.replaceFrom);
    }
    const isNew = !input.conversationId;
    const conv = input.conversationId ? memory.conversations.get(input.conversationId) : memory.conversations.create({ projectId, model: input.model ?? settings.model });
    const ac = new AbortController();
    const signal = input.signal ? AbortSignal.any([input.signal, ac.signal]) : ac.signal;
    this.running.set(conv.id, ac);
    if (input.requestId) {
      this.runningRequests.set(input.requestId, ac);
      const early = this.stoppedEarly.get(input.requestId);
      if (early) {
        clearTimeout(early);
        this.stoppedEarly.delete(input.requestId);
        ac.abort();
      }
    }
    let userMessageId: number | null = null;
    let finished = false;
    try {
      // Context first, while the new question is not yet part of the stored conversation.
      const gathered = await new CompositeContextProvider([
        { provider: this.codeContext, share: 2 },
        { provider: this.memoryContext, share: 1 },
      ]).gather(question, { projectId, projectRoot: project?.root ?? null, conversationId: conv.id, maxTokens: settings.contextTokens, signal });
      const history = historyMessages(memory.conversations.recent(conv.id, RECENT_MESSAGES));
      userMessageId = memory.conversations.add(conv.id, { role: 'user', content: question, tokens: countTokens(question) }).id;

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
      // The text of each model turn; a turn that asked for tools may say something first ("Let me run the check.").
      const said: string[] = [];
      let roundStreamed = false;
      let cost = 0;
      let costEstimated = false;
      let cachedAll = true;
      let tokensIn = 0;
      let tokensOut = 0;
      let model = input.model ?? settings.model;
      let stopped = false;
      const toolLog: AskResult['tool_calls'] = [];
      const confirm = this.confirmFn(conv.id, input.confirm ?? 'ask', input.requestId);
      try {
        for (let round = 0; ; round++) {
          const lastRound = round >= settings.maxToolRounds;
          roundStreamed = false;
          const r = await llm.chat(
            { messages, model: input.model, effort: input.effort, tools: lastRound ? undefined : toolSpecs, toolChoice: toolSpecs.length && !lastRound ? 'auto' : undefined },
            {
              purpose: 'ask',
              cache: input.cache,
              signal,
              projectId,
              onDelta: (delta) => {
                // Turns are separated as they stream, the same way the final answer joins them.
                const text = !roundStreamed && streamed && delta ? `${TURN_SEPARATOR}${delta}` : delta;
                if (delta) roundStreamed = true;
                streamed += text;
                this.deps.events.emit('chat/delta', { conversation_id: conv.id, delta: text, ...(input.requestId ? { request_id: input.requestId } : {}) });
              },
              onCutShort: (spent) => {
                cost += spent.costUsd;
                tokensIn += spent.tokensIn;
                tokensOut += spent.tokensOut;
                costEstimated = true;
              },
            },
          );
          cost += r.costUsd;
          cachedAll &&= r.cached;
          tokensIn += r.usage.input;
          tokensOut += r.usage.output;
          costEstimated ||= !!r.usage.estimated && !r.cached;
          model = r.model;
          if (r.content.trim()) said.push(r.content);
          if (!r.toolCalls.length || lastRound) {
            // The stored turn is this round's text (earlier rounds are stored with their tool calls); the reply
            // carries all that was said, as it streamed.
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
        // What this turn streamed after the last stored tool round (earlier rounds' text is stored with them).
        answer = streamed.slice(said.length ? said.join(TURN_SEPARATOR).length : 0).replace(/^\n+/, '');
        cachedAll = false;
      }

      const msg = memory.conversations.add(conv.id, { role: 'assistant', content: answer, model, tokens: tokensOut, costUsd: cost, cached: cachedAll && !stopped });
      const shown = stopped ? streamed : said.join(TURN_SEPARATOR);

      // Memory upkeep: learn from the question, keep the summary rolling. Failures here never fail the answer.
      const learned: string[] = [];
      const learnedFacts: { key: string; value: string }[] = [];
      if (!stopped) {
        const spent = { usd: 0 };
        const mllm = settings.learn === 'auto' ? this.memoryLlm(undefined, spent) : null;
        try {
          const l = await memory.learnFrom(question, { projectId, llm: mllm, mode: settings.learn });
          for (const x of l.learned) {
            const key = 'key' in x.result ? x.result.key : `pattern:${x.result.id}`;
            learned.push(key);
            learnedFacts.push({ key, value: x.extracted.value });
          }
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

      finished = true;
      this.deps.events.emit('chat/done', { conversation_id: conv.id, message_id: msg.id, cost_usd: round6(cost), cached: cachedAll && !stopped, stopped });
      return {
        answer: shown,
        context: gathered.items.map((i) => ({ kind: i.kind, ...(i.path ? { path: i.path } : {}), reason: i.reason, text: i.text })),
        cost_usd: round6(cost),
        cost_estimated: costEstimated,
        cached: cachedAll && !stopped,
        conversation_id: conv.id,
        message_id: msg.id,
        user_message_id: userMessageId ?? msg.id,
        model,
        stopped,
        tokens_in: tokensIn,
        tokens_out: tokensOut,
        tool_calls: toolLog,
        learned,
        learned_facts: learnedFacts,
        took_ms: Math.round(performance.now() - started),
      };
    } finally {
      if (!finished) this.dropFailedTurn(conv.id, isNew, userMessageId);
      this.running.delete(conv.id);
      if (input.requestId) this.runningRequests.delete(input.requestId);
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

  /**
   * Stops an ask by the caller's request id, even one whose conversation id the caller does not know yet (a new
   * conversation before its first token) or one that has not begun (the stop is kept a minute for it).
   */
  stopRequest(requestId: string): boolean {
    const ac = this.runningRequests.get(requestId);
    if (ac) {
      ac.abort();
      return true;
    }
    if (!this.stoppedEarly.has(requestId)) {
      const timer = setTimeout(() => this.stoppedEarly.delete(requestId), 60_000);
      timer.unref?.();
      this.stoppedEarly.set(requestId, timer);
    }
    return true;
  }

  /**
   * A turn that failed (not stopped) leaves no question without an answer behind: the window keeps it on screen
   * with Retry, which asks it again. A conversation made for it and left empty goes too.
   */
  private dropFailedTurn(conversationId: number, isNew: boolean, userMessageId: number | null): void {
    try {
      if (userMessageId !== null) this.deps.memory.conversations.truncateFrom(conversationId, userMessageId);
      if (isNew && !this.deps.memory.conversations.messages(conversationId).length) this.deps.memory.conversations.delete(conversationId);
    } catch (e) {
      this.deps.log?.warn({ error: scrub((e as Error).message) }, 'cleaning up a failed turn failed');
    }
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

  private confirmFn(conversationId: number, mode: 'ask' | 'deny' | 'allow', askRequestId?: string): ConfirmFn {
    if (mode === 'allow') return async () => true;
    if (mode === 'deny') return async () => false;
    return (req: ConfirmRequest) =>
      new Promise<boolean>((resolve) => {
        const id = `c${this.nextConfirm++}`;
        const timer = setTimeout(() => this.answerConfirmation(id, false), this.deps.confirmTimeoutMs ?? 120_000);
        this.confirmations.set(id, { resolve, timer, conversationId });
        this.deps.events.emit('chat/confirm', { conversation_id: conversationId, request_id: id, ...(askRequestId ? { ask_request_id: askRequestId } : {}), tool: req.tool, description: req.description, args: req.args });
      });
  }

  private async runTool(call: ToolCall, ctx: { projectId: number | null; conversationId: number; signal: AbortSignal; confirm: ConfirmFn }) {
    const started = performance.now();
    const out = await this.deps.llm.tools.execute(call, ctx);
    this.deps.log?.info({ tool: call.name, ok: out.ok, declined: !!out.declined, took_ms: Math.round(performance.now() - started) }, 'tool call');
    return out;
  }
}

/** Between the text of consecutive model turns (one asked for a tool, the next answers), streamed and stored alike. */
export const TURN_SEPARATOR = '\n\n';

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

export type { ContextItem };
