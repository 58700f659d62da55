// A bar chart of LLM spend per day in plain SVG (no chart library), with the daily limit as a dashed line.
import { useState } from 'react';

export interface SpendDay {
  day: string;
  cost_usd: number;
  calls: number;
  cache_hits: number;
  saved_usd: number;
}

// Drawn at about the size it is shown, so the labels stay readable.
const W = 380;
const H = 120;
// The top pad holds the limit's label when the limit line is the chart's top (no spend yet).
const PAD = { left: 44, right: 8, top: 16, bottom: 18 };

export function usd(n: number): string {
  if (n === 0) return '$0.00';
  if (Math.abs(n) < 0.01) return `$${n.toFixed(4)}`;
  return `$${n.toFixed(2)}`;
}

/**
 * Where the limit line's label goes: at the end of the chart where the bars stay lower (today's bar is on the right, so
 * usually the left), above the line unless that leaves the chart. Exported for tests.
 */
export function limitLabelPlacement(days: readonly { cost_usd: number }[], limitY: number, innerLeft: number, innerRight: number): { x: number; y: number; anchor: 'start' | 'end' } {
  const third = Math.max(1, Math.ceil(days.length / 3));
  const leftMax = Math.max(0, ...days.slice(0, third).map((d) => d.cost_usd));
  const rightMax = Math.max(0, ...days.slice(-third).map((d) => d.cost_usd));
  const left = leftMax <= rightMax;
  const y = limitY - 4 < 10 ? limitY + 11 : limitY - 4;
  return left ? { x: innerLeft + 3, y, anchor: 'start' } : { x: innerRight - 3, y, anchor: 'end' };
}

export function SpendChart({ days, dailyLimit }: { days: SpendDay[]; dailyLimit: number }) {
  const [asTable, setAsTable] = useState(false);
  const maxCost = Math.max(0, ...days.map((d) => d.cost_usd));
  // Scale to the spend, and show the limit line only when the spend comes near it (else the bars would be flat).
  const top = maxCost > 0 ? Math.max(maxCost, maxCost > dailyLimit * 0.5 ? dailyLimit : 0) * 1.1 : Math.max(dailyLimit, 0.01);
  const showLimit = dailyLimit > 0 && dailyLimit <= top;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const bw = days.length ? innerW / days.length : innerW;
  const y = (v: number) => PAD.top + innerH - (v / top) * innerH;
  const total = days.reduce((n, d) => n + d.cost_usd, 0);
  const label = `Spend per day over the last ${days.length} days: ${usd(total)} in total, at most ${usd(maxCost)} in one day.`;

  return (
    <figure className="spend-chart">
      <figcaption className="small muted">
        Spend per day, last {days.length} days
        <button type="button" className="link small" onClick={() => setAsTable(!asTable)} aria-pressed={asTable}>
          {asTable ? 'Show chart' : 'Show as table'}
        </button>
      </figcaption>
      {asTable ? (
        <div className="md-table-wrap">
          <table className="data-table small" aria-label="Spend per day">
            <thead>
              <tr>
                <th>Day</th>
                <th>Spend</th>
                <th>Calls</th>
                <th>Cache hits</th>
                <th>Saved</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.day}>
                  <td>{d.day}</td>
                  <td>{usd(d.cost_usd)}</td>
                  <td>{d.calls}</td>
                  <td>{d.cache_hits}</td>
                  <td>{usd(d.saved_usd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} data-testid="spend-chart">
          <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} className="axis" />
          {/* Value ticks are centred on the height they name, so $5.00 sits on the $5.00 line. */}
          <text x={PAD.left - 4} y={y(top)} className="tick" textAnchor="end" dominantBaseline="middle" data-testid="spend-top-tick">
            {usd(top)}
          </text>
          <text x={PAD.left - 4} y={y(0)} className="tick" textAnchor="end" dominantBaseline="middle">
            $0
          </text>
          {days.map((d, i) => {
            const h = y(0) - y(d.cost_usd);
            return (
              <rect key={d.day} x={PAD.left + i * bw + 1} y={y(d.cost_usd)} width={Math.max(1, bw - 2)} height={Math.max(0, h)} className={d.cache_hits ? 'bar has-hits' : 'bar'}>
                <title>{`${d.day}: ${usd(d.cost_usd)}, ${d.calls} calls, ${d.cache_hits} cache hits, saved ${usd(d.saved_usd)}`}</title>
              </rect>
            );
          })}
          {showLimit && (
            <>
              <line x1={PAD.left} x2={W - PAD.right} y1={y(dailyLimit)} y2={y(dailyLimit)} className="limit" data-testid="spend-limit-line" />
              {(() => {
                const at = limitLabelPlacement(days, y(dailyLimit), PAD.left, W - PAD.right);
                return (
                  <text x={at.x} y={at.y} className="tick limit-label" textAnchor={at.anchor} data-testid="spend-limit-label">
                    daily limit {usd(dailyLimit)}
                  </text>
                );
              })()}
            </>
          )}
          {days[0] && (
            <text x={PAD.left} y={H - 4} className="tick">
              {days[0].day}
            </text>
          )}
          {days.length > 1 && (
            <text x={W - PAD.right} y={H - 4} className="tick" textAnchor="end">
              {days[days.length - 1]!.day}
            </text>
          )}
        </svg>
      )}
    </figure>
  );
}
