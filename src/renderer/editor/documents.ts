// One Monaco text model per open file, with the version last saved, so "dirty" is exact and undo survives tab switches.
import type { monaco } from './monaco';
import { loadedMonaco } from './monaco-loader';

interface Doc {
  model: monaco.editor.ITextModel;
  savedVersion: number;
  viewState: monaco.editor.ICodeEditorViewState | null;
  dirty: boolean;
}

const docs = new Map<string, Doc>();
const dirtyListeners = new Set<(path: string, dirty: boolean) => void>();

function uriFor(path: string): monaco.Uri {
  return loadedMonaco().monaco.Uri.from({ scheme: 'mira', path: `/${path}` });
}

function setDirty(path: string, doc: Doc): void {
  const dirty = doc.model.getAlternativeVersionId() !== doc.savedVersion;
  if (dirty === doc.dirty) return;
  doc.dirty = dirty;
  for (const l of dirtyListeners) l(path, dirty);
}

/** Needs Monaco loaded (the editor store awaits loadMonaco() first); the other functions act on open documents only. */
export function openDocument(path: string, content: string): { model: monaco.editor.ITextModel; language: string } {
  const existing = docs.get(path);
  if (existing) return { model: existing.model, language: existing.model.getLanguageId() };
  const { monaco, languageForPath } = loadedMonaco();
  const language = languageForPath(path);
  const model = monaco.editor.getModel(uriFor(path)) ?? monaco.editor.createModel(content, language, uriFor(path));
  const doc: Doc = { model, savedVersion: model.getAlternativeVersionId(), viewState: null, dirty: false };
  docs.set(path, doc);
  // Undoing back to the saved text makes the file clean again, as in VS Code: compare version ids, not a flag.
  model.onDidChangeContent(() => setDirty(path, doc));
  return { model, language };
}

export function getModel(path: string): monaco.editor.ITextModel | null {
  return docs.get(path)?.model ?? null;
}

export function textOf(path: string): string | null {
  return docs.get(path)?.model.getValue() ?? null;
}

/** Records that the model's current text is what is on disk (after a save, or a save of exactly this version). */
export function markSaved(path: string, version?: number): void {
  const doc = docs.get(path);
  if (!doc) return;
  doc.savedVersion = version ?? doc.model.getAlternativeVersionId();
  setDirty(path, doc);
}

export function versionOf(path: string): number | null {
  return docs.get(path)?.model.getAlternativeVersionId() ?? null;
}

/** Replaces the text with what is on disk, as one undoable edit, and marks it clean. */
export function reloadDocument(path: string, content: string): void {
  const doc = docs.get(path);
  if (!doc) return;
  const old = doc.model.getValue();
  if (old !== content) {
    // Only the changed middle is replaced: the cursor and scroll outside it stay where they were.
    const { start, endOld, endNew } = changedSpan(old, content);
    const from = doc.model.getPositionAt(start);
    const to = doc.model.getPositionAt(endOld);
    const range = { startLineNumber: from.lineNumber, startColumn: from.column, endLineNumber: to.lineNumber, endColumn: to.column };
    doc.model.pushEditOperations([], [{ range, text: content.slice(start, endNew) }], () => null);
  }
  markSaved(path);
}

/** The span that differs between two texts: a common prefix and suffix left out (offsets into each). */
export function changedSpan(a: string, b: string): { start: number; endOld: number; endNew: number } {
  const max = Math.min(a.length, b.length);
  let start = 0;
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  // Never split a surrogate pair or a CRLF.
  if (start > 0 && (isHigh(a.charCodeAt(start - 1)) || a.charCodeAt(start - 1) === 13)) start--;
  let endOld = a.length;
  let endNew = b.length;
  while (endOld > start && endNew > start && a.charCodeAt(endOld - 1) === b.charCodeAt(endNew - 1)) {
    endOld--;
    endNew--;
  }
  if (endOld < a.length && (isLow(a.charCodeAt(endOld)) || a.charCodeAt(endOld) === 10) && endOld > start && endNew > start) {
    endOld++;
    endNew++;
  }
  return { start, endOld, endNew };
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

export function saveViewState(path: string, state: monaco.editor.ICodeEditorViewState | null): void {
  const doc = docs.get(path);
  if (doc) doc.viewState = state;
}

export function viewStateOf(path: string): monaco.editor.ICodeEditorViewState | null {
  return docs.get(path)?.viewState ?? null;
}

export function closeDocument(path: string): void {
  const doc = docs.get(path);
  if (!doc) return;
  docs.delete(path);
  doc.model.dispose();
}

export function closeAllDocuments(): void {
  for (const p of [...docs.keys()]) closeDocument(p);
}

export function onDirtyChange(cb: (path: string, dirty: boolean) => void): () => void {
  dirtyListeners.add(cb);
  return () => dirtyListeners.delete(cb);
}
