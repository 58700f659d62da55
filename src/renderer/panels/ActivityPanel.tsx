// The Activity panel: what Mira is doing and did, live — indexing progress, LLM calls, builds, tool runs and other service reports, newest at the bottom.
import { useEffect, useRef } from 'react';
import { useActivity, type ActivityKind } from '../stores/activity';

const FILTERS: { id: ActivityKind | 'all'; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'index', label: 'Indexing' },
  { id: 'llm', label: 'LLM calls' },
  { id: 'build', label: 'Builds' },
  { id: 'tool', label: 'Tools' },
  { id: 'other', label: 'Other' },
];

/** The time of an entry; the date too when it is not today's (history read back from the database). */
function when(at: string): string {
  const d = new Date(at);
  return d.toDateString() === new Date().toDateString() ? d.toLocaleTimeString() : d.toLocaleString();
}

export function ActivityPanel() {
  const all = useActivity((s) => s.entries);
  const filter = useActivity((s) => s.filter);
  const entries = filter === 'all' ? all : all.filter((e) => e.group === filter);
  const list = useRef<HTMLOListElement>(null);

  // Keep the newest entry in view while the user is at the bottom.
  useEffect(() => {
    const el = list.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 60) el.scrollTop = el.scrollHeight;
  }, [entries.length]);

  return (
    <div className="panel activity-panel" data-testid="activity-panel">
      <div className="panel-toolbar small">
        <div className="segmented" role="radiogroup" aria-label="Show activity of">
          {FILTERS.map((f) => (
            <button key={f.id} type="button" role="radio" aria-checked={filter === f.id} className={filter === f.id ? 'active' : ''} onClick={() => useActivity.getState().setFilter(f.id)}>
              {f.label}
            </button>
          ))}
        </div>
        <span className="spacer" />
        <button type="button" className="link small" onClick={() => useActivity.getState().clear()} disabled={!all.length}>
          Clear
        </button>
      </div>
      {!entries.length ? (
        <div className="muted pad">
          {all.length ? 'Nothing of this kind yet.' : 'No activity yet. Indexing, LLM calls, builds and tool runs are listed here as they happen.'}
        </div>
      ) : (
        <ol className="activity-list" aria-label="Activity log" role="log" aria-live="polite" ref={list} tabIndex={0}>
          {entries.map((e) => (
            <li key={e.id} className={[e.status ? `status-${e.status}` : '', e.past ? 'past' : ''].join(' ').trim() || undefined} data-testid="activity-entry" data-group={e.group} data-past={e.past ? '1' : undefined}>
              <time dateTime={e.at} title={e.past ? 'Before this window opened' : undefined}>{when(e.at)}</time>
              <span className="kind">{e.kind}</span>
              <span className="message" title={e.message}>{e.message}</span>
              {e.progress && (
                <span className="progress" role="progressbar" aria-label="progress" aria-valuemin={0} aria-valuemax={e.progress.total} aria-valuenow={e.progress.done}>
                  <span className="progress-fill" style={{ width: `${Math.round((e.progress.done / Math.max(1, e.progress.total)) * 100)}%` }} />
                </span>
              )}
              {e.status && e.status !== 'running' && <span className={`badge status-${e.status}`}>{e.status}</span>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
