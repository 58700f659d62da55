// The tools dashboard: tools synthesized from the project's history (tools/list, tools/detect), a dry run shown as a change set (tools/run), apply (tools/apply) and past runs (tools/history).
// These methods have no contract in src/shared yet, so every answer is checked here and anything malformed is dropped, never filled in.
import { create } from 'zustand';
import type { ErrorInfo } from '../../shared/errors';
import { callUntyped, errorInfo } from '../optional-api';
import type { JsonSchema } from '../tool-schema';

export type { JsonSchema };

export const TOOLS_METHODS = ['tools/list', 'tools/detect', 'tools/run', 'tools/apply', 'tools/reject', 'tools/history'];

export interface ToolInfo {
  name: string;
  description: string;
  examples: { sha: string; name: string }[];
  validation: { cases: number; path_f1: number; line_f1: number } | null;
  runs: number | null;
  accepted: number | null;
  rejected: number | null;
  successes: number | null;
  /** Commits of the history that show this kind of change. */
  commits: number | null;
  /** How many of the newest examples it was derived from. */
  learnedFrom: number | null;
  parameters: JsonSchema;
  version: number | null;
}

export interface ToolChange {
  path: string;
  action: string;
  before: string;
  after: string;
}

export interface ToolRunRecord {
  id: string;
  tool: string;
  at: string | null;
  status: string;
  params: Record<string, unknown>;
  files: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function resultsOf(r: unknown): unknown[] {
  if (Array.isArray(r)) return r;
  if (isObj(r) && Array.isArray(r.results)) return r.results;
  if (isObj(r) && Array.isArray(r.tools)) return r.tools;
  return [];
}

export function parseTool(v: unknown): ToolInfo | null {
  if (!isObj(v) || typeof v.name !== 'string') return null;
  const val = isObj(v.validation) ? v.validation : null;
  const params = isObj(v.parameters) ? v.parameters : isObj(v.params) ? v.params : isObj(v.schema) ? v.schema : {};
  return {
    name: v.name,
    description: str(v.description) ?? '',
    examples: (Array.isArray(v.examples) ? v.examples : [])
      .flatMap((e) => (isObj(e) && typeof e.sha === 'string' ? [{ sha: e.sha, name: str(e.name) ?? '' }] : typeof e === 'string' ? [{ sha: e, name: '' }] : []))
      .filter((e, i, all) => all.findIndex((x) => x.sha === e.sha) === i),
    validation: val && num(val.path_f1) !== null ? { cases: num(val.cases) ?? 0, path_f1: num(val.path_f1)!, line_f1: num(val.line_f1) ?? 0 } : null,
    runs: num(v.runs),
    accepted: num(v.accepted),
    rejected: num(v.rejected),
    successes: num(v.successes),
    commits: num(v.commits) ?? num(v.support),
    learnedFrom: num(v.learned_from),
    parameters: params as JsonSchema,
    version: num(v.version),
  };
}

export function parseChanges(r: unknown): { runId: string | null; changes: ToolChange[] } {
  const o = isObj(r) ? r : {};
  const list = Array.isArray(o.changes) ? o.changes : Array.isArray(o.files) ? o.files : [];
  const changes = list.flatMap((c) => {
    if (!isObj(c) || typeof c.path !== 'string') return [];
    const after = str(c.after) ?? str(c.content);
    if (after === null) return [];
    return [{ path: c.path, action: str(c.action) ?? 'modify', before: str(c.before) ?? '', after }];
  });
  const runId = o.run_id ?? o.id;
  return { runId: typeof runId === 'string' || typeof runId === 'number' ? String(runId) : null, changes };
}

export function parseRun(v: unknown): ToolRunRecord | null {
  if (!isObj(v)) return null;
  const id = v.id ?? v.run_id;
  if (typeof id !== 'string' && typeof id !== 'number') return null;
  return {
    id: String(id),
    tool: str(v.tool) ?? str(v.name) ?? '?',
    at: str(v.at) ?? str(v.created_at),
    status: str(v.status) ?? '',
    params: isObj(v.params) ? v.params : {},
    files: Array.isArray(v.files) ? v.files.filter((f): f is string => typeof f === 'string') : [],
  };
}

interface ToolsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: ErrorInfo | null;
  tools: ToolInfo[];
  selected: string | null;
  detecting: boolean;
  detectError: ErrorInfo | null;
  run: { status: 'idle' | 'running' | 'ready' | 'applying' | 'applied' | 'rejecting' | 'rejected' | 'error'; runId: string | null; changes: ToolChange[]; error: ErrorInfo | null };
  history: { status: 'idle' | 'loading' | 'ready' | 'error'; items: ToolRunRecord[]; error: ErrorInfo | null };
  load(): Promise<void>;
  detect(): Promise<void>;
  select(name: string | null): void;
  preview(name: string, params: Record<string, unknown>): Promise<void>;
  apply(): Promise<void>;
  /** Records that the proposed change was turned down (it counts against the tool); Cancel only closes. */
  reject(): Promise<void>;
  closeRun(): void;
  loadHistory(): Promise<void>;
  reset(): void;
}

const idleRun = { status: 'idle' as const, runId: null, changes: [], error: null };

export const useTools = create<ToolsState>()((set, get) => ({
  status: 'idle',
  error: null,
  tools: [],
  selected: null,
  detecting: false,
  detectError: null,
  run: idleRun,
  history: { status: 'idle', items: [], error: null },
  async load() {
    set({ status: get().tools.length ? 'ready' : 'loading', error: null });
    try {
      const tools = resultsOf(await callUntyped('tools/list', {})).flatMap((t) => parseTool(t) ?? []);
      set({ status: 'ready', tools, selected: get().selected ?? tools[0]?.name ?? null });
    } catch (e) {
      set({ status: 'error', error: errorInfo(e) });
    }
  },
  async detect() {
    set({ detecting: true, detectError: null });
    try {
      await callUntyped('tools/detect', {});
      set({ detecting: false });
      await get().load();
    } catch (e) {
      set({ detecting: false, detectError: errorInfo(e) });
    }
  },
  select(selected) {
    set({ selected, run: idleRun });
  },
  async preview(name, params) {
    set({ run: { ...idleRun, status: 'running' } });
    try {
      const { runId, changes } = parseChanges(await callUntyped('tools/run', { name, params, dry_run: true }));
      set({ run: { status: 'ready', runId, changes, error: null } });
      // A preview is a run: its count comes from the server.
      void get().load();
    } catch (e) {
      set({ run: { ...idleRun, status: 'error', error: errorInfo(e) } });
    }
  },
  async apply() {
    const r = get().run;
    if (r.status !== 'ready') return;
    set({ run: { ...r, status: 'applying' } });
    try {
      await callUntyped('tools/apply', r.runId ? { run_id: r.runId } : { changes: r.changes.map((c) => ({ path: c.path, content: c.after })) });
      set({ run: { ...r, status: 'applied' } });
      // The counts are the server's: read them again, with the runs list.
      await Promise.all([get().load(), get().loadHistory()]);
    } catch (e) {
      set({ run: { ...r, status: 'error', error: errorInfo(e) } });
    }
  },
  async reject() {
    const r = get().run;
    if (r.status !== 'ready' || !r.runId) return;
    set({ run: { ...r, status: 'rejecting' } });
    try {
      await callUntyped('tools/reject', { execution_id: Number(r.runId) });
      set({ run: { ...r, status: 'rejected' } });
      await Promise.all([get().load(), get().loadHistory()]);
    } catch (e) {
      set({ run: { ...r, status: 'error', error: errorInfo(e) } });
    }
  },
  closeRun() {
    set({ run: idleRun });
  },
  async loadHistory() {
    set((s) => ({ history: { ...s.history, status: 'loading', error: null } }));
    try {
      const items = resultsOf(await callUntyped('tools/history', { limit: 50 })).flatMap((x) => parseRun(x) ?? []);
      set({ history: { status: 'ready', items, error: null } });
    } catch (e) {
      set({ history: { status: 'error', items: [], error: errorInfo(e) } });
    }
  },
  reset() {
    set({ status: 'idle', error: null, tools: [], selected: null, run: idleRun, history: { status: 'idle', items: [], error: null } });
  },
}));
