// The activity log: what the server reports live (activity/log, index progress, LLM calls, builds, tool runs), newest last, bounded.
import { create } from 'zustand';
import type { EventData } from '../../shared/api';
import type { OptionalEventData } from '../optional-api';
import { api } from './connection';
import { llmCallMessage } from '../../shared/activity';

const MAX = 500;

export type ActivityKind = 'index' | 'llm' | 'build' | 'tool' | 'other';

export interface ActivityEntry {
  id: number;
  /** The group the filter uses. */
  group: ActivityKind;
  /** The server's own kind (activity/log kind, or the event name). */
  kind: string;
  message: string;
  at: string;
  status?: 'running' | 'ok' | 'error' | 'cached' | 'refused' | 'cancelled';
  progress?: { done: number; total: number };
  detail?: string;
  /** Read back from the database: it happened before this window (or in another one). */
  past?: boolean;
}

interface ActivityState {
  entries: ActivityEntry[];
  filter: ActivityKind | 'all';
  add(e: EventData<'activity/log'>): void;
  onIndexProgress(p: EventData<'index/progress'>): void;
  onLlmCall(e: OptionalEventData<'llm/call'>): void;
  onBuildStarted(e: EventData<'build/started'>): void;
  onBuildFinished(e: EventData<'build/finished'>): void;
  setFilter(f: ActivityKind | 'all'): void;
  clear(): void;
  /** Puts the stored history (activity/recent) before the live entries: what happened before this window opened. */
  loadRecent(): Promise<void>;
}

let nextId = 1;
// The live index row and the rows of builds still running, updated in place as events arrive.
let indexRow: number | null = null;
const buildRows = new Map<number, number>();

const PHASES: Record<string, string> = { walk: 'Scanning files', files: 'Indexing files', stage: 'Analysing', done: 'Done' };

function groupOf(kind: string): ActivityKind {
  const k = kind.toLowerCase();
  if (k.startsWith('index') || k.startsWith('git')) return 'index';
  if (k.startsWith('llm') || k.startsWith('chat') || k.startsWith('embed')) return 'llm';
  if (k.startsWith('build') || k.startsWith('test')) return 'build';
  if (k.startsWith('tool')) return 'tool';
  return 'other';
}

function push(entries: ActivityEntry[], e: ActivityEntry): ActivityEntry[] {
  return entries.length >= MAX ? [...entries.slice(-MAX + 1), e] : [...entries, e];
}


export const useActivity = create<ActivityState>()((set, get) => {
  const update = (id: number, patch: Partial<ActivityEntry>) => set((s) => ({ entries: s.entries.map((x) => (x.id === id ? { ...x, ...patch } : x)) }));
  const exists = (id: number | null | undefined) => id !== null && id !== undefined && get().entries.some((x) => x.id === id);
  return {
    entries: [],
    filter: 'all',
    add: (e) => set((s) => ({ entries: push(s.entries, { id: nextId++, group: groupOf(e.kind), kind: e.kind, message: e.message, at: e.at }) })),
    onIndexProgress(p) {
      const label = p.phase === 'stage' && p.detail ? `${PHASES.stage}: ${p.detail}` : (PHASES[p.phase] ?? p.phase);
      const at = new Date().toISOString();
      if (p.phase === 'done') {
        if (exists(indexRow)) update(indexRow!, { message: 'Index run finished', status: 'ok', progress: undefined, at });
        indexRow = null;
        return;
      }
      const progress = p.total > 0 ? { done: p.done, total: p.total } : undefined;
      const message = `${label}${progress ? ` ${p.done}/${p.total}` : '…'}`;
      if (exists(indexRow)) update(indexRow!, { message, progress, detail: p.detail });
      else {
        indexRow = nextId++;
        set((s) => ({ entries: push(s.entries, { id: indexRow!, group: 'index', kind: 'index', message, at, status: 'running', progress, detail: p.detail }) }));
      }
    },
    onLlmCall(e) {
      const message = llmCallMessage(e);
      const status = e.status === 'ok' ? 'ok' : e.status;
      set((s) => ({ entries: push(s.entries, { id: nextId++, group: 'llm', kind: 'llm/call', message, at: e.at, status }) }));
    },
    onBuildStarted(e) {
      const id = nextId++;
      buildRows.set(e.run_id, id);
      set((s) => ({ entries: push(s.entries, { id, group: 'build', kind: 'build', message: `Build #${e.run_id}: ${e.command}`, at: new Date().toISOString(), status: 'running' }) }));
    },
    onBuildFinished(e) {
      const id = buildRows.get(e.run_id);
      buildRows.delete(e.run_id);
      const outcome = e.status === 'cancelled' ? 'cancelled' : e.exit_code === 0 ? 'passed' : `failed (exit ${e.exit_code ?? '?'})`;
      const status = e.status === 'cancelled' ? 'cancelled' : e.exit_code === 0 ? 'ok' : 'error';
      const message = `Build #${e.run_id} ${outcome}: ${e.error_count} error${e.error_count === 1 ? '' : 's'}, ${e.warning_count} warning${e.warning_count === 1 ? '' : 's'}`;
      if (exists(id)) update(id!, { message, status });
      else set((s) => ({ entries: push(s.entries, { id: nextId++, group: 'build', kind: 'build', message, at: new Date().toISOString(), status }) }));
    },
    setFilter: (filter) => set({ filter }),
    async loadRecent() {
      const since = new Date().toISOString();
      try {
        const r = await api().call('activity/recent', { limit: 200 });
        // Live entries already shown win: only what is older than this load goes in front of them.
        const past = r.results.filter((x) => x.at < since && x.status !== 'running').map((x) => ({ id: nextId++, group: x.group, kind: x.kind, message: x.message, at: x.at, status: x.status, past: true }));
        set((s) => ({ entries: [...past, ...s.entries.filter((e) => !e.past)].slice(-MAX) }));
      } catch {
        /* an older server without the method: the live log alone */
      }
    },
    clear: () => {
      indexRow = null;
      buildRows.clear();
      set({ entries: [] });
    },
  };
});
