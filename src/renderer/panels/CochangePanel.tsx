// The Co-change panel: files that usually change together with the open and modified ones, how sure that is, and the commits that show it.
import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CochangeItem } from '../../shared/api';
import { Empty, ErrorNotice, InlineError } from '../components/PanelState';
import { useRovingList } from '../components/roving-list';
import { useCochange } from '../stores/cochange';
import { useEditor } from '../stores/editor';

const SOURCES: Record<CochangeItem['source'], string> = {
  history: 'changed together before',
  name: 'its test or tested file, by name (little history)',
  folder: 'same folder (little history)',
  sibling: 'sibling file (little history)',
  popular: 'often changed (little history)',
};

function Evidence({ item }: { item: CochangeItem }) {
  const ev = useCochange((s) => s.evidence[item.path]);
  if (!item.evidence.length) return <div className="muted small evidence">No commit evidence: suggested by {item.source}.</div>;
  if (!ev || ev.status === 'loading') return <div className="muted small evidence">Loading commits…</div>;
  if (ev.status === 'error') return <InlineError error={ev.error} />;
  return (
    <ul className="evidence" aria-label={`Commits that changed ${item.path} together with the open files`}>
      {ev.commits.map((c) => (
        <li key={c.sha}>
          <code title={c.sha}>{c.sha.slice(0, 8)}</code> {c.subject ?? <span className="muted">(commit not found in the index)</span>}
          {c.author && (
            <span className="muted small">
              {' '}
              — {c.author}
              {c.date ? `, ${c.date.slice(0, 10)}` : ''}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Who the suggestions are for, in words: the file names (not the paths), modified ones marked. */
function forWhom(query: string[], dirty: Set<string>): string {
  const names = query.map((p) => `${p.slice(p.lastIndexOf('/') + 1)}${dirty.has(p) ? ' (modified)' : ''}`);
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
}

export function CochangePanel() {
  // The active file plus the modified ones (the change in progress), or every open file.
  const [scope, setScope] = useState<'active' | 'open'>('active');
  const files = useEditor(useShallow((s) => s.tabs.map((t) => `${t.dirty ? '1' : '0'}${t.path}`)));
  const active = useEditor((s) => s.active);
  const dirty = useMemo(() => new Set(files.filter((f) => f.startsWith('1')).map((f) => f.slice(1))), [files]);
  const query = useMemo(() => {
    const all = files.map((f) => f.slice(1));
    if (scope === 'open') return all;
    return all.filter((p) => p === active || dirty.has(p));
  }, [files, scope, active, dirty]);
  const status = useCochange((s) => s.status);
  const error = useCochange((s) => s.error);
  const results = useCochange((s) => s.results);
  const unknown = useCochange((s) => s.unknown);
  const expanded = useCochange((s) => s.expanded);

  useEffect(() => {
    const t = setTimeout(() => void useCochange.getState().refresh(query), 200);
    return () => clearTimeout(t);
  }, [query]);

  const open = (item: CochangeItem) => void useEditor.getState().open(item.path);
  const top = Math.max(1e-9, ...results.map((r) => r.score));
  // Enter opens the file; Space (or a click) shows the commits behind the suggestion.
  const list = useRovingList(results, open, { toggle: (item) => useCochange.getState().toggle(item) });

  if (!query.length) return <Empty>Open or edit files: Mira lists the files that usually change together with them, from the project's git history.</Empty>;

  return (
    <div className="panel cochange-panel" data-testid="cochange-panel">
      <div className="panel-toolbar small">
        <div className="segmented" role="radiogroup" aria-label="Suggest for">
          <button type="button" role="radio" aria-checked={scope === 'active'} className={scope === 'active' ? 'active' : ''} onClick={() => setScope('active')} title="The active file and the modified ones">
            Active file
          </button>
          <button type="button" role="radio" aria-checked={scope === 'open'} className={scope === 'open' ? 'active' : ''} onClick={() => setScope('open')} title="Every open file">
            All open
          </button>
        </div>
        <span className="spacer" />
        <button type="button" className="icon-button" aria-label="Refresh co-change suggestions" title="Refresh" onClick={() => void useCochange.getState().refresh(query, { force: true })}>
          ⟳
        </button>
      </div>
      <div className="muted small pad cochange-for" title={query.join('\n')} data-testid="cochange-for">
        For {forWhom(query, dirty)}
      </div>
      <div className="panel-scroll">
        {status === 'loading' && (
          <div className="muted pad small" role="status">
            Reading the history…
          </div>
        )}
        {status === 'error' && error && <ErrorNotice error={error} what="Co-change suggestions" onRetry={() => void useCochange.getState().refresh(query, { force: true })} />}
        {status === 'ready' && !results.length && <Empty>No file changed together with these in the history{unknown.length ? ` (git does not know ${unknown.join(', ')} yet)` : ''}.</Empty>}
        {!!results.length && (
          <ul className="results" role="listbox" aria-label="Files that change together with the open files" onKeyDown={list.onKeyDown}>
            {results.map((item, i) => (
              <li key={item.path} role="option" className="result" data-testid="cochange-item" data-path={item.path} aria-expanded={!!expanded[item.path]} {...list.itemProps(i)} onClick={() => useCochange.getState().toggle(item)}>
                <div className="result-head">
                  <button
                    type="button"
                    className="link symbol"
                    tabIndex={-1}
                    onClick={(e) => {
                      e.stopPropagation();
                      open(item);
                    }}
                  >
                    {item.path}
                  </button>
                  <span className="spacer" />
                  <span
                    className="meter"
                    title={`Strength ${item.score.toFixed(3)}, relative to the first suggestion: how often and how lately they changed together, small commits counting more than large ones (confidence is only how often)`}
                    aria-label={`strength ${Math.round((item.score / top) * 100)}% of the first`}
                  >
                    <span style={{ width: `${Math.round(Math.min(1, item.score / top) * 100)}%` }} />
                  </span>
                </div>
                <div className="muted small">
                  <span className={`badge source-${item.source}`}>{item.source}</span> {SOURCES[item.source]}
                  {item.support > 0 && ` · ${item.support} commit${item.support === 1 ? '' : 's'} · confidence ${Math.round(item.confidence * 100)}%`}
                  {item.last_cochange && ` · last ${item.last_cochange.slice(0, 10)}`}
                </div>
                {expanded[item.path] && <Evidence item={item} />}
              </li>
            ))}
          </ul>
        )}
        {!!unknown.length && !!results.length && <div className="muted pad small">Not in the history yet: {unknown.join(', ')}</div>}
      </div>
    </div>
  );
}
