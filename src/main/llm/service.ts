// Every LLM call goes through here: cache lookup, cost estimate and budget reservation, the provider call (streamed or whole), settlement, the activity event.
import type { Logger } from 'pino';
import { MiraError } from '../../shared/errors';
import type { Db } from '../db/open';
import { registerSecret, scrub } from '../log';
import { BudgetLedger, type BudgetLimits, type CallKind } from './budget';
import { AnalysisCache, LlmCache } from './cache';
import { requestKey } from './canonical';
import { defaultOutputReserve, mapEffort, PriceTable, type Effort } from './models';
import { LlmProvider, notConfigured, type ChatMessage, type ChatParams, type ChatResult, type ToolSpec, type Usage } from './provider';
import type { LlmSettings } from './settings';
import { countMessageTokens, countTokens, loadEncoder } from './tokens';
import { ToolRegistry } from './tools';

export interface LlmCallEvent {
  id: number | null;
  kind: CallKind;
  purpose: string | null;
  model: string;
  effort: string | null;
  status: 'ok' | 'cached' | 'error' | 'refused';
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
  took_ms: number;
  error?: string;
  at: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  model?: string;
  effort?: Effort;
  tools?: ToolSpec[];
  toolChoice?: ChatParams['toolChoice'];
  temperature?: number;
  maxOutputTokens?: number;
  responseFormat?: ChatParams['responseFormat'];
}

export type CacheMode = 'default' | 'bypass' | 'refresh';

export interface LlmCallOptions {
  /** What the call is for (ask, summary, extract, analysis:concepts): shown in the activity panel and the ledger. */
  purpose?: string;
  /** 'bypass' neither reads nor writes the cache; 'refresh' skips the read but stores the new answer. */
  cache?: CacheMode;
  signal?: AbortSignal;
  /** Streams the answer: called with each text delta (once with the whole text on a cache hit). */
  onDelta?: (text: string) => void;
  projectId?: number | null;
  /** Told what a call cut short after it began streaming (stopped, or failed mid-answer) was billed: estimated from the text streamed. */
  onCutShort?: (spent: { costUsd: number; tokensIn: number; tokensOut: number }) => void;
}

export interface LlmAnswer extends ChatResult {
  costUsd: number;
  cached: boolean;
  callId: number | null;
  tookMs: number;
}

export interface EmbedAnswer {
  vectors: number[][];
  costUsd: number;
  /** How many of the texts came from the cache. */
  cachedCount: number;
  model: string;
}

export interface LlmServiceDeps {
  db: Db;
  settings: LlmSettings;
  limits: () => BudgetLimits;
  emit?: (event: 'llm/call', data: LlmCallEvent) => void;
  log?: Pick<Logger, 'info' | 'warn' | 'debug'>;
  now?: () => Date;
}

const EMBED_BATCH = 256;

export class LlmService {
  readonly budget: BudgetLedger;
  readonly cache: LlmCache;
  readonly analysis: AnalysisCache;
  readonly prices: PriceTable;
  readonly tools = new ToolRegistry();
  private providerInstance: LlmProvider | null = null;
  /** What the client in providerInstance was made from; settings changed since (settings/set) make a new one. */
  private providerFrom = '';

  constructor(private readonly deps: LlmServiceDeps) {
    const s = deps.settings;
    // Mira registers its key too; this covers the service used on its own (benchmarks, tools).
    registerSecret(s.apiKey);
    this.prices = new PriceTable(s.prices);
    this.budget = new BudgetLedger(deps.db, { limits: deps.limits, now: deps.now });
    this.cache = new LlmCache(deps.db, { ttlMs: s.cacheTtlMs, maxEntries: s.cacheMaxEntries, maxBytes: s.cacheMaxBytes, now: deps.now ? () => deps.now!().getTime() : undefined });
    this.analysis = new AnalysisCache(deps.db);
    // Holds left by a process that died stop counting once expired; marking them keeps the ledger honest.
    try {
      this.budget.sweep();
    } catch {
      /* a busy database only delays the sweep */
    }
  }

  get settings(): LlmSettings {
    return this.deps.settings;
  }

  configured(): boolean {
    return !!this.deps.settings.apiKey;
  }

  provider(): LlmProvider {
    if (!this.configured()) throw notConfigured();
    const s = this.deps.settings;
    const from = JSON.stringify([s.apiKey, s.baseURL, s.timeoutMs, s.idleTimeoutMs, s.maxRetries, s.retryBaseMs]);
    if (!this.providerInstance || from !== this.providerFrom) {
      registerSecret(s.apiKey);
      this.providerFrom = from;
      this.providerInstance = new LlmProvider({
        apiKey: s.apiKey,
        baseURL: s.baseURL,
        timeoutMs: s.timeoutMs,
        idleTimeoutMs: s.idleTimeoutMs,
        maxRetries: s.maxRetries,
        retryBaseMs: s.retryBaseMs,
        onRetry: (r) => this.deps.log?.warn({ attempt: r.attempt, delay_ms: r.delayMs, reason: scrub(r.reason) }, 'llm call retried'),
      });
    }
    return this.providerInstance;
  }

  /** The cache key of a chat request: everything that changes the answer, nothing that does not (purpose, streaming). */
  chatKey(p: ChatParams): string {
    return requestKey({
      v: 1,
      kind: 'chat',
      server: this.deps.settings.baseURL ?? null,
      model: p.model,
      effort: mapEffort(p.model, p.effort) ?? null,
      messages: p.messages,
      tools: p.tools ?? null,
      tool_choice: p.toolChoice ?? null,
      temperature: p.temperature ?? null,
      max_output_tokens: p.maxOutputTokens ?? null,
      response_format: p.responseFormat ?? null,
    });
  }

  /** Input tokens (o200k_base, exact), the output expected from recent calls (capped by the max: see
   * expectedOutputTokens in budget.ts), and what the call is expected to cost, which is what gets reserved. */
  async estimate(p: ChatParams): Promise<{ tokensIn: number; maxOut: number; expectedOut: number; usd: number }> {
    await loadEncoder();
    const tokensIn = countMessageTokens(p.messages, p.tools);
    const maxOut = p.maxOutputTokens ?? defaultOutputReserve(p.model, p.effort);
    const expectedOut = this.budget.expectedOutput(p.model, maxOut);
    return { tokensIn, maxOut, expectedOut, usd: this.prices.cost(p.model, { input: tokensIn, output: expectedOut }) };
  }

  async chat(req: ChatRequest, opts: LlmCallOptions = {}): Promise<LlmAnswer> {
    if (!this.configured()) throw notConfigured();
    const s = this.deps.settings;
    const p: ChatParams = {
      model: req.model ?? s.model,
      effort: req.effort ?? s.effort,
      messages: req.messages,
      tools: req.tools?.length ? req.tools : undefined,
      toolChoice: req.tools?.length ? req.toolChoice : undefined,
      temperature: req.temperature,
      maxOutputTokens: req.maxOutputTokens,
      responseFormat: req.responseFormat,
    };
    const effort = mapEffort(p.model, p.effort) ?? null;
    const mode = opts.cache ?? 'default';
    const started = performance.now();
    const key = this.chatKey(p);

    if (mode === 'default') {
      const hit = this.cache.lookup<ChatResult>('chat', key);
      if (hit) {
        this.budget.recordCached({ kind: 'chat', model: p.model, effort, purpose: opts.purpose, savedUsd: hit.costUsd, tokensIn: hit.tokensIn, tokensOut: hit.tokensOut, projectId: opts.projectId });
        if (hit.value.content) opts.onDelta?.(hit.value.content);
        const tookMs = Math.round(performance.now() - started);
        this.event({ id: null, kind: 'chat', purpose: opts.purpose ?? null, model: p.model, effort, status: 'cached', tokens_in: hit.tokensIn, tokens_out: hit.tokensOut, cost_usd: 0, took_ms: tookMs });
        return { ...hit.value, costUsd: 0, cached: true, callId: null, tookMs };
      }
    }

    const est = await this.estimate(p);
    const reservation = this.reserve('chat', p.model, effort, est.usd, opts);
    const provider = this.provider();
    let partial = '';
    const estimateUsage = (content: string, calls: unknown[]): Usage => ({
      input: est.tokensIn,
      output: countTokens(content) + (calls.length ? countTokens(JSON.stringify(calls)) : 0),
      cached: 0,
      reasoning: 0,
      estimated: true,
    });
    let result: ChatResult;
    try {
      if (opts.onDelta) {
        let done: ChatResult | null = null;
        for await (const ev of provider.chatStream(p, { signal: opts.signal, estimateUsage })) {
          if (ev.type === 'delta') {
            partial += ev.text;
            opts.onDelta(ev.text);
          } else done = ev.result;
        }
        if (!done) throw new MiraError('llm_error', 'the stream ended without an answer');
        result = done;
      } else {
        result = await provider.chat(p, { signal: opts.signal, estimateUsage });
      }
    } catch (e) {
      const err = MiraError.from(e);
      const tookMs = Math.round(performance.now() - started);
      if (partial) {
        // Tokens already streamed were generated and billed even though the answer was cut short.
        const u = estimateUsage(partial, []);
        const cost = this.prices.cost(p.model, { input: u.input, output: u.output });
        this.budget.settle(reservation.id, { tokensIn: u.input, tokensOut: u.output, costUsd: cost, estimated: true, tookMs });
        try {
          opts.onCutShort?.({ costUsd: cost, tokensIn: u.input, tokensOut: u.output });
        } catch {
          /* reporting the spend must not hide the call's own error */
        }
      } else {
        this.budget.release(reservation.id, `${err.code}: ${err.message}`, tookMs);
      }
      this.event({ id: reservation.id, kind: 'chat', purpose: opts.purpose ?? null, model: p.model, effort, status: 'error', tokens_in: 0, tokens_out: 0, cost_usd: 0, took_ms: tookMs, error: scrub(err.message) });
      this.deps.log?.warn({ purpose: opts.purpose, model: p.model, code: err.code, error: scrub(err.message), took_ms: tookMs }, 'llm call failed');
      throw err;
    }
    const tookMs = Math.round(performance.now() - started);
    const cost = this.prices.cost(p.model, { input: result.usage.input, output: result.usage.output, cached: result.usage.cached });
    this.budget.settle(reservation.id, {
      tokensIn: result.usage.input,
      tokensOut: result.usage.output,
      tokensCached: result.usage.cached,
      tokensReasoning: result.usage.reasoning,
      costUsd: cost,
      estimated: result.usage.estimated,
      tookMs,
    });
    // Only complete answers are worth replaying; a filtered one might pass next time.
    if (mode !== 'bypass' && result.finishReason !== 'content_filter') {
      this.cache.store('chat', key, { model: p.model, value: result, costUsd: cost, tokensIn: result.usage.input, tokensOut: result.usage.output });
    }
    this.event({ id: reservation.id, kind: 'chat', purpose: opts.purpose ?? null, model: p.model, effort, status: 'ok', tokens_in: result.usage.input, tokens_out: result.usage.output, cost_usd: cost, took_ms: tookMs });
    this.deps.log?.info({ purpose: opts.purpose, model: p.model, effort, tokens_in: result.usage.input, tokens_out: result.usage.output, cost_usd: cost, took_ms: tookMs }, 'llm call');
    return { ...result, costUsd: cost, cached: false, callId: reservation.id, tookMs };
  }

  /** Embeds texts with a server model; each text is cached on its own, so only new texts are sent. */
  async embed(texts: string[], opts: LlmCallOptions & { model?: string } = {}): Promise<EmbedAnswer> {
    if (!this.configured()) throw notConfigured();
    const model = opts.model ?? this.deps.settings.embeddingModel;
    if (!model || model === 'local') {
      throw new MiraError('bad_request', 'MIRA_EMBEDDING_MODEL is "local": embeddings are computed by the built-in embedder, not the LLM server', 'set MIRA_EMBEDDING_MODEL to a server model such as text-embedding-3-small to embed with the server');
    }
    const mode = opts.cache ?? 'default';
    const vectors: (number[] | undefined)[] = new Array(texts.length);
    const keys = texts.map((t) => requestKey({ v: 1, kind: 'embedding', server: this.deps.settings.baseURL ?? null, model, text: t }));
    let saved = 0;
    let hits = 0;
    if (mode === 'default') {
      keys.forEach((k, i) => {
        const hit = this.cache.lookup<number[]>('embedding', k);
        if (hit) {
          vectors[i] = hit.value;
          saved += hit.costUsd;
          hits++;
        }
      });
      if (hits) this.budget.recordCached({ kind: 'embedding', model, purpose: opts.purpose, savedUsd: saved, projectId: opts.projectId });
    }
    const missing = texts.map((_, i) => i).filter((i) => !vectors[i]);
    let cost = 0;
    await loadEncoder();
    for (let at = 0; at < missing.length; at += EMBED_BATCH) {
      const idx = missing.slice(at, at + EMBED_BATCH);
      const batch = idx.map((i) => texts[i]!);
      const tokensEst = batch.reduce((n, t) => n + countTokens(t), 0);
      const reservation = this.reserve('embedding', model, null, this.prices.cost(model, { input: tokensEst, output: 0 }), opts);
      const started = performance.now();
      try {
        const res = await this.provider().embed(model, batch, { signal: opts.signal });
        const tokens = res.usage.input || tokensEst;
        const c = this.prices.cost(model, { input: tokens, output: 0 });
        cost += c;
        const tookMs = Math.round(performance.now() - started);
        this.budget.settle(reservation.id, { tokensIn: tokens, tokensOut: 0, costUsd: c, estimated: !res.usage.input, tookMs });
        idx.forEach((i, j) => {
          const v = res.vectors[j];
          if (!v) throw new MiraError('llm_error', `the server returned ${res.vectors.length} embeddings for ${batch.length} texts`);
          vectors[i] = v;
          if (mode !== 'bypass') this.cache.store('embedding', keys[i]!, { model, value: v, costUsd: c / batch.length, ttlMs: 0 });
        });
        this.event({ id: reservation.id, kind: 'embedding', purpose: opts.purpose ?? null, model, effort: null, status: 'ok', tokens_in: tokens, tokens_out: 0, cost_usd: c, took_ms: tookMs });
      } catch (e) {
        const err = MiraError.from(e);
        const tookMs = Math.round(performance.now() - started);
        this.budget.release(reservation.id, `${err.code}: ${err.message}`, tookMs);
        this.event({ id: reservation.id, kind: 'embedding', purpose: opts.purpose ?? null, model, effort: null, status: 'error', tokens_in: 0, tokens_out: 0, cost_usd: 0, took_ms: tookMs, error: scrub(err.message) });
        throw err;
      }
    }
    return { vectors: vectors as number[][], costUsd: cost, cachedCount: hits, model };
  }

  async models(): Promise<string[]> {
    return this.provider().models();
  }

  private reserve(kind: CallKind, model: string, effort: string | null, usdEstimate: number, opts: LlmCallOptions) {
    try {
      return this.budget.reserve({ kind, model, effort, purpose: opts.purpose, estimateUsd: usdEstimate, projectId: opts.projectId });
    } catch (e) {
      const err = MiraError.from(e);
      this.event({ id: null, kind, purpose: opts.purpose ?? null, model, effort, status: 'refused', tokens_in: 0, tokens_out: 0, cost_usd: 0, took_ms: 0, error: err.message });
      this.deps.log?.warn({ purpose: opts.purpose, model, code: err.code, error: err.message }, 'llm call refused');
      throw err;
    }
  }

  private event(e: Omit<LlmCallEvent, 'at'>): void {
    try {
      this.deps.emit?.('llm/call', { ...e, at: new Date().toISOString() });
    } catch {
      /* the activity panel must never break a call */
    }
  }
}
