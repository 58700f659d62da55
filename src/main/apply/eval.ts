// Apply-engine evaluation: runs applyEdit over a cases file and computes the metrics of apply_baseline.py's `metrics`.

import { readFileSync } from 'node:fs';
import { applyEdit } from './apply';

export interface ApplyCase {
  id: string;
  sha?: string;
  path: string;
  variant: string;
  format?: string;
  expect: 'apply' | 'refuse';
  before: string;
  edit: string;
  after: string | null;
}

export interface ApplyMetrics {
  n: number;
  apply_cases: number;
  /** share of the apply cases whose result equals `after` byte for byte */
  exact: number | null;
  /** per variant: share of its cases handled right (exact for apply cases, refused for refuse cases) */
  per_variant: Record<string, number>;
  /** applied with other content than `after`, or applied where a refusal was due */
  wrong: number;
  wrong_rate: number | null;
  refusal_rate: number | null;
  /** per variant detail, as apply_baseline.py prints it */
  variants: Record<string, { n: number; ok: number; wrong: number }>;
  /** ids of the cases not handled right, with what happened (for debugging) */
  failures: { id: string; variant: string; outcome: 'wrong' | 'refused'; detail: string }[];
}

/**
 * Python's round(x, 4): half-to-even on the exact binary value of the float (so 126/192 = 0.65625 gives 0.6562),
 * computed exactly with BigInt; the figures then match apply_baseline.py digit for digit.
 */
export function round4(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  let e: number;
  if (expBits === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = expBits - 1075;
  }
  // x = mant * 2^e exactly; q, r = divmod(x * 10^4) as integers
  let num = mant * 10000n;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  let q = num / den;
  const r = num % den;
  if (2n * r > den || (2n * r === den && (q & 1n) === 1n)) q += 1n;
  const v = Number(q) / 10000;
  return negative ? -v : v;
}

export function loadCases(casesJsonlPath: string): ApplyCase[] {
  return readFileSync(casesJsonlPath, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ApplyCase);
}

/** Metrics over cases and their results (content, or null for a refusal), exactly as apply_baseline.metrics. */
export function metrics(cases: readonly ApplyCase[], results: readonly (string | null)[]): Omit<ApplyMetrics, 'failures'> {
  const n = cases.length;
  let applyCases = 0;
  let exact = 0;
  let wrong = 0;
  let refused = 0;
  const per: Record<string, [number, number, number]> = {};
  cases.forEach((c, i) => {
    const r = results[i] ?? null;
    const isWrong = r !== null && (c.expect !== 'apply' || r !== c.after);
    if (c.expect === 'apply') {
      applyCases++;
      if (r !== null && r === c.after) exact++;
    }
    if (isWrong) wrong++;
    if (r === null) refused++;
    const v = (per[c.variant] ??= [0, 0, 0]);
    v[0]++;
    if (c.expect === 'apply') v[1] += r !== null && r === c.after ? 1 : 0;
    else v[1] += r === null ? 1 : 0;
    v[2] += isWrong ? 1 : 0;
  });
  const keys = Object.keys(per).sort();
  return {
    n,
    apply_cases: applyCases,
    exact: applyCases ? round4(exact / applyCases) : null,
    per_variant: Object.fromEntries(keys.map((k) => [k, round4(per[k]![1] / per[k]![0])])),
    wrong,
    wrong_rate: n ? round4(wrong / n) : null,
    refusal_rate: n ? round4(refused / n) : null,
    variants: Object.fromEntries(keys.map((k) => [k, { n: per[k]![0], ok: round4(per[k]![1] / per[k]![0]), wrong: per[k]![2] }])),
  };
}

/** Run the engine on every case of a JSONL file (no format given: it is detected, as `mira apply` does). */
export function evaluateApply(casesJsonlPath: string): ApplyMetrics {
  const cases = loadCases(casesJsonlPath);
  const failures: ApplyMetrics['failures'] = [];
  const results = cases.map((c) => {
    const r = applyEdit(c.before, c.edit, { path: c.path });
    const content = r.applied ? r.content : null;
    if (c.expect === 'apply' && content !== c.after)
      failures.push({ id: c.id, variant: c.variant, outcome: r.applied ? 'wrong' : 'refused', detail: r.applied ? r.strategy : `${r.error.code}: ${r.error.message}` });
    if (c.expect === 'refuse' && r.applied) failures.push({ id: c.id, variant: c.variant, outcome: 'wrong', detail: r.strategy });
    return content;
  });
  return { ...metrics(cases, results), failures };
}
