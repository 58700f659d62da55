// The project's file list for quick open, gathered with fs/list (ignores applied by the server), bounded and cached.
import { create } from 'zustand';
import { MiraError, type ErrorInfo } from '../../shared/errors';
import { api } from './connection';

const MAX_FILES = 20_000;
const MAX_DIRS = 2_000;

interface FilesState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  files: string[];
  truncated: boolean;
  error: ErrorInfo | null;
  load(opts?: { force?: boolean }): Promise<void>;
  invalidate(): void;
}

// Bumped by invalidate(): a walk that started before a change (or a project switch) drops its result.
let epoch = 0;

export const useFiles = create<FilesState>()((set, get) => ({
  status: 'idle',
  files: [],
  truncated: false,
  error: null,
  async load(opts = {}) {
    if (get().status === 'loading' || (get().status === 'ready' && !opts.force)) return;
    set({ status: 'loading', error: null });
    const mine = epoch;
    const files: string[] = [];
    const queue = [''];
    let dirs = 0;
    try {
      while (queue.length && files.length < MAX_FILES && dirs < MAX_DIRS) {
        // A few folders at once: the walk is latency-bound over the socket, not CPU-bound.
        const batch = queue.splice(0, 8);
        dirs += batch.length;
        const lists = await Promise.all(batch.map((path) => api().call('fs/list', { path })));
        for (const l of lists) for (const e of l.entries) (e.type === 'dir' ? queue : files).push(e.path);
      }
      if (mine !== epoch) return;
      files.sort();
      set({ status: 'ready', files: files.slice(0, MAX_FILES), truncated: queue.length > 0 || files.length > MAX_FILES });
    } catch (e) {
      if (mine !== epoch) return;
      set({ status: 'error', error: MiraError.from(e).toJSON() });
    }
  },
  invalidate() {
    epoch++;
    set({ status: 'idle' });
  },
}));
