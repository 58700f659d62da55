// Operations: start a task for the model, follow its plan and steps live (ops/step, ops/status, ops/delta), review its artifacts per file or hunk, apply, undo, cancel, resume, discard.
import { create } from 'zustand';
import type { EventData, OperationView, Result } from '../../shared/api';
import type { ErrorInfo } from '../../shared/errors';
import { errorInfo } from '../optional-api';
import { api } from './connection';

export type OperationSummary = Result<'ops/list'>['results'][number];
export type OpsAction = 'cancel' | 'resume' | 'discard' | 'apply' | 'undo';

// The model's streamed text kept per operation; older text is dropped from the top.
const MAX_DELTA = 20_000;

export const TERMINAL_STATUSES = new Set(['done', 'failed', 'cancelled']);

interface OpsState {
  task: string;
  apply: boolean;
  verify: string;
  starting: boolean;
  startError: ErrorInfo | null;
  list: { status: 'idle' | 'loading' | 'ready' | 'error'; items: OperationSummary[]; error: ErrorInfo | null };
  selected: number | null;
  views: Record<number, OperationView>;
  viewStatus: 'idle' | 'loading' | 'ready' | 'error';
  viewError: ErrorInfo | null;
  deltas: Record<number, string>;
  /** The action running on the selected operation (its buttons are disabled meanwhile). */
  busy: OpsAction | null;
  /** Artifact ids with a review call in flight. */
  reviewing: Record<number, boolean>;
  actionError: ErrorInfo | null;
  undone: { operation_id: number; restored: { path: string; action: string }[] } | null;
  setTask(t: string): void;
  setApply(v: boolean): void;
  setVerify(v: string): void;
  start(): Promise<void>;
  loadList(): Promise<void>;
  select(id: number | null): Promise<void>;
  refresh(id: number): Promise<void>;
  review(artifactId: number, decision: 'accept' | 'reject', hunks?: number[]): Promise<void>;
  act(action: OpsAction): Promise<void>;
  onStatus(e: EventData<'ops/status'>): void;
  onStep(e: EventData<'ops/step'>): void;
  onDelta(e: EventData<'ops/delta'>): void;
  reset(): void;
}

function summaryOf(v: OperationView): OperationSummary {
  return {
    operation_id: v.operation_id,
    status: v.status,
    outcome: v.outcome ?? null,
    task: v.task,
    cost_usd: v.cost_usd,
    apply: v.apply,
    error: v.error,
    interrupted: v.interrupted,
    resumable: v.resumable,
    reverted: v.reverted,
    created_at: v.created_at,
    updated_at: v.updated_at,
    finished_at: v.finished_at,
    artifacts: v.artifacts.length,
    steps: v.steps.length,
  };
}

function upsert(items: OperationSummary[], s: OperationSummary): OperationSummary[] {
  const i = items.findIndex((x) => x.operation_id === s.operation_id);
  if (i < 0) return [s, ...items];
  const next = items.slice();
  next[i] = s;
  return next;
}

// Status events can come in bursts: one ops/get per operation at a time, with a follow-up if more came meanwhile.
const refreshing = new Map<number, { again: boolean }>();

const initial = {
  task: '',
  apply: false,
  verify: '',
  starting: false,
  startError: null,
  list: { status: 'idle' as const, items: [], error: null },
  selected: null,
  views: {},
  viewStatus: 'idle' as const,
  viewError: null,
  deltas: {},
  busy: null,
  reviewing: {},
  actionError: null,
  undone: null,
};

export const useOps = create<OpsState>()((set, get) => ({
  ...initial,

  setTask(task) {
    set({ task });
  },
  setApply(apply) {
    set({ apply });
  },
  setVerify(verify) {
    set({ verify });
  },

  async start() {
    const task = get().task.trim();
    if (!task || get().starting) return;
    set({ starting: true, startError: null });
    const verify = get().verify.trim();
    try {
      const v = await api().call('ops/start', { task, ...(get().apply ? { apply: true } : {}), ...(verify ? { verify } : {}) });
      set((s) => ({
        starting: false,
        task: '',
        views: { ...s.views, [v.operation_id]: v },
        list: { ...s.list, status: 'ready', items: upsert(s.list.items, summaryOf(v)) },
        selected: v.operation_id,
        viewStatus: 'ready',
        viewError: null,
        actionError: null,
        undone: null,
      }));
    } catch (e) {
      set({ starting: false, startError: errorInfo(e) });
    }
  },

  async loadList() {
    set((s) => ({ list: { ...s.list, status: 'loading', error: null } }));
    try {
      const r = await api().call('ops/list', { limit: 100 });
      set({ list: { status: 'ready', items: r.results, error: null } });
    } catch (e) {
      set((s) => ({ list: { status: 'error', items: s.list.items, error: errorInfo(e) } }));
    }
  },

  async select(id) {
    set({ selected: id, actionError: null, undone: null });
    if (id === null) return;
    if (!get().views[id]) set({ viewStatus: 'loading', viewError: null });
    await get().refresh(id);
  },

  async refresh(id) {
    const r = refreshing.get(id);
    if (r) {
      r.again = true;
      return;
    }
    const entry = { again: false };
    refreshing.set(id, entry);
    try {
      do {
        entry.again = false;
        try {
          const v = await api().call('ops/get', { operation_id: id });
          set((s) => ({
            views: { ...s.views, [id]: v },
            list: { ...s.list, items: upsert(s.list.items, summaryOf(v)) },
            ...(s.selected === id ? { viewStatus: 'ready' as const, viewError: null } : {}),
          }));
        } catch (e) {
          if (get().selected === id) set({ viewStatus: 'error', viewError: errorInfo(e) });
          break;
        }
      } while (entry.again);
    } finally {
      refreshing.delete(id);
    }
  },

  async review(artifactId, decision, hunks) {
    const id = get().selected;
    if (id === null) return;
    set((s) => ({ reviewing: { ...s.reviewing, [artifactId]: true }, actionError: null }));
    try {
      const art = await api().call('ops/review', { operation_id: id, artifact_id: artifactId, decision, ...(hunks ? { hunks } : {}) });
      set((s) => {
        const v = s.views[id];
        if (!v) return {};
        return { views: { ...s.views, [id]: { ...v, artifacts: v.artifacts.map((a) => (a.id === art.id ? art : a)) } } };
      });
    } catch (e) {
      set({ actionError: errorInfo(e) });
    } finally {
      set((s) => {
        const next = { ...s.reviewing };
        delete next[artifactId];
        return { reviewing: next };
      });
    }
  },

  async act(action) {
    const id = get().selected;
    if (id === null || get().busy) return;
    set({ busy: action, actionError: null, undone: null });
    try {
      const c = api();
      const p = { operation_id: id };
      let undone: OpsState['undone'] = null;
      let v: OperationView;
      if (action === 'undo') {
        const r = await c.call('ops/undo', p);
        undone = { operation_id: id, restored: r.restored };
        v = r;
      } else if (action === 'cancel') v = await c.call('ops/cancel', p);
      else if (action === 'resume') v = await c.call('ops/resume', p);
      else if (action === 'discard') v = await c.call('ops/discard', p);
      else v = await c.call('ops/apply', p);
      set((s) => ({ views: { ...s.views, [id]: v }, list: { ...s.list, items: upsert(s.list.items, summaryOf(v)) }, undone }));
    } catch (e) {
      set({ actionError: errorInfo(e) });
    } finally {
      set({ busy: null });
    }
  },

  onStatus(e) {
    set((s) => {
      const i = s.list.items.findIndex((x) => x.operation_id === e.operation_id);
      const v = s.views[e.operation_id];
      return {
        ...(i >= 0 ? { list: { ...s.list, items: upsert(s.list.items, { ...s.list.items[i]!, status: e.status, cost_usd: e.cost_usd, error: e.error, artifacts: e.artifacts }) } } : {}),
        ...(v ? { views: { ...s.views, [e.operation_id]: { ...v, status: e.status, cost_usd: e.cost_usd, tokens_in: e.tokens_in, tokens_out: e.tokens_out, error: e.error } } } : {}),
      };
    });
    // The artifacts, plan and verification come with the whole view; an operation started elsewhere joins the list.
    if (get().views[e.operation_id] || get().selected === e.operation_id || !get().list.items.some((x) => x.operation_id === e.operation_id)) void get().refresh(e.operation_id);
  },

  onStep(e) {
    const v = get().views[e.operation_id];
    if (!v || v.steps.some((x) => x.id === e.step.id)) return;
    const steps = [...v.steps, e.step].sort((a, b) => a.ord - b.ord);
    set((s) => ({ views: { ...s.views, [e.operation_id]: { ...v, steps } } }));
    // A proposed edit is a new or changed artifact.
    if (e.step.kind === 'edit' || e.step.kind === 'plan' || e.step.kind === 'verify') void get().refresh(e.operation_id);
  },

  onDelta(e) {
    set((s) => {
      const next = (s.deltas[e.operation_id] ?? '') + e.delta;
      return { deltas: { ...s.deltas, [e.operation_id]: next.length > MAX_DELTA ? next.slice(next.length - MAX_DELTA) : next } };
    });
  },

  reset() {
    refreshing.clear();
    set({ ...initial, list: { status: 'idle', items: [], error: null }, views: {}, deltas: {}, reviewing: {} });
  },
}));
