// The assistant end to end through its API handlers against a local OpenAI-compatible server: streamed answers, memory context, tools and confirmation, learning, summaries, stop, and no key ever on disk.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';
import { lastUserText, startOpenAiServer, systemText, type OpenAiServer, type RecordedRequest, type Reply } from '../../../test/helpers/openai-server';
import { llmEvents, llmMethods } from '../../shared/api/llm';
import { memoryMethods } from '../../shared/api/memory';
import { MiraError } from '../../shared/errors';
import { createMira, type Mira } from '../app';
import { loadConfig } from '../config';
import { coreHandlers } from '../handlers/core';
import { llmHandlers, llmServices } from '../handlers/llm';
import { memoryHandlers } from '../handlers/memory';
import { EXTRACTION_MARKER, SUMMARY_MARKER } from '../memory';

type AnySpec = { params: { parse(v: unknown): unknown }; result: { parse(v: unknown): unknown } };
const specs = { ...llmMethods, ...memoryMethods } as unknown as Record<string, AnySpec>;

interface Harness {
  mira: Mira;
  home: string;
  events: { event: string; data: unknown }[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(method: string, params?: unknown): Promise<any>;
  close(): void;
}

/** Mira with the LLM and memory handlers, called the way the router calls them: params parsed, results checked against the contract. */
function harness(project: string, env: NodeJS.ProcessEnv, configFile?: object): Harness {
  const home = tempDir('mira-home-');
  if (configFile) fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify(configFile));
  const mira = createMira({ config: loadConfig(home, env), mode: 'test', project });
  const handlers = { ...llmHandlers(mira), ...memoryHandlers(mira) } as unknown as Record<string, (p: unknown, ctx: { via: 'in-process' }) => unknown>;
  const events: { event: string; data: unknown }[] = [];
  mira.events.subscribe((event, data) => {
    const schema = (llmEvents as Record<string, { safeParse(d: unknown): { success: boolean } }>)[event];
    if (schema && !schema.safeParse(data).success) throw new Error(`event ${event} does not match the contract: ${JSON.stringify(data)}`);
    events.push({ event, data });
  });
  return {
    mira,
    home,
    events,
    call: async (method, params) => {
      const spec = specs[method]!;
      const out = await handlers[method]!(spec.params.parse(params), { via: 'in-process' });
      return spec.result.parse(out);
    },
    close: () => {
      mira.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

async function rejects(p: Promise<unknown>): Promise<MiraError> {
  try {
    await p;
  } catch (e) {
    return MiraError.from(e);
  }
  throw new Error('expected a failure');
}

/** Answers like a model: memory extraction and summaries by their markers, tools when the test asks for them. */
function responder(extra?: (req: RecordedRequest) => Reply | undefined) {
  return (req: RecordedRequest): Reply | undefined => {
    const sys = systemText(req.body);
    if (sys.includes(EXTRACTION_MARKER)) {
      const msg = req.body.messages.at(-1).content as string;
      const facts = /tabs/i.test(msg) ? [{ kind: 'profile', key: 'coding_style.indentation', value: 'tabs', decision: 'add', confidence: 0.9, scope: 'global' }] : [];
      return { content: JSON.stringify({ facts }), usage: { prompt_tokens: 50, completion_tokens: 10 } };
    }
    if (sys.includes(SUMMARY_MARKER)) return { content: 'Summary: the user asked about the ledger.' };
    return extra?.(req);
  };
}

describe('the assistant through its API', () => {
  let server: OpenAiServer;
  let repo: TestRepo;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    server = await startOpenAiServer({ apiKey: 'sk-test-chat-0000000000' });
    server.setResponder(responder());
    repo = createRepo();
    repo.write('src/ledger.ts', 'export const ledger = 1;\n');
    repo.commit('init');
    env = { OPENAI_API_KEY: 'sk-test-chat-0000000000', OPENAI_BASE_URL: server.url, MIRA_MODEL: 'gpt-4o-mini' };
  });
  afterAll(async () => {
    await server.close();
    repo.cleanup();
  });

  it('llm/ask streams the answer as chat/delta events, stores the conversation, and a repeat comes from the cache', async () => {
    const h = harness(repo.root, env);
    try {
      server.enqueue({ content: 'The ledger reserves money before each call.', chunkSize: 6 });
      const r = await h.call('llm/ask', { question: 'How does the ledger work?' });
      expect(r).toMatchObject({ answer: 'The ledger reserves money before each call.', cached: false, stopped: false });
      expect(Array.isArray(r.context)).toBe(true);
      expect(r.cost_usd).toBeGreaterThan(0);
      const deltas = h.events.filter((e) => e.event === 'chat/delta').map((e) => e.data as { conversation_id: number; delta: string });
      expect(deltas.length).toBeGreaterThan(3);
      expect(deltas.map((d) => d.delta).join('')).toBe(r.answer);
      expect(deltas.every((d) => d.conversation_id === r.conversation_id)).toBe(true);
      expect(h.events.some((e) => e.event === 'chat/done')).toBe(true);
      expect(h.events.find((e) => e.event === 'llm/call')?.data).toMatchObject({ kind: 'chat', purpose: 'ask', status: 'ok', model: 'gpt-4o-mini' });
      const conv = await h.call('chat/get', { id: r.conversation_id });
      expect(conv.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
      expect(conv.title).toBe('How does the ledger work?');
      const n = server.chatRequests().length;
      const again = await h.call('llm/ask', { question: 'How does the ledger work?' });
      expect(again).toMatchObject({ answer: r.answer, cached: true, cost_usd: 0 });
      expect(server.chatRequests().length).toBe(n);
      const nocache = await h.call('llm/ask', { question: 'How does the ledger work?', cache: false });
      expect(nocache.cached).toBe(false);
      const budget = await h.call('llm/budget');
      expect(budget).toMatchObject({ calls: 3, cache_hits: 1, configured: true, model: 'gpt-4o-mini' });
      expect(budget.cache_hit_rate).toBeCloseTo(0.5);
      expect((await h.call('chat/list')).results).toHaveLength(3);
      expect((await h.call('chat/search', { query: 'ledger reserves' })).results[0]).toMatchObject({ role: 'assistant' });
    } finally {
      h.close();
    }
  });

  it('grounds the answer in memory: relevant facts and the profile go into the prompt and the context', async () => {
    const h = harness(repo.root, env);
    try {
      await h.call('memory/set', { key: 'stack.database', value: 'postgres with row level security' });
      await h.call('memory/set', { key: 'communication_style.verbosity', value: 'concise' });
      await h.call('memory/set', { key: 'favourite_food', value: 'ramen' });
      const r = await h.call('llm/ask', { question: 'Which database should the new migration target?' });
      expect(r.context.some((c: { kind: string; text: string }) => c.kind === 'memory' && c.text.includes('postgres'))).toBe(true);
      expect(r.context.some((c: { text: string }) => c.text.includes('ramen'))).toBe(false);
      const sys = systemText(server.chatRequests().at(-1)!.body);
      expect(sys).toContain('postgres with row level security');
      expect(sys).toContain('short, direct answers');
    } finally {
      h.close();
    }
  });

  it('calls tools the model asks for, feeds their results back, and asks before side effects', async () => {
    const h = harness(repo.root, env);
    try {
      const { llm } = llmServices(h.mira);
      const ran: string[] = [];
      llm.tools.register({
        name: 'lookup',
        description: 'look a symbol up',
        parameters: { type: 'object', properties: { symbol: { type: 'string' } }, required: ['symbol'] },
        sideEffect: false,
        run: (a: { symbol: string }) => {
          ran.push(`lookup ${a.symbol}`);
          return { path: 'src/ledger.ts', line: 1 };
        },
      });
      llm.tools.register({
        name: 'deploy',
        description: 'deploy the app',
        parameters: { type: 'object', properties: {} },
        sideEffect: true,
        run: () => {
          ran.push('deploy');
          return 'deployed';
        },
      });
      server.setResponder(
        responder((req) => {
          const last = req.body.messages.at(-1);
          if (last.role === 'tool') return { content: `done after ${last.content}` };
          if (/deploy/.test(lastUserText(req.body))) return { toolCalls: [{ name: 'deploy', arguments: {} }] };
          return { toolCalls: [{ name: 'lookup', arguments: { symbol: 'ledger' } }] };
        }),
      );
      const r = await h.call('llm/ask', { question: 'Where is ledger defined?' });
      expect(ran).toEqual(['lookup ledger']);
      expect(r.tool_calls).toEqual([{ name: 'lookup', ok: true, declined: false }]);
      expect(r.answer).toBe('done after {"path":"src/ledger.ts","line":1}');
      const sent = server.chatRequests().at(-2)!.body;
      expect(sent.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(expect.arrayContaining(['lookup', 'deploy', 'recall_memory']));

      const denied = await h.call('llm/ask', { question: 'please deploy', confirm: 'deny' });
      expect(denied.tool_calls).toEqual([{ name: 'deploy', ok: false, declined: true }]);
      expect(ran).toEqual(['lookup ledger']);

      const sub = h.mira.events.subscribe((event, data) => {
        if (event === 'chat/confirm') void h.call('chat/confirm', { request_id: (data as { request_id: string }).request_id, allow: true });
      });
      const allowed = await h.call('llm/ask', { question: 'now deploy', confirm: 'ask', cache: false });
      sub();
      expect(h.events.find((e) => e.event === 'chat/confirm')?.data).toMatchObject({ tool: 'deploy' });
      expect(allowed.tool_calls).toEqual([{ name: 'deploy', ok: true, declined: false }]);
      expect(ran).toEqual(['lookup ledger', 'deploy']);
      const stored = await h.call('chat/get', { id: allowed.conversation_id });
      expect(stored.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    } finally {
      server.setResponder(responder());
      h.close();
    }
  });

  it('learns from the question with the LLM and keeps a rolling summary', async () => {
    const h = harness(repo.root, env, { llm: { summaryEvery: 2 } });
    try {
      const r = await h.call('llm/ask', { question: 'I prefer tabs. How do I indent this file?' });
      expect(r.learned).toContain('coding_style.indentation');
      expect(r.learned_facts).toContainEqual({ key: 'coding_style.indentation', value: 'tabs' });
      expect((await h.call('memory/profile')).coding_style).toEqual({ indentation: 'tabs' });
      const conv = await h.call('chat/get', { id: r.conversation_id });
      expect(conv.summary).toBe('Summary: the user asked about the ledger.');
      expect(conv.summaries).toHaveLength(1);
      const purposes = h.events.filter((e) => e.event === 'llm/call').map((e) => (e.data as { purpose: string }).purpose);
      expect(purposes).toEqual(['ask', 'memory:extract', 'memory:summary']);
      expect(r.cost_usd).toBeGreaterThan(0);
    } finally {
      h.close();
    }
  });

  it('replays a matching reasoning pattern as a plan, and the next build run judges it', async () => {
    const h = harness(repo.root, env);
    try {
      const rec = await h.call('memory/recordRecipe', {
        task: 'fix a failing vitest snapshot after renaming a component',
        steps: [{ description: 'run the failing test', tool: 'build_run' }, { description: 'update the snapshot with vitest -u' }],
        operation_id: 'op-1',
      });
      expect(rec.action).toBe('added');
      const r = await h.call('llm/ask', { question: 'my vitest snapshot fails after I renamed the Button component' });
      expect(r.context[0]).toMatchObject({ kind: 'plan' });
      expect(systemText(server.chatRequests().at(-1)!.body)).toMatch(/A plan that worked before[\s\S]*2\. update the snapshot with vitest -u/);
      (h.mira.events as unknown as { emit(e: string, d: unknown): void }).emit('build/finished', { run_id: 1, status: 'failed', exit_code: 1, error_count: 1, warning_count: 0 });
      const [p] = (await h.call('memory/reasoning')).results;
      expect(p).toMatchObject({ uses: 1, successes: 1, failures: 1, status: 'active' });
    } finally {
      h.close();
    }
  });

  it('chat/stop ends an answer early and keeps what was said', async () => {
    const h = harness(repo.root, env);
    try {
      server.enqueue({ content: 'word '.repeat(400), chunkSize: 5, chunkDelayMs: 5 });
      const sub = h.mira.events.subscribe((event, data) => {
        if (event === 'chat/delta') {
          sub();
          void h.call('chat/stop', { conversation_id: (data as { conversation_id: number }).conversation_id });
        }
      });
      const r = await h.call('chat/send', { message: 'write a lot' });
      expect(r.stopped).toBe(true);
      expect(r.answer.length).toBeGreaterThan(0);
      expect(r.answer.length).toBeLessThan(2000);
      const conv = await h.call('chat/get', { id: r.conversation_id });
      expect(conv.messages.at(-1).content).toBe(r.answer);
      // What streamed before the stop was billed, so it is settled, not released.
      expect((await h.call('llm/budget')).reserved_usd).toBe(0);
    } finally {
      h.close();
    }
  });

  it('chat/stop {request_id} stops an answer before its first token, even a stop that overtakes the send', async () => {
    const h = harness(repo.root, env);
    try {
      // The model thinks for 3 s before saying anything; the stop comes 200 ms in, knowing no conversation id.
      server.enqueue({ content: 'too late', delayMs: 3000 });
      const started = performance.now();
      const pending = h.call('chat/send', { message: 'think hard first', request_id: 'req-1', cache: false });
      await new Promise((r) => setTimeout(r, 200));
      expect(await h.call('chat/stop', { request_id: 'req-1' })).toEqual({ stopped: true });
      const r = await pending;
      expect(performance.now() - started).toBeLessThan(2500);
      expect(r).toMatchObject({ stopped: true, answer: '', cost_usd: 0 });
      expect(h.events.some((e) => e.event === 'chat/delta')).toBe(false);
      // A stop that arrives before its send is kept for it.
      await h.call('chat/stop', { request_id: 'req-2' });
      const early = await h.call('chat/send', { message: 'never mind', request_id: 'req-2', cache: false });
      expect(early.stopped).toBe(true);
      await expect(h.call('chat/stop', {})).rejects.toThrow();
    } finally {
      h.close();
    }
  });

  it('a stopped answer reports what it was billed (estimated), as the budget settled it', async () => {
    const h = harness(repo.root, env);
    try {
      server.enqueue({ content: 'word '.repeat(400), chunkSize: 5, chunkDelayMs: 5 });
      const sub = h.mira.events.subscribe((event, data) => {
        if (event === 'chat/delta' && (data as { delta: string }).delta) {
          sub();
          void h.call('chat/stop', { request_id: 'req-cost' });
        }
      });
      const r = await h.call('chat/send', { message: 'write a great deal', request_id: 'req-cost', cache: false });
      expect(r.stopped).toBe(true);
      expect(r.cost_estimated).toBe(true);
      expect(r.cost_usd).toBeGreaterThan(0);
      expect(r.tokens_in).toBeGreaterThan(0);
      expect(r.tokens_out).toBeGreaterThan(0);
      const ask = h.events.filter((e) => e.event === 'llm/call').at(-1)!.data as { id: number };
      const row = h.mira.db.prepare('SELECT cost_usd FROM budget_tracking WHERE id = ?').get(ask.id) as { cost_usd: number };
      expect(r.cost_usd).toBeCloseTo(row.cost_usd, 6);
    } finally {
      h.close();
    }
  });

  it('keeps the text of consecutive model turns apart as it streams, and the reply says the same', async () => {
    const h = harness(repo.root, env);
    try {
      server.setResponder(
        responder((req) => {
          const last = req.body.messages.at(-1);
          if (last.role === 'tool') return { content: '## How it works\nIt reserves first.', chunkSize: 5 };
          return { content: 'Let me run the check.', toolCalls: [{ name: 'recall_memory', arguments: { query: 'ledger' } }], chunkSize: 5 };
        }),
      );
      const r = await h.call('chat/send', { message: 'How does the ledger settle?', confirm: 'allow', cache: false });
      const streamed = h.events.filter((e) => e.event === 'chat/delta').map((e) => (e.data as { delta: string }).delta).join('');
      expect(streamed).toBe('Let me run the check.\n\n## How it works\nIt reserves first.');
      expect(r.answer).toBe(streamed);
      // Stored as the model said it: the tool turn with its text, then the answer.
      const conv = await h.call('chat/get', { id: r.conversation_id });
      expect(conv.messages.filter((m: { role: string }) => m.role === 'assistant').map((m: { content: string }) => m.content)).toEqual(['Let me run the check.', '## How it works\nIt reserves first.']);
    } finally {
      server.setResponder(responder());
      h.close();
    }
  });

  it('a failed turn leaves no unanswered question behind; replace_from regenerates or edits a turn in place', async () => {
    const h = harness(repo.root, env, { llm: { maxRetries: 0 } });
    try {
      const first = await h.call('chat/send', { message: 'What is the ledger?', cache: false });
      server.enqueue({ status: 429, error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } });
      await expect(h.call('chat/send', { message: 'And the cache?', conversation_id: first.conversation_id, cache: false })).rejects.toThrow();
      let conv = await h.call('chat/get', { id: first.conversation_id });
      expect(conv.messages.map((m: { content: string }) => m.content)).toEqual(['What is the ledger?', first.answer]);
      expect(conv.message_count).toBe(2);
      // A new conversation whose first turn failed is not kept at all.
      const before = (await h.call('chat/list')).results.length;
      server.enqueue({ status: 429, error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } });
      await expect(h.call('chat/send', { message: 'Fresh question', cache: false })).rejects.toThrow();
      expect((await h.call('chat/list')).results.length).toBe(before);

      // Regenerate: the same question replaces its turn.
      server.enqueue({ content: 'A second answer.' });
      const again = await h.call('chat/send', { message: 'What is the ledger?', conversation_id: first.conversation_id, replace_from: first.user_message_id, cache: false });
      expect(again.answer).toBe('A second answer.');
      conv = await h.call('chat/get', { id: first.conversation_id });
      expect(conv.messages.map((m: { content: string }) => m.content)).toEqual(['What is the ledger?', 'A second answer.']);
      // Edit: another question replaces it.
      server.enqueue({ content: 'About the cache.' });
      const edited = await h.call('chat/send', { message: 'What is the cache?', conversation_id: first.conversation_id, replace_from: again.user_message_id, cache: false });
      conv = await h.call('chat/get', { id: first.conversation_id });
      expect(conv.messages.map((m: { content: string }) => m.content)).toEqual(['What is the cache?', 'About the cache.']);
      expect(edited.user_message_id).toBe(conv.messages[0].id);
      // Only a question starts a turn.
      await expect(h.call('chat/send', { message: 'x', conversation_id: first.conversation_id, replace_from: conv.messages[1].id })).rejects.toMatchObject({ code: 'bad_request' });
    } finally {
      h.close();
    }
  });

  it('settings/set changes endpoint, key, model and effort for the next call, with no restart', async () => {
    const h = harness(repo.root, env);
    const other = await startOpenAiServer({ apiKey: 'sk-other-1111111111' });
    try {
      await h.call('chat/send', { message: 'first on the old server', cache: false });
      expect((await h.call('llm/status')).model).toBe('gpt-4o-mini');
      const set = coreHandlers(h.mira)['settings/set'];
      const r = await set({ model: 'gpt-5-mini', reasoning_effort: 'high', openai_base_url: other.url, openai_api_key: 'sk-other-1111111111' }, { via: 'in-process' });
      expect(r.restart_required).toBe(false);
      const status = await h.call('llm/status');
      expect(status).toMatchObject({ model: 'gpt-5-mini', effort: 'high', configured: true });
      expect(status.base_url).toContain(String(other.port));
      const n = server.chatRequests().length;
      await h.call('chat/send', { message: 'second on the new server', cache: false });
      expect(server.chatRequests().length).toBe(n);
      const sent = other.chatRequests().find((q) => lastUserText(q.body) === 'second on the new server')!;
      expect(sent.body.model).toBe('gpt-5-mini');
      expect(sent.body.reasoning_effort).toBe('high');
      expect(sent.authorization).toBe('Bearer sk-other-1111111111');
      // The embedder is made at start-up: changing it still says so.
      expect((await set({ embedding_model: 'text-embedding-3-small' }, { via: 'in-process' })).restart_required).toBe(true);
    } finally {
      await other.close();
      h.close();
    }
  });

  it('without a key: a clear llm_not_configured error, and everything else still works', async () => {
    const h = harness(repo.root, {});
    try {
      const e = await rejects(h.call('llm/ask', { question: 'hello?' }));
      expect(e.code).toBe('llm_not_configured');
      expect(e.hint).toMatch(/OPENAI_API_KEY/);
      expect((await h.call('llm/budget')).configured).toBe(false);
      expect((await h.call('llm/status')).configured).toBe(false);
      expect((await h.call('chat/list')).results).toEqual([]);
    } finally {
      h.close();
    }
  });

  it('refuses an ask that would pass the limit before sending anything, and llm/setLimits raises it', async () => {
    const h = harness(repo.root, { ...env, MIRA_MODEL: 'gpt-5.1' }, { dailyLimitUsd: 0.0001 });
    try {
      const n = server.chatRequests().length;
      const e = await rejects(h.call('llm/ask', { question: 'expensive question' }));
      expect(e.code).toBe('budget_exceeded');
      expect(e.message).toMatch(/daily limit of \$0\.0001: \$0\.00 spent today/);
      expect(server.chatRequests().length).toBe(n);
      const set = await h.call('llm/setLimits', { daily_usd: 2, monthly_usd: 20 });
      expect(set).toMatchObject({ daily_limit_usd: 2, monthly_limit_usd: 20 });
      expect(JSON.parse(fs.readFileSync(path.join(h.home, 'config.json'), 'utf8'))).toMatchObject({ dailyLimitUsd: 2, monthlyLimitUsd: 20 });
      await expect(h.call('llm/ask', { question: 'expensive question' })).resolves.toMatchObject({ cached: false });
      expect(await h.call('llm/budget')).toMatchObject({ daily_limit_usd: 2, monthly_limit_usd: 20 });
    } finally {
      h.close();
    }
  });
});

describe('secrets', () => {
  it('the API key is never written to any file under $MIRA_HOME: database, logs or config', async () => {
    const KEY = 'sk-test-PLANTED-7f3a9c2e1b5d4a60';
    const server = await startOpenAiServer({ apiKey: KEY });
    const repo = createRepo();
    repo.write('a.ts', 'export const a = 1;\n');
    repo.commit('init');
    const level = process.env.MIRA_LOG_LEVEL;
    process.env.MIRA_LOG_LEVEL = 'debug';
    const h = harness(repo.root, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url, MIRA_MODEL: 'gpt-5.1' }, { llm: { summaryEvery: 2, maxRetries: 1, retryBaseMs: 1 } });
    try {
      server.setResponder(
        responder((req) => {
          const q = lastUserText(req.body);
          // A server that repeats the key in its errors, as some proxies do.
          if (/fail/.test(q)) return { status: 400, error: { message: `Invalid request for key ${KEY}` } };
          if (/tool/.test(q) && req.body.messages.at(-1).role !== 'tool') return { toolCalls: [{ name: 'recall_memory', arguments: { query: KEY } }] };
          return undefined;
        }),
      );
      await h.call('llm/ask', { question: 'I prefer tabs. My name is Ada. Summarize the project.' });
      await h.call('llm/ask', { question: 'use a tool please' });
      const e = await rejects(h.call('llm/ask', { question: 'this will fail' }));
      expect(e.message).not.toContain(KEY);
      expect(e.message).toContain('[redacted]');
      await h.call('memory/set', { key: 'editor', value: 'helix' });
      await h.call('llm/setLimits', { daily_usd: 3 });
      await h.call('llm/budget');
      await h.call('llm/status');
    } finally {
      h.mira.close();
      process.env.MIRA_LOG_LEVEL = level;
      if (level === undefined) delete process.env.MIRA_LOG_LEVEL;
      await server.close();
      repo.cleanup();
    }
    const files: string[] = [];
    const walk = (d: string) => {
      for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, ent.name);
        if (ent.isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(h.home);
    expect(files.some((f) => f.endsWith('mira.db'))).toBe(true);
    expect(files.some((f) => f.includes(`${path.sep}logs${path.sep}`) && fs.statSync(f).size > 0)).toBe(true);
    expect(files.some((f) => f.endsWith('config.json'))).toBe(true);
    for (const f of files) {
      const bytes = fs.readFileSync(f);
      expect(bytes.includes(Buffer.from(KEY)), `${f} holds the key`).toBe(false);
      expect(bytes.includes(Buffer.from('PLANTED-7f3a9c2e1b5d4a60')), `${f} holds part of the key`).toBe(false);
    }
    fs.rmSync(h.home, { recursive: true, force: true });
  });
});
