// The zoomable hotspot treemap: folders hold their files, area is code size, colour the hotspot score (or its rank within
// the project); a breadcrumb zooms back out, and the focus stays in the map across zooms.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { TreemapNode } from '../../shared/api';
import { Empty } from '../components/PanelState';
import { bestRank, nodeColour, percent, percentileText, scaleGradient, textOn, NEUTRAL, type ColourBy } from './colour';
import { roleOfOne } from './coverage';
import { layoutTreemap, trail, type Cell } from './treemap-layout';
import { useSize } from './use-size';

const fileCounts = new WeakMap<TreemapNode, number>();
function filesIn(n: TreemapNode): number {
  if (!n.children) return 1;
  let c = fileCounts.get(n);
  if (c === undefined) {
    c = n.children.reduce((k, x) => k + filesIn(x), 0);
    fileCounts.set(n, c);
  }
  return c;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The tooltip and accessible description of a cell; `ranked` is how many files the project ranks (for the rank's place). */
export function describeNode(n: TreemapNode, ranked = 0): string[] {
  if (n.children) {
    const best = bestRank(n);
    return [
      `${n.path || '.'}/ (folder, ${plural(filesIn(n), 'file')}, ${plural(n.size, 'code line')})`,
      n.score === null ? 'No ranked file inside' : `Highest hotspot score inside: ${percent(n.score)}${best !== null ? ` (rank #${best})` : ''}`,
      `Complexity ${n.complexity} in total`,
    ];
  }
  const lines = [n.path];
  if (n.score !== null) {
    const place = n.rank && ranked > 1 ? `, rank #${n.rank} of ${ranked} (${percentileText(n.rank, ranked)})` : n.rank ? `, rank #${n.rank}` : '';
    lines.push(`Hotspot score ${percent(n.score)} chance of a fix within a year${place}`);
    if (n.churn !== undefined) lines.push(`Churn: ${plural(n.churn, 'commit')} in the last year`);
  } else if (n.role) lines.push(`Not ranked: it is ${roleOfOne(n.role)}, and hotspots rank the product's source files only`);
  else lines.push('Not ranked yet: it was added after the hotspots were last scored (index the project again)');
  lines.push(`Complexity ${n.complexity}, ${plural(n.size, 'code line')}`);
  return lines;
}

/** The colour key: the scale (chance of a fix, or rank within the project), grey for files not ranked, hatching for closed folders. */
export function ScoreLegend({ by = 'absolute' }: { by?: ColourBy }) {
  const scale =
    by === 'rank'
      ? { title: 'Rank within the project', ticks: ['last', 'middle', 'top'], aria: 'dark for the lowest-ranked files of the project, bright yellow for its top hotspots' }
      : { title: 'Chance of a fix within a year', ticks: ['0%', '50%', '100%'], aria: 'dark for a low chance of a fix within a year, bright yellow for a high one' };
  return (
    <div
      className="score-legend small"
      role="img"
      aria-label={`Colour: ${scale.title.toLowerCase()}; ${scale.aria}. Grey: not ranked. Hatched: a folder drawn closed, click to zoom in`}
      data-testid="score-legend"
      data-colour-by={by}
    >
      <span className="legend-item">
        <span className="muted" data-testid="legend-scale-title">
          {scale.title}
        </span>
        <span className="legend-scale">
          <span className="legend-bar" style={{ background: scaleGradient() }} />
          <span className="legend-ticks" aria-hidden="true">
            {scale.ticks.map((t) => (
              <span key={t}>{t}</span>
            ))}
          </span>
        </span>
      </span>
      <span className="legend-item" data-testid="legend-unranked">
        <span className="legend-swatch" style={{ background: NEUTRAL }} aria-hidden="true" />
        <span className="muted">not ranked</span>
      </span>
      <span className="legend-item" data-testid="legend-closed-folder">
        <span className="legend-swatch hatched" aria-hidden="true" />
        <span className="muted">folder: click to zoom in</span>
      </span>
    </div>
  );
}

interface TreemapProps {
  root: TreemapNode;
  zoom: string;
  /** What the colour shows, and how many files the project ranks (for rank colours and tooltips). */
  colourBy?: ColourBy;
  ranked?: number;
  /** A file to outline (the hotspot under the pointer in the list). */
  highlight?: string | null;
  /** Shown under the breadcrumb: what the map leaves out, and the switches. */
  controls?: ReactNode;
  /** What to say when the shown folder has nothing to draw. */
  emptyText?: string;
  onZoom(path: string): void;
  onOpen(path: string): void;
}

export function Treemap({ root, zoom, colourBy = 'absolute', ranked = 0, highlight, controls, emptyText, onZoom, onOpen }: TreemapProps) {
  const [ref, size] = useSize<HTMLDivElement>();
  const crumbs = useMemo(() => trail(root, zoom), [root, zoom]);
  const shown = crumbs[crumbs.length - 1]!;
  const cells = useMemo(() => layoutTreemap(shown, size.width, size.height), [shown, size.width, size.height]);
  const [focused, setFocused] = useState<string | null>(null);
  const tabStop = cells.some((c) => c.node.path === focused) ? focused : (cells[0]?.node.path ?? null);
  const where = shown.path || 'the project';

  // A zoom keeps the focus in the map, on the first cell of the new folder: the clicked or focused cell (or crumb) goes
  // away, and without this the focus would fall to the page, where Backspace no longer zooms out.
  const refocus = useRef(false);
  const zoomTo = (path: string) => {
    if (path === shown.path) return;
    refocus.current = true;
    onZoom(path);
  };
  useEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    const first = ref.current?.querySelector<HTMLElement>('[data-testid="treemap-cell"]');
    if (first) {
      setFocused(cells[0]?.node.path ?? null);
      first.focus();
    } else ref.current?.focus();
  }, [shown, cells, ref]);
  const activate = (c: Cell) => (c.kind === 'folder' ? zoomTo(c.node.path) : onOpen(c.node.path));
  const focusAt = (i: number) => {
    const c = cells[Math.min(Math.max(i, 0), cells.length - 1)];
    if (!c) return;
    setFocused(c.node.path);
    ref.current?.querySelector<HTMLElement>(`[data-path="${CSS.escape(c.node.path)}"]`)?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const i = cells.findIndex((c) => c.node.path === tabStop);
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        focusAt(i + 1);
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        focusAt(i - 1);
        break;
      case 'Home':
        focusAt(0);
        break;
      case 'End':
        focusAt(cells.length - 1);
        break;
      case 'Backspace':
      case 'Escape':
        if (crumbs.length < 2) return;
        zoomTo(crumbs[crumbs.length - 2]!.path);
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div className="treemap-wrap">
      <div className="treemap-bar">
        <nav aria-label="Treemap folder" className="breadcrumb" data-testid="treemap-breadcrumb">
          <ol>
            {crumbs.map((n, i) => {
              const last = i === crumbs.length - 1;
              return (
                <li key={n.path}>
                  {last ? (
                    <span aria-current="location" className="crumb current">
                      {i === 0 ? 'Project' : n.name}
                    </span>
                  ) : (
                    <button type="button" className="link crumb" onClick={() => zoomTo(n.path)} title={`Zoom out to ${n.path || 'the project root'}`}>
                      {i === 0 ? 'Project' : n.name}
                    </button>
                  )}
                </li>
              );
            })}
          </ol>
        </nav>
        <ScoreLegend by={colourBy} />
        {controls}
      </div>
      <div
        ref={ref}
        className="treemap"
        role="group"
        aria-label={`Treemap of ${where}: area is code size, colour the ${colourBy === 'rank' ? 'rank within the project' : 'hotspot score'}. Arrow keys move, Enter opens a file or zooms into a folder, Backspace zooms out.`}
        data-testid="treemap"
        data-zoom={shown.path}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        {!shown.children?.length && <Empty testId="treemap-folder-empty">{emptyText ?? `No code files with metrics in ${where}.`}</Empty>}
        {cells.map((c) => {
          const fill = c.open ? undefined : nodeColour(c.node, colourBy, ranked);
          const lines = describeNode(c.node, ranked);
          const showName = c.w >= 28 && c.h >= 14;
          const showScore = !c.open && c.w >= 44 && c.h >= 32;
          return (
            <button
              key={c.node.path}
              type="button"
              data-testid="treemap-cell"
              data-path={c.node.path}
              data-kind={c.kind}
              data-score={c.node.score ?? ''}
              data-role={c.node.role ?? (c.kind === 'file' ? 'source' : undefined)}
              className={`treemap-cell ${c.kind}${c.open ? ' open' : ''}${highlight === c.node.path ? ' highlight' : ''}`}
              style={{
                left: c.x,
                top: c.y,
                width: Math.max(0, c.w - 1),
                height: Math.max(0, c.h - 1),
                ...(fill ? { background: fill, color: textOn(fill) } : {}),
              }}
              title={`${lines.join('\n')}\n${c.kind === 'folder' ? 'Click to zoom in' : 'Click to open'}`}
              aria-label={`${lines.join('. ')}. ${c.kind === 'folder' ? 'Zoom in' : 'Open'}`}
              tabIndex={c.node.path === tabStop ? 0 : -1}
              onFocus={() => setFocused(c.node.path)}
              onClick={() => activate(c)}
            >
              {showName && (
                <span className="cell-name">
                  {c.node.name}
                  {c.kind === 'folder' ? '/' : ''}
                </span>
              )}
              {showScore && <span className="cell-score">{c.node.score === null && c.node.role ? c.node.role : percent(c.node.score)}</span>}
            </button>
          );
        })}
      </div>
    </div>
  );
}
