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
      const err = MiraError.from(e);
      // A folder removed on disk (git checkout, rm -r) leaves the tree, not an error row.
      if (cur && (err.code === 'not_found' || err.code === 'not_a_directory')) {
        set((s) => {
          const dirs = { ...s.dirs };
          for (const d of Object.keys(dirs)) if (d === dir || d.startsWith(dir + '/')) delete dirs[d];
          return { dirs };
        });
        return;
      }
      set((s) => ({ dirs: { ...s.dirs, [dir]: { status: 'error', entries: [], error: err.toJSON() } } }));
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
    const loaded = get().dirs;
    const dirs = new Set<string>();
    for (const p of paths) {
      // A file in a folder not listed yet (new, or never expanded) shows up as that folder in the nearest listed one.
      let d = parentOf(p);
      while (d !== '' && !loaded[d]) d = parentOf(d);
      if (loaded[d]) dirs.add(d);
      // A listed folder that changed itself (deleted, replaced) is listed again, or dropped when it is gone.
      if (loaded[p]) dirs.add(p);
    }
    for (const d of dirs) void get().load(d, { force: true });
  },
  reset() {
    set({ dirs: {}, expanded: { '': true }, focused: null });
  },
}));
