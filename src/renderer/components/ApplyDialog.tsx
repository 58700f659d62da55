// The "Apply to file" dialog: choose the target, see the dry run as a diff, then write it (or read why the edit was refused).
import { useMemo } from 'react';
import { useApply } from '../stores/apply';
import { useEditor } from '../stores/editor';
import { DiffDialog } from './DiffDialog';

export function ApplyDialog() {
  const open = useApply((s) => s.open);
  const file = useApply((s) => s.file);
  const status = useApply((s) => s.status);
  const original = useApply((s) => s.original);
  const proposed = useApply((s) => s.proposed);
  const creating = useApply((s) => s.creating);
  const format = useApply((s) => s.format);
  const strategy = useApply((s) => s.strategy);
  const error = useApply((s) => s.error);
  const changes = useMemo(
    () => (status === 'ready' || status === 'applying' || status === 'applied' ? [{ path: file, original, modified: proposed, action: creating ? 'create' : 'modify' }] : []),
    [status, file, original, proposed, creating],
  );
  if (!open) return null;
  const { setFile, preview, apply, close } = useApply.getState();

  const header = (
    <form
      className="apply-target"
      onSubmit={(e) => {
        e.preventDefault();
        void preview();
      }}
    >
      <label>
        File
        <input type="text" className="mono" value={file} onChange={(e) => setFile(e.target.value)} placeholder="path/in/the/project.ts" aria-label="File to apply the code to" data-testid="apply-file" />
      </label>
      <button type="submit" disabled={!file.trim() || status === 'previewing' || status === 'applying'}>
        {status === 'previewing' ? 'Previewing…' : 'Preview'}
      </button>
      <span className="muted small" role="status">
        {status === 'ready' && `Dry run: ${format ?? 'edit'}${strategy ? `, matched by ${strategy}` : ''}${creating ? ', creates the file' : ''}. Nothing is written until you apply.`}
        {status === 'applied' && <span data-testid="apply-done">Applied to {file}.</span>}
        {status === 'idle' && !file && 'Name the file this code belongs to, then preview.'}
      </span>
    </form>
  );

  const footer = error ? (
    <div className="error-box pad small" role="alert" data-testid="apply-error">
      <p>
        {error.code === 'conflict' ? 'The file changed since the preview: preview again.' : `The edit was not applied: ${error.message}`}
        {error.hint ? <span className="muted"> — {error.hint}</span> : null}
      </p>
      {!!error.candidates?.length && (
        <ul className="plain-list">
          {error.candidates.slice(0, 5).map((c) => (
            <li key={c.line}>
              <button
                type="button"
                className="link small"
                onClick={() => {
                  close();
                  void useEditor.getState().openAt(file, c.line);
                }}
              >
                line {c.line}
              </button>{' '}
              <code>{c.text}</code>
            </li>
          ))}
        </ul>
      )}
    </div>
  ) : null;

  return (
    <DiffDialog
      title="Apply to file"
      changes={changes}
      header={header}
      footer={footer}
      applyLabel={status === 'applied' ? 'Applied' : 'Apply'}
      closeLabel={status === 'applied' ? 'Close' : 'Cancel'}
      canApply={status === 'ready'}
      busy={status === 'applying'}
      onApply={() => void apply()}
      onClose={close}
    />
  );
}
