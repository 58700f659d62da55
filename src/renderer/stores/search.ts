// Code search (code/search, ranked hits with language and concept filters) and locate (oracle/locate, files with their reasons).
import { create } from 'zustand';
import type { LocateItem, SearchHit } from '../../shared/api';
import type { ErrorInfo } from '../../shared/errors';
import { errorInfo } from '../optional-api';
import { api } from './connection';

export type SearchMode = 'search' | 'locate';

interface SearchState {
  mode: SearchMode;
  query: string;
  language: string;
  concept: string;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: ErrorInfo | null;
  hits: SearchHit[];
  located: LocateItem[];
  tookMs: number | null;
  /** The query the shown results answer (the field may have changed since). */
  answered: string | null;
  /** Concept names for the filter, from code/concepts (empty until the project is indexed). */
  concepts: string[];
  setMode(m: SearchMode): void;
  setQuery(q: string): void;
  setFilter(f: { language?: string; concept?: string }): void;
  run(): Promise<void>;
  loadConcepts(): Promise<void>;
  reset(): void;
}

// Answers to an older query (typed fast, or in the other mode) must not replace newer ones.
let seq = 0;

export const useSearch = create<SearchState>()((set, get) => ({
  mode: 'search',
  query: '',
  language: '',
  concept: '',
  status: 'idle',
  error: null,
  hits: [],
  located: [],
  tookMs: null,
  answered: null,
  concepts: [],
  setMode(mode) {
    if (mode === get().mode) return;
    set({ mode, status: 'idle', hits: [], located: [], error: null, answered: null, tookMs: null });
    if (get().query.trim()) void get().run();
  },
  setQuery(query) {
    set({ query });
  },
  setFilter(f) {
    set(f);
    if (get().query.trim() && get().mode === 'search') void get().run();
  },
  async run() {
    const { query, mode, language, concept } = get();
    const q = query.trim();
    if (!q) {
      set({ status: 'idle', hits: [], located: [], answered: null });
      return;
    }
    const mine = ++seq;
    set({ status: 'loading', error: null });
    try {
      if (mode === 'search') {
        const r = await api().call('code/search', { query: q, k: 50, ...(language ? { language } : {}), ...(concept ? { concept } : {}) });
        if (mine === seq) set({ status: 'ready', hits: r.results, located: [], tookMs: r.took_ms, answered: q });
      } else {
        const r = await api().call('oracle/locate', { query: q, k: 20 });
        if (mine === seq) set({ status: 'ready', located: r.results, hits: [], tookMs: r.took_ms, answered: q });
      }
    } catch (e) {
      if (mine === seq) set({ status: 'error', error: errorInfo(e) });
    }
  },
  async loadConcepts() {
    try {
      const r = await api().call('code/concepts', { k: 500 });
      const names = r.results.flatMap((x) => ('concept' in x ? [x.concept] : [])).sort();
      set({ concepts: names });
    } catch {
      // The filter simply offers no concepts; the search itself reports errors.
      set({ concepts: [] });
    }
  },
  reset() {
    seq++;
    set({ status: 'idle', hits: [], located: [], error: null, answered: null, tookMs: null, concepts: [], concept: '' });
  },
}));
