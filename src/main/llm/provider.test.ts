// The provider against a local OpenAI-compatible server through the real openai SDK: streaming, tool calls, effort mapping, retries, timeouts and errors.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiServer, type OpenAiServer } from '../../../test/helpers/openai-server';
import { MiraError } from '../../shared/errors';
import { mapEffort, modelFamily, PriceTable } from './models';
import { LlmProvider, type StreamEvent } from './provider';

const KEY = 'sk-test-provider-0123456789';

async function collect(it: AsyncIterable<StreamEvent>): Promise<{ text: string; deltas: number; done: Extract<StreamEvent, { type: 'done' }>['result'] }> {
  let text = '';
  let deltas = 0;
  let done: Extract<StreamEvent, { type: 'done' }>['result'] | null = null;
  for await (const ev of it) {
    if (ev.type === 'delta') {
      text += ev.text;
      deltas++;
    } else done = ev.result;
  }
  return { text, deltas, done: done! };
}

async function caught(p: Promise<unknown>): Promise<MiraError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(MiraError);
    return e as MiraError;
  }
  throw new Error('expected a failure');
}

describe('model families and efforts', () => {
  it('maps reasoning effort per family, and omits it for non-reasoning models', () => {
    expect(modelFamily('gpt-5.1')).toBe('gpt5x');
    expect(modelFamily('gpt-5-mini')).toBe('gpt5');
    expect(modelFamily('openai/gpt-5')).toBe('gpt5');
    expect(modelFamily('gpt-5.1-chat-latest')).toBe('plain');
    expect(modelFamily('o4-mini')).toBe('o');
    expect(modelFamily('llama3.1:8b')).toBe('plain');
    expect(mapEffort('gpt-5.1', 'none')).toBe('none');
    expect(mapEffort('gpt-5.1', 'minimal')).toBe('low');
    expect(mapEffort('gpt-5', 'none')).toBe('minimal');
    expect(mapEffort('gpt-5-nano', 'minimal')).toBe('minimal');
    expect(mapEffort('o3', 'minimal')).toBe('low');
    expect(mapEffort('o3', 'high')).toBe('high');
    expect(mapEffort('gpt-5-pro', 'low')).toBe('high');
    expect(mapEffort('gpt-4o', 'high')).toBeUndefined();
    expect(mapEffort('qwen2.5-coder', 'medium')).toBeUndefined();
    expect(mapEffort('o1-mini', 'high')).toBeUndefined();
  });

  it('prices known models, dated snapshots and overrides; unknown models are free', () => {
    const t = new PriceTable({ 'my-local': { input: 1, output: 2 } });
    expect(t.cost('gpt-5.1', { input: 1_000_000, output: 0 })).toBeCloseTo(1.25);
    expect(t.cost('gpt-5.1', { input: 1_000_000, output: 0, cached: 1_000_000 })).toBeCloseTo(0.125);
    expect(t.cost('gpt-4o-mini-2024-07-18', { input: 0, output: 1_000_000 })).toBeCloseTo(0.6);
    expect(t.cost('gpt-5.1-codex', { input: 0, output: 1_000_000 })).toBeCloseTo(10);
    expect(t.cost('text-embedding-3-small', { input: 1_000_000, output: 0 })).toBeCloseTo(0.02);
    expect(t.cost('llama3.1:8b', { input: 5_000_000, output: 5_000_000 })).toBe(0);
    expect(t.cost('my-local', { input: 1_000_000, output: 1_000_000 })).toBeCloseTo(3);
  });
});

describe('LlmProvider against a local OpenAI-compatible server', () => {
  let server: OpenAiServer;
  let provider: LlmProvider;

  beforeAll(async () => {
    server = await startOpenAiServer({ apiKey: KEY, models: ['gpt-5.1', 'gpt-5', 'gpt-4o', 'o3', 'llama3', 'text-embedding-3-small'] });
    provider = new LlmProvider({ apiKey: KEY, baseURL: server.url, retryBaseMs: 5, maxRetries: 3, timeoutMs: 5000, idleTimeoutMs: 5000 });
  });
  afterAll(() => server.close());

  it('sends reasoning_effort only where the model takes it, and max tokens under the right name', async () => {
    const before = server.chatRequests().length;
    await provider.chat({ model: 'gpt-5.1', effort: 'minimal', messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 50, temperature: 0.2 });
    await provider.chat({ model: 'gpt-4o', effort: 'high', messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 50, temperature: 0.2 });
    await provider.chat({ model: 'llama3', effort: 'high', messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 50 });
    const [a, b, c] = server.chatRequests().slice(before).map((r) => r.body);
    expect(a.reasoning_effort).toBe('low');
    expect(a.temperature).toBeUndefined();
    expect(a.max_completion_tokens).toBe(50);
    expect(b).not.toHaveProperty('reasoning_effort');
    expect(b.temperature).toBe(0.2);
    expect(c).not.toHaveProperty('reasoning_effort');
    expect(c.max_tokens).toBe(50);
  });

  it('answers a whole chat with usage, cached and reasoning tokens', async () => {
    server.enqueue({ content: 'Hello there', usage: { prompt_tokens: 100, completion_tokens: 40, cached_tokens: 64, reasoning_tokens: 30 } });
    const r = await provider.chat({ model: 'gpt-5.1', messages: [{ role: 'user', content: 'hi' }] });
    expect(r.content).toBe('Hello there');
    expect(r.usage).toEqual({ input: 100, output: 40, cached: 64, reasoning: 30, estimated: false });
    expect(r.finishReason).toBe('stop');
  });

  it('streams text deltas and reads the final usage chunk', async () => {
    server.enqueue({ content: 'The quick brown fox jumps over the lazy dog.', chunkSize: 5, usage: { prompt_tokens: 12, completion_tokens: 11 } });
    const r = await collect(provider.chatStream({ model: 'gpt-5.1', messages: [{ role: 'user', content: 'fox?' }] }));
    expect(r.text).toBe('The quick brown fox jumps over the lazy dog.');
    expect(r.deltas).toBeGreaterThan(5);
    expect(r.done.content).toBe(r.text);
    expect(r.done.usage).toMatchObject({ input: 12, output: 11, estimated: false });
    const body = server.chatRequests().at(-1)!.body;
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it('assembles streamed tool-call deltas into whole calls', async () => {
    server.enqueue({
      toolCalls: [
        { id: 'call_a', name: 'search', arguments: { query: 'budget ledger reservation', k: 5 } },
        { id: 'call_b', name: 'callers', arguments: { symbol: 'BudgetLedger.reserve' } },
      ],
    });
    const tools = [
      { name: 'search', description: 'search code', parameters: { type: 'object', properties: { query: { type: 'string' } } } },
      { name: 'callers', description: 'callers', parameters: { type: 'object', properties: { symbol: { type: 'string' } } } },
    ];
    const r = await collect(provider.chatStream({ model: 'gpt-5.1', messages: [{ role: 'user', content: 'where?' }], tools }));
    expect(r.done.finishReason).toBe('tool_calls');
    expect(r.done.toolCalls).toEqual([
      { id: 'call_a', name: 'search', arguments: JSON.stringify({ query: 'budget ledger reservation', k: 5 }) },
      { id: 'call_b', name: 'callers', arguments: JSON.stringify({ symbol: 'BudgetLedger.reserve' }) },
    ]);
    expect(server.chatRequests().at(-1)!.body.tools[0]).toEqual({ type: 'function', function: tools[0] });
  });

  it('estimates usage when a server streams none', async () => {
    server.enqueue({ content: 'no usage here', usage: null });
    const r = await collect(provider.chatStream({ model: 'llama3', messages: [{ role: 'user', content: 'x' }] }, { estimateUsage: (c) => ({ input: 7, output: c.length, cached: 0, reasoning: 0, estimated: true }) }));
    expect(r.done.usage).toEqual({ input: 7, output: 13, cached: 0, reasoning: 0, estimated: true });
  });

  it('retries 429 (honouring retry-after-ms) and 5xx with backoff, then succeeds', async () => {
    const retries: number[] = [];
    const p = new LlmProvider({ apiKey: KEY, baseURL: server.url, retryBaseMs: 5, maxRetries: 3, onRetry: (r) => retries.push(r.delayMs) });
    const before = server.chatRequests().length;
    server.enqueue({ status: 429, headers: { 'retry-after-ms': '30' }, error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, { status: 500 }, { status: 503 }, { content: 'finally' });
    const r = await p.chat({ model: 'gpt-5.1', messages: [{ role: 'user', content: 'x' }] });
    expect(r.content).toBe('finally');
    expect(server.chatRequests().length - before).toBe(4);
    expect(retries).toHaveLength(3);
    expect(retries[0]).toBe(30);
  });

  it('retries a stream that fails before its first chunk', async () => {
    server.enqueue({ status: 502 }, { content: 'streamed after retry' });
    const r = await collect(provider.chatStream({ model: 'gpt-5.1', messages: [{ role: 'user', content: 'x' }] }));
    expect(r.text).toBe('streamed after retry');
  });

  it('gives up after maxRetries with a clear error', async () => {
    const p = new LlmProvider({ apiKey: KEY, baseURL: server.url, retryBaseMs: 1, maxRetries: 2 });
    const before = server.chatRequests().length;
    server.enqueue({ status: 500 }, { status: 500 }, { status: 500 });
    const e = await caught(p.chat({ model: 'gpt-5.1', messages: [{ role: 'user', content: 'x' }] }));
    expect(e.code).toBe('llm_error');
    expect(e.message).toMatch(/failed \(500\)/);
    expect(server.chatRequests().length - before).toBe(3);
  });

  it('fails at once when the server asks to wait too long, and never retries an exhausted quota', async () => {
    const p = new LlmProvider({ apiKey: KEY, baseURL: server.url, retryBaseMs: 1, maxRetryAfterMs: 1000 });
    server.enqueue({ status: 429, headers: { 'retry-after': '120' } });
    const e = await caught(p.chat({ model: 'gpt-5.1', messages: [{ role: 'user', content: 'x' }] }));
    expect(e.code).toBe('rate_limited');
    expect(e.message).toMatch(/wait 120 s/);
    const before = server.chatRequests().length;
    server.enqueue({ status: 429, error: { message: 'You exceeded your current quota', code: 'insufficient_quota', type: 'insufficient_quota' } });
    const q = await caught(p.chat({ model: 'gpt-5.1', messages: [{ role: 'user', content: 'x' }] }));
    expect(q.message).toMatch(/quota/);
    expect(server.chatRequests().length - before).toBe(1);
  });

  it('times out a call that does not answer, and a stream that goes silent', async () => {
    const p = new LlmProvider({ apiKey: KEY, baseURL: server.url, timeoutMs: 150, idleTimeoutMs: 150, maxRetries: 0 });
    server.enqueue({ delayMs: 1500 });
    const t0 = Date.now();
    const e = await caught(p.chat({ model: 'gpt-5.1', messages: [{ role: 'user', content: 'x' }] }));
    expect(e.code).toBe('timeout');
    expect(e.message).toMatch(/did not answer within 150 ms/);
    expect(Date.now() - t0).toBeLessThan(1400);
    server.enqueue({ content: 'this stream will stall', stallAfterChunks: 2 });
    const s = await caught(collect(p.chatStream({ model: 'gpt-5.1', messages: [{ role: 'user', content: 'x' }] })));
    expect(s.code).toBe('timeout');
    expect(s.message).toMatch(/stopped sending/);
  });

  it('stops a stream when the caller aborts', async () => {
    const ac = new AbortController();
    server.enqueue({ content: 'a long answer '.repeat(50), chunkSize: 3, chunkDelayMs: 5 });
    let seen = 0;
    const run = (async () => {
      for await (const ev of provider.chatStream({ model: 'gpt-5.1', messages: [{ role: 'user', content: 'x' }] }, { signal: ac.signal })) {
        if (ev.type === 'delta' && ++seen === 3) ac.abort();
      }
    })();
    const e = await caught(run);
    expect(e.code).toBe('cancelled');
  });

  it('a bad key is a clear unauthorized error that never repeats the key', async () => {
    const p = new LlmProvider({ apiKey: 'sk-wrong-key-abcdefghijklmnop', baseURL: server.url, maxRetries: 3, retryBaseMs: 1 });
    const before = server.chatRequests().length;
    const e = await caught(p.chat({ model: 'gpt-5.1', messages: [{ role: 'user', content: 'x' }] }));
    expect(e.code).toBe('unauthorized');
    expect(e.message).toMatch(/rejected the API key \(401\)/);
    expect(e.hint).toMatch(/OPENAI_API_KEY/);
    expect(JSON.stringify(e.toJSON())).not.toContain('sk-wrong-key-abcdefghijklmnop');
    expect(server.chatRequests().length - before).toBe(1);
  });

  it('a model the server lacks is named, with the models it has as the hint', async () => {
    const e = await caught(provider.chat({ model: 'gpt-9-imaginary', messages: [{ role: 'user', content: 'x' }] }));
    expect(e.code).toBe('llm_model_not_found');
    expect(e.message).toMatch(/model gpt-9-imaginary is not available/);
    expect(e.hint).toMatch(/MIRA_MODEL.*gpt-5\.1/);
  });

  it('an unreachable server fails fast with the address and what to check', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const p = new LlmProvider({ apiKey: KEY, baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 3, retryBaseMs: 200 });
    const t0 = Date.now();
    const e = await caught(p.chat({ model: 'gpt-5.1', messages: [{ role: 'user', content: 'x' }] }));
    expect(e.code).toBe('llm_unreachable');
    expect(e.message).toContain(`127.0.0.1:${port}`);
    expect(e.hint).toMatch(/OPENAI_BASE_URL/);
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it('refuses to start without a key', () => {
    expect(() => new LlmProvider({ apiKey: undefined })).toThrow(expect.objectContaining({ code: 'llm_not_configured', hint: expect.stringMatching(/OPENAI_API_KEY/) }));
  });

  it('embeds texts and lists models', async () => {
    const r = await provider.embed('text-embedding-3-small', ['alpha beta', 'gamma']);
    expect(r.vectors).toHaveLength(2);
    expect(r.vectors[0]).toHaveLength(16);
    expect(r.usage.input).toBeGreaterThan(0);
    expect(await provider.models()).toContain('gpt-5.1');
  });
});
