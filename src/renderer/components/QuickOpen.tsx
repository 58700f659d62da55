// Quick open (Ctrl+P): fuzzy-find a file of the project by path and open it.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useEditor } from '../stores/editor';
import { useFiles } from '../stores/files';
import { useLayout } from '../stores/layout';
import { focusEditor } from '../editor/focus';
import { fuzzyScore } from '../fuzzy';

const LIMIT = 50;

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

  useEffect(() => {
    if (!open) return;
    setQuery('');
    setSel(0);
    pointer.current = null;
    void useFiles.getState().load();
    requestAnimationFrame(() => input.current?.focus());
  }, [open]);

  const results = useMemo(() => {
    const scored: { path: string; score: number }[] = [];
    for (const path of files) {
      const score = fuzzyScore(query, path);
      if (score !== null) scored.push({ path, score });
    }
    scored.sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
    return scored.slice(0, LIMIT);
  }, [files, query]);

  if (!open) return null;
  const close = () => useLayout.getState().setQuickOpen(false);
  const choose = (path: string | undefined) => {
    if (!path) return;
    close();
    void useEditor.getState().open(path).then(focusEditor);
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
    else if (e.key === 'Enter') choose(results[sel]?.path);
    else return;
    e.preventDefault();
  };

  return (
    <div className="overlay" onMouseDown={close}>
      <div className="quick-open" role="dialog" aria-label="Quick open" onMouseDown={(e) => e.stopPropagation()} onKeyDown={onKeyDown}>
        <input
          ref={input}
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
