// The file tree: folders listed lazily through fs/list (the server applies the ignore rules), expansion and focus.
import { create } from 'zustand';
import type { FsEntry } from '../../shared/api';
import { MiraError, type ErrorInfo } from '../../shared/errors';
import { api } from './connection';

export interface DirState {
  status: 'loading' | 'ready' | 'error';
  entries: FsEntry[];
  error: ErrorInfo | null;
}

interface TreeState {
  dirs: Record<string, DirState>;
  expanded: Record<string, boolean>;
  /** The tree item with the roving tabindex (keyboard focus target). */
  focused: string | null;
  load(dir: string, opts?: { force?: boolean }): Promise<void>;
  toggle(dir: string): void;
  setExpanded(dir: string, open: boolean): void;
  setFocused(path: string | null): void;
  /** Re-lists the folders holding these paths, if they are loaded (after a save or an fs/changed event). */
  refreshFor(paths: string[]): void;
  reset(): void;
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export const useTree = create<TreeState>()((set, get) => ({
  dirs: {},
  expanded: { '': true },
  focused: null,
  async load(dir, opts = {}) {
    const cur = get().dirs[dir];
    if (cur && !opts.force && cur.status !== 'error') return;
    // Keep showing the old entries while a refresh runs; only a first load shows "Loading…".
    set((s) => ({ dirs: { ...s.dirs, [dir]: { status: cur?.status === 'ready' ? 'ready' : 'loading', entries: cur?.entries ?? [], error: null } } }));
    try {
      const r = await api().call('fs/list', { path: dir });
      set((s) => ({ dirs: { ...s.dirs, [dir]: { status: 'ready', entries: r.entries, error: null } } }));
    } catch (e) {
      set((s) => ({ dirs: { ...s.dirs, [dir]: { status: 'error', entries: [], error: MiraError.from(e).toJSON() } } }));
    }
  },
  toggle(dir) {
    get().setExpanded(dir, !get().expanded[dir]);
  },
  setExpanded(dir, open) {
    set((s) => ({ expanded: { ...s.expanded, [dir]: open } }));
    if (open) void get().load(dir);
  },
  setFocused(focused) {
    set({ focused });
  },
  refreshFor(paths) {
    const dirs = new Set(paths.map(parentOf));
    for (const d of dirs) if (get().dirs[d]) void get().load(d, { force: true });
  },
  reset() {
    set({ dirs: {}, expanded: { '': true }, focused: null });
  },
}));
