// The Tools dashboard: the tools Mira synthesized from the project's history, with examples, validation score and success rate; a form from each tool's parameters, a diff preview, and apply.
import { useEffect, useMemo } from 'react';
import { DiffDialog } from '../components/DiffDialog';
import { Empty, ErrorNotice, InlineError, Loading } from '../components/PanelState';
import { useRovingList } from '../components/roving-list';
import { SchemaForm } from '../components/SchemaForm';
import { TOOLS_METHODS, useTools, type ToolInfo } from '../stores/tools';

function pct(n: number): string {
  return `${Math.round(n * 100)}%`;
}

/** Stored descriptions say "Learned from N commits" for what is the number of commits that show the change. */
function describe(text: string): string {
  return text.replace(/\bLearned from (\d+) commits\b/, 'Seen in $1 commits');
}

function runsText(tool: ToolInfo): string {
  if (tool.runs === null) return 'not reported';
  const parts = [`${tool.runs} ${tool.runs === 1 ? 'run' : 'runs'}`];
  if (tool.accepted !== null) parts.push(`${tool.accepted} applied`);
  if (tool.rejected !== null) parts.push(`${tool.rejected} rejected`);
  const rate = tool.accepted ? (tool.successes ?? 0) / tool.accepted : null;
  return parts.join(', ') + (rate !== null ? `; ${pct(rate)} of applied changes passed the next build` : '');
}

function ToolDetail({ tool }: { tool: ToolInfo }) {
  const run = useTools((s) => s.run);
  const seen = tool.commits ?? tool.examples.length;
  return (
    <div className="tool-detail" aria-label={`Tool ${tool.name}`}>
      <h3>
        {tool.name}
        {tool.version !== null && <span className="muted small"> v{tool.version}</span>}
      </h3>
      {tool.description && <p>{describe(tool.description)}</p>}
      <dl className="stats small">
        <dt>History</dt>
        <dd data-testid="tool-history-counts">
          seen in {seen} {seen === 1 ? 'commit' : 'commits'}
          {tool.learnedFrom !== null ? `; learned from the newest ${tool.learnedFrom} ${tool.learnedFrom === 1 ? 'example' : 'examples'}` : ''}
          {tool.validation ? `; proved on ${tool.validation.cases} past ${tool.validation.cases === 1 ? 'commit' : 'commits'} (each replayed from its parent)` : ''}
        </dd>
        <dt>Validation</dt>
        <dd>{tool.validation ? `path F1 ${tool.validation.path_f1.toFixed(2)}, line F1 ${tool.validation.line_f1.toFixed(2)}` : 'not validated'}</dd>
        <dt>Runs</dt>
        <dd data-testid="tool-runs">{runsText(tool)}</dd>
      </dl>
      {!!tool.examples.length && (
        <details>
          <summary className="small">Example commits ({tool.examples.length}{tool.examples.length < seen ? ` newest of ${seen}` : ''})</summary>
          <ul className="plain-list small">
            {tool.examples.map((e) => (
              <li key={e.sha}>
                <code>{e.sha.slice(0, 8)}</code> {e.name}
              </li>
            ))}
          </ul>
        </details>
      )}
      <SchemaForm schema={tool.parameters} submitLabel="Preview changes" busy={run.status === 'running'} onSubmit={(values) => void useTools.getState().preview(tool.name, values)} />
      {run.status === 'error' && run.error && !run.changes.length && <InlineError error={run.error} />}
    </div>
  );
}

function RunDialog() {
  const run = useTools((s) => s.run);
  const changes = useMemo(() => run.changes.map((c) => ({ path: c.path, original: c.before, modified: c.after, action: c.action })), [run.changes]);
  if (run.status === 'idle' || run.status === 'running' || (run.status === 'error' && !run.changes.length)) return null;
  const decided = run.status === 'applied' || run.status === 'rejected';
  return (
    <DiffDialog
      title={`Changes the tool would make (${changes.length} file${changes.length === 1 ? '' : 's'})`}
      changes={changes}
      canApply={run.status === 'ready' && changes.length > 0}
      busy={run.status === 'applying'}
      applyLabel={run.status === 'applied' ? 'Applied' : 'Apply'}
      closeLabel={decided ? 'Close' : 'Cancel'}
      closeTitle={decided ? undefined : 'Close without deciding (nothing is recorded)'}
      rejectLabel={run.status === 'rejected' ? 'Rejected' : run.status === 'rejecting' ? 'Rejecting…' : 'Reject'}
      canReject={run.status === 'ready' && !!run.runId}
      onReject={() => void useTools.getState().reject()}
      footer={
        run.error ? (
          <InlineError error={run.error} />
        ) : run.status === 'applied' ? (
          <div className="pad small" role="status">
            Applied.
          </div>
        ) : run.status === 'rejected' ? (
          <div className="pad small" role="status">
            Rejected; recorded against the tool.
          </div>
        ) : null
      }
      onApply={() => void useTools.getState().apply()}
      onClose={() => useTools.getState().closeRun()}
    />
  );
}

function History() {
  const history = useTools((s) => s.history);
  useEffect(() => {
    if (useTools.getState().history.status === 'idle') void useTools.getState().loadHistory();
  }, []);
  if (history.status === 'loading') return <div className="muted small">Loading runs…</div>;
  if (history.status === 'error' && history.error) return <InlineError error={history.error} />;
  if (!history.items.length) return <div className="muted small">No tool has been run yet.</div>;
  return (
    <ul className="plain-list small" aria-label="Past tool runs">
      {history.items.map((r) => (
        <li key={r.id}>
          <strong>{r.tool}</strong> <span className="muted">{r.at?.slice(0, 16).replace('T', ' ')}</span> {r.status && <span className="badge">{r.status}</span>} {r.files.slice(0, 4).join(', ')}
        </li>
      ))}
    </ul>
  );
}

export function ToolsPanel() {
  const status = useTools((s) => s.status);
  const error = useTools((s) => s.error);
  const tools = useTools((s) => s.tools);
  const selected = useTools((s) => s.selected);
  const detecting = useTools((s) => s.detecting);
  const detectError = useTools((s) => s.detectError);
  useEffect(() => {
    void useTools.getState().load();
  }, []);
  const list = useRovingList(tools, (t) => useTools.getState().select(t.name));

  if (status === 'error' && error) return <ErrorNotice error={error} what="The tools dashboard" methods={TOOLS_METHODS} onRetry={() => void useTools.getState().load()} />;
  if (status !== 'ready') return <Loading what="tools" />;
  const tool = tools.find((t) => t.name === selected) ?? null;
  return (
    <div className="panel tools-panel" data-testid="tools-panel">
      <div className="panel-toolbar small">
        <span className="muted">{tools.length} tools</span>
        <span className="spacer" />
        <button type="button" onClick={() => void useTools.getState().detect()} disabled={detecting}>
          {detecting ? 'Detecting…' : 'Detect tools from history'}
        </button>
      </div>
      <InlineError error={detectError} />
      {!tools.length ? (
        <Empty testId="tools-empty">No tools yet. Mira finds repeated changes in the history (a new endpoint, a new component with its test…) and turns each into a tool; run “Detect tools from history”.</Empty>
      ) : (
        <div className="tools-body">
          <ul className="results tool-list" role="listbox" aria-label="Tools" onKeyDown={list.onKeyDown}>
            {tools.map((t, i) => (
              <li key={t.name} role="option" className={`result${t.name === selected ? ' selected' : ''}`} {...list.itemProps(i)} onClick={() => useTools.getState().select(t.name)}>
                <div className="symbol">{t.name}</div>
                <div className="muted small">
                  {t.validation ? `F1 ${t.validation.path_f1.toFixed(2)}` : 'not validated'}
                  {t.runs !== null ? ` · ${t.runs} ${t.runs === 1 ? 'run' : 'runs'}` : ''}
                  {t.accepted ? ` · ${t.accepted} applied` : ''}
                </div>
              </li>
            ))}
          </ul>
          <div className="panel-scroll pad">
            {tool ? <ToolDetail tool={tool} /> : <Empty>Choose a tool.</Empty>}
            <h4>Recent runs</h4>
            <History />
          </div>
        </div>
      )}
      <RunDialog />
    </div>
  );
}
