// A file's trend in plain SVG: churn per month (lines added up, deleted down, fixes marked) and complexity after every commit.
import { useState } from 'react';
import type { Result } from '../../shared/api';
import { axisLabelIndices, fixMarks, monthRange, niceTop, type MonthChurn } from './trend-data';
import { useSize } from './use-size';

type Trend = Result<'codemap/trend'>;
type Point = Trend['points'][number];

const H = 140;
const PAD = { left: 40, right: 44, top: 26, bottom: 20 };
/** The churn chart keeps a strip on top for the fix markers and their counts. */
const CHURN_TOP = 32;
/** Room for one "YYYY-MM" tick at 10px (a little more than it takes), and the least space between two. */
const MONTH_LABEL_W = 46;
const LABEL_GAP = 8;
/** Room for one "YYYY-MM-DD" tick at 10px. */
const DATE_LABEL_W = 62;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function monthText(m: MonthChurn): string {
  return `${m.month}: ${plural(m.commits, 'commit')}, +${m.added} / −${m.deleted} lines${m.fixes ? `, ${plural(m.fixes, 'fix', 'fixes')}` : ''}`;
}

function pointText(p: Point): string {
  return `${p.date.slice(0, 10)} ${p.sha.slice(0, 8)}: complexity ${p.complexity} (${p.measured ? 'measured' : 'estimated from its lines'}), ${plural(p.lines, 'line')}, +${p.added} −${p.deleted}${p.fix ? ', a fix' : ''}`;
}

function ChurnChart({ months, width }: { months: MonthChurn[]; width: number }) {
  const top = CHURN_TOP;
  const innerW = Math.max(1, width - PAD.left - PAD.right);
  const innerH = H - top - PAD.bottom;
  const maxAdded = Math.max(0, ...months.map((m) => m.added));
  const maxDeleted = Math.max(0, ...months.map((m) => m.deleted));
  const up = niceTop(maxAdded);
  const down = maxDeleted > 0 ? niceTop(maxDeleted) : 0;
  const perLine = innerH / (up + down);
  const y0 = top + up * perLine;
  const bw = innerW / Math.max(1, months.length);
  const barW = Math.max(1, Math.min(28, bw * 0.7));
  const commits = months.reduce((n, m) => n + m.commits, 0);
  const fixes = months.reduce((n, m) => n + m.fixes, 0);
  const label = `Churn per month from ${months[0]?.month} to ${months[months.length - 1]?.month}: ${plural(commits, 'commit')}, ${plural(fixes, 'fix', 'fixes')}; most lines added in one month ${maxAdded}, deleted ${maxDeleted}.`;
  const labelled = new Set(axisLabelIndices(months.length, bw, MONTH_LABEL_W, LABEL_GAP));
  const marks = fixMarks(months, bw);
  return (
    <svg width={width} height={H} role="img" aria-label={label} className="trend-chart" data-testid="trend-churn-chart">
      <line x1={PAD.left} x2={PAD.left + innerW} y1={y0} y2={y0} className="axis" />
      <text x={PAD.left - 4} y={top + 4} className="tick" textAnchor="end">
        +{up}
      </text>
      {down > 0 && (
        <text x={PAD.left - 4} y={H - PAD.bottom} className="tick" textAnchor="end">
          −{down}
        </text>
      )}
      {months.map((m, i) => {
        const cx = PAD.left + i * bw + bw / 2;
        return (
          <g key={m.month} data-testid="trend-month" data-month={m.month} data-commits={m.commits} data-fixes={m.fixes}>
            <title>{monthText(m)}</title>
            <rect x={PAD.left + i * bw} y={top} width={bw} height={innerH} className="hit" />
            {m.added > 0 && <rect x={cx - barW / 2} y={y0 - m.added * perLine} width={barW} height={m.added * perLine} className="bar added" />}
            {m.deleted > 0 && <rect x={cx - barW / 2} y={y0} width={barW} height={m.deleted * perLine} className="bar deleted" />}
            {m.commits > 0 && bw >= 16 && (
              <text x={cx} y={y0 - m.added * perLine - 3} className="tick" textAnchor="middle">
                {m.commits}
              </text>
            )}
            {labelled.has(i) && (
              <text x={cx} y={H - 6} className="tick month-tick" textAnchor="middle" data-testid="trend-month-label">
                {m.month}
              </text>
            )}
          </g>
        );
      })}
      {/* Fixes as one marker per span of months wide enough to keep markers apart, with how many when more than one. */}
      {marks.map((f) => {
        const cx = PAD.left + f.at * bw + bw / 2;
        const span = f.from === f.to ? months[f.from]!.month : `${months[f.from]!.month} to ${months[f.to]!.month}`;
        return (
          <g key={f.from} className="fix-group" data-testid="trend-fix" data-from={months[f.from]!.month} data-to={months[f.to]!.month} data-fixes={f.fixes}>
            <title>{`${plural(f.fixes, 'fix', 'fixes')} in ${span}`}</title>
            <path d={`M${cx - 5},12 h10 l-5,8 z`} className="fix-mark" />
            {f.fixes > 1 && (
              <text x={cx} y={9} className="tick fix-count" textAnchor="middle">
                {f.fixes}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

function ComplexityChart({ points, width }: { points: Point[]; width: number }) {
  const innerW = Math.max(1, width - PAD.left - PAD.right);
  const innerH = H - PAD.top - PAD.bottom;
  const times = points.map((p) => Date.parse(p.date));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = (t: number) => (t1 > t0 ? PAD.left + ((t - t0) / (t1 - t0)) * innerW : PAD.left + innerW / 2);
  const topC = niceTop(Math.max(0, ...points.map((p) => p.complexity)));
  const topL = niceTop(Math.max(0, ...points.map((p) => p.lines)));
  const yc = (v: number) => PAD.top + innerH - (v / topC) * innerH;
  const yl = (v: number) => PAD.top + innerH - (v / topL) * innerH;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const label = `Complexity after each of ${plural(points.length, 'commit')}: from ${first.complexity} on ${first.date.slice(0, 10)} to ${last.complexity} on ${last.date.slice(0, 10)}; code lines from ${first.lines} to ${last.lines}.`;
  const path = (y: (p: Point) => number) => points.map((p, i) => `${i ? 'L' : 'M'}${x(times[i]!).toFixed(1)},${y(p).toFixed(1)}`).join(' ');
  return (
    <svg width={width} height={H} role="img" aria-label={label} className="trend-chart" data-testid="trend-complexity-chart">
      <line x1={PAD.left} x2={PAD.left + innerW} y1={yc(0)} y2={yc(0)} className="axis" />
      <text x={PAD.left - 4} y={PAD.top + 4} className="tick complexity-tick" textAnchor="end">
        {topC}
      </text>
      <text x={PAD.left - 4} y={yc(0)} className="tick" textAnchor="end">
        0
      </text>
      <text x={width - 2} y={PAD.top - 8} className="tick lines-tick" textAnchor="end">
        {topL} lines
      </text>
      <path d={path((p) => yl(p.lines))} className="lines-line" />
      <path d={path((p) => yc(p.complexity))} className="complexity-line" />
      {points.map((p, i) => (
        <circle
          key={p.sha}
          cx={x(times[i]!)}
          cy={yc(p.complexity)}
          r={p.fix ? 4.5 : 3.5}
          className={`point${p.measured ? ' measured' : ''}${p.fix ? ' fix' : ''}`}
          data-testid="trend-point"
          data-sha={p.sha}
        >
          <title>{pointText(p)}</title>
        </circle>
      ))}
      <text x={PAD.left} y={H - 6} className="tick">
        {first.date.slice(0, 10)}
      </text>
      {/* The last date only where it cannot run into the first (each about 62 px wide). */}
      {points.length > 1 && innerW >= 2 * DATE_LABEL_W + LABEL_GAP && (
        <text x={PAD.left + innerW} y={H - 6} className="tick" textAnchor="end">
          {last.date.slice(0, 10)}
        </text>
      )}
    </svg>
  );
}

export function TrendCharts({ trend }: { trend: Trend }) {
  const [ref, size] = useSize<HTMLDivElement>();
  const [asTable, setAsTable] = useState(false);
  const months = monthRange(trend.months);
  const width = Math.max(0, size.width);
  return (
    <div className="trend-charts" data-testid="trend-charts">
      {/* Measured without the padding, so the charts are exactly as wide as their space. */}
      <div ref={ref}>
        <div className="trend-head small">
          <span className="muted">
            {plural(trend.points.length, 'commit')}
            {trend.names.length > 1 && ` · earlier names: ${trend.names.slice(1).join(', ')}`}
          </span>
          <span className="spacer" />
          <button type="button" className="link small" onClick={() => setAsTable(!asTable)} aria-pressed={asTable}>
            {asTable ? 'Show charts' : 'Show as tables'}
          </button>
        </div>
        {asTable ? (
          <>
            <div className="md-table-wrap">
              <table className="data-table small" aria-label="Churn per month">
                <thead>
                  <tr>
                    <th>Month</th>
                    <th>Commits</th>
                    <th>Added</th>
                    <th>Deleted</th>
                    <th>Fixes</th>
                  </tr>
                </thead>
                <tbody>
                  {months.map((m) => (
                    <tr key={m.month}>
                      <td>{m.month}</td>
                      <td>{m.commits}</td>
                      <td>{m.added}</td>
                      <td>{m.deleted}</td>
                      <td>{m.fixes}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="md-table-wrap">
              <table className="data-table small" aria-label="Complexity after each commit">
                <thead>
                  <tr>
                    <th>Date</th>
                    <th>Commit</th>
                    <th>Complexity</th>
                    <th>Lines</th>
                    <th>Fix</th>
                  </tr>
                </thead>
                <tbody>
                  {trend.points.map((p) => (
                    <tr key={p.sha}>
                      <td>{p.date.slice(0, 10)}</td>
                      <td>
                        <code>{p.sha.slice(0, 8)}</code>
                      </td>
                      <td>
                        {p.complexity}
                        {p.measured ? '' : ' (est.)'}
                      </td>
                      <td>{p.lines}</td>
                      <td>{p.fix ? 'yes' : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : (
          width > 0 && (
            <>
              <figure className="trend-figure">
                <figcaption className="small">
                  Churn per month <span className="legend-key added" aria-hidden="true" /> lines added <span className="legend-key deleted" aria-hidden="true" /> deleted{' '}
                  <span className="legend-fix" aria-hidden="true">
                    ▼
                  </span>{' '}
                  fixes (with how many when more than one) · numbers over bars: commits
                </figcaption>
                <ChurnChart months={months} width={width} />
              </figure>
              <figure className="trend-figure">
                <figcaption className="small">
                  Complexity after each commit <span className="legend-key complexity" aria-hidden="true" /> complexity (filled: measured, hollow: estimated){' '}
                  <span className="legend-key lines" aria-hidden="true" /> code lines <span className="legend-fix" aria-hidden="true">●</span> a fix
                </figcaption>
                <ComplexityChart points={trend.points} width={width} />
              </figure>
            </>
          )
        )}
      </div>
    </div>
  );
}
