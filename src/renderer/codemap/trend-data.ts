// The trend charts' data: a continuous run of months (quiet months included) and "nice" axis tops.
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
