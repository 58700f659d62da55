// Handlers for the LLM capability's methods: budget and limits, status, asking, and conversations.
import { z } from 'zod';
import type { Mira, ProjectContext } from '../app';
import type { CallContext } from '../transport/router';
import { isMethod, methods } from '../../shared/api';
import { llmMethods } from '../../shared/api/llm';
import { MiraError } from '../../shared/errors';
import { writeConfigFile } from '../config';
import { OracleContextProvider } from '../oracle/context';
import { locate, testsFor } from '../oracle/service';
import { buildRunner } from '../build/service';
import { CompositeContextProvider, displayUrl, llmServicesFor, OPENAI_BASE_URL, registerApiTools, type ContextProvider, type LlmServices } from '../llm';
import { DocsContextProvider } from '../docs';
import { docsService } from './docs';
import { synthesizedLlmTools } from '../tools/llm-adapter';
import { toolsService } from '../tools';
import { hotspotNote } from '../codemap';

type Spec = typeof llmMethods;
export type LlmHandlers = {
  [M in keyof Spec]: (params: z.output<Spec[M]['params']>, ctx: CallContext) => Promise<z.output<Spec[M]['result']>> | z.output<Spec[M]['result']>;
};

/** The LLM services of this Mira, made on first use, with Mira's own API methods offered to the model as tools. */
export function llmServices(mira: Mira): LlmServices {
  return llmServicesFor(mira, () => ({
    db: mira.db,
    config: mira.config,
    log: mira.log,
    // Events are declared in src/shared/api/llm.ts; the bus checks nothing at runtime, so one cast bridges the typing.
    emit: (event, data) => (mira.events as unknown as { emit(e: string, d: unknown): void }).emit(event, data),
    project: () => (mira.hasProject() ? { id: mira.project().id, root: mira.project().root, name: mira.project().row.name } : null),
  }));
}

const toolsRegistered = new WeakSet<object>();

function withTools(mira: Mira): LlmServices {
  const s = llmServices(mira);
  if (!toolsRegistered.has(s)) {
    toolsRegistered.add(s);
    registerApiTools(s.llm.tools, {
      schema: (m) => (isMethod(m) ? paramsSchema(methods[m].params as z.ZodType) : null),
      call: (m, params, signal) => mira.router.call(m, params, { via: 'in-process', signal }),
    });
    s.llm.tools.register({
      name: 'recall_memory',
      description: "Search the user's memory (profile, facts, habits, past conversations) for what is relevant to a query.",
      parameters: { type: 'object', properties: { query: { type: 'string', description: 'what to look for' } }, required: ['query'] },
      sideEffect: false,
      run: async (args: { query: string }) => s.memory.recall.recall(String(args.query), { projectId: projectId(mira), k: 8 }),
    });
    // The project's synthesized generators are offered too; each has a side effect, so the user confirms it first.
    if (mira.hasProject()) {
      try {
        for (const tool of synthesizedLlmTools(toolsService(mira.project()))) s.llm.tools.register(tool);
      } catch (e) {
        mira.log.warn({ err: (e as Error).message }, 'synthesized tools not offered');
      }
    }
    // Code context comes from the oracle of whichever project is open when the question is asked.
    const code: ContextProvider = {
      gather: (question, opts) => {
        if (!mira.hasProject()) return Promise.resolve({ items: [], tokens: 0 });
        return oracleContext(mira, mira.project(), s).gather(question, opts);
      },
    };
    // Documents sit next to the code: a quarter of the code context's budget goes to them.
    s.assistant.setCodeContext(
      new CompositeContextProvider([
        { provider: code, share: 3 },
        { provider: new DocsContextProvider(docsService(mira)), share: 1 },
      ]),
    );
  }
  return s;
}

/** The code context of a project for the assistant and operations: the oracle's files, open build errors, hotspot notes, tests. */
export function oracleContext(mira: Mira, p: ProjectContext, s: LlmServices): OracleContextProvider {
  return new OracleContextProvider({
    db: mira.db,
    projectId: p.id,
    root: p.root,
    locate: (task, k) => locate(p, task, { k }),
    openErrors: (limit) => buildRunner(p).store.errors({ status: 'open', limit }),
    spentFraction: () => s.llm.budget.spentFraction(),
    noteFor: (file) => hotspotNote(p.id, file),
    testsFor: (file, max, terms) => testsFor(p, file, max, terms),
  });
}

/** A method's params as the JSON Schema of an object, as tool parameters must be. */
function paramsSchema(schema: z.ZodType): Record<string, unknown> | null {
  try {
    const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
    const js = z.toJSONSchema(inner, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete js.$schema;
    return js.type === 'object' ? js : null;
  } catch {
    return null;
  }
}

function projectId(mira: Mira): number | null {
  return mira.hasProject() ? mira.project().id : null;
}

export function llmHandlers(mira: Mira): LlmHandlers {
  const ask = (p: { conversation_id?: number; model?: string; effort?: 'none' | 'minimal' | 'low' | 'medium' | 'high'; cache?: boolean; tools?: boolean; confirm?: 'ask' | 'deny' | 'allow'; request_id?: string; replace_from?: number }, question: string, ctx: CallContext) =>
    withTools(mira).assistant.ask({
      question,
      conversationId: p.conversation_id,
      model: p.model,
      effort: p.effort,
      cache: p.cache === false ? 'bypass' : 'default',
      tools: p.tools,
      confirm: p.confirm,
      requestId: p.request_id,
      replaceFrom: p.replace_from,
      signal: ctx.signal,
    });

  return {
    'llm/budget': (p) => {
      const started = performance.now();
      const { llm } = llmServices(mira);
      const report = llm.budget.report(p?.days ?? 30);
      const cache = llm.cache.combined();
      return {
        ...report,
        cache_hit_rate: Math.round(cache.hit_rate * 10_000) / 10_000,
        cache_lookups: cache.lookups,
        cache_entries: cache.entries,
        analysis_cache_hit_rate: Math.round(llm.analysis.stats().hit_rate * 10_000) / 10_000,
        configured: llm.configured(),
        model: llm.settings.model,
        effort: llm.settings.effort,
        took_ms: Math.round(performance.now() - started),
      };
    },
    'llm/setLimits': (p) => {
      const patch: { dailyLimitUsd?: number; monthlyLimitUsd?: number } = {};
      if (p.daily_usd !== undefined) patch.dailyLimitUsd = p.daily_usd;
      if (p.monthly_usd !== undefined) patch.monthlyLimitUsd = p.monthly_usd;
      writeConfigFile(mira.config.home, patch);
      // The running process follows the new limits at once (the ledger reads them live).
      if (patch.dailyLimitUsd !== undefined) mira.config.dailyLimitUsd = patch.dailyLimitUsd;
      if (patch.monthlyLimitUsd !== undefined) mira.config.monthlyLimitUsd = patch.monthlyLimitUsd;
      const overridden = [
        ...(patch.dailyLimitUsd !== undefined && process.env.MIRA_DAILY_LIMIT_USD ? ['MIRA_DAILY_LIMIT_USD'] : []),
        ...(patch.monthlyLimitUsd !== undefined && process.env.MIRA_MONTHLY_LIMIT_USD ? ['MIRA_MONTHLY_LIMIT_USD'] : []),
      ];
      return { daily_limit_usd: mira.config.dailyLimitUsd, monthly_limit_usd: mira.config.monthlyLimitUsd, overridden_by_env: overridden };
    },
    'llm/status': () => {
      const s = withTools(mira);
      return {
        configured: s.llm.configured(),
        model: s.llm.settings.model,
        effort: s.llm.settings.effort,
        base_url: displayUrl(s.llm.settings.baseURL || OPENAI_BASE_URL),
        embedding_model: s.llm.settings.embeddingModel,
        tools: s.llm.tools.list().map((t) => t.name),
      };
    },
    'llm/models': async () => ({ results: (await llmServices(mira).llm.models()).map((id) => ({ id })) }),
    'llm/clearCache': () => ({ removed: llmServices(mira).llm.cache.clear() }),
    'llm/ask': (p, ctx) => ask(p, p.question, ctx),
    'chat/send': (p, ctx) => ask(p, p.message, ctx),
    'chat/stop': ({ conversation_id, request_id }) => {
      const { assistant } = llmServices(mira);
      const byRequest = request_id !== undefined && assistant.stopRequest(request_id);
      const byConversation = conversation_id !== undefined && assistant.stop(conversation_id);
      return { stopped: byRequest || byConversation };
    },
    'chat/confirm': ({ request_id, allow }) => ({ ok: llmServices(mira).assistant.answerConfirmation(request_id, allow) }),
    'chat/list': (p) => {
      const { memory } = llmServices(mira);
      const pid = p?.all_projects ? null : projectId(mira);
      return { results: memory.conversations.list({ projectId: pid, limit: p?.limit }).map(conversationInfo) };
    },
    'chat/get': ({ id }) => {
      const { memory } = llmServices(mira);
      const conv = memory.conversations.get(id);
      return {
        ...conversationInfo(conv),
        messages: memory.conversations.messages(id).map((m) => ({
          id: m.id,
          role: m.role,
          content: m.content,
          ...(m.tool_calls_json ? { tool_calls: JSON.parse(m.tool_calls_json) as { id: string; name: string; arguments: string }[] } : {}),
          tool_call_id: m.tool_call_id,
          model: m.model,
          cost_usd: m.cost_usd,
          cached: !!m.cached,
          created_at: m.created_at,
        })),
        summaries: memory.conversations.summaries(id).map(({ upto_message_id, summary, method, created_at }) => ({ upto_message_id, summary, method, created_at })),
      };
    },
    'chat/search': ({ query, k, all_projects }) => {
      const started = performance.now();
      const { memory } = llmServices(mira);
      const results = memory.conversations.search(query, { k, projectId: all_projects ? null : projectId(mira) });
      return { results, took_ms: Math.round(performance.now() - started) };
    },
    'chat/delete': ({ id }) => {
      const { memory, assistant } = llmServices(mira);
      if (assistant.isRunning(id)) throw new MiraError('conflict', `conversation ${id} is still answering`, 'stop it first with chat/stop, then delete it');
      return { deleted: memory.conversations.delete(id) };
    },
  };
}

function conversationInfo(c: { id: number; project_id: number | null; title: string; model: string | null; message_count: number; cost_usd: number; summary: string | null; created_at: string; updated_at: string }) {
  return { id: c.id, project_id: c.project_id, title: c.title, model: c.model, message_count: c.message_count, cost_usd: c.cost_usd, summary: c.summary, created_at: c.created_at, updated_at: c.updated_at };
}
