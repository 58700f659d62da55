// The top hotspots beside the treemap: why each file is one, its most complex functions, and a way to its trend.
import { useState } from 'react';
import type { HotspotItem } from '../../shared/api';
import { Empty, ErrorNotice, Loading } from '../components/PanelState';
import type { Slot } from '../stores/codemap';
import { percent, scoreColour, textOn } from './colour';

const SHOWN = 15;

interface HotspotListProps {
  slot: Slot<{ path: string; results: HotspotItem[]; model?: { source: string; files: number } }>;
  folder: string;
  onOpen(path: string, line?: number): void;
  onTrend(path: string): void;
  onRetry(): void;
  onHover(path: string | null): void;
  /** Why there are no ranked files here (tests only, no scores yet, no history); a general note without it. */
  emptyText?: string;
  /** The pill's fill for a hotspot, the same as its cell in the map (score, or rank within the project). */
  colourOf?(h: HotspotItem): string;
}

export function HotspotList({ slot, folder, onOpen, onTrend, onRetry, onHover, emptyText, colourOf = (h) => scoreColour(h.score) }: HotspotListProps) {
  const [all, setAll] = useState(false);
  const where = folder ? `in ${folder}` : 'in the project';
  const results = slot.data?.results ?? [];
  const shown = all ? results : results.slice(0, SHOWN);
  return (
    <section className="hotspot-side" aria-labelledby="hotspots-h" data-testid="hotspot-list">
      <h3 id="hotspots-h" className="hotspot-title">
        Top hotspots <span className="muted">{where}</span>
      </h3>
      {slot.status === 'loading' && !slot.data && <Loading what="the hotspots" />}
      {slot.status === 'error' && slot.error && <ErrorNotice error={slot.error} what="The hotspots" methods={['codemap/hotspots']} onRetry={onRetry} />}
      {slot.status === 'ready' && !results.length && (
        <Empty testId="hotspots-empty">{emptyText ?? `No ranked files ${where}. Hotspots rank the product's source files (not tests, docs or examples) from the project's git history.`}</Empty>
      )}
      {!!results.length && (
        <ol className="results hotspot-list" aria-label={`Top hotspots ${where}`}>
          {shown.map((h) => {
            const fill = colourOf(h);
            const cut = h.path.lastIndexOf('/');
            return (
              <li key={h.path} className="result hotspot-item" data-testid="hotspot-item" data-path={h.path} onMouseEnter={() => onHover(h.path)} onMouseLeave={() => onHover(null)}>
                <div className="result-head">
                  <span className="muted small">#{h.rank}</span>
                  <button type="button" className="link symbol" title={`Open ${h.path}`} aria-label={`Open ${h.path}`} onClick={() => onOpen(h.path)}>
                    {h.path.slice(cut + 1)}
                  </button>
                  {cut > 0 ? <span className="muted small path hotspot-dir">{`\u200e${h.path.slice(0, cut)}\u200e`}</span> : <span className="spacer" />}
                  <span className="score-pill" style={{ background: fill, color: textOn(fill) }} title="Chance of a fix within a year">
                    {percent(h.score)}
                  </span>
                </div>
                <div className="muted small">
                  {h.churn} commit{h.churn === 1 ? '' : 's'} this year · complexity {h.complexity} · {h.lines} lines
                  {h.fixes_1y ? ` · ${h.fixes_1y} fix${h.fixes_1y === 1 ? '' : 'es'}` : ''}
                  {h.authors_1y ? ` · ${h.authors_1y} author${h.authors_1y === 1 ? '' : 's'}` : ''}
                </div>
                <ul className="reasons" aria-label={`Why ${h.path} is a hotspot`}>
                  {h.reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
                <div className="hotspot-actions small">
                  {h.symbols.slice(0, 3).map((s) => (
                    <button key={`${s.name}:${s.line}`} type="button" className="link small" title={`Complexity ${s.complexity}, cognitive ${s.cognitive}`} onClick={() => onOpen(h.path, s.line)}>
                      {s.name} <span className="muted">({s.complexity})</span>
                    </button>
                  ))}
                  <span className="spacer" />
                  <button type="button" className="small" aria-label={`Show the trend of ${h.path}`} onClick={() => onTrend(h.path)}>
                    Trend
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {results.length > SHOWN && (
        <button type="button" className="link small" onClick={() => setAll(!all)} aria-expanded={all}>
          {all ? `Show the top ${SHOWN}` : `Show all ${results.length}`}
        </button>
      )}
      {slot.data?.model && (
        <p className="muted small pad">
          Scores from the {slot.data.model.source === 'prior' ? 'default model (too little history to calibrate on this project)' : `model calibrated on this project's history`}, over{' '}
          {slot.data.model.files} files.
        </p>
      )}
    </section>
  );
}
