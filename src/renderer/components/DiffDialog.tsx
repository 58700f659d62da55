// A modal that shows proposed changes in Monaco's diff editor (one file at a time) before anything is written, with Apply and Cancel.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { loadMonaco } from '../editor/monaco-loader';

type MonacoApi = typeof import('../editor/monaco').monaco;

export interface FileChange {
  path: string;
  original: string;
  modified: string;
  /** 'create' when the file does not exist yet. */
  action?: string;
  /** When the sides are excerpts (a diff's hunks): each shown line's number in the real file, null for a gap line. */
  originalLineNumbers?: (number | null)[];
  modifiedLineNumbers?: (number | null)[];
}

interface Props {
  title: string;
  changes: FileChange[];
  /** Above the diff: a target field, an explanation, an error. */
  header?: ReactNode;
  footer?: ReactNode;
  /** In place of the diff when there are no changes to show (a refusal and its choices, a progress note). */
  empty?: ReactNode;
  applyLabel?: string;
  /** "Cancel" before anything is written, "Close" after. */
  closeLabel?: string;
  canApply: boolean;
  busy?: boolean;
  onApply(): void;
  onClose(): void;
}

/** Creates the diff editor in `el`; returns what disposes it. */
function showDiff(monaco: MonacoApi, change: FileChange, language: string, el: HTMLDivElement): () => void {
  // Models of their own (no URI): they must not collide with the open file's model in the editor.
  const original = monaco.editor.createModel(change.original, language);
  const modified = monaco.editor.createModel(change.modified, language);
  const editor = monaco.editor.createDiffEditor(el, {
    theme: 'mira-dark',
    automaticLayout: true,
    readOnly: true,
    originalEditable: false,
    renderSideBySide: el.offsetWidth > 700,
    fontSize: 12,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    ariaLabel: `Proposed changes to ${change.path}`,
  });
  editor.setModel({ original, modified });
  // Excerpts number their lines as the file does, not from 1.
  const numbered = (map: (number | null)[] | undefined) => (map ? { lineNumbers: (n: number) => (map[n - 1] == null ? '' : String(map[n - 1])) } : {});
  if (change.originalLineNumbers) editor.getOriginalEditor().updateOptions(numbered(change.originalLineNumbers));
  if (change.modifiedLineNumbers) editor.getModifiedEditor().updateOptions(numbered(change.modifiedLineNumbers));
  return () => {
    editor.dispose();
    original.dispose();
    modified.dispose();
  };
}

export function DiffView({ change }: { change: FileChange }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let dispose: (() => void) | null = null;
    let gone = false;
    // Monaco loads lazily; a view closed before it arrived creates nothing.
    void loadMonaco().then(({ monaco, languageForPath }) => {
      if (!gone && host.current) dispose = showDiff(monaco, change, languageForPath(change.path), host.current);
    });
    return () => {
      gone = true;
      dispose?.();
    };
  }, [change.path, change.original, change.modified]);
  return <div className="diff-host" ref={host} data-testid="diff-editor" />;
}

export function DiffDialog({ title, changes, header, footer, empty, applyLabel = 'Apply', closeLabel = 'Cancel', canApply, busy, onApply, onClose }: Props) {
  const [index, setIndex] = useState(0);
  const dialog = useRef<HTMLDivElement>(null);
  const change = changes[Math.min(index, Math.max(0, changes.length - 1))];
  useEffect(() => {
    // The dialog takes the focus, and gives it back to where it was when it closes.
    const before = document.activeElement as HTMLElement | null;
    dialog.current?.focus();
    return () => before?.focus?.();
  }, []);
  useEffect(() => {
    // Escape closes it wherever the focus went (a button that became disabled drops the focus to the page).
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      onClose();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);
  return (
    <div className="overlay diff-overlay" onMouseDown={onClose}>
      <div
        className="diff-dialog"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        tabIndex={-1}
        ref={dialog}
        onMouseDown={(e) => e.stopPropagation()}
      >
        <div className="diff-title">
          <h2>{title}</h2>
          <span className="spacer" />
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </div>
        {header}
        {changes.length > 1 && (
          <div className="diff-files" role="tablist" aria-label="Changed files">
            {changes.map((c, i) => (
              <button key={c.path} type="button" role="tab" aria-selected={i === index} className={i === index ? 'active' : ''} onClick={() => setIndex(i)}>
                {c.path}
                {c.action === 'create' ? ' (new)' : ''}
              </button>
            ))}
          </div>
        )}
        {change ? <DiffView key={`${change.path}:${index}`} change={change} /> : <div className="diff-host empty-diff muted pad">{empty ?? 'Nothing to show yet.'}</div>}
        {footer}
        <div className="diff-actions">
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            {closeLabel}
          </button>
          <button type="button" className="primary" disabled={!canApply || busy} onClick={onApply} data-testid="diff-apply">
            {busy ? 'Applying…' : applyLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
