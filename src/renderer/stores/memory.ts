// Personal memory: facts and profile entries (memory/list, memory/set, memory/forget), learned patterns and reasoning patterns with their feedback.
import { create } from 'zustand';
import type { ErrorInfo } from '../../shared/errors';
import { callOptional, errorInfo, type OptionalResult } from '../optional-api';

type ListResult = OptionalResult<'memory/list'>;
export type MemoryEntry = ListResult['results'][number];
export type LearnedPattern = ListResult['patterns'][number];
export type ReasoningPattern = OptionalResult<'memory/reasoning'>['results'][number];

interface MemoryState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: ErrorInfo | null;
  entries: MemoryEntry[];
  profile: ListResult['profile'] | null;
  patterns: LearnedPattern[];
  query: string;
  reasoning: { status: 'idle' | 'loading' | 'ready' | 'error'; items: ReasoningPattern[]; error: ErrorInfo | null };
  /** Per entry key (or `pattern:ID`, `reasoning:ID`): a write in flight, or its error. */
  busy: Record<string, boolean>;
  rowErrors: Record<string, ErrorInfo | null>;
  setQuery(q: string): void;
  load(): Promise<void>;
  loadReasoning(): Promise<void>;
  save(key: string, value: string, scope?: 'global' | 'project'): Promise<boolean>;
  forget(key: string): Promise<boolean>;
  patternFeedback(id: number, confirmed: boolean): Promise<void>;
  reasoningFeedback(id: number, success: boolean): Promise<void>;
  reset(): void;
}

let seq = 0;

export const useMemory = create<MemoryState>()((set, get) => {
  const mark = (key: string, busy: boolean, error: ErrorInfo | null = null) => set((s) => ({ busy: { ...s.busy, [key]: busy }, rowErrors: { ...s.rowErrors, [key]: error } }));
  return {
    status: 'idle',
    error: null,
    entries: [],
    profile: null,
    patterns: [],
    query: '',
    reasoning: { status: 'idle', items: [], error: null },
    busy: {},
    rowErrors: {},
    setQuery(query) {
      set({ query });
    },
    async load() {
      const mine = ++seq;
      set({ status: get().status === 'ready' ? 'ready' : 'loading', error: null });
      try {
        const q = get().query.trim();
        const r = await callOptional('memory/list', q ? { kind: 'all', query: q } : { kind: 'all' });
        if (mine === seq) set({ status: 'ready', entries: r.results, profile: r.profile, patterns: r.patterns });
      } catch (e) {
        if (mine === seq) set({ status: 'error', error: errorInfo(e) });
      }
    },
    async loadReasoning() {
      set((s) => ({ reasoning: { ...s.reasoning, status: 'loading', error: null } }));
      try {
        const r = await callOptional('memory/reasoning', { include_deprecated: true, k: 100 });
        set({ reasoning: { status: 'ready', items: r.results, error: null } });
      } catch (e) {
        set({ reasoning: { status: 'error', items: [], error: errorInfo(e) } });
      }
    },
    async save(key, value, scope) {
      mark(key, true);
      try {
        await callOptional('memory/set', scope ? { key, value, scope } : { key, value });
        mark(key, false);
        await get().load();
        return true;
      } catch (e) {
        mark(key, false, errorInfo(e));
        return false;
      }
    },
    async forget(key) {
      mark(key, true);
      try {
        await callOptional('memory/forget', { key });
        mark(key, false);
        await get().load();
        return true;
      } catch (e) {
        mark(key, false, errorInfo(e));
        return false;
      }
    },
    async patternFeedback(id, confirmed) {
      const k = `pattern:${id}`;
      mark(k, true);
      try {
        const p = await callOptional('memory/patternFeedback', { id, confirmed });
        mark(k, false);
        set((s) => ({ patterns: s.patterns.map((x) => (x.id === id ? p : x)) }));
      } catch (e) {
        mark(k, false, errorInfo(e));
      }
    },
    async reasoningFeedback(id, success) {
      const k = `reasoning:${id}`;
      mark(k, true);
      try {
        const p = await callOptional('memory/reasoningFeedback', { pattern_id: id, success });
        mark(k, false);
        set((s) => ({ reasoning: { ...s.reasoning, items: s.reasoning.items.map((x) => (x.id === id ? p : x)) } }));
      } catch (e) {
        mark(k, false, errorInfo(e));
      }
    },
    reset() {
      seq++;
      set({ status: 'idle', error: null, entries: [], profile: null, patterns: [], reasoning: { status: 'idle', items: [], error: null }, busy: {}, rowErrors: {} });
    },
  };
});
