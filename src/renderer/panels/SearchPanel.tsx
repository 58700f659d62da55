// The Search panel: ranked code search with language and concept filters, and "Locate", which lists the files a task touches with the reasons.
import { useEffect, useRef } from 'react';
import type { LocateItem, SearchHit } from '../../shared/api';
import { Empty, ErrorNotice } from '../components/PanelState';
import { useRovingList } from '../components/roving-list';
import { useEditor } from '../stores/editor';
import { useIndexing } from '../stores/indexing';
import { useSearch, type SearchMode } from '../stores/search';

// The languages Mira's parser indexes (the values code/search filters on).
const LANGUAGES = ['typescript', 'tsx', 'javascript', 'python', 'go', 'rust'];

function ModeSwitch() {
  const mode = useSearch((s) => s.mode);
  const modes: { id: SearchMode; label: string; title: string }[] = [
    { id: 'search', label: 'Search code', title: 'Ranked code search (code/search)' },
    { id: 'locate', label: 'Locate files', title: 'Which files a task touches, and why (oracle/locate)' },
  ];
  return (
    <div className="segmented" role="radiogroup" aria-label="Search mode">
      {modes.map((m) => (
        <button
          key={m.id}
          type="button"
          role="radio"
          aria-checked={mode === m.id}
          className={mode === m.id ? 'active' : ''}
          title={m.title}
          onClick={() => useSearch.getState().setMode(m.id)}
        >
          {m.label}
        </button>
      ))}
    </div>
  );
}

function HitRow({ hit, props }: { hit: SearchHit; props: ReturnType<ReturnType<typeof useRovingList>['itemProps']> }) {
  const lines = hit.snippet.split('\n').slice(0, 4).join('\n');
  return (
    <li role="option" className="result" data-testid="search-result" data-path={hit.path} data-line={hit.line} onClick={() => void useEditor.getState().openAt(hit.path, hit.line)} {...props}>
      <div className="result-head">
        <span className="symbol">{hit.symbol ?? `${hit.path.slice(hit.path.lastIndexOf('/') + 1)}:${hit.line}`}</span>
        {hit.kind && <span className="badge">{hit.kind}</span>}
        <span className="spacer" />
        <span className="score muted small" title={`score ${hit.score} from ${hit.sources.join(', ')}`}>
          {hit.score.toFixed(2)}
        </span>
      </div>
      <div className="path muted small">
        {hit.path}:{hit.line}
      </div>
      <pre className="snippet">{lines}</pre>
    </li>
  );
}

function LocateRow({ item, props }: { item: LocateItem; props: ReturnType<ReturnType<typeof useRovingList>['itemProps']> }) {
  const first = item.symbols?.[0];
  return (
    <li role="option" className="result" data-testid="locate-result" data-path={item.path} onClick={() => void useEditor.getState().openAt(item.path, first?.line ?? 1)} {...props}>
      <div className="result-head">
        <span className="symbol">{item.path}</span>
        <span className="spacer" />
        <span className="score muted">{item.score.toFixed(2)}</span>
      </div>
      <ul className="reasons" aria-label={`Why ${item.path}`}>
        {item.reasons.map((r, i) => (
          <li key={i}>
            <span className="badge">{r.source}</span> {r.detail}
          </li>
        ))}
      </ul>
      {!!item.symbols?.length && (
        <div className="chips">
          {item.symbols.slice(0, 8).map((s) => (
            <button
              key={`${s.name}:${s.line}`}
              type="button"
              className="chip"
              tabIndex={-1}
              onClick={(e) => {
                e.stopPropagation();
                void useEditor.getState().openAt(item.path, s.line);
              }}
            >
              {s.name}
              <span className="muted"> {s.kind}</span>
            </button>
          ))}
        </div>
      )}
    </li>
  );
}

export function SearchPanel() {
  const mode = useSearch((s) => s.mode);
  const query = useSearch((s) => s.query);
  const language = useSearch((s) => s.language);
  const concept = useSearch((s) => s.concept);
  const concepts = useSearch((s) => s.concepts);
  const status = useSearch((s) => s.status);
  const error = useSearch((s) => s.error);
  const hits = useSearch((s) => s.hits);
  const located = useSearch((s) => s.located);
  const tookMs = useSearch((s) => s.tookMs);
  const answered = useSearch((s) => s.answered);
  const lastIndex = useIndexing((s) => s.last);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void useSearch.getState().loadConcepts();
  }, [lastIndex]);

  // Search as you type (debounced); locate is heavier and runs on Enter.
  useEffect(() => {
    if (mode !== 'search') return;
    const t = setTimeout(() => {
      const s = useSearch.getState();
      if (s.query.trim() !== (s.answered ?? '')) void s.run();
    }, 350);
    return () => clearTimeout(t);
  }, [query, mode]);

  const items: (SearchHit | LocateItem)[] = mode === 'search' ? hits : located;
  const open = (x: SearchHit | LocateItem) => {
    if ('line' in x) void useEditor.getState().openAt(x.path, x.line);
    else void useEditor.getState().openAt(x.path, x.symbols?.[0]?.line ?? 1);
  };
  const list = useRovingList(items, open, { onExitTop: () => input.current?.focus() });

  return (
    <div className="panel search-panel">
      <div className="panel-toolbar">
        <ModeSwitch />
      </div>
      <form
        className="search-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void useSearch.getState().run();
        }}
      >
        <input
          ref={input}
          type="search"
          data-testid="search-input"
          value={query}
          placeholder={mode === 'search' ? 'Search the code (Enter)' : 'Describe a task: which files would change? (Enter)'}
          aria-label={mode === 'search' ? 'Search the code' : 'Describe a task to locate its files'}
          onChange={(e) => useSearch.getState().setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && items.length) {
              e.preventDefault();
              list.focus(0);
            }
          }}
        />
      </form>
      {mode === 'search' && (
        <div className="filters">
          <label>
            <span className="sr-only">Language</span>
            <select aria-label="Language" value={language} onChange={(e) => useSearch.getState().setFilter({ language: e.target.value })}>
              <option value="">All languages</option>
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span className="sr-only">Concept</span>
            <select aria-label="Concept" value={concept} onChange={(e) => useSearch.getState().setFilter({ concept: e.target.value })} disabled={!concepts.length && !concept}>
              <option value="">{concepts.length ? 'All concepts' : 'No concepts indexed'}</option>
              {concepts.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      <div className="panel-scroll">
        {status === 'loading' && (
          <div className="muted pad small" role="status">
            {mode === 'search' ? 'Searching…' : 'Locating…'}
          </div>
        )}
        {status === 'error' && error && <ErrorNotice error={error} what={mode === 'search' ? 'Search results' : 'Located files'} onRetry={() => void useSearch.getState().run()} />}
        {status === 'idle' && !answered && (
          <Empty>
            {mode === 'search'
              ? 'Type words, a symbol name or a phrase. Results come from the index (text, symbols and vectors); index the project first if it has never been.'
              : 'Describe a change in words ("add a discount to the cart total"); Mira lists the files it would touch and why.'}
          </Empty>
        )}
        {status !== 'loading' && answered && !items.length && status !== 'error' && <Empty testId="search-empty">Nothing matches “{answered}”.</Empty>}
        {!!items.length && (
          <>
            <div className="muted pad small" role="status">
              {items.length} {mode === 'search' ? 'results' : 'files'}
              {tookMs !== null ? ` in ${Math.round(tookMs)} ms` : ''}
            </div>
            <ul className="results" role="listbox" aria-label={mode === 'search' ? 'Search results' : 'Located files'} onKeyDown={list.onKeyDown}>
              {mode === 'search'
                ? hits.map((h, i) => <HitRow key={`${h.path}:${h.line}:${i}`} hit={h} props={list.itemProps(i)} />)
                : located.map((x, i) => <LocateRow key={x.path} item={x} props={list.itemProps(i)} />)}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
