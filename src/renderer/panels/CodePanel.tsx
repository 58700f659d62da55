// The Code panel: for the symbol at the cursor, its call hierarchy (an expandable tree), its concepts and design patterns, and the experts of its file.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Empty, ErrorNotice, InlineError, Loading } from '../components/PanelState';
import { useConcepts } from '../stores/concepts';
import { useEditor } from '../stores/editor';
import { useSymbol, type Branch, type CallNode, type Direction } from '../stores/symbol';

interface Row {
  key: string;
  dir: Direction;
  level: number;
  parent: string | null;
  node: CallNode | null;
  /** A section root ("Callers", "Callees") or a status line inside a branch. */
  label?: string;
  status?: Branch['status'] | 'empty';
}

function flatten(dir: Direction, branches: Record<string, Branch>, expanded: Record<string, boolean>): Row[] {
  const rows: Row[] = [];
  const rootOpen = expanded[dir] !== false;
  rows.push({ key: dir, dir, level: 1, parent: null, node: null, label: dir === 'callers' ? 'Callers' : 'Callees' });
  const walk = (key: string, level: number) => {
    const b = branches[key];
    if (!b || b.status !== 'ready') {
      rows.push({ key: `${key}#status`, dir, level, parent: key, node: null, status: b?.status ?? 'loading' });
      return;
    }
    if (!b.nodes.length) rows.push({ key: `${key}#status`, dir, level, parent: key, node: null, status: 'empty' });
    for (const n of b.nodes) {
      rows.push({ key: n.key, dir, level, parent: key, node: n });
      if (expanded[n.key]) walk(n.key, level + 1);
    }
  };
  if (rootOpen) walk(dir, 2);
  return rows;
}

function CallTree() {
  const branches = useSymbol((s) => s.branches);
  const expanded = useSymbol((s) => s.expanded);
  const ref = useRef<HTMLDivElement>(null);
  const [focused, setFocused] = useState<string>('callers');
  const rows = useMemo(() => [...flatten('callers', branches, expanded), ...flatten('callees', branches, expanded)], [branches, expanded]);
  const focusable = rows.filter((r) => !r.status);
  const tabStop = focusable.some((r) => r.key === focused) ? focused : (focusable[0]?.key ?? 'callers');

  const focusKey = (key: string | null | undefined) => {
    if (!key) return;
    setFocused(key);
    ref.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`)?.focus();
  };
  const isOpen = (r: Row) => (r.node ? !!expanded[r.key] : expanded[r.key] !== false);
  const toggle = (r: Row) => {
    if (r.node) useSymbol.getState().toggle(r.dir, r.node);
    else useSymbol.setState((s) => ({ expanded: { ...s.expanded, [r.key]: !isOpen(r) } }));
  };
  const open = (r: Row) => {
    const e = r.node?.edge;
    if (e?.path) void useEditor.getState().openAt(e.path, e.line);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const i = focusable.findIndex((r) => r.key === tabStop);
    const cur = focusable[i];
    if (!cur) return;
    const expandable = !cur.node || (!!cur.node.ref && !cur.node.recursive);
    switch (e.key) {
      case 'ArrowDown':
        focusKey(focusable[Math.min(i + 1, focusable.length - 1)]?.key);
        break;
      case 'ArrowUp':
        focusKey(focusable[Math.max(i - 1, 0)]?.key);
        break;
      case 'Home':
        focusKey(focusable[0]?.key);
        break;
      case 'End':
        focusKey(focusable[focusable.length - 1]?.key);
        break;
      case 'ArrowRight':
        if (expandable && !isOpen(cur)) toggle(cur);
        else if (isOpen(cur)) focusKey(focusable[i + 1]?.parent === cur.key ? focusable[i + 1]?.key : undefined);
        break;
      case 'ArrowLeft':
        if (expandable && isOpen(cur)) toggle(cur);
        else focusKey(cur.parent);
        break;
      case 'Enter':
        if (cur.node) open(cur);
        else toggle(cur);
        break;
      case ' ':
        toggle(cur);
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div className="call-tree" role="tree" aria-label="Call hierarchy" ref={ref} onKeyDown={onKeyDown} data-testid="call-tree">
      {rows.map((r) => {
        const indent = { paddingLeft: `${(r.level - 1) * 14 + 6}px` };
        if (r.status) {
          const b = branches[r.parent ?? ''];
          return (
            <div key={r.key} role="none" className={`tree-status ${r.status}`} style={indent}>
              {r.status === 'loading' ? 'Loading…' : r.status === 'empty' ? (r.dir === 'callers' ? 'No callers in the index' : 'No calls to indexed symbols') : <InlineError error={b?.error ?? null} />}
            </div>
          );
        }
        const n = r.node;
        const expandable = !n || (!!n.ref && !n.recursive);
        const openNow = expandable && isOpen(r);
        const count = !n ? branches[r.key]?.nodes.length : undefined;
        return (
          <div
            key={r.key}
            data-key={r.key}
            role="treeitem"
            aria-level={r.level}
            aria-expanded={expandable ? openNow : undefined}
            aria-label={n ? `${n.edge.name}, ${n.edge.path ?? 'unresolved'} line ${n.edge.line}` : `${r.label}${count !== undefined ? `, ${count}` : ''}`}
            tabIndex={r.key === tabStop ? 0 : -1}
            className={`tree-item${n ? '' : ' section'}`}
            style={indent}
            onFocus={() => setFocused(r.key)}
            onClick={() => {
              setFocused(r.key);
              if (n) open(r);
              else toggle(r);
            }}
          >
            <span
              className={`twisty${expandable ? (openNow ? ' open' : '') : ' none'}`}
              aria-hidden="true"
              onClick={(e) => {
                if (!n || !expandable) return;
                e.stopPropagation();
                toggle(r);
              }}
            />
            {n ? (
              <>
                <span className="name">{n.edge.name}</span>
                <span className="muted small path">
                  {n.edge.path ? `${n.edge.path}:${n.edge.line}` : 'unresolved'}
                  {n.recursive && n.edge.name !== '<module>' ? ' (recursive)' : ''}
                </span>
                {n.edge.confidence < 0.9 && <span className="badge" title={`resolved by ${n.edge.resolution}`}>{Math.round(n.edge.confidence * 100)}%</span>}
              </>
            ) : (
              <span className="name section-label">
                {r.label}
                {count !== undefined && <span className="muted"> ({count})</span>}
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
}

function Concepts({ path, line }: { path: string; line: number }) {
  const status = useConcepts((s) => s.status);
  const error = useConcepts((s) => s.error);
  const concepts = useConcepts((s) => s.bySymbol[`${path}:${line}`]);
  if (status === 'loading' || status === 'idle') return <div className="muted small">Loading concepts…</div>;
  if (status === 'error' && error) return <InlineError error={error} />;
  if (!concepts?.length) return <div className="muted small">No concept recognised for this symbol.</div>;
  return (
    <ul className="chips" aria-label="Concepts">
      {concepts.map((c) => (
        <li key={c} className="chip">
          {c}
        </li>
      ))}
    </ul>
  );
}

function Patterns() {
  const patterns = useSymbol((s) => s.patterns);
  const symbol = useSymbol((s) => s.symbol);
  if (patterns.status === 'loading' || patterns.status === 'idle') return <div className="muted small">Loading patterns…</div>;
  if (patterns.status === 'error') return <InlineError error={patterns.error} />;
  if (!patterns.data.length) return <div className="muted small">Takes part in no recognised design pattern.</div>;
  return (
    <ul className="plain-list" aria-label="Design patterns">
      {patterns.data.map((p, i) => {
        const me = p.symbols.find((m) => m.path === symbol?.path && (m.name === symbol?.qualified_name || m.name === symbol?.name));
        return (
          <li key={i}>
            <strong>{p.pattern}</strong> <span className="muted small">{Math.round(p.confidence * 100)}%</span>
            {me && <span className="badge">{me.role}</span>}
            <div className="small">
              {p.symbols
                .filter((m) => m !== me)
                .slice(0, 6)
                .map((m) => (
                  <button key={`${m.path}:${m.line}`} type="button" className="link small" onClick={() => void useEditor.getState().openAt(m.path, m.line)}>
                    {m.name} <span className="muted">({m.role})</span>
                  </button>
                ))}
            </div>
            {!!p.evidence.length && <div className="muted small">{p.evidence.slice(0, 3).join('; ')}</div>}
          </li>
        );
      })}
    </ul>
  );
}

function Experts({ path }: { path: string }) {
  const experts = useSymbol((s) => s.experts);
  if (experts.status === 'loading' || experts.status === 'idle') return <div className="muted small">Loading experts…</div>;
  if (experts.status === 'error') return <InlineError error={experts.error} />;
  const { next, authors } = experts.data;
  if (!next.length && !authors.length) return <div className="muted small">No commit history for {path}.</div>;
  return (
    <>
      {authors.length > 0 && (
        <>
          <div className="muted small">Wrote most of it</div>
          <ul className="plain-list" aria-label={`Authors of ${path}`} data-testid="authors">
            {authors.map((x) => (
              <li key={x.email} className="expert">
                <span className="name">{x.author}</span>
                {x.bot && <span className="badge">bot</span>}
                {!x.active && <span className="badge" title="No recent activity in the project">inactive</span>}
                <span className="muted small">
                  {' '}
                  {x.commits} commit{x.commits === 1 ? '' : 's'}, {Math.round(x.share * 100)}% of the lines added{x.last_commit ? `, last ${x.last_commit.slice(0, 10)}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {next.length > 0 && (
        <>
          <div className="muted small">Likely to change it next</div>
          <ul className="plain-list" aria-label={`Experts for ${path}`} data-testid="experts">
            {next.map((x) => (
              <li key={x.email} className="expert" title={x.why}>
                <span className="name">{x.author}</span>
                {x.bot && <span className="badge">bot</span>}
                <span className="muted small"> {x.why}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

export function CodePanel() {
  const active = useEditor((s) => s.active);
  const line = useEditor((s) => s.cursor?.line ?? null);
  const status = useSymbol((s) => s.status);
  const error = useSymbol((s) => s.error);
  const symbol = useSymbol((s) => s.symbol);
  const target = useSymbol((s) => s.target);
  const conceptsStatus = useConcepts((s) => s.status);

  useEffect(() => {
    if (!active || line === null) return;
    // Follow the cursor, but not every keystroke: wait until it rests.
    const t = setTimeout(() => void useSymbol.getState().lookup(active, line), 250);
    return () => clearTimeout(t);
  }, [active, line]);

  // Loaded on first view, and again after each index run (events.ts resets the store then).
  useEffect(() => {
    if (conceptsStatus === 'idle') void useConcepts.getState().load();
  }, [conceptsStatus]);

  if (!active) return <Empty>Open a file and put the cursor inside a function or class to see its callers, callees, concepts, patterns and the file's experts.</Empty>;

  return (
    <div className="panel code-panel" data-testid="code-panel">
      <div className="panel-scroll">
        {status === 'loading' && !symbol && <Loading what="the symbol at the cursor" />}
        {status === 'error' && error && <ErrorNotice error={error} what="The symbol at the cursor" onRetry={() => target && void useSymbol.getState().lookup(target.path, target.line)} />}
        {status === 'none' && (
          <Empty>
            No indexed symbol at line {target?.line} of {target?.path}. Move the cursor into a function, method or class (index the project if the file is new or changed).
          </Empty>
        )}
        {symbol && status !== 'none' && status !== 'error' && (
          <>
            <section className="code-section" aria-label="Symbol">
              <div className="symbol-head">
                <span className="badge">{symbol.kind}</span>
                <button type="button" className="link symbol-name" onClick={() => void useEditor.getState().openAt(symbol.path, symbol.start_line)} data-testid="symbol-name">
                  {symbol.qualified_name}
                </button>
              </div>
              {symbol.signature && <code className="signature">{symbol.signature}</code>}
              <div className="muted small">
                {symbol.path}:{symbol.start_line}–{symbol.end_line} · {symbol.language}
                {symbol.visibility ? ` · ${symbol.visibility}` : ''}
              </div>
            </section>
            <section className="code-section" aria-labelledby="calls-h">
              <h3 id="calls-h">Call hierarchy</h3>
              <CallTree />
            </section>
            <section className="code-section" aria-labelledby="concepts-h">
              <h3 id="concepts-h">Concepts</h3>
              <Concepts path={symbol.path} line={symbol.start_line} />
            </section>
            <section className="code-section" aria-labelledby="patterns-h">
              <h3 id="patterns-h">Design patterns</h3>
              <Patterns />
            </section>
          </>
        )}
        <section className="code-section" aria-labelledby="experts-h">
          <h3 id="experts-h">Experts for {active.slice(active.lastIndexOf('/') + 1)}</h3>
          <Experts path={active} />
        </section>
      </div>
    </div>
  );
}
