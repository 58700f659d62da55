// Builds and their errors: run a command (build/run) with its output streamed by build/output events, the parsed errors (build/errors), and how each was fixed before.
import { create } from 'zustand';
import type { BuildErrorItem, EventData, FixItem, Result } from '../../shared/api';
import type { ErrorInfo } from '../../shared/errors';
import { errorInfo } from '../optional-api';
import { api } from './connection';

// Enough scrollback for a long test run; older output is dropped from the top.
const MAX_OUTPUT = 400_000;

type RunResult = Result<'build/run'>;
type Resolution = Result<'build/resolutions'>['results'][number];

export interface FixHistory {
  status: 'loading' | 'ready' | 'error';
  resolutions: Resolution[];
  fixes: FixItem[];
  /** build/resolutions and git/fixes fail independently; each keeps its own error. */
  resolutionsError: ErrorInfo | null;
  fixesError: ErrorInfo | null;
}

interface BuildState {
  command: string;
  /** The run going on now: ours or one another client started (build/started). */
  running: { runId: number | null; command: string; own: boolean } | null;
  output: string;
  last: RunResult | null;
  lastFinished: EventData<'build/finished'> | null;
  runError: ErrorInfo | null;
  filter: 'open' | 'all';
  errors: { status: 'idle' | 'loading' | 'ready' | 'error'; items: BuildErrorItem[]; error: ErrorInfo | null };
  selected: number | null;
  history: Record<number, FixHistory>;
  setCommand(c: string): void;
  loadLastCommand(): Promise<void>;
  run(): Promise<void>;
  cancel(): Promise<void>;
  setFilter(f: 'open' | 'all'): void;
  loadErrors(): Promise<void>;
  select(id: number | null): void;
  onStarted(e: EventData<'build/started'>): void;
  onOutput(e: EventData<'build/output'>): void;
  onFinished(e: EventData<'build/finished'>): void;
  reset(): void;
}

function append(out: string, data: string): string {
  const next = out + data;
  return next.length > MAX_OUTPUT ? next.slice(next.length - MAX_OUTPUT) : next;
}

export const useBuild = create<BuildState>()((set, get) => ({
  command: '',
  running: null,
  output: '',
  last: null,
  lastFinished: null,
  runError: null,
  filter: 'open',
  errors: { status: 'idle', items: [], error: null },
  selected: null,
  history: {},

  setCommand(command) {
    set({ command });
  },

  async loadLastCommand() {
    if (get().command) return;
    try {
      const r = await api().call('build/runs', { limit: 1 });
      const last = r.results[0]?.command;
      if (last && !get().command) set({ command: last });
    } catch {
      // No history to prefill from; the field stays empty with its placeholder.
    }
  },

  async run() {
    const command = get().command.trim();
    if (!command || get().running) return;
    set({ running: { runId: null, command, own: true }, output: '', runError: null, last: null });
    try {
      const last = await api().call('build/run', { command, trigger: 'window' });
      set({ last, running: null });
    } catch (e) {
      set({ runError: errorInfo(e), running: null });
    }
    void get().loadErrors();
  },

  async cancel() {
    const id = get().running?.runId;
    if (id === null || id === undefined) return;
    try {
      await api().call('build/cancel', { run_id: id });
    } catch (e) {
      set({ runError: errorInfo(e) });
    }
  },

  setFilter(filter) {
    set({ filter });
    void get().loadErrors();
  },

  async loadErrors() {
    set((s) => ({ errors: { ...s.errors, status: 'loading', error: null } }));
    try {
      const r = await api().call('build/errors', { status: get().filter, limit: 200 });
      set({ errors: { status: 'ready', items: r.results, error: null } });
      const sel = get().selected;
      if (sel !== null && !r.results.some((x) => x.id === sel)) set({ selected: null });
    } catch (e) {
      set({ errors: { status: 'error', items: [], error: errorInfo(e) } });
    }
  },

  select(id) {
    set({ selected: id });
    if (id === null || get().history[id]?.status === 'ready') return;
    const item = get().errors.items.find((x) => x.id === id);
    if (!item) return;
    set((s) => ({ history: { ...s.history, [id]: { status: 'loading', resolutions: [], fixes: [], resolutionsError: null, fixesError: null } } }));
    const query = [item.code, item.message].filter(Boolean).join(' ');
    void Promise.allSettled([
      api().call('build/resolutions', { error_id: id }),
      api().call('git/fixes', { query, ...(item.file ? { file: item.file } : {}), k: 5 }),
    ]).then(([res, fixes]) => {
      set((s) => ({
        history: {
          ...s.history,
          [id]: {
            status: 'ready',
            resolutions: res.status === 'fulfilled' ? res.value.results : [],
            fixes: fixes.status === 'fulfilled' ? fixes.value.results : [],
            resolutionsError: res.status === 'rejected' ? errorInfo(res.reason) : null,
            fixesError: fixes.status === 'rejected' ? errorInfo(fixes.reason) : null,
          },
        },
      }));
    });
  },

  onStarted(e) {
    const r = get().running;
    // Our own build/run reply comes last; its build/started tells us the run id (to cancel it) first.
    if (r?.own && r.runId === null) set({ running: { ...r, runId: e.run_id } });
    else if (!r) set({ running: { runId: e.run_id, command: e.command, own: false }, output: '', last: null });
  },

  onOutput(e) {
    const r = get().running;
    if (r && (r.runId === null || r.runId === e.run_id)) set({ output: append(get().output, e.data) });
  },

  onFinished(e) {
    set({ lastFinished: e });
    const r = get().running;
    if (r && !r.own && r.runId === e.run_id) {
      set({ running: null });
      void get().loadErrors();
    }
  },

  reset() {
    set({ command: '', running: null, output: '', last: null, lastFinished: null, runError: null, errors: { status: 'idle', items: [], error: null }, selected: null, history: {} });
  },
}));
