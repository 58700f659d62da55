// Indexing: progress pushed by index/progress events and the result of the last index/run from this window.
import { create } from 'zustand';
import type { EventData, IndexResult } from '../../shared/api';
import { MiraError, type ErrorInfo } from '../../shared/errors';
import { api } from './connection';
import { useProject } from './project';

type Progress = EventData<'index/progress'>;

interface IndexingState {
  /** An index run is going on: ours (index/run in flight) or one started by another client. */
  running: boolean;
  /** Our own index/run call is in flight. */
  own: boolean;
  progress: Progress | null;
  last: IndexResult | null;
  error: ErrorInfo | null;
  run(): Promise<void>;
  onProgress(p: Progress): void;
  reset(): void;
}

/** Reads the project again: its last_indexed_at changed, and the server's value beats a guess. */
async function refreshProject(): Promise<void> {
  const info = await api().call('app/info').catch(() => null);
  const cur = useProject.getState().project;
  // Only the same project: a switch that raced this call has its own info already.
  if (info?.project && cur && info.project.root === cur.root) useProject.getState().setProject(info.project);
}

export const useIndexing = create<IndexingState>()((set, get) => ({
  running: false,
  own: false,
  progress: null,
  last: null,
  error: null,
  async run() {
    if (get().own) return;
    // A run already going on elsewhere is joined by the server (one index run at a time), so asking again is safe.
    set({ running: true, own: true, error: null, progress: get().progress ?? { phase: 'walk', done: 0, total: 0 } });
    try {
      const last = await api().call('index/run');
      set({ running: false, own: false, last, progress: null });
      await refreshProject();
    } catch (e) {
      set({ running: false, own: false, progress: null, error: MiraError.from(e).toJSON() });
    }
  },
  onProgress(p) {
    // Runs started elsewhere (the CLI in another process does not reach us, but another window does) show too.
    if (p.phase !== 'done') return set({ progress: p, running: true });
    set({ progress: null, running: get().own });
    // A run we did not start (the file watcher, another window) finished: our own result is older than it now, and
    // the status bar's "Last indexed" must come from the server again, not stay at the time of page load.
    if (!get().own) {
      set({ last: null });
      void refreshProject();
    }
  },
  reset() {
    set({ running: false, own: false, progress: null, last: null, error: null });
  },
}));
