// Handlers for operations: wires the engine to Mira (LLM, memory, oracle and document context, Mira's API as tools, the build runner) per open project.
import { z } from 'zod';
import type { Mira, ProjectContext } from '../app';
import type { CallContext } from '../transport/router';
import { isMethod, methods } from '../../shared/api';
import type { opsMethods } from '../../shared/api/ops';
import { buildRunner, recordResolutions } from '../build/service';
import { DocsContextProvider } from '../docs';
import { API_TOOLS, CompositeContextProvider, type ContextProvider, type LlmTool } from '../llm';
import { scrub } from '../log';
import { artifactInfo, OpsService, type OpStatus } from '../ops';
import { docsService } from './docs';
import { llmServices, oracleContext } from './llm';

type Spec = typeof opsMethods;
export type OpsHandlers = {
  [M in keyof Spec]: (params: z.output<Spec[M]['params']>, ctx: CallContext) => Promise<z.output<Spec[M]['result']>> | z.output<Spec[M]['result']>;
};

/**
 * Mira's API offered to the operation's model: the assistant's tools plus the ones an operation needs to change code safely.
 * Only methods that exist are offered, so tools appear as their capabilities are merged.
 */
const OPS_TOOLS: { name: string; method: string; description: string; sideEffect: boolean; fixed?: Record<string, unknown> }[] = [
  ...API_TOOLS,
  { name: 'impact', method: 'code/impact', description: 'Everything that transitively calls a symbol (a name or path:name), with the depth of each caller: what a change may break.', sideEffect: false },
  { name: 'callees', method: 'code/callees', description: 'What a symbol (a name or path:name) calls directly.', sideEffect: false },
  { name: 'symbols', method: 'code/symbols', description: 'Symbols (functions, classes, methods...) of the project or of one file.', sideEffect: false },
  { name: 'build_errors', method: 'build/errors', description: 'Open build and test errors recorded for the project, with code around each.', sideEffect: false },
  { name: 'docs_search', method: 'docs/search', description: "Search the project's documents (specs, notes, PDFs added with mira docs add).", sideEffect: false },
  { name: 'synthesized_tools', method: 'tools/list', description: "Tools synthesized from this project's history for its repetitive changes (adding an endpoint, a sample...).", sideEffect: false },
  {
    name: 'run_synthesized_tool',
    method: 'tools/run',
    description: 'Run a synthesized tool on a scratch copy of the project; returns the files it would create or change (propose them with propose_edit).',
    sideEffect: false,
    // The tool's own changes go through review like every other edit: it never writes here.
    fixed: { apply: false },
  },
];

/** The operations engine of the open project, made once per project. */
export function opsService(mira: Mira): OpsService {
  const p = mira.project();
  return p.service('ops', () => new OpsService(hostFor(mira, p)));
}

function hostFor(mira: Mira, p: ProjectContext) {
  const s = llmServices(mira);
  const emit = (event: string, data: unknown) => (mira.events as unknown as { emit(e: string, d: unknown): void }).emit(event, data);
  const oracle = oracleContext(mira, p, s);
  const context = new CompositeContextProvider([
    { provider: tolerant(oracle, 'code context', mira), share: 3 },
    { provider: tolerant(new DocsContextProvider(docsService(mira)), 'document context', mira), share: 1 },
  ]);
  return {
    db: mira.db,
    project: { id: p.id, root: p.root, name: p.row.name, fs: p.fs },
    llm: s.llm,
    memory: s.memory,
    emit,
    log: mira.log,
    tools: () => operationTools(mira),
    context,
    contextTokens: s.llm.settings.contextTokens,
    testCommand: () => mira.config.testCommand,
    runCommand: async (command: string, o: { trigger: string; signal?: AbortSignal; timeoutMs?: number }) => {
      let runId = 0;
      const r = await buildRunner(p).run({
        command: [command],
        trigger: o.trigger,
        signal: o.signal,
        timeoutMs: o.timeoutMs,
        onStart: (id) => {
          runId = id;
          emit('build/started', { run_id: id, command });
        },
        onData: (data) => emit('build/output', { run_id: runId, data }),
      });
      emit('build/finished', { run_id: r.run_id, status: r.status, exit_code: r.exit_code, error_count: r.error_count, warning_count: r.warning_count });
      recordResolutions(p, r.resolved);
      return r;
    },
  };
}

/** A context source that fails (an unindexed project, a broken store) gives nothing rather than failing the operation. */
function tolerant(provider: ContextProvider, what: string, mira: Mira): ContextProvider {
  return {
    gather: async (q, o) => {
      try {
        return await provider.gather(q, o);
      } catch (e) {
        mira.log.warn({ error: scrub((e as Error).message) }, `${what} for an operation failed`);
        return { items: [], tokens: 0 };
      }
    },
  };
}

function operationTools(mira: Mira): LlmTool[] {
  const byName = new Map<string, LlmTool>();
  // Tools other capabilities registered with the assistant (synthesized tools, memory recall) come first; ours win on a clash.
  for (const t of llmServices(mira).llm.tools.list()) byName.set(t.name, t);
  for (const t of OPS_TOOLS) {
    if (!isMethod(t.method)) continue;
    const schema = paramsSchema(methods[t.method].params as z.ZodType, Object.keys(t.fixed ?? {}));
    if (!schema) continue;
    byName.set(t.name, {
      name: t.name,
      description: t.description,
      parameters: schema,
      sideEffect: t.sideEffect,
      run: (args, ctx) => mira.router.call(t.method, { ...args, ...t.fixed }, { via: 'in-process', signal: ctx.signal }),
    });
  }
  return [...byName.values()];
}

/** A method's params as the JSON Schema of an object (tool parameters must be one), without the fields we fix. */
function paramsSchema(schema: z.ZodType, drop: string[]): Record<string, unknown> | null {
  try {
    const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
    const js = z.toJSONSchema(inner, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete js.$schema;
    if (js.type !== 'object') return null;
    const props = js.properties as Record<string, unknown> | undefined;
    for (const d of drop) delete props?.[d];
    if (Array.isArray(js.required)) js.required = (js.required as string[]).filter((r) => !drop.includes(r));
    return js;
  } catch {
    return null;
  }
}

export function opsHandlers(mira: Mira): OpsHandlers {
  const settle = async (svc: OpsService, r: { id: number; done: Promise<void> }, wait?: boolean) => {
    if (wait) await r.done;
    return svc.view(r.id);
  };
  return {
    'ops/start': async (p) => {
      const svc = opsService(mira);
      const r = svc.start({
        task: p.task,
        apply: p.apply,
        verify: p.verify,
        noVerify: p.no_verify,
        maxSteps: p.max_steps,
        maxRounds: p.max_rounds,
        model: p.model,
        effort: p.effort,
        confirm: p.confirm,
        learn: p.learn,
      });
      return settle(svc, r, p.wait);
    },
    'ops/get': ({ operation_id }) => opsService(mira).view(operation_id),
    'ops/list': (p) => ({ results: opsService(mira).list({ limit: p?.limit, status: p?.status as OpStatus | undefined, interrupted: p?.interrupted }) }),
    'ops/cancel': ({ operation_id }) => opsService(mira).cancel(operation_id),
    'ops/resume': async ({ operation_id, max_steps, wait }) => {
      const svc = opsService(mira);
      return settle(svc, svc.resume(operation_id, { maxSteps: max_steps }), wait);
    },
    'ops/discard': ({ operation_id }) => opsService(mira).discard(operation_id),
    'ops/review': ({ operation_id, artifact_id, decision, hunks }) => artifactInfo(opsService(mira).review(operation_id, artifact_id, decision, hunks)),
    'ops/apply': async ({ operation_id, verify, no_verify, only_accepted, wait }) => {
      const svc = opsService(mira);
      return settle(svc, svc.apply(operation_id, { verify, noVerify: no_verify, onlyAccepted: only_accepted }), wait);
    },
    'ops/undo': async ({ operation_id, force }) => {
      const r = await opsService(mira).undo(operation_id, { force });
      return { ...r.view, restored: r.restored };
    },
  };
}

