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
  /** A tooltip for the close button (what closing means). */
  closeTitle?: string;
  /** A third choice next to Apply: turn the change down (recorded), as opposed to closing without deciding. */
  onReject?(): void;
  rejectLabel?: string;
  canReject?: boolean;
  onApply(): void;
  onClose(): void;
}

/** A new file is all added lines, a deleted one all removed lines: one side only, never an empty pane against it. */
export function oneSided(change: FileChange): 'added' | 'removed' | null {
  if (change.action === 'create' || (change.action !== 'modify' && change.original === '' && change.modified !== '')) return 'added';
  if (change.action === 'delete' || (change.action !== 'modify' && change.modified === '' && change.original !== '')) return 'removed';
  return null;
}

/** Shows one side of a created or deleted file, every line marked added or removed; returns what disposes it. */
function showOneSide(monaco: MonacoApi, change: FileChange, kind: 'added' | 'removed', language: string, el: HTMLDivElement): () => void {
  const text = kind === 'added' ? change.modified : change.original;
  const model = monaco.editor.createModel(text, language);
  const editor = monaco.editor.create(el, {
    model,
    theme: 'mira-dark',
    automaticLayout: true,
    readOnly: true,
    fontSize: 12,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    ariaLabel: `${kind === 'added' ? 'New file' : 'Deleted file'} ${change.path}`,
  });
  const lines = model.getLineCount();
  const numbers = kind === 'added' ? change.modifiedLineNumbers : change.originalLineNumbers;
  if (numbers) editor.updateOptions({ lineNumbers: (n: number) => (numbers[n - 1] == null ? '' : String(numbers[n - 1])) });
  const cls = kind === 'added' ? 'one-side-added' : 'one-side-removed';
  const decorations = editor.createDecorationsCollection([
    { range: new monaco.Range(1, 1, lines, 1), options: { isWholeLine: true, className: cls, linesDecorationsClassName: `${cls}-gutter` } },
  ]);
  return () => {
    decorations.clear();
    editor.dispose();
    model.dispose();
  };
}

/** Creates the diff editor in `el`; returns what disposes it. */
function showDiff(monaco: MonacoApi, change: FileChange, language: string, el: HTMLDivElement): () => void {
  const side = oneSided(change);
  if (side) return showOneSide(monaco, change, side, language, el);
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
  const side = oneSided(change);
  return (
    <>
      {side && (
        <div className="small muted pad diff-side-note" data-testid="diff-side-note">
          {side === 'added' ? `New file: ${change.path} (all lines added)` : `Deleted file: ${change.path} (all lines removed)`}
        </div>
      )}
      <div className="diff-host" ref={host} data-testid="diff-editor" data-diff-kind={side ?? 'modified'} />
    </>
  );
}

export function DiffDialog({ title, changes, header, footer, empty, applyLabel = 'Apply', closeLabel = 'Cancel', closeTitle, canApply, busy, onReject, rejectLabel = 'Reject', canReject = true, onApply, onClose }: Props) {
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
                {oneSided(c) === 'added' ? ' (new)' : oneSided(c) === 'removed' ? ' (deleted)' : ''}
              </button>
            ))}
          </div>
        )}
        {change ? <DiffView key={`${change.path}:${index}`} change={change} /> : <div className="diff-host empty-diff muted pad">{empty ?? 'Nothing to show yet.'}</div>}
        {footer}
        <div className="diff-actions">
          <span className="spacer" />
          <button type="button" onClick={onClose} title={closeTitle}>
            {closeLabel}
          </button>
          {onReject && (
            <button type="button" disabled={!canReject || busy} onClick={onReject} data-testid="diff-reject">
              {rejectLabel}
            </button>
          )}
          <button type="button" className="primary" disabled={!canApply || busy} onClick={onApply} data-testid="diff-apply">
            {busy ? 'Applying…' : applyLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
