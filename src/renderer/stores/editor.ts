// Open files: tabs, loading, saving with expected_hash, and files changed or deleted on disk (compare, keep mine, reload).
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
  /** The file is gone from disk (deleted, or a checkout removed it); the text stays here until saved again or closed. */
  deletedOnDisk: boolean;
  /** The disk's hash when the outside change was seen (event or Compare): "Keep mine" overwrites exactly that version. */
  diskHash: string | null;
  /** The user has looked at disk vs theirs (Compare) since the conflict: overwriting is offered from then on. */
  compared: boolean;
}

/** Disk vs the tab's text, shown by Compare. */
export interface DiskCompare {
  path: string;
  disk: string;
  mine: string;
}

interface EditorState {
  tabs: Tab[];
  active: string | null;
  cursor: { line: number; column: number } | null;
  lastSaved: { path: string; at: number } | null;
  /** A position to show once the file is in the editor (search results, call sites, build errors); seq makes a repeat count. */
  reveal: { path: string; line: number; column: number; seq: number } | null;
  /** The Compare dialog's content, while it is open. */
  compare: DiskCompare | null;
  open(path: string): Promise<void>;
  /** Opens a file and puts the cursor on a line (1-based), scrolled into the middle of the editor. */
  openAt(path: string, line: number, column?: number): Promise<void>;
  revealed(seq: number): void;
  activate(path: string): void;
  close(path: string, opts?: { force?: boolean }): void;
  /** `overwrite`: write whatever is on disk over; `expectedHash`: write over exactly this disk version (Keep mine). */
  save(path?: string, opts?: { overwrite?: boolean; expectedHash?: string }): Promise<boolean>;
  /** Keeps this tab's text over the version changed on disk (the one last seen), then saves. */
  keepMine(path: string): Promise<boolean>;
  openCompare(path: string): Promise<void>;
  closeCompare(): void;
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
  compare: null,

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
        tabs: [...s.tabs, { path, language: 'plaintext', status: 'loading', error: null, hash: null, dirty: false, saving: false, conflict: false, changedOnDisk: false, deletedOnDisk: false, diskHash: null, compared: false }],
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

  close(path, opts = {}) {
    const tabs = get().tabs;
    const i = tabs.findIndex((t) => t.path === path);
    if (i < 0) return;
    const tab = tabs[i]!;
    if (tab.dirty && !opts.force && !window.confirm(`${path} has unsaved changes. Close it anyway?`)) return;
    closeDocument(path);
    const next = tabs.filter((t) => t.path !== path);
    const active = get().active === path ? (next[i] ?? next[i - 1] ?? null)?.path ?? null : get().active;
    set({ tabs: next, active, cursor: active ? get().cursor : null, compare: get().compare?.path === path ? null : get().compare });
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
      const expected = opts.expectedHash ?? (opts.overwrite ? undefined : tab.hash ?? undefined);
      const r = await api().call('fs/write', expected ? { path, content, expected_hash: expected } : { path, content });
      // Only the version that was sent counts as saved: edits typed during the save stay dirty.
      markSaved(path, version);
      set((s) => ({
        tabs: patch(s.tabs, path, { saving: false, hash: r.hash, conflict: false, changedOnDisk: false, deletedOnDisk: false, diskHash: null, compared: false, error: null }),
        lastSaved: { path, at: Date.now() },
        compare: s.compare?.path === path ? null : s.compare,
      }));
      return true;
    } catch (e) {
      const err = MiraError.from(e);
      if (err.code !== 'conflict') {
        set((s) => ({ tabs: patch(s.tabs, path, { saving: false, error: err.toJSON() }) }));
        return false;
      }
      // Refused: the disk moved. Say which way: deleted (recreate or close) or changed (compare before overwriting).
      let stat: { exists: boolean; hash: string | null } | null = null;
      try {
        stat = await api().call('fs/stat', { path });
      } catch {
        stat = null;
      }
      const deleted = stat ? !stat.exists : /deleted on disk/.test(err.message);
      set((s) => ({
        tabs: patch(s.tabs, path, deleted
          ? { saving: false, conflict: true, deletedOnDisk: true, changedOnDisk: false, error: null }
          : { saving: false, conflict: true, changedOnDisk: false, deletedOnDisk: false, diskHash: stat?.hash ?? null, compared: false, error: null }),
      }));
      return false;
    }
  },

  async keepMine(path) {
    const tab = get().tabs.find((t) => t.path === path);
    if (!tab) return false;
    // Over the disk version the user was told about (or compared); a newer outside change is refused again, not lost.
    return get().save(path, tab.diskHash ? { expectedHash: tab.diskHash } : { overwrite: true });
  },

  async openCompare(path) {
    const mine = textOf(path);
    if (mine === null) return;
    try {
      const r = await api().call('fs/read', { path });
      set((s) => ({ compare: { path, disk: r.content, mine }, tabs: patch(s.tabs, path, { diskHash: r.hash, compared: true }) }));
    } catch (e) {
      const err = MiraError.from(e);
      if (err.code === 'not_found') set((s) => ({ tabs: patch(s.tabs, path, { deletedOnDisk: true, changedOnDisk: false }) }));
      else set((s) => ({ tabs: patch(s.tabs, path, { error: err.toJSON() }) }));
    }
  },

  closeCompare() {
    set({ compare: null });
  },

  async reload(path) {
    try {
      const r = await api().call('fs/read', { path });
      reloadDocument(path, r.content);
      set((s) => ({
        tabs: patch(s.tabs, path, { hash: r.hash, conflict: false, changedOnDisk: false, deletedOnDisk: false, diskHash: null, compared: false, error: null }),
        compare: s.compare?.path === path ? null : s.compare,
      }));
    } catch (e) {
      set((s) => ({ tabs: patch(s.tabs, path, { error: MiraError.from(e).toJSON() }) }));
    }
  },

  dismissConflict(path) {
    set((s) => ({ tabs: patch(s.tabs, path, { conflict: false, changedOnDisk: false, compared: false, error: null }) }));
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
      if (!stat.exists) {
        // Deleted (or moved away): the text stays, the tab says so and offers Save again / Close.
        if (!tab.deletedOnDisk) set((s) => ({ tabs: patch(s.tabs, path, { deletedOnDisk: true, changedOnDisk: false, conflict: false }) }));
        continue;
      }
      if (stat.hash === tab.hash && !tab.deletedOnDisk) continue; // our own save, or no real change
      // A clean tab follows the disk silently (a file back from the dead too); a dirty one is told at once, and its next
      // save hits the conflict check instead of dropping the outside change.
      if (!tab.dirty) await get().reload(path);
      else if (stat.hash === tab.hash) set((s) => ({ tabs: patch(s.tabs, path, { deletedOnDisk: false }) }));
      else set((s) => ({ tabs: patch(s.tabs, path, { changedOnDisk: true, deletedOnDisk: false, diskHash: stat.hash, compared: false }) }));
    }
  },

  reset() {
    closeAllDocuments();
    set({ tabs: [], active: null, cursor: null, lastSaved: null, reveal: null, compare: null });
  },
}));
