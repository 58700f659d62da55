// The one door to an OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp, LM Studio): chat whole or streamed, tool calls, embeddings, models; retries, timeouts and clear errors.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { MiraError } from '../../shared/errors';
import { scrub } from '../log';
import { mapEffort, modelFamily, type Effort } from './models';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface ToolCall {
  id: string;
  name: string;
  /** The raw JSON text the model wrote; parse it where it is used, since models sometimes write invalid JSON. */
  arguments: string;
}

export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] }
  | { role: 'tool'; content: string; tool_call_id: string };

export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ChatParams {
  model: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  toolChoice?: 'auto' | 'none' | 'required';
  effort?: Effort;
  temperature?: number;
  maxOutputTokens?: number;
  responseFormat?: 'text' | 'json';
}

export interface Usage {
  input: number;
  output: number;
  /** Input tokens the server served from its own prompt cache (billed at the cached rate). */
  cached: number;
  /** Output tokens spent on hidden reasoning (already part of `output`). */
  reasoning: number;
  /** True when the server sent no usage and the numbers were counted locally. */
  estimated: boolean;
}

export interface ChatResult {
  content: string;
  toolCalls: ToolCall[];
  finishReason: string | null;
  usage: Usage;
  model: string;
}

export type StreamEvent = { type: 'delta'; text: string } | { type: 'done'; result: ChatResult };

export interface EmbeddingResult {
  vectors: number[][];
  usage: { input: number };
  model: string;
}

export interface ProviderOptions {
  apiKey: string | undefined;
  baseURL?: string;
  /** Longest wait for a whole answer, or for the first byte of a stream. */
  timeoutMs?: number;
  /** Longest silence allowed between two chunks of a stream. */
  idleTimeoutMs?: number;
  maxRetries?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** A server asking us to wait longer than this fails at once instead of hanging the user. */
  maxRetryAfterMs?: number;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

export interface CallOpts {
  signal?: AbortSignal;
  /** Counts the output locally when a stream ends without a usage chunk. */
  estimateUsage?: (content: string, toolCalls: ToolCall[]) => Usage;
}

/** A provider failure with what the retry loop needs to know. */
export class LlmCallError extends MiraError {
  constructor(
    code: string,
    message: string,
    hint: string | undefined,
    readonly status: number | undefined,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(code, message, hint);
  }
}

export function notConfigured(): MiraError {
  return new MiraError(
    'llm_not_configured',
    'no LLM is configured (OPENAI_API_KEY is not set)',
    'set OPENAI_API_KEY (and OPENAI_BASE_URL for a local server such as Ollama, vLLM or llama.cpp, which accept any key) or add openaiApiKey to config.json',
  );
}

export class LlmProvider {
  private readonly client: OpenAI;
  readonly baseURL: string;
  private readonly opts: Required<Omit<ProviderOptions, 'apiKey' | 'baseURL' | 'onRetry'>> & Pick<ProviderOptions, 'onRetry'>;

  constructor(options: ProviderOptions) {
    if (!options.apiKey) throw notConfigured();
    this.baseURL = (options.baseURL || OPENAI_BASE_URL).replace(/\/+$/, '');
    this.opts = {
      timeoutMs: options.timeoutMs ?? 300_000,
      idleTimeoutMs: options.idleTimeoutMs ?? 120_000,
      maxRetries: options.maxRetries ?? 3,
      retryBaseMs: options.retryBaseMs ?? 500,
      retryMaxMs: options.retryMaxMs ?? 20_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      onRetry: options.onRetry,
    };
    // Everything is passed explicitly so the SDK never reads OPENAI_* variables behind our back; its own retries
    // are off because ours also cover streams and map errors for people.
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: this.baseURL,
      organization: null,
      project: null,
      maxRetries: 0,
      timeout: this.opts.timeoutMs,
    });
  }

  /** The server's address as it may be shown to people (no credentials). */
  get displayURL(): string {
    return displayUrl(this.baseURL);
  }

  private isOpenAi(): boolean {
    return /(^|\.)openai\.com$/i.test(safeHost(this.baseURL));
  }

  /** The request body for chat completions, with parameters fitted to the model's family. */
  buildBody(p: ChatParams, stream: boolean): Record<string, unknown> {
    const family = modelFamily(p.model);
    const body: Record<string, unknown> = { model: p.model, messages: p.messages.map(toWire) };
    const effort = mapEffort(p.model, p.effort);
    if (effort) body.reasoning_effort = effort;
    // Reasoning models reject sampling parameters; the rest take them.
    if (p.temperature !== undefined && family === 'plain') body.temperature = p.temperature;
    if (p.maxOutputTokens) {
      // o-series and GPT-5 require max_completion_tokens; many local servers only know max_tokens.
      body[family === 'plain' && !this.isOpenAi() ? 'max_tokens' : 'max_completion_tokens'] = p.maxOutputTokens;
    }
    if (p.tools?.length) {
      body.tools = p.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
      if (p.toolChoice) body.tool_choice = p.toolChoice;
    }
    if (p.responseFormat === 'json') body.response_format = { type: 'json_object' };
    if (stream) {
      body.stream = true;
      body.stream_options = { include_usage: true };
    }
    return body;
  }

  async chat(p: ChatParams, o: CallOpts = {}): Promise<ChatResult> {
    const body = this.buildBody(p, false);
    const res = await this.withRetry(p.model, o.signal, (signal) =>
      this.client.chat.completions.create(body as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, { signal }),
    );
    const choice = res.choices?.[0];
    const content = choice?.message?.content ?? '';
    const toolCalls: ToolCall[] = (choice?.message?.tool_calls ?? []).flatMap((c) =>
      c.type === 'function' ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments ?? '' }] : [],
    );
    const usage = res.usage ? usageFrom(res.usage) : (o.estimateUsage?.(content, toolCalls) ?? emptyUsage(true));
    return { content, toolCalls, finishReason: choice?.finish_reason ?? null, usage, model: res.model || p.model };
  }

  /**
   * Streams a chat completion: text deltas as they come, then one `done` with the whole result.
   * A failure before the first chunk is retried like any call; after it, retrying would repeat text already shown.
   */
  async *chatStream(p: ChatParams, o: CallOpts = {}): AsyncGenerator<StreamEvent> {
    const body = this.buildBody(p, true);
    const stream = await this.withRetry(p.model, o.signal, (signal) =>
      this.client.chat.completions.create(body as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming, { signal }),
    );
    let content = '';
    let finishReason: string | null = null;
    let usage: Usage | null = null;
    let model = p.model;
    const calls = new Map<number, { id: string; name: string; arguments: string }>();
    let idleFired = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        idleFired = true;
        stream.controller.abort();
      }, this.opts.idleTimeoutMs);
    };
    const onAbort = () => stream.controller.abort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    arm();
    try {
      for await (const chunk of stream) {
        arm();
        if (chunk.model) model = chunk.model;
        if (chunk.usage) usage = usageFrom(chunk.usage);
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        if (choice.finish_reason) finishReason = choice.finish_reason;
        const d = choice.delta;
        if (d?.content) {
          content += d.content;
          yield { type: 'delta', text: d.content };
        }
        for (const tc of d?.tool_calls ?? []) {
          const cur = calls.get(tc.index) ?? { id: '', name: '', arguments: '' };
          if (tc.id) cur.id = tc.id;
          if (tc.function?.name) cur.name += tc.function.name;
          if (tc.function?.arguments) cur.arguments += tc.function.arguments;
          calls.set(tc.index, cur);
        }
      }
    } catch (e) {
      throw this.mapError(e, p.model, { idleFired, signal: o.signal });
    } finally {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
    }
    // The SDK ends the iteration quietly when its controller is aborted, so the reason is checked here.
    if (idleFired) throw this.timeoutError(true);
    if (o.signal?.aborted) throw new LlmCallError('cancelled', 'the answer was stopped', undefined, undefined, false);
    const toolCalls = [...calls.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([i, c]) => ({ id: c.id || `call_${i}`, name: c.name, arguments: c.arguments }));
    const final = usage ?? o.estimateUsage?.(content, toolCalls) ?? emptyUsage(true);
    yield { type: 'done', result: { content, toolCalls, finishReason, usage: final, model } };
  }

  async embed(model: string, input: string[], o: CallOpts = {}): Promise<EmbeddingResult> {
    const res = await this.withRetry(model, o.signal, (signal) => this.client.embeddings.create({ model, input, encoding_format: 'float' }, { signal }));
    const vectors: number[][] = [];
    for (const d of res.data) vectors[d.index] = d.embedding as number[];
    return { vectors, usage: { input: res.usage?.prompt_tokens ?? 0 }, model: res.model || model };
  }

  async models(o: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<string[]> {
    const out: string[] = [];
    const page = await this.withRetry('', o.signal, (signal) => this.client.models.list({ signal, timeout: o.timeoutMs ?? this.opts.timeoutMs }));
    for (const m of page.data) out.push(m.id);
    return out.sort();
  }

  /** Model names for a "did you mean" hint; never fails. */
  private async knownModels(): Promise<string[]> {
    try {
      return await this.models({ timeoutMs: 5000 });
    } catch {
      return [];
    }
  }

  private async withRetry<T>(model: string, signal: AbortSignal | undefined, fn: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new LlmCallError('cancelled', 'the call was stopped', undefined, undefined, false);
      try {
        return await fn(signal);
      } catch (e) {
        let err = this.mapError(e, model, { signal });
        if (err.code === 'llm_model_not_found') err = await this.withModelHint(err);
        if (!err.retryable || attempt >= this.opts.maxRetries) throw err;
        let delay = Math.min(this.opts.retryMaxMs, this.opts.retryBaseMs * 2 ** attempt) * (0.8 + Math.random() * 0.4);
        if (err.retryAfterMs !== undefined) {
          if (err.retryAfterMs > this.opts.maxRetryAfterMs) {
            throw new LlmCallError(err.code, `${err.message}; the server asks to wait ${Math.ceil(err.retryAfterMs / 1000)} s`, err.hint, err.status, false);
          }
          delay = err.retryAfterMs;
        }
        this.opts.onRetry?.({ attempt: attempt + 1, delayMs: Math.round(delay), reason: err.message });
        await sleep(delay, signal);
      }
    }
  }

  private async withModelHint(err: LlmCallError): Promise<LlmCallError> {
    const names = await this.knownModels();
    const hint = names.length
      ? `set MIRA_MODEL (or model in config.json) to one the server has: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', ...' : ''}`
      : `set MIRA_MODEL (or model in config.json) to a model ${this.displayURL} serves`;
    return new LlmCallError(err.code, err.message, hint, err.status, false);
  }

  private timeoutError(idle: boolean): LlmCallError {
    const ms = idle ? this.opts.idleTimeoutMs : this.opts.timeoutMs;
    return new LlmCallError(
      'timeout',
      idle
        ? `the LLM server at ${this.displayURL} stopped sending for ${fmtSeconds(ms)} in the middle of an answer`
        : `the LLM server at ${this.displayURL} did not answer within ${fmtSeconds(ms)}`,
      'check that the server is up and not overloaded, or raise llm.timeoutMs in config.json',
      undefined,
      false,
    );
  }

  /** Turns whatever the SDK or the network threw into a LlmCallError a person can act on, with secrets scrubbed. */
  mapError(e: unknown, model: string, ctx: { idleFired?: boolean; signal?: AbortSignal } = {}): LlmCallError {
    if (e instanceof LlmCallError) return e;
    if (ctx.idleFired) return this.timeoutError(true);
    if (e instanceof APIConnectionTimeoutError) return this.timeoutError(false);
    if (e instanceof APIUserAbortError || (e instanceof Error && e.name === 'AbortError') || ctx.signal?.aborted) {
      return new LlmCallError('cancelled', 'the call was stopped', undefined, undefined, false);
    }
    const where = this.displayURL;
    if (e instanceof APIConnectionError) {
      const code = causeCode(e);
      const detail = code ?? innermostMessage(e);
      // A refused, unknown or forbidden address will not fix itself in a second; a reset connection might.
      const retryable = code
        ? !['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_INVALID_URL'].includes(code)
        : !/bad port|invalid url|unsupported protocol/i.test(detail ?? '');
      return new LlmCallError(
        'llm_unreachable',
        `cannot reach the LLM server at ${where}${detail ? ` (${scrub(detail)})` : ''}`,
        'check OPENAI_BASE_URL (it usually ends in /v1) and that the server is running and reachable',
        undefined,
        retryable,
      );
    }
    if (e instanceof APIError) {
      const status = e.status ?? 0;
      const serverMsg = scrub(extractMessage(e)).slice(0, 300);
      const errCode = typeof e.code === 'string' ? e.code : '';
      if (status === 401) {
        return new LlmCallError('unauthorized', `the LLM server at ${where} rejected the API key (401)${serverMsg ? `: ${serverMsg}` : ''}`, 'check OPENAI_API_KEY (or openaiApiKey in config.json)', 401, false);
      }
      if (status === 403) {
        return new LlmCallError('unauthorized', `the LLM server at ${where} refused the request (403)${serverMsg ? `: ${serverMsg}` : ''}`, 'check that the key may use this model and endpoint', 403, false);
      }
      if (status === 404) {
        if (errCode === 'model_not_found' || /model/i.test(serverMsg)) {
          return new LlmCallError('llm_model_not_found', `model ${model} is not available at ${where}${serverMsg ? `: ${serverMsg}` : ''}`, undefined, 404, false);
        }
        return new LlmCallError('llm_error', `the LLM server at ${where} has no such endpoint (404)`, 'OPENAI_BASE_URL usually ends in /v1', 404, false);
      }
      if (status === 429) {
        const quota = errCode === 'insufficient_quota' || /quota/i.test(serverMsg);
        return new LlmCallError(
          'rate_limited',
          quota ? `the LLM account is out of quota${serverMsg ? `: ${serverMsg}` : ''}` : `the LLM server at ${where} is rate limiting requests (429)`,
          quota ? 'check the plan and billing of the account behind OPENAI_API_KEY' : 'wait a moment and try again',
          429,
          !quota,
          retryAfter(e.headers),
        );
      }
      if (status === 408 || status === 409 || status >= 500) {
        return new LlmCallError('llm_error', `the LLM server at ${where} failed (${status})${serverMsg ? `: ${serverMsg}` : ''}`, 'try again later', status, true, retryAfter(e.headers));
      }
      if (status === 400 && /context|maximum.*tokens|too long/i.test(serverMsg)) {
        return new LlmCallError('too_large', `the request is too long for ${model}: ${serverMsg}`, 'ask about fewer files, or use a model with a longer context', 400, false);
      }
      return new LlmCallError('llm_error', `the LLM server at ${where} refused the request (${status || 'error'})${serverMsg ? `: ${serverMsg}` : ''}`, undefined, status || undefined, false);
    }
    const msg = scrub(e instanceof Error ? e.message : String(e));
    return new LlmCallError('llm_error', `LLM call failed: ${msg}`, undefined, undefined, false);
  }
}

function toWire(m: ChatMessage): Record<string, unknown> {
  if (m.role === 'assistant') {
    const out: Record<string, unknown> = { role: 'assistant', content: m.content };
    if (m.tool_calls?.length) out.tool_calls = m.tool_calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
    return out;
  }
  if (m.role === 'tool') return { role: 'tool', content: m.content, tool_call_id: m.tool_call_id };
  return { role: m.role, content: m.content };
}

function usageFrom(u: OpenAI.CompletionUsage): Usage {
  return {
    input: u.prompt_tokens ?? 0,
    output: u.completion_tokens ?? 0,
    cached: u.prompt_tokens_details?.cached_tokens ?? 0,
    reasoning: u.completion_tokens_details?.reasoning_tokens ?? 0,
    estimated: false,
  };
}

function emptyUsage(estimated: boolean): Usage {
  return { input: 0, output: 0, cached: 0, reasoning: 0, estimated };
}

function extractMessage(e: APIError): string {
  const body = e.error as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string') return body.message;
  return (e.message || '').replace(/^\d{3}\s*/, '');
}

/** `retry-after-ms` (OpenAI's), then `retry-after` in seconds or as an HTTP date. */
function retryAfter(headers: Headers | undefined): number | undefined {
  if (!headers || typeof headers.get !== 'function') return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const ra = headers.get('retry-after');
  if (!ra) return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(ra);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

function causeCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    const c = (cur as { code?: unknown }).code;
    if (typeof c === 'string' && /^[A-Z_]+$/.test(c)) return c;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The deepest cause's message ("bad port", "socket hang up"), when no error code says more. */
function innermostMessage(e: unknown): string | undefined {
  let msg: string | undefined;
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    const m = (cur as { message?: unknown }).message;
    if (typeof m === 'string' && m && !/^(connection error\.?|fetch failed)$/i.test(m)) msg = m;
    cur = (cur as { cause?: unknown }).cause;
  }
  return msg;
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return scrub(u.toString().replace(/\/+$/, ''));
  } catch {
    return scrub(url);
  }
}

function fmtSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new LlmCallError('cancelled', 'the call was stopped', undefined, undefined, false));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new LlmCallError('cancelled', 'the call was stopped', undefined, undefined, false));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
