// Quick open (Ctrl+P): fuzzy-find a file of the project by path and open it.
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useEditor } from '../stores/editor';
import { useFiles } from '../stores/files';
import { useLayout } from '../stores/layout';
import { focusEditor } from '../editor/focus';
import { fuzzyScore } from '../fuzzy';
import { takeTypeAhead } from '../type-ahead-buffer';

const LIMIT = 50;

/** The best matches of `query` among `files`, best first. */
export function rankFiles(files: readonly string[], query: string, limit = LIMIT): { path: string; score: number }[] {
  const scored: { path: string; score: number }[] = [];
  for (const path of files) {
    const score = fuzzyScore(query, path);
    if (score !== null) scored.push({ path, score });
  }
  scored.sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
  return scored.slice(0, limit);
}

export function QuickOpen() {
  const open = useLayout((s) => s.quickOpen);
  const status = useFiles((s) => s.status);
  const files = useFiles((s) => s.files);
  const truncated = useFiles((s) => s.truncated);
  const error = useFiles((s) => s.error);
  const [query, setQuery] = useState('');
  const [sel, setSel] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  // Where the pointer was last seen over the list; null until it has been seen since the dialog opened.
  const pointer = useRef<{ x: number; y: number } | null>(null);

  // Enter pressed before the file list arrived: open the best match of the query once it does.
  const pendingEnter = useRef(false);

  // The input takes the focus as soon as the dialog is in the page (no frame later), so keys typed right after
  // Ctrl+P land in it even when the page is busy. The query is reset when the dialog closes, never after it opened,
  // so nothing typed meanwhile is wiped.
  useLayoutEffect(() => {
    if (!open) {
      takeTypeAhead();
      setQuery('');
      setSel(0);
      pendingEnter.current = false;
      return;
    }
    pointer.current = null;
    input.current?.focus();
    // keys typed since the shortcut, before the input had the focus, then any that reached the input already
    const early = takeTypeAhead();
    const typed = early.text + (input.current?.value ?? '');
    if (input.current && typed !== input.current.value) input.current.value = typed;
    if (typed) setQuery(typed);
    if (early.enter) pendingEnter.current = true;
    void useFiles.getState().load();
  }, [open]);

  const results = useMemo(() => rankFiles(files, query), [files, query]);

  const close = () => useLayout.getState().setQuickOpen(false);
  const choose = (path: string | undefined) => {
    if (!path) return;
    close();
    void useEditor.getState().open(path).then(focusEditor);
  };

  useEffect(() => {
    if (!open || !pendingEnter.current || status !== 'ready') return;
    pendingEnter.current = false;
    const q = input.current?.value ?? query;
    const best = rankFiles(files, q, 1)[0];
    if (best) choose(best.path);
  }, [open, status, files]);

  if (!open) return null;
  /** Enter opens the highlighted match of what the input holds now (the list may not have caught up with the keys). */
  const enter = () => {
    const q = input.current?.value ?? query;
    if (q !== query) {
      setQuery(q);
      if (status !== 'ready') pendingEnter.current = true;
      else choose(rankFiles(files, q, 1)[0]?.path);
      return;
    }
    if (status !== 'ready' && !results.length) {
      pendingEnter.current = true;
      return;
    }
    choose(results[Math.min(sel, results.length - 1)]?.path);
  };
  // Only a pointer that really moves picks an option. mouseenter (and Chromium's synthetic mousemove after a layout
  // change) also fire when the list appears or re-sorts under a resting pointer, and Enter would then open that file.
  const onMouseMove = (e: MouseEvent, i: number) => {
    const last = pointer.current;
    pointer.current = { x: e.clientX, y: e.clientY };
    if (!last || (last.x === e.clientX && last.y === e.clientY)) return;
    setSel(i);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') close();
    else if (e.key === 'ArrowDown') setSel((i) => Math.min(i + 1, results.length - 1));
    else if (e.key === 'ArrowUp') setSel((i) => Math.max(i - 1, 0));
    else if (e.key === 'Enter') enter();
    else return;
    e.preventDefault();
  };

  return (
    <div className="overlay" onMouseDown={close}>
      <div className="quick-open" role="dialog" aria-label="Quick open" onMouseDown={(e) => e.stopPropagation()} onKeyDown={onKeyDown}>
        <input
          ref={input}
          autoFocus
          type="text"
          value={query}
          placeholder="Type to find a file by name"
          aria-label="File name"
          aria-controls="quick-open-list"
          aria-activedescendant={results[sel] ? `qo-${sel}` : undefined}
          onChange={(e) => {
            setQuery(e.target.value);
            setSel(0);
          }}
        />
        {status === 'loading' && <div className="muted pad" role="status">Listing files…</div>}
        {status === 'error' && <div className="error-box pad" role="alert">Could not list files: {error?.message}</div>}
        {status === 'ready' && !results.length && <div className="muted pad">No file matches.</div>}
        <ul id="quick-open-list" role="listbox" aria-label="Matching files">
          {results.map((r, i) => (
            <li key={r.path} id={`qo-${i}`} role="option" aria-selected={i === sel} className={i === sel ? 'selected' : ''} onMouseMove={(e) => onMouseMove(e, i)} onClick={() => choose(r.path)}>
              <span className="name">{r.path.slice(r.path.lastIndexOf('/') + 1)}</span>
              <span className="muted path">{r.path}</span>
            </li>
          ))}
        </ul>
        {truncated && <div className="muted pad small">Only the first {files.length} files are listed.</div>}
      </div>
    </div>
  );
}
