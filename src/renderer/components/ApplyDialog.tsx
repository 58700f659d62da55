// The "Apply to file" dialog: choose the target, see the dry run as a diff, then write it (or read why the edit was refused).
import { useMemo } from 'react';
import { useApply } from '../stores/apply';
import { useEditor } from '../stores/editor';
import { DiffDialog } from './DiffDialog';
import { explainRefusal } from '../apply-refusal';

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
  const whole = useApply((s) => s.whole);
  const edit = useApply((s) => s.edit);
  const changes = useMemo(
    () => (status === 'ready' || status === 'applying' || status === 'applied' ? [{ path: file, original, modified: proposed, action: creating ? 'create' : 'modify' }] : []),
    [status, file, original, proposed, creating],
  );
  if (!open) return null;
  const { setFile, preview, previewWhole, apply, close } = useApply.getState();

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
        {status === 'ready' &&
          (whole
            ? 'Dry run: replaces the whole file with the code. Nothing is written until you apply.'
            : `Dry run: ${format ?? 'edit'}${strategy ? `, matched by ${strategy === 'symbol' ? 'its declaration' : strategy}` : ''}${creating ? ', creates the file' : ''}. Nothing is written until you apply.`)}
        {status === 'applied' && <span data-testid="apply-done">Applied to {file}.</span>}
        {status === 'idle' && !file && 'Name the file this code belongs to, then preview.'}
      </span>
    </form>
  );

  const openFile = () => {
    close();
    void useEditor.getState().open(file);
  };
  const text = error ? explainRefusal(error.code, file || 'the file', error.message) : null;
  // A refusal takes the place of the diff: what happened in the user's words, then the choices that make sense.
  const empty = error && text ? (
    <div className="apply-refusal" role="alert" data-testid="apply-error">
      <h3>{text.title}</h3>
      <p>{text.detail}</p>
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
      <div className="choices">
        {text.choices.includes('replace-whole') && (
          <button type="button" onClick={() => void previewWhole()} data-testid="apply-replace-whole">
            Replace the whole file with this code…
          </button>
        )}
        {text.choices.includes('preview-again') && (
          <button type="button" onClick={() => void preview()}>
            Preview again
          </button>
        )}
        {text.choices.includes('open-file') && file && (
          <button type="button" onClick={openFile}>
            Open {file} to edit it by hand
          </button>
        )}
        {text.choices.includes('copy') && (
          <button type="button" onClick={() => void navigator.clipboard?.writeText(edit).catch(() => undefined)}>
            Copy the code
          </button>
        )}
      </div>
      <details className="muted small">
        <summary>Details</summary>
        <code>
          {error.code}: {error.message}
        </code>
      </details>
    </div>
  ) : status === 'previewing' ? (
    'Preparing the preview…'
  ) : undefined;

  const footer =
    whole && (status === 'ready' || status === 'applying') ? (
      <div className="apply-whole-note small" role="note" data-testid="apply-whole-note">
        Applying replaces all {original.split('\n').length} lines of {file} with the {proposed.split('\n').length} lines of this code. Check the diff: everything shown as removed
        will be gone.
      </div>
    ) : null;

  return (
    <DiffDialog
      title="Apply to file"
      changes={changes}
      header={header}
      footer={footer}
      empty={empty}
      applyLabel={status === 'applied' ? 'Applied' : whole ? 'Replace whole file' : 'Apply'}
      closeLabel={status === 'applied' ? 'Close' : 'Cancel'}
      canApply={status === 'ready'}
      busy={status === 'applying'}
      onApply={() => void apply()}
      onClose={close}
    />
  );
}
