// The domain graph: one circle per domain (area by file count), links weighted by how strongly their files connect; choosing one lists its files.
import { useMemo, type KeyboardEvent } from 'react';
import type { DomainItem, Result } from '../../shared/api';
import { Empty } from '../components/PanelState';
import { leftOutFiles, leftOutList } from './coverage';
import { layoutGraph, placeLabels } from './graph-layout';
import { useSize } from './use-size';

type Domains = Result<'codemap/domains'>;
type Edge = Domains['edges'][number];

/** Distinct hues for telling domains apart (colour carries no other meaning here). */
const HUES = ['#5b9bf0', '#c678dd', '#56b6c2', '#e5c07b', '#98c379', '#e06c75', '#d19a66', '#61afef', '#a9a1e1', '#7fc8a9'];

const KIND_NAMES: Record<string, string> = { imports: 'imports', calls: 'calls', cochange: 'changed together', concepts: 'shared concepts', folder: 'same folders' };

function kindsText(kinds: Record<string, number>): string {
  return Object.entries(kinds)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${KIND_NAMES[k] ?? k} ${Math.round(v * 10) / 10}`)
    .join(', ');
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** A folder as people read it: the project's top folder ('.' or '') is "(root)". */
export const folderName = (f: string): string => (f === '.' || f === '' ? '(root)' : f);

const LABEL_FONT_PX = 11;
let canvas: HTMLCanvasElement | null = null;
/** A text's width at the labels' font (canvas metrics; an estimate where there is no canvas). */
function measureLabel(el: Element | null): (text: string) => number {
  const ctx = typeof document !== 'undefined' ? (canvas ??= document.createElement('canvas')).getContext('2d') : null;
  if (!ctx) return (t) => t.length * LABEL_FONT_PX * 0.62;
  const family = el ? getComputedStyle(el).fontFamily : 'sans-serif';
  ctx.font = `${LABEL_FONT_PX}px ${family}`;
  // A pixel over, for the outline drawn round the letters.
  return (t) => ctx.measureText(t).width + 2;
}

interface DomainGraphProps {
  data: Domains;
  selected: number | null;
  onSelect(id: number | null): void;
  onOpen(path: string): void;
}

export function DomainGraph({ data, selected, onSelect, onOpen }: DomainGraphProps) {
  const [ref, size] = useSize<HTMLDivElement>();
  const byId = useMemo(() => new Map(data.results.map((d) => [d.id, d])), [data]);
  const colour = useMemo(() => {
    const ids = [...data.results.map((d) => d.id)].sort((a, b) => a - b);
    return new Map(ids.map((id, i) => [id, HUES[i % HUES.length]!]));
  }, [data]);
  const positions = useMemo(
    () =>
      layoutGraph(
        data.results.map((d) => ({ id: d.id, size: d.files.length || d.size })),
        data.edges,
        { width: size.width, height: size.height, margin: 22, labelRoom: 16 },
      ),
    [data, size.width, size.height],
  );
  const at = useMemo(() => new Map(positions.map((p) => [p.id, p])), [positions]);
  const labels = useMemo(() => {
    const name = new Map(data.results.map((d) => [d.id, d.name]));
    const placed = placeLabels(
      positions.map((p) => ({ ...p, text: name.get(p.id) ?? '' })),
      size,
      measureLabel(ref.current),
    );
    return new Map(placed.map((l) => [l.id, l]));
  }, [positions, data, size, ref]);
  const files = data.results.reduce((n, d) => n + (d.files.length || d.size), 0);
  const left = data.coverage ? leftOutFiles(data.coverage.roles) : 0;
  const maxW = Math.max(0, ...data.edges.map((e) => e.weight));
  const chosen = selected === null ? undefined : byId.get(selected);

  const onKey = (e: KeyboardEvent, id: number) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    onSelect(selected === id ? null : id);
  };

  return (
    <div className="domain-view">
      <div className="domain-graph-side">
        {left > 0 && (
          <p className="muted small domain-coverage" data-testid="domain-coverage">
            {`${data.results.length} domain${data.results.length === 1 ? '' : 's'} over the ${files} source file${files === 1 ? '' : 's'}; ${left} left out (${leftOutList(data.coverage!.roles)}): domains group source files only.`}
          </p>
        )}
        <div className="domain-graph" ref={ref}>
          <svg
            width={size.width}
            height={size.height}
            role="group"
            aria-label={`Domain graph: ${data.results.length} domains and ${data.edges.length} links between them; circle size is the file count, line width the link strength`}
            data-testid="domain-graph"
          >
            <g className="domain-edges">
              {data.edges.map((e) => {
                const a = at.get(e.from);
                const b = at.get(e.to);
                if (!a || !b) return null;
                const touches = selected !== null && (e.from === selected || e.to === selected);
                return (
                  <line
                    key={`${e.from}-${e.to}`}
                    x1={a.x}
                    y1={a.y}
                    x2={b.x}
                    y2={b.y}
                    className={`domain-edge${touches ? ' active' : selected !== null ? ' dim' : ''}`}
                    strokeWidth={1 + 5 * (maxW > 0 ? e.weight / maxW : 0)}
                  >
                    <title>{`${byId.get(e.from)?.name} – ${byId.get(e.to)?.name}: weight ${Math.round(e.weight * 10) / 10} (${kindsText(e.kinds)})`}</title>
                  </line>
                );
              })}
            </g>
            {data.results.map((d) => {
              const p = at.get(d.id);
              if (!p) return null;
              const on = d.id === selected;
              const files = d.files.length || d.size;
              return (
                <g
                  key={d.id}
                  className={`domain-node${on ? ' selected' : ''}`}
                  transform={`translate(${p.x},${p.y})`}
                  role="button"
                  tabIndex={0}
                  aria-pressed={on}
                  aria-label={`Domain ${d.name}: ${files} file${files === 1 ? '' : 's'}, cohesion ${pct(d.cohesion)}`}
                  data-testid="domain-node"
                  data-id={d.id}
                  data-name={d.name}
                  onClick={() => onSelect(on ? null : d.id)}
                  onKeyDown={(e) => onKey(e, d.id)}
                >
                  <title>{`${d.name}: ${files} files, cohesion ${pct(d.cohesion)}${d.concepts.length ? `; concepts ${d.concepts.slice(0, 5).join(', ')}` : ''}`}</title>
                  <circle r={p.r} fill={colour.get(d.id)} />
                  {p.r >= 11 && (
                    <text className="domain-count" textAnchor="middle" dy="0.35em">
                      {files}
                    </text>
                  )}
                  {(() => {
                    const l = labels.get(d.id);
                    return l ? (
                      <text className="domain-label" textAnchor="middle" x={l.x - p.x} y={l.y - p.y} data-testid="domain-label">
                        {l.text}
                      </text>
                    ) : null;
                  })()}
                </g>
              );
            })}
          </svg>
        </div>
      </div>
      <aside className="domain-details" aria-label="Domain details" data-testid="domain-details">
        {chosen ? (
          <DomainDetails domain={chosen} edges={data.edges} byId={byId} onSelect={onSelect} onOpen={onOpen} />
        ) : (
          <>
            <p className="muted small">Choose a domain (click a circle, or a name below) to see its files, concepts and links.</p>
            <ul className="plain-list domain-index" aria-label="Domains">
              {data.results.map((d) => (
                <li key={d.id}>
                  <span className="domain-dot" style={{ background: colour.get(d.id) }} aria-hidden="true" />
                  <button type="button" className="link" onClick={() => onSelect(d.id)}>
                    {d.name}
                  </button>
                  <span className="muted small">
                    {d.files.length || d.size} files · cohesion {pct(d.cohesion)}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
      </aside>
    </div>
  );
}

function DomainDetails({ domain: d, edges, byId, onSelect, onOpen }: { domain: DomainItem; edges: Edge[]; byId: Map<number, DomainItem>; onSelect(id: number | null): void; onOpen(path: string): void }) {
  const links = edges
    .filter((e) => e.from === d.id || e.to === d.id)
    .map((e) => ({ other: byId.get(e.from === d.id ? e.to : e.from), e }))
    .filter((l): l is { other: DomainItem; e: Edge } => !!l.other)
    .sort((a, b) => b.e.weight - a.e.weight);
  return (
    <div data-testid="domain-detail" data-id={d.id}>
      <div className="result-head">
        <h3 className="domain-name">{d.name}</h3>
        <span className="spacer" />
        <button type="button" className="icon-button" aria-label="Close the domain details" title="Close" onClick={() => onSelect(null)}>
          ×
        </button>
      </div>
      <div className="muted small">
        {d.files.length || d.size} files · cohesion {pct(d.cohesion)} <span title="Share of its files' link weight that stays inside the domain">(links kept inside)</span>
      </div>
      {!!d.folders.length && (
        <div className="small">
          Folders: <code>{d.folders.map(folderName).join(', ')}</code>
        </div>
      )}
      {!!d.concepts.length && (
        <ul className="chips" aria-label="Concepts">
          {d.concepts.map((c) => (
            <li key={c} className="chip">
              {c}
            </li>
          ))}
        </ul>
      )}
      {!!links.length && (
        <>
          <h4>Linked domains</h4>
          <ul className="plain-list" aria-label={`Domains linked to ${d.name}`}>
            {links.map(({ other, e }) => (
              <li key={other.id}>
                <button type="button" className="link" onClick={() => onSelect(other.id)}>
                  {other.name}
                </button>
                <span className="muted small">{kindsText(e.kinds)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>Files</h4>
      {d.files.length ? (
        <ul className="plain-list domain-files" aria-label={`Files of ${d.name}`}>
          {d.files.map((f) => (
            <li key={f}>
              <button type="button" className="link symbol" data-testid="domain-file" data-path={f} onClick={() => onOpen(f)}>
                {f}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <Empty>The server sent no file list for this domain.</Empty>
      )}
    </div>
  );
}
