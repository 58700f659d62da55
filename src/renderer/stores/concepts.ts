// Which concepts each symbol and file belongs to, gathered from code/concepts (the API lists members per concept, not concepts per file), cached per index run.
import { create } from 'zustand';
import type { ErrorInfo } from '../../shared/errors';
import { errorInfo } from '../optional-api';
import { api } from './connection';

// Enough for any real project's concept lexicon; members beyond this per concept are left out of the tags.
const MAX_CONCEPTS = 80;
const MEMBERS_PER_CONCEPT = 2000;

interface ConceptsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: ErrorInfo | null;
  /** `path:line` of a symbol's definition -> its concepts, strongest first. */
  bySymbol: Record<string, string[]>;
  /** file path -> its concepts, the most common first. */
  byFile: Record<string, string[]>;
  load(opts?: { force?: boolean }): Promise<void>;
  reset(): void;
}

let epoch = 0;

export const useConcepts = create<ConceptsState>()((set, get) => ({
  status: 'idle',
  error: null,
  bySymbol: {},
  byFile: {},
  async load(opts = {}) {
    if (get().status === 'loading' || (get().status === 'ready' && !opts.force)) return;
    const mine = ++epoch;
    set({ status: 'loading', error: null });
    try {
      const sizes = await api().call('code/concepts', { k: MAX_CONCEPTS });
      const names = sizes.results.flatMap((r) => ('symbols' in r ? [r.concept] : [])).slice(0, MAX_CONCEPTS);
      const bySymbol: Record<string, string[]> = {};
      const fileCounts: Record<string, Map<string, number>> = {};
      // A few concepts at a time: the calls are cheap, the socket latency is what adds up.
      for (let i = 0; i < names.length; i += 6) {
        const batch = names.slice(i, i + 6);
        const lists = await Promise.all(batch.map((concept) => api().call('code/concepts', { concept, k: MEMBERS_PER_CONCEPT })));
        lists.forEach((l, k) => {
          const concept = batch[k]!;
          for (const m of l.results) {
            if (!('path' in m)) continue;
            const key = `${m.path}:${m.line}`;
            const list = (bySymbol[key] ??= []);
            if (!list.includes(concept)) list.push(concept);
            const counts = (fileCounts[m.path] ??= new Map());
            counts.set(concept, (counts.get(concept) ?? 0) + 1);
          }
        });
      }
      if (mine !== epoch) return;
      const byFile: Record<string, string[]> = {};
      for (const [path, counts] of Object.entries(fileCounts)) byFile[path] = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);
      set({ status: 'ready', bySymbol, byFile });
    } catch (e) {
      if (mine === epoch) set({ status: 'error', error: errorInfo(e) });
    }
  },
  reset() {
    epoch++;
    set({ status: 'idle', error: null, bySymbol: {}, byFile: {} });
  },
}));
