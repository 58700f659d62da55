// The Build panel: run the project's build or tests with live output, the parsed errors (recurring ones marked), and how each error was fixed before.
import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import type { BuildErrorItem } from '../../shared/api';
import { Empty, ErrorNotice, InlineError } from '../components/PanelState';
import { useRovingList } from '../components/roving-list';
import { useBuild } from '../stores/build';
import { useEditor } from '../stores/editor';

const THEME = { background: '#1b1c1f', foreground: '#d4d7dd', cursor: '#1b1c1f', selectionBackground: '#3a4454' };

function Output({ focus }: { focus: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) host.current?.focus();
  }, [focus]);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    // Read-only: no cursor, no input; the store keeps the text so a remount replays it.
    const term = new Terminal({ theme: THEME, fontFamily: '"DejaVu Sans Mono", Menlo, Consolas, monospace', fontSize: 12, convertEol: true, disableStdin: true, cursorBlink: false, scrollback: 5000 });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    const size = () => {
      if (el.offsetWidth > 0 && el.offsetHeight > 0) fit.fit();
    };
    size();
    term.write(useBuild.getState().output);
    const off = useBuild.subscribe((s, prev) => {
      if (s.output === prev.output) return;
      if (s.output.startsWith(prev.output)) term.write(s.output.slice(prev.output.length));
      else {
        term.reset();
        term.write(s.output);
      }
    });
    const ro = new ResizeObserver(size);
    ro.observe(el);
    return () => {
      off();
      ro.disconnect();
      term.dispose();
    };
  }, []);
  return <div className="build-output" ref={host} role="log" aria-label="Build output" data-testid="build-output" tabIndex={-1} />;
}

function RunBar() {
  const command = useBuild((s) => s.command);
  const running = useBuild((s) => s.running);
  const last = useBuild((s) => s.last);
  const runError = useBuild((s) => s.runError);
  useEffect(() => {
    void useBuild.getState().loadLastCommand();
  }, []);
  return (
    <form
      className="build-bar"
      onSubmit={(e) => {
        e.preventDefault();
        void useBuild.getState().run();
      }}
    >
      <input
        type="text"
        className="mono"
        value={command}
        placeholder="Build or test command, e.g. npm test"
        aria-label="Build or test command"
        data-testid="build-command"
        disabled={!!running}
        onChange={(e) => useBuild.getState().setCommand(e.target.value)}
      />
      {running ? (
        <button type="button" onClick={() => void useBuild.getState().cancel()} disabled={running.runId === null}>
          Cancel
        </button>
      ) : (
        <button type="submit" className="primary" disabled={!command.trim()}>
          Run
        </button>
      )}
      <span className="build-status small" role="status" aria-live="polite" data-testid="build-status">
        {running
          ? `Running${running.own ? '' : ' (started elsewhere)'}…`
          : last
            ? `${last.status === 'cancelled' ? 'Cancelled' : last.exit_code === 0 ? 'Passed' : `Failed (exit ${last.exit_code ?? '?'})`} in ${(last.duration_ms / 1000).toFixed(1)} s · ${last.error_count} error${last.error_count === 1 ? '' : 's'}, ${last.warning_count} warning${last.warning_count === 1 ? '' : 's'}${last.tool ? ` · ${last.tool}` : ''}`
            : ''}
      </span>
      {runError && <InlineError error={runError} />}
    </form>
  );
}

function FixHistoryView({ item }: { item: BuildErrorItem }) {
  const h = useBuild((s) => s.history[item.id]);
  if (!h || h.status === 'loading') return <div className="muted small pad" role="status">Looking for earlier fixes…</div>;
  return (
    <div className="fix-history" aria-label="How this was fixed before" data-testid="fix-history">
      <h4>Resolved here before</h4>
      {h.resolutionsError ? (
        <InlineError error={h.resolutionsError} />
      ) : !h.resolutions.length ? (
        <div className="muted small">Mira has not seen this error resolved in this project yet.</div>
      ) : (
        <ul className="plain-list">
          {h.resolutions.map((r) => (
            <li key={r.id}>
              <div className="small">
                {r.commit_sha ? <code>{r.commit_sha.slice(0, 8)}</code> : <span className="muted">uncommitted</span>} {r.commit_message ?? ''}{' '}
                <span className="muted">{r.created_at.slice(0, 10)}</span>
              </div>
              {r.diff && <pre className="diff-snippet">{r.diff}</pre>}
            </li>
          ))}
        </ul>
      )}
      <h4>Similar fixes in the git history</h4>
      {h.fixesError ? (
        <InlineError error={h.fixesError} />
      ) : !h.fixes.length ? (
        <div className="muted small">No commit in the history looks like a fix for this.</div>
      ) : (
        <ul className="plain-list">
          {h.fixes.map((f, i) => (
            <li key={f.commit ?? i} data-testid="fix-item">
              <div className="small">
                {f.commit && <code title={f.commit}>{f.commit.slice(0, 8)}</code>} {f.message}
                <span className="muted"> {f.date?.slice(0, 10)}</span>
              </div>
              <div className="muted small">
                {f.files.slice(0, 5).join(', ')}
                {f.reasons.length ? ` · ${f.reasons.join(', ')}` : ''}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The run that finished last, when it failed and its output held nothing Mira recognises as an error. */
function useUnexplainedFailure(): { status: string; exit_code: number | null } | null {
  const running = useBuild((s) => s.running);
  const last = useBuild((s) => s.last);
  const lastFinished = useBuild((s) => s.lastFinished);
  const run = running ? null : (last ?? lastFinished);
  if (!run || run.error_count > 0) return null;
  const failed = run.status === 'done' ? run.exit_code !== 0 : run.status === 'timeout' || run.status === 'failed_to_start';
  return failed ? { status: run.status, exit_code: run.exit_code } : null;
}

function UnexplainedFailure({ run, onShowOutput }: { run: { status: string; exit_code: number | null }; onShowOutput: () => void }) {
  const what =
    run.status === 'timeout' ? 'The run timed out' : run.status === 'failed_to_start' ? 'The command could not be started' : `The run failed (exit ${run.exit_code ?? '?'})`;
  return (
    <div className="pad build-unexplained" role="status" data-testid="build-unrecognised">
      <p>
        <strong>{what}</strong>, but Mira recognised no errors in its output.
      </p>
      <p className="muted small">The output says what went wrong.</p>
      <button type="button" onClick={onShowOutput} data-testid="build-show-output">
        Show output
      </button>
    </div>
  );
}

function ErrorList({ onShowOutput }: { onShowOutput: () => void }) {
  const errors = useBuild((s) => s.errors);
  const filter = useBuild((s) => s.filter);
  const selected = useBuild((s) => s.selected);
  const unexplained = useUnexplainedFailure();
  useEffect(() => {
    if (useBuild.getState().errors.status === 'idle') void useBuild.getState().loadErrors();
  }, []);
  const open = (e: BuildErrorItem) => {
    if (e.file) void useEditor.getState().openAt(e.file, e.line ?? 1, e.column ?? 1);
  };
  const list = useRovingList(errors.items, open, { toggle: (e) => useBuild.getState().select(selected === e.id ? null : e.id) });
  const sel = errors.items.find((x) => x.id === selected);
  return (
    <div className="build-errors">
      <div className="panel-toolbar small">
        <strong>Errors</strong>
        <span className="spacer" />
        <label className="small">
          <input type="checkbox" checked={filter === 'all'} onChange={(e) => useBuild.getState().setFilter(e.target.checked ? 'all' : 'open')} /> include resolved
        </label>
      </div>
      <div className="panel-scroll">
        {errors.status === 'loading' && !errors.items.length && (
          <div className="muted pad small" role="status">
            Loading errors…
          </div>
        )}
        {errors.status === 'error' && errors.error && <ErrorNotice error={errors.error} what="Build errors" onRetry={() => void useBuild.getState().loadErrors()} />}
        {unexplained && <UnexplainedFailure run={unexplained} onShowOutput={onShowOutput} />}
        {errors.status === 'ready' && !errors.items.length && !unexplained && <Empty>No {filter === 'open' ? 'open ' : ''}errors. Run the build or the tests to check.</Empty>}
        {!!errors.items.length && (
          <ul className="results" role="listbox" aria-label="Build errors" onKeyDown={list.onKeyDown}>
            {errors.items.map((e, i) => (
              <li
                key={e.id}
                role="option"
                className={`result build-error${e.id === selected ? ' selected' : ''}`}
                data-testid="build-error"
                data-file={e.file ?? ''}
                {...list.itemProps(i)}
                onClick={() => open(e)}
              >
                <div className="result-head">
                  <span className={`sev sev-${e.severity}`}>{e.severity}</span>
                  {e.code && <code>{e.code}</code>}
                  <span className="path">{e.file ? `${e.file}${e.line ? `:${e.line}` : ''}${e.column ? `:${e.column}` : ''}` : 'no file'}</span>
                  {e.recurring && (
                    <span className="badge recurring" title={`seen ${e.occurrences} times since ${e.first_seen_at.slice(0, 10)}`} data-testid="recurring">
                      recurring ×{e.occurrences}
                    </span>
                  )}
                  {e.status !== 'open' && <span className="badge">{e.status}</span>}
                </div>
                <div className="message">{e.message}</div>
                {e.hint && <div className="muted small build-hint">Hint: {e.hint}</div>}
                <div>
                  <button
                    type="button"
                    className="link small"
                    tabIndex={-1}
                    aria-expanded={e.id === selected}
                    onClick={(ev) => {
                      ev.stopPropagation();
                      useBuild.getState().select(e.id === selected ? null : e.id);
                    }}
                  >
                    How was this fixed before?
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
        {sel && <FixHistoryView item={sel} />}
      </div>
    </div>
  );
}

export function BuildPanel() {
  // "Show output" gives the whole panel to the output, for a failure Mira could not turn into errors.
  const [outputOnly, setOutputOnly] = useState(false);
  const running = useBuild((s) => s.running);
  useEffect(() => {
    if (running) setOutputOnly(false);
  }, [running]);
  return (
    <div className="panel build-panel" data-testid="build-panel">
      <RunBar />
      <div className="build-body">
        <div className="build-output-col">
          {outputOnly && (
            <div className="panel-toolbar small">
              <strong>Output</strong>
              <span className="spacer" />
              <button type="button" className="link small" onClick={() => setOutputOnly(false)}>
                Show errors
              </button>
            </div>
          )}
          <Output focus={outputOnly} />
        </div>
        {!outputOnly && <ErrorList onShowOutput={() => setOutputOnly(true)} />}
      </div>
    </div>
  );
}
