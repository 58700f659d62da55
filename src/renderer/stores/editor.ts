// Open files: tabs, loading, saving with expected_hash, and the changed-on-disk conflict (reload or overwrite).
import { create } from 'zustand';
import { MiraError, type ErrorInfo } from '../../shared/errors';
import { loadMonaco } from '../editor/monaco-loader';
import { closeAllDocuments, closeDocument, markSaved, openDocument, reloadDocument, textOf, versionOf } from '../editor/documents';
import { api } from './connection';

export interface Tab {
  path: string;
  language: string;
  status: 'loading' | 'ready' | 'error';
  error: ErrorInfo | null;
  /** Hash of the text on disk when it was read or last saved: sent as expected_hash on save. */
  hash: string | null;
  dirty: boolean;
  saving: boolean;
  /** The last save was refused because the file changed on disk. */
  conflict: boolean;
  /** Another writer changed the file while it had unsaved edits here. */
  changedOnDisk: boolean;
}

interface EditorState {
  tabs: Tab[];
  active: string | null;
  cursor: { line: number; column: number } | null;
  lastSaved: { path: string; at: number } | null;
  /** A position to show once the file is in the editor (search results, call sites, build errors); seq makes a repeat count. */
  reveal: { path: string; line: number; column: number; seq: number } | null;
  open(path: string): Promise<void>;
  /** Opens a file and puts the cursor on a line (1-based), scrolled into the middle of the editor. */
  openAt(path: string, line: number, column?: number): Promise<void>;
  revealed(seq: number): void;
  activate(path: string): void;
  close(path: string): void;
  save(path?: string, opts?: { overwrite?: boolean }): Promise<boolean>;
  reload(path: string): Promise<void>;
  dismissConflict(path: string): void;
  setDirty(path: string, dirty: boolean): void;
  setCursor(c: { line: number; column: number } | null): void;
  onDiskChanged(paths: string[]): Promise<void>;
  reset(): void;
}

const patch = (tabs: Tab[], path: string, p: Partial<Tab>) => tabs.map((t) => (t.path === path ? { ...t, ...p } : t));

export const useEditor = create<EditorState>()((set, get) => ({
  tabs: [],
  active: null,
  cursor: null,
  lastSaved: null,
  reveal: null,

  async openAt(path, line, column = 1) {
    set((s) => ({ reveal: { path, line: Math.max(1, line), column: Math.max(1, column), seq: (s.reveal?.seq ?? 0) + 1 } }));
    await get().open(path);
  },

  revealed(seq) {
    if (get().reveal?.seq === seq) set({ reveal: null });
  },

  async open(path) {
    if (get().tabs.some((t) => t.path === path)) {
      set({ active: path });
      if (get().tabs.find((t) => t.path === path)?.status !== 'error') return;
    } else {
      set((s) => ({
        tabs: [...s.tabs, { path, language: 'plaintext', status: 'loading', error: null, hash: null, dirty: false, saving: false, conflict: false, changedOnDisk: false }],
        active: path,
      }));
    }
    try {
      const [r] = await Promise.all([api().call('fs/read', { path }), loadMonaco()]);
      if (!get().tabs.some((t) => t.path === path)) return; // closed while loading
      const { language } = openDocument(path, r.content);
      set((s) => ({ tabs: patch(s.tabs, path, { status: 'ready', error: null, hash: r.hash, language }) }));
    } catch (e) {
      set((s) => ({ tabs: patch(s.tabs, path, { status: 'error', error: MiraError.from(e).toJSON() }) }));
    }
  },

  activate(path) {
    set({ active: path });
  },

  close(path) {
    const tabs = get().tabs;
    const i = tabs.findIndex((t) => t.path === path);
    if (i < 0) return;
    const tab = tabs[i]!;
    if (tab.dirty && !window.confirm(`${path} has unsaved changes. Close it anyway?`)) return;
    closeDocument(path);
    const next = tabs.filter((t) => t.path !== path);
    const active = get().active === path ? (next[i] ?? next[i - 1] ?? null)?.path ?? null : get().active;
    set({ tabs: next, active, cursor: active ? get().cursor : null });
  },

  async save(pathIn, opts = {}) {
    const path = pathIn ?? get().active;
    const tab = get().tabs.find((t) => t.path === path);
    if (!path || !tab || tab.status !== 'ready' || tab.saving) return false;
    const content = textOf(path);
    const version = versionOf(path);
    if (content === null || version === null) return false;
    set((s) => ({ tabs: patch(s.tabs, path, { saving: true }) }));
    try {
      const r = await api().call('fs/write', opts.overwrite || !tab.hash ? { path, content } : { path, content, expected_hash: tab.hash });
      // Only the version that was sent counts as saved: edits typed during the save stay dirty.
      markSaved(path, version);
      set((s) => ({ tabs: patch(s.tabs, path, { saving: false, hash: r.hash, conflict: false, changedOnDisk: false }), lastSaved: { path, at: Date.now() } }));
      return true;
    } catch (e) {
      const err = MiraError.from(e);
      set((s) => ({
        tabs: patch(s.tabs, path, err.code === 'conflict' ? { saving: false, conflict: true, error: null } : { saving: false, error: err.toJSON() }),
      }));
      return false;
    }
  },

  async reload(path) {
    try {
      const r = await api().call('fs/read', { path });
      reloadDocument(path, r.content);
      set((s) => ({ tabs: patch(s.tabs, path, { hash: r.hash, conflict: false, changedOnDisk: false, error: null }) }));
    } catch (e) {
      set((s) => ({ tabs: patch(s.tabs, path, { error: MiraError.from(e).toJSON() }) }));
    }
  },

  dismissConflict(path) {
    set((s) => ({ tabs: patch(s.tabs, path, { conflict: false, changedOnDisk: false, error: null }) }));
  },

  setDirty(path, dirty) {
    if (get().tabs.find((t) => t.path === path)?.dirty === dirty) return;
    set((s) => ({ tabs: patch(s.tabs, path, { dirty }) }));
  },

  setCursor(cursor) {
    set({ cursor });
  },

  async onDiskChanged(paths) {
    for (const path of paths) {
      const before = get().tabs.find((t) => t.path === path);
      // While our own save is in flight its fs/changed event arrives before its reply: not a foreign change.
      if (!before || before.status !== 'ready' || before.saving) continue;
      let stat;
      try {
        stat = await api().call('fs/stat', { path });
      } catch {
        continue;
      }
      // Judge against the tab as it is now, not as it was before the await (a save may have finished meanwhile).
      const tab = get().tabs.find((t) => t.path === path);
      if (!tab || tab.status !== 'ready' || tab.saving) continue;
      if (stat.hash === tab.hash) continue; // our own save, or no real change
      // A clean tab follows the disk silently; a dirty one is told, and its next save will hit the conflict check.
      if (!tab.dirty && stat.exists) await get().reload(path);
      else set((s) => ({ tabs: patch(s.tabs, path, { changedOnDisk: true }) }));
    }
  },

  reset() {
    closeAllDocuments();
    set({ tabs: [], active: null, cursor: null, lastSaved: null, reveal: null });
  },
}));
