// The zoomable hotspot treemap: folders hold their files, area is code size, colour the hotspot score; a breadcrumb zooms back out.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { TreemapNode } from '../../shared/api';
import { Empty } from '../components/PanelState';
import { percent, scaleGradient, scoreColour, textOn, NEUTRAL } from './colour';
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

/** The tooltip and accessible description of a cell. */
export function describeNode(n: TreemapNode, churn: number | undefined): string[] {
  if (n.children) {
    return [
      `${n.path || '.'}/ (folder, ${plural(filesIn(n), 'file')}, ${plural(n.size, 'code line')})`,
      n.score === null ? 'No ranked file inside' : `Highest hotspot score inside: ${percent(n.score)}`,
      `Complexity ${n.complexity} in total`,
    ];
  }
  return [
    n.path,
    n.score === null ? 'Not ranked as a hotspot (tests, docs or no history)' : `Hotspot score ${percent(n.score)} chance of a fix within a year${n.rank ? `, rank #${n.rank}` : ''}`,
    `Churn: ${churn === undefined ? 'not known (outside the loaded hotspots)' : `${plural(churn, 'commit')} in the last year`}`,
    `Complexity ${n.complexity}, ${plural(n.size, 'code line')}`,
  ];
}

export function ScoreLegend() {
  return (
    <div className="score-legend small" role="img" aria-label="Colour scale: dark for a low chance of a fix within a year, bright yellow for a high one; grey for files that are not ranked" data-testid="score-legend">
      <span className="muted">Chance of a fix within a year</span>
      <span className="legend-scale">
        <span className="legend-bar" style={{ background: scaleGradient() }} />
        <span className="legend-ticks" aria-hidden="true">
          <span>0%</span>
          <span>50%</span>
          <span>100%</span>
        </span>
      </span>
      <span className="legend-swatch" style={{ background: NEUTRAL }} aria-hidden="true" />
      <span className="muted">not ranked</span>
    </div>
  );
}

interface TreemapProps {
  root: TreemapNode;
  zoom: string;
  churn: Record<string, number>;
  /** A file to outline (the hotspot under the pointer in the list). */
  highlight?: string | null;
  onZoom(path: string): void;
  onOpen(path: string): void;
}

export function Treemap({ root, zoom, churn, highlight, onZoom, onOpen }: TreemapProps) {
  const [ref, size] = useSize<HTMLDivElement>();
  const crumbs = useMemo(() => trail(root, zoom), [root, zoom]);
  const shown = crumbs[crumbs.length - 1]!;
  const cells = useMemo(() => layoutTreemap(shown, size.width, size.height), [shown, size.width, size.height]);
  const [focused, setFocused] = useState<string | null>(null);
  const tabStop = cells.some((c) => c.node.path === focused) ? focused : (cells[0]?.node.path ?? null);
  const where = shown.path || 'the project';

  // A zoom from the keyboard keeps the focus in the map (the focused cell itself goes away).
  const refocus = useRef(false);
  const zoomTo = (path: string, fromKeyboard: boolean) => {
    refocus.current = fromKeyboard;
    onZoom(path);
  };
  useEffect(() => {
    if (!refocus.current || !cells.length) return;
    refocus.current = false;
    setFocused(cells[0]!.node.path);
    ref.current?.querySelector<HTMLElement>('[data-testid="treemap-cell"]')?.focus();
  }, [cells, ref]);
  // A click made with Enter or Space has no pointer position (detail 0).
  const activate = (c: Cell, e: MouseEvent) => (c.kind === 'folder' ? zoomTo(c.node.path, e.detail === 0) : onOpen(c.node.path));
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
        zoomTo(crumbs[crumbs.length - 2]!.path, true);
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
                    <button type="button" className="link crumb" onClick={() => onZoom(n.path)} title={`Zoom out to ${n.path || 'the project root'}`}>
                      {i === 0 ? 'Project' : n.name}
                    </button>
                  )}
                </li>
              );
            })}
          </ol>
        </nav>
        <ScoreLegend />
      </div>
      <div
        ref={ref}
        className="treemap"
        role="group"
        aria-label={`Treemap of ${where}: area is code size, colour the hotspot score. Arrow keys move, Enter opens a file or zooms into a folder, Backspace zooms out.`}
        data-testid="treemap"
        data-zoom={shown.path}
        onKeyDown={onKeyDown}
      >
        {!shown.children?.length && <Empty>No code files with metrics in {where}.</Empty>}
        {cells.map((c) => {
          const fill = c.open ? undefined : scoreColour(c.node.score);
          const lines = describeNode(c.node, churn[c.node.path]);
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
              onClick={(e) => activate(c, e)}
            >
              {showName && (
                <span className="cell-name">
                  {c.node.name}
                  {c.kind === 'folder' ? '/' : ''}
                </span>
              )}
              {showScore && <span className="cell-score">{percent(c.node.score)}</span>}
            </button>
          );
        })}
      </div>
    </div>
  );
}
