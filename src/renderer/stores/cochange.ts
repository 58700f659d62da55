// Co-change suggestions for the open and modified files (git/cochange with `files`), and the evidence commits behind each (git/commits).
import { create } from 'zustand';
import type { CochangeItem } from '../../shared/api';
import type { ErrorInfo } from '../../shared/errors';
import { errorInfo } from '../optional-api';
import { api } from './connection';

export interface EvidenceCommit {
  sha: string;
  subject: string | null;
  author: string | null;
  date: string | null;
}

interface CochangeState {
  query: string[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: ErrorInfo | null;
  results: CochangeItem[];
  /** Query files git has never seen (new files): nothing is known about them. */
  unknown: string[];
  tookMs: number | null;
  expanded: Record<string, boolean>;
  evidence: Record<string, { status: 'loading' | 'ready' | 'error'; commits: EvidenceCommit[]; error: ErrorInfo | null }>;
  refresh(files: string[], opts?: { force?: boolean }): Promise<void>;
  toggle(item: CochangeItem): void;
  reset(): void;
}

let seq = 0;

export const useCochange = create<CochangeState>()((set, get) => ({
  query: [],
  status: 'idle',
  error: null,
  results: [],
  unknown: [],
  tookMs: null,
  expanded: {},
  evidence: {},
  async refresh(files, opts = {}) {
    const query = [...new Set(files)].sort();
    if (!opts.force && get().status !== 'error' && query.join('\n') === get().query.join('\n') && get().status !== 'idle') return;
    const mine = ++seq;
    if (!query.length) {
      set({ query, status: 'idle', results: [], unknown: [], error: null, expanded: {} });
      return;
    }
    set({ query, status: 'loading', error: null });
    try {
      const r = await api().call('git/cochange', { files: query, k: 20 });
      if (mine === seq) set({ status: 'ready', results: r.results, unknown: r.unknown, tookMs: r.took_ms, expanded: {} });
    } catch (e) {
      if (mine === seq) set({ status: 'error', error: errorInfo(e), results: [] });
    }
  },
  toggle(item) {
    const open = !get().expanded[item.path];
    set((s) => ({ expanded: { ...s.expanded, [item.path]: open } }));
    if (!open || !item.evidence.length || get().evidence[item.path]?.status === 'ready') return;
    set((s) => ({ evidence: { ...s.evidence, [item.path]: { status: 'loading', commits: [], error: null } } }));
    // The evidence is a list of shas: ask for exactly those (a busy file has thousands of commits).
    api()
      .call('git/commits', { shas: item.evidence })
      .then(
        (r) => {
          const commits = item.evidence.map((sha) => {
            const c = r.results.find((x) => x.sha.startsWith(sha) || sha.startsWith(x.sha));
            return { sha, subject: c?.subject ?? null, author: c?.author ?? null, date: c?.date ?? null };
          });
          set((s) => ({ evidence: { ...s.evidence, [item.path]: { status: 'ready', commits, error: null } } }));
        },
        (e) => set((s) => ({ evidence: { ...s.evidence, [item.path]: { status: 'error', commits: [], error: errorInfo(e) } } })),
      );
  },
  reset() {
    seq++;
    set({ query: [], status: 'idle', error: null, results: [], unknown: [], tookMs: null, expanded: {}, evidence: {} });
  },
}));
