// The Operations panel: give the model a task, follow its plan and steps live, review each proposed file as a diff (per file or per hunk), apply, verify, undo.
import { useEffect, useMemo, useState } from 'react';
import type { ArtifactInfo, OperationView } from '../../shared/api';
import { DiffView, type FileChange } from '../components/DiffDialog';
import { Empty, ErrorNotice, InlineError, Loading } from '../components/PanelState';
import { useRovingList } from '../components/roving-list';
import { useConnection } from '../stores/connection';
import { useLayout } from '../stores/layout';
import { uiHint } from '../ui-hints';
import { sidesOfDiff, statusLabel } from '../ops-view';

export { sidesOfDiff, statusLabel };
import { TERMINAL_STATUSES, useOps, type OperationSummary, type OpsAction } from '../stores/ops';

function statusClass(status: string): string {
  if (status === 'failed' || status === 'rejected') return 'status-error';
  if (status === 'no changes' || status === 'undone') return 'status-warn';
  if (status === 'done' || status === 'accepted' || status === 'applied') return 'status-ok';
  return '';
}


/** With an operation selected, the start form folds into one row (the detail gets the panel's height), and the panel
 * can be made taller for reviewing. */
function StartBar({ onNew }: { onNew(): void }) {
  const height = useLayout((s) => s.bottomHeight);
  const tall = height > 400;
  return (
    <div className="ops-start-bar" data-testid="ops-start-bar">
      <button type="button" className="small" onClick={onNew} data-testid="ops-new">
        New operation…
      </button>
      <span className="spacer" />
      <button
        type="button"
        className="link small"
        aria-pressed={tall}
        data-testid="ops-taller"
        onClick={() => useLayout.getState().resize('bottom', tall ? 260 : Math.max(420, Math.round(window.innerHeight * 0.65)))}
      >
        {tall ? 'Smaller panel' : 'Taller panel'}
      </button>
    </div>
  );
}

function StartForm() {
  const selected = useOps((s) => s.selected);
  const [expanded, setExpanded] = useState(false);
  // Selecting another operation folds the form again.
  useEffect(() => setExpanded(false), [selected]);
  if (selected !== null && !expanded) return <StartBar onNew={() => setExpanded(true)} />;
  return <StartFormFields autoFocus={expanded} />;
}

function StartFormFields({ autoFocus }: { autoFocus: boolean }) {
  const task = useOps((s) => s.task);
  const apply = useOps((s) => s.apply);
  const verify = useOps((s) => s.verify);
  const starting = useOps((s) => s.starting);
  const startError = useOps((s) => s.startError);
  // As in Chat: with no model configured, say so up front instead of letting Start fail with a server error.
  const hasLlm = useConnection((s) => s.info?.llm ?? false);
  const start = () => {
    if (hasLlm) void useOps.getState().start();
  };
  return (
    <form
      className="ops-start"
      aria-label="Start an operation"
      onSubmit={(e) => {
        e.preventDefault();
        start();
      }}
    >
      <textarea
        className="ops-task"
        value={task}
        rows={2}
        placeholder="What should change? e.g. Make multiply in src/math.ts use a plain product"
        aria-label="Task"
        data-testid="ops-task"
        autoFocus={autoFocus}
        disabled={starting}
        onChange={(e) => useOps.getState().setTask(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            start();
          }
        }}
      />
      <div className="ops-start-options">
        <label className="small">
          <input type="checkbox" checked={apply} data-testid="ops-apply-option" onChange={(e) => useOps.getState().setApply(e.target.checked)} /> apply without review
        </label>
        <input
          type="text"
          className="mono ops-verify"
          value={verify}
          placeholder="Verify command (default: the project's test command)"
          aria-label="Verify command"
          data-testid="ops-verify"
          onChange={(e) => useOps.getState().setVerify(e.target.value)}
        />
        <button type="submit" className="primary" disabled={!hasLlm || !task.trim() || starting} aria-describedby={hasLlm ? undefined : 'ops-no-llm'} data-testid="ops-start">
          {starting ? 'Starting…' : 'Start'}
        </button>
      </div>
      {!hasLlm && (
        <div className="small muted ops-no-llm" id="ops-no-llm" role="note" data-testid="ops-no-llm">
          Operations need a language model, and none is configured.{' '}
          <button type="button" className="link small" onClick={() => useLayout.getState().showPanel('bottom', 'settings')}>
            Configure one in Settings
          </button>
        </div>
      )}
      {startError && (
        <div data-testid="ops-start-error" data-code={startError.code}>
          <InlineError error={startError} />
        </div>
      )}
    </form>
  );
}

function OperationList() {
  const list = useOps((s) => s.list);
  const selected = useOps((s) => s.selected);
  useEffect(() => {
    if (useOps.getState().list.status === 'idle') void useOps.getState().loadList();
  }, []);
  const open = (o: OperationSummary) => void useOps.getState().select(o.operation_id);
  const roving = useRovingList(list.items, open);
  return (
    <div className="ops-list">
      <div className="panel-toolbar small">
        <strong>Operations</strong>
        <span className="spacer" />
        <button type="button" className="link small" onClick={() => void useOps.getState().loadList()} aria-label="Refresh operations">
          Refresh
        </button>
      </div>
      <div className="panel-scroll">
        {list.status === 'loading' && !list.items.length && <Loading what="operations" />}
        {list.status === 'error' && list.error && <ErrorNotice error={list.error} what="Operations" methods={['ops/list']} onRetry={() => void useOps.getState().loadList()} />}
        {list.status === 'ready' && !list.items.length && <Empty testId="ops-empty">No operations yet. Describe a task above and press Start.</Empty>}
        {!!list.items.length && (
          <ul className="results" role="listbox" aria-label="Operations" onKeyDown={roving.onKeyDown} data-testid="ops-list">
            {list.items.map((o, i) => (
              <li
                key={o.operation_id}
                role="option"
                className={`result ops-item${o.operation_id === selected ? ' selected' : ''}`}
                data-testid="ops-item"
                data-status={o.status}
                data-id={o.operation_id}
                {...roving.itemProps(i)}
                aria-selected={o.operation_id === selected}
                onClick={() => open(o)}
              >
                <div className="result-head">
                  <code>#{o.operation_id}</code>
                  <span className={`badge ${statusClass(statusLabel(o))}`} data-testid="ops-item-status">
                    {statusLabel(o)}
                  </span>
                  {o.interrupted && <span className="badge">interrupted</span>}
                  {o.reverted && o.outcome !== 'undone' && <span className="badge">undone</span>}
                  <span className="muted small">
                    {o.artifacts} file{o.artifacts === 1 ? '' : 's'} · ${o.cost_usd.toFixed(4)}
                  </span>
                </div>
                <div className="message">{o.task}</div>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

function ArtifactView({ art }: { art: ArtifactInfo }) {
  const busy = useOps((s) => !!s.reviewing[art.id]);
  const change: FileChange = useMemo(() => ({ path: art.path, ...sidesOfDiff(art.diff), ...(art.creates ? { action: 'create' } : {}) }), [art.path, art.diff, art.creates]);
  const reviewable = art.status !== 'applied' && art.status !== 'reverted' && art.status !== 'discarded';
  const review = (decision: 'accept' | 'reject', hunks?: number[]) => void useOps.getState().review(art.id, decision, hunks);
  // Once the file is written (or put back), a hunk's review state is history: say what happened to it.
  const hunkState = (state: string): string =>
    art.status === 'applied' ? (state === 'rejected' ? 'not applied' : 'applied') : art.status === 'reverted' ? (state === 'rejected' ? 'not applied' : 'undone') : state;
  return (
    <section className="ops-artifact" aria-label={`Changes to ${art.path}`} data-testid="ops-artifact" data-path={art.path} data-status={art.status}>
      <div className="ops-artifact-head">
        <code className="path">{art.path}</code>
        {art.creates && <span className="badge">new file</span>}
        <span className={`badge ${statusClass(art.status)}`} data-testid="ops-artifact-status">
          {art.status}
        </span>
        <span className="small">
          <span className="added">+{art.additions}</span> <span className="removed">-{art.deletions}</span>
        </span>
        <span className="spacer" />
        <button type="button" disabled={!reviewable || busy} onClick={() => review('accept')} aria-label={`Accept all changes to ${art.path}`} data-testid="ops-accept-file">
          Accept file
        </button>
        <button type="button" disabled={!reviewable || busy} onClick={() => review('reject')} aria-label={`Reject all changes to ${art.path}`} data-testid="ops-reject-file">
          Reject file
        </button>
      </div>
      <div className="ops-diff">{art.diff ? <DiffView change={change} /> : <div className="muted small pad">No change left in this file.</div>}</div>
      {art.hunks.length > 1 && (
        <ul className="plain-list ops-hunks" aria-label={`Hunks of ${art.path}`}>
          {art.hunks.map((h) => (
            <li key={h.index} className="ops-hunk" data-testid="ops-hunk" data-state={h.state}>
              <code className="small">{h.header}</code>
              <span className={`badge ${statusClass(hunkState(h.state))}`}>{hunkState(h.state)}</span>
              <button type="button" className="small" disabled={!reviewable || busy} onClick={() => review('accept', [h.index])} aria-label={`Accept hunk ${h.index + 1} of ${art.path}`}>
                Accept
              </button>
              <button type="button" className="small" disabled={!reviewable || busy} onClick={() => review('reject', [h.index])} aria-label={`Reject hunk ${h.index + 1} of ${art.path}`}>
                Reject
              </button>
            </li>
          ))}
        </ul>
      )}
      {art.hunks.length === 1 && (
        <div className="muted small" data-testid="ops-one-hunk">
          One hunk, {hunkState(art.hunks[0]!.state)}.
        </div>
      )}
    </section>
  );
}

function Verification({ v }: { v: NonNullable<OperationView['verification']> }) {
  return (
    <section className="ops-section" aria-label="Verification" data-testid="ops-verification" data-passed={v.passed}>
      <h4>Verification</h4>
      <div className="small">
        <code>{v.command}</code>{' '}
        <span className={`badge ${v.passed ? 'status-ok' : 'status-error'}`}>{v.passed ? 'passed' : `failed (exit ${v.exit_code ?? '?'})`}</span>{' '}
        <span className="muted" data-testid="ops-verification-rounds">
          {v.rounds} round{v.rounds === 1 ? '' : 's'}
          {v.verify_runs !== undefined && v.verify_runs !== v.rounds ? ` (verified ${v.verify_runs} time${v.verify_runs === 1 ? '' : 's'})` : ''}
        </span>
      </div>
      {v.baseline_failed && (
        <div className="small warning-text" role="note" data-testid="ops-baseline-failed">
          This check was already failing before the change{v.passed ? ': the change fixed it.' : ', so its failure is not necessarily caused by the change.'}
        </div>
      )}
      {!!v.errors.length && (
        <ul className="plain-list small">
          {v.errors.map((e) => (
            <li key={e.id}>
              {e.file ? `${e.file}${e.line ? `:${e.line}` : ''}: ` : ''}
              {e.message}
            </li>
          ))}
        </ul>
      )}
      {!!v.resolved.length && (
        <div className="small">
          Resolved: {v.resolved.map((r) => r.message).join('; ')}
        </div>
      )}
    </section>
  );
}

const ACTIONS: { action: OpsAction; label: string; enabled(v: OperationView): boolean }[] = [
  { action: 'apply', label: 'Apply', enabled: (v) => v.status === 'awaiting_review' },
  { action: 'resume', label: 'Resume', enabled: (v) => v.resumable },
  { action: 'undo', label: 'Undo', enabled: (v) => !v.reverted && v.artifacts.some((a) => a.status === 'applied' || !!a.applied_at) },
  { action: 'cancel', label: 'Cancel', enabled: (v) => !TERMINAL_STATUSES.has(v.status) && v.status !== 'awaiting_review' },
  { action: 'discard', label: 'Discard', enabled: (v) => !TERMINAL_STATUSES.has(v.status) },
];

/** The actions that apply to the operation as it is, and the one to make primary: Apply when it waits for review,
 * Resume when it stopped and can go on; a finished operation gets no primary action (Undo is offered, plainly). */
export function operationActions(v: OperationView): { actions: OpsAction[]; primary: OpsAction | null } {
  const actions = ACTIONS.filter((a) => a.enabled(v)).map((a) => a.action);
  const primary = actions.includes('apply') ? 'apply' : actions.includes('resume') ? 'resume' : null;
  return { actions, primary };
}

function OperationDetail() {
  const selected = useOps((s) => s.selected);
  const view = useOps((s) => (s.selected === null ? undefined : s.views[s.selected]));
  const viewStatus = useOps((s) => s.viewStatus);
  const viewError = useOps((s) => s.viewError);
  const busy = useOps((s) => s.busy);
  const actionError = useOps((s) => s.actionError);
  const undone = useOps((s) => s.undone);
  const delta = useOps((s) => (s.selected === null ? '' : (s.deltas[s.selected] ?? '')));
  if (selected === null) return <Empty>Select an operation to see its plan, steps and changes.</Empty>;
  if (!view) {
    if (viewStatus === 'error' && viewError) return <ErrorNotice error={viewError} what="Operation" onRetry={() => void useOps.getState().select(selected)} />;
    return <Loading what="the operation" />;
  }
  const running = !TERMINAL_STATUSES.has(view.status) && view.status !== 'awaiting_review';
  const shown = operationActions(view);
  return (
    <div className="ops-detail" aria-label={`Operation ${view.operation_id}`} data-testid="ops-detail" data-status={view.status}>
      <div className="ops-detail-head">
        <strong>#{view.operation_id}</strong>
        <span className={`badge ${statusClass(statusLabel(view))}`} role="status" aria-live="polite" data-testid="ops-status" data-outcome={view.outcome ?? ''}>
          {statusLabel(view)}
        </span>
        <span className="muted small">
          {view.llm_calls} model call{view.llm_calls === 1 ? '' : 's'} · {view.tool_calls} tool call{view.tool_calls === 1 ? '' : 's'} · ${view.cost_usd.toFixed(4)}
        </span>
        <span className="spacer" />
        <div role="toolbar" aria-label="Operation actions" className="ops-actions">
          {ACTIONS.filter((a) => shown.actions.includes(a.action)).map((a) => (
            <button
              key={a.action}
              type="button"
              className={a.action === shown.primary ? 'primary' : ''}
              disabled={!!busy}
              onClick={() => void useOps.getState().act(a.action)}
              data-testid={`ops-${a.action}`}
            >
              {busy === a.action ? `${a.label}…` : a.label}
            </button>
          ))}
        </div>
      </div>
      <div className="ops-task-text">{view.task}</div>
      {view.error && (
        <div className="error-box small" role="alert" data-testid="ops-error">
          {view.error.code}: {view.error.message}
          {view.error.hint ? <span className="muted"> — {uiHint(view.error.hint)}</span> : null}
        </div>
      )}
      <InlineError error={actionError} />
      {undone && undone.operation_id === view.operation_id && (
        <div className="small" role="status" data-testid="ops-undone">
          Undone: {undone.restored.map((r) => `${r.path} (${r.action})`).join(', ') || 'nothing to restore'}
        </div>
      )}
      {view.summary && <p className="small">{view.summary}</p>}
      <section className="ops-section" aria-label="Plan">
        <h4>Plan</h4>
        {view.plan ? <pre className="ops-plan">{view.plan}</pre> : <div className="muted small">{running ? 'Planning…' : 'No plan recorded.'}</div>}
      </section>
      <section className="ops-section" aria-label="Steps">
        <h4>Steps</h4>
        {!view.steps.length ? (
          <div className="muted small">{running ? 'Waiting for the first step…' : 'No steps.'}</div>
        ) : (
          <ol className="plain-list ops-steps" aria-live="polite" data-testid="ops-steps">
            {view.steps.map((s) => (
              <li key={s.id} className="ops-step small" data-testid="ops-step" data-kind={s.kind} data-name={s.name}>
                <span className="badge">{s.kind}</span> <strong>{s.name}</strong> {s.status !== 'ok' && <span className={`badge ${s.status === 'error' ? 'status-error' : ''}`}>{s.status}</span>}{' '}
                <span className="muted">{s.detail}</span>
              </li>
            ))}
          </ol>
        )}
        {running && delta && (
          <pre className="ops-delta small" aria-label="Model output" data-testid="ops-delta">
            {delta}
          </pre>
        )}
      </section>
      <section className="ops-section" aria-label="Proposed changes">
        <h4>Changes</h4>
        {!view.artifacts.length ? (
          <div className="muted small">{running ? 'No change proposed yet.' : 'No change proposed.'}</div>
        ) : (
          view.artifacts.map((a) => <ArtifactView key={a.id} art={a} />)
        )}
      </section>
      {view.verification && <Verification v={view.verification} />}
    </div>
  );
}

export function OpsPanel() {
  return (
    <div className="panel ops-panel" data-testid="ops-panel">
      <StartForm />
      <div className="ops-body">
        <OperationList />
        <div className="ops-detail-scroll panel-scroll">
          <OperationDetail />
        </div>
      </div>
    </div>
  );
}
