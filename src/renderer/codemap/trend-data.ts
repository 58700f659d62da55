// The trend charts' data: a continuous run of months (quiet months included), "nice" axis tops, which axis labels fit,
// and fix markers gathered so they never pile up.
export interface MonthChurn {
  month: string;
  commits: number;
  added: number;
  deleted: number;
  fixes: number;
}

/** Every month from the first to the last in `months` ("YYYY-MM"), with zeros for those without commits. */
export function monthRange(months: readonly MonthChurn[]): MonthChurn[] {
  const sorted = [...months].filter((m) => /^\d{4}-\d{2}$/.test(m.month)).sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
  if (!sorted.length) return [];
  const byMonth = new Map(sorted.map((m) => [m.month, m]));
  const [y0, m0] = sorted[0]!.month.split('-').map(Number) as [number, number];
  const last = sorted[sorted.length - 1]!.month;
  const out: MonthChurn[] = [];
  // Bounded, so a corrupt date cannot make this loop for ever (50 years of months).
  for (let i = 0; i < 600; i++) {
    const y = y0 + Math.floor((m0 - 1 + i) / 12);
    const m = ((m0 - 1 + i) % 12) + 1;
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push(byMonth.get(key) ?? { month: key, commits: 0, added: 0, deleted: 0, fixes: 0 });
    if (key === last) break;
  }
  return out;
}

/** A round number at or above `v` (1, 2, 5 × 10^n), for the top of an axis; at least 1. */
export function niceTop(v: number): number {
  if (!(v > 1)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const f of [1, 2, 5, 10]) if (f * p >= v) return f * p;
  return 10 * p;
}

/**
 * Which of `count` evenly spaced slots (`step` px apart) get an axis label `labelWidth` px wide: every k-th one from the
 * first, so neighbours are at least `gap` px apart, and the last slot too, in place of the label before it when the two
 * would touch. No two chosen labels ever overlap.
 */
export function axisLabelIndices(count: number, step: number, labelWidth: number, gap = 8): number[] {
  if (count <= 0) return [];
  const k = Math.max(1, Math.ceil((labelWidth + gap) / Math.max(step, 1e-6)));
  const out: number[] = [];
  for (let i = 0; i < count; i += k) out.push(i);
  const last = count - 1;
  if (out[out.length - 1] !== last) {
    if (last - out[out.length - 1]! >= k) out.push(last);
    else if (out.length > 1) out[out.length - 1] = last;
  }
  return out;
}

export interface FixMark {
  /** First and last month index of the span the marker stands for. */
  from: number;
  to: number;
  /** Where to draw it, as a (fractional) month index: the middle of a whole span (the last, shorter span too, so markers stay k months apart). */
  at: number;
  fixes: number;
}

/**
 * One marker per span of months at least `minPx` wide (spans of k months, k from the month width `step`), carrying the
 * number of fixes in it: markers stay apart however many months the chart shows.
 */
export function fixMarks(months: readonly MonthChurn[], step: number, minPx = 18): FixMark[] {
  const k = Math.max(1, Math.ceil(minPx / Math.max(step, 1e-6)));
  const out: FixMark[] = [];
  for (let i0 = 0; i0 < months.length; i0 += k) {
    const to = Math.min(months.length, i0 + k) - 1;
    let fixes = 0;
    for (let i = i0; i <= to; i++) fixes += months[i]!.fixes;
    if (fixes > 0) out.push({ from: i0, to, at: i0 + (k - 1) / 2, fixes });
  }
  return out;
}
