// "Apply to file" from a chat code block: a dry run of apply/edit shown as a diff first, then the real write with the hash the diff was made against.
import { create } from 'zustand';
import type { ErrorInfo } from '../../shared/errors';
import { errorInfo } from '../optional-api';
import { api } from './connection';
import { useEditor } from './editor';

export interface ApplyRefusal extends ErrorInfo {
  candidates?: { line: number; text: string }[];
}

interface ApplyState {
  open: boolean;
  /** The edit as the model wrote it: search/replace blocks, a unified diff, or the whole file (elisions allowed). */
  edit: string;
  file: string;
  status: 'idle' | 'previewing' | 'ready' | 'applying' | 'applied' | 'error';
  original: string;
  proposed: string;
  /** Whether the target does not exist yet (a whole-file edit creates it). */
  creating: boolean;
  format: string | null;
  strategy: string | null;
  /** The file's hash when the preview was made: the write is refused if it changed since. */
  hash: string | null;
  error: ApplyRefusal | null;
  /** The user chose to replace the whole file with the code (after a snippet could not be placed): format "whole". */
  whole: boolean;
  start(edit: string, file: string | null): void;
  setFile(file: string): void;
  preview(): Promise<void>;
  /** Preview replacing the whole file with the code; Apply then writes that. */
  previewWhole(): Promise<void>;
  apply(): Promise<void>;
  close(): void;
}

let seq = 0;

export const useApply = create<ApplyState>()((set, get) => ({
  open: false,
  edit: '',
  file: '',
  status: 'idle',
  original: '',
  proposed: '',
  creating: false,
  format: null,
  strategy: null,
  hash: null,
  error: null,
  whole: false,

  start(edit, file) {
    // Without a named file, the file in the editor is the best guess; the dialog lets the user change it.
    const target = file ?? useEditor.getState().active ?? '';
    set({ open: true, edit, file: target, status: 'idle', original: '', proposed: '', creating: false, format: null, strategy: null, hash: null, error: null, whole: false });
    if (target) void get().preview();
  },

  setFile(file) {
    set({ file, status: 'idle', error: null, proposed: '', original: '', whole: false });
  },

  async preview() {
    const file = get().file.trim();
    if (!file) return;
    const mine = ++seq;
    set({ status: 'previewing', error: null });
    try {
      let original = '';
      let hash: string | null = null;
      let creating = false;
      try {
        const r = await api().call('fs/read', { path: file });
        original = r.content;
        hash = r.hash;
      } catch (e) {
        if (errorInfo(e).code !== 'not_found') throw e;
        creating = true;
      }
      const r = await api().call('apply/edit', { file, edit: get().edit, dry_run: true, ...(get().whole ? { format: 'whole' as const } : {}), ...(hash ? { expected_hash: hash } : {}) });
      if (mine !== seq) return;
      if (!r.applied) {
        set({ status: 'error', original, creating, hash, error: { code: r.error.code, message: r.error.message, candidates: r.error.candidates } });
        return;
      }
      set({ status: 'ready', original, proposed: r.content, creating, hash, format: r.format, strategy: r.strategy, file: r.path });
    } catch (e) {
      if (mine === seq) set({ status: 'error', error: errorInfo(e) });
    }
  },

  async previewWhole() {
    set({ whole: true });
    await get().preview();
  },

  async apply() {
    const { file, edit, hash, status, whole } = get();
    if (status !== 'ready') return;
    set({ status: 'applying', error: null });
    try {
      const r = await api().call('apply/edit', { file, edit, dry_run: false, ...(whole ? { format: 'whole' as const } : {}), ...(hash ? { expected_hash: hash } : {}) });
      if (!r.applied) {
        set({ status: 'error', error: { code: r.error.code, message: r.error.message, candidates: r.error.candidates } });
        return;
      }
      set({ status: 'applied' });
      // The server's fs/changed event reloads a clean open tab (a tab with unsaved edits is told the disk changed);
      // the file is brought forward so the change can be seen at once.
      void useEditor.getState().onDiskChanged([r.path]);
      void useEditor.getState().open(r.path);
    } catch (e) {
      set({ status: 'error', error: errorInfo(e) });
    }
  },

  close() {
    seq++;
    set({ open: false, status: 'idle', error: null, whole: false });
  },
}));
