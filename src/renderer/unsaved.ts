// Unsaved editor text kept in this browser (localStorage, keyed by project and path) so a page that must be reopened
// (a new server token, a reload) can offer it back instead of losing it.
import { getModel, textOf } from './editor/documents';
import { useEditor } from './stores/editor';

const PREFIX = 'mira.unsaved.v1:';
const MAX_BYTES = 4 * 1024 * 1024;

export interface Stash {
  at: number;
  files: Record<string, string>;
}

interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function storage(): KeyValue | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage blocked
  }
}

export function stashKey(root: string): string {
  return PREFIX + root;
}

/** Stores the given unsaved texts for a project (or forgets the stash when there are none). Returns how many were kept. */
export function writeStash(root: string, files: Record<string, string>, store: KeyValue | null = storage()): number {
  if (!store) return 0;
  const n = Object.keys(files).length;
  if (n === 0) {
    store.removeItem(stashKey(root));
    return 0;
  }
  const text = JSON.stringify({ at: Date.now(), files } satisfies Stash);
  if (text.length > MAX_BYTES) return 0;
  try {
    store.setItem(stashKey(root), text);
    return n;
  } catch {
    return 0; // quota: the editor still has them
  }
}

export function readStash(root: string, store: KeyValue | null = storage()): Stash | null {
  const raw = store?.getItem(stashKey(root));
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Stash;
    if (!s || typeof s !== 'object' || !s.files || typeof s.files !== 'object') return null;
    const files = Object.fromEntries(Object.entries(s.files).filter(([p, t]) => typeof p === 'string' && typeof t === 'string'));
    return Object.keys(files).length ? { at: Number(s.at) || 0, files } : null;
  } catch {
    return null;
  }
}

export function clearStash(root: string, store: KeyValue | null = storage()): void {
  store?.removeItem(stashKey(root));
}

/** The editor's unsaved texts right now, by path. */
export function unsavedTexts(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of useEditor.getState().tabs) {
    if (!t.dirty) continue;
    const text = textOf(t.path);
    if (text !== null) out[t.path] = text;
  }
  return out;
}

/** Whether this page wrote the current stash (then it may also forget it once everything is saved). */
let stashedHere: string | null = null;

/** Keeps the editor's unsaved texts for this project in the browser; returns how many files. */
export function stashUnsaved(root: string | undefined): number {
  if (!root) return 0;
  const texts = unsavedTexts();
  if (Object.keys(texts).length === 0) {
    forgetOwnStash();
    return 0;
  }
  const n = writeStash(root, texts);
  if (n) stashedHere = root;
  return n;
}

/** Everything is saved: a stash this page wrote is stale (one left by an earlier page waits for Restore or Discard). */
export function forgetOwnStash(): void {
  if (stashedHere) clearStash(stashedHere);
  stashedHere = null;
}

/** Opens each stashed file and puts its kept text back as an unsaved (undoable) edit; returns the paths restored. */
export async function restoreStash(root: string): Promise<string[]> {
  const stash = readStash(root);
  if (!stash) return [];
  const restored: string[] = [];
  for (const [path, text] of Object.entries(stash.files)) {
    await useEditor.getState().open(path);
    const model = getModel(path);
    if (!model) continue; // could not be opened (deleted?): keep it in the stash
    if (model.getValue() !== text) {
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
      // The editor view that relays dirty flags may not be mounted yet (a first open): mark the tab here too.
      useEditor.getState().setDirty(path, true);
    }
    restored.push(path);
  }
  const left = Object.fromEntries(Object.entries(stash.files).filter(([p]) => !restored.includes(p)));
  writeStash(root, left);
  return restored;
}
