// The status bar: connection, project, indexing progress with a button to index, and the active file's position.
import type { IndexResult } from '../../shared/api';
import { useConnection } from '../stores/connection';
import { useEditor } from '../stores/editor';
import { useIndexing } from '../stores/indexing';
import { useLayout } from '../stores/layout';
import { useProject } from '../stores/project';

const PHASES: Record<string, string> = { walk: 'Scanning files', files: 'Indexing files', stage: 'Analysing', done: 'Done' };

function detailOf(r: IndexResult): string {
  return `${r.added} added, ${r.changed_files - r.added - r.deleted} changed, ${r.deleted} deleted, ${r.unchanged} unchanged; ${r.symbols} symbols, ${r.calls} calls, ${r.commits} commits`;
}

function IndexStatus() {
  const running = useIndexing((s) => s.running);
  const progress = useIndexing((s) => s.progress);
  const last = useIndexing((s) => s.last);
  const error = useIndexing((s) => s.error);
  const lastIndexedAt = useProject((s) => s.project?.last_indexed_at ?? null);

  let text: string;
  let pct: number | null = null;
  if (running && progress) {
    const label = progress.phase === 'stage' && progress.detail ? `${PHASES.stage}: ${progress.detail}` : (PHASES[progress.phase] ?? progress.phase);
    text = progress.total > 0 ? `${label} ${progress.done}/${progress.total}` : `${label}…`;
    if (progress.total > 0) pct = Math.round((progress.done / progress.total) * 100);
  } else if (running) text = 'Indexing…';
  else if (error) text = `Index failed: ${error.message}`;
  else if (last) text = `Indexed ${last.files} files in ${(last.took_ms / 1000).toFixed(1)} s`;
  else if (lastIndexedAt) text = `Last indexed ${new Date(lastIndexedAt).toLocaleString()}`;
  else text = 'Not indexed yet';

  return (
    <div className={`status-item index-status${error && !running ? ' error' : ''}`} role="status" aria-live="polite" data-testid="index-status">
      {pct !== null && (
        <span className="progress" aria-hidden="true">
          <span className="progress-fill" style={{ width: `${pct}%` }} />
        </span>
      )}
      <span title={error?.hint ?? (last && !running ? detailOf(last) : undefined)}>{text}</span>
      <button
        type="button"
        className="status-button"
        disabled={running}
        onClick={() => void useIndexing.getState().run()}
        title="Index the project (Ctrl+Alt+I)"
        aria-keyshortcuts="Control+Alt+I"
      >
        {running ? 'Indexing' : 'Index'}
      </button>
    </div>
  );
}

/** Shows or hides Chat and Code: the way back to them when a narrow window keeps the right sidebar closed. */
function RightToggle() {
  const visible = useLayout((s) => s.rightVisible);
  return (
    <div className="status-item">
      <button
        type="button"
        className="status-button"
        aria-pressed={visible}
        aria-keyshortcuts="Control+Alt+B"
        title="Show or hide the right sidebar: Chat and Code (Ctrl+Alt+B)"
        data-testid="toggle-right"
        onClick={() => useLayout.getState().toggleRight()}
      >
        Chat &amp; Code
      </button>
    </div>
  );
}

export function StatusBar() {
  const mode = useConnection((s) => s.mode);
  const version = useConnection((s) => s.info?.version);
  const project = useProject((s) => s.project);
  const cursor = useEditor((s) => s.cursor);
  const activeTab = useEditor((s) => s.tabs.find((t) => t.path === s.active) ?? null);
  const lastSaved = useEditor((s) => s.lastSaved);

  return (
    <footer className="status-bar" aria-label="Status bar">
      <div className="status-item" title={mode === 'electron' ? 'Desktop app (IPC)' : 'Browser mode (WebSocket)'}>
        Mira {version ?? ''} · {mode === 'electron' ? 'desktop' : 'browser'}
      </div>
      {project && <div className="status-item" title={project.root}>{project.name}</div>}
      <IndexStatus />
      <span className="spacer" />
      {lastSaved && activeTab?.path === lastSaved.path && !activeTab.dirty && <div className="status-item muted">Saved</div>}
      {activeTab?.saving && <div className="status-item">Saving…</div>}
      {activeTab?.status === 'ready' && cursor && <div className="status-item">Ln {cursor.line}, Col {cursor.column}</div>}
      {activeTab?.status === 'ready' && <div className="status-item">{activeTab.language}</div>}
      <RightToggle />
    </footer>
  );
}
