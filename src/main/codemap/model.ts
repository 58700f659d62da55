// The hotspot model: a linear score over standardised log features, fitted to rank files that later needed a fix above
// those that did not (pairwise logistic loss, i.e. it optimises ROC AUC), shrunk toward a prior fitted on many projects.
import type { Features } from './features';

/** Model inputs: each a transform of the raw features, standardised within a project and time before use. */
export const INPUTS = ['bulk', 'churn', 'new_code', 'authors', 'fixes', 'age', 'sweeping', 'fan_out', 'hardest', 'tested'] as const;
export type Input = (typeof INPUTS)[number];

/**
 * Size and complexity enter as one input (their logs averaged): they are nearly collinear, and apart they get weights of
 * opposite signs that no one could act on. The rest: recent commits, recently added lines, authors, recent fixes, age,
 * how sweeping the file's commits are, then structure from the index: files it depends on (fan-out), its hardest
 * function's cognitive complexity, and the share of its functions tests reach (tested code is the code people use, and
 * fix commits come with tests).
 */
export function inputsOf(f: Features): number[] {
  return [
    (Math.log1p(f.loc) + Math.log1p(f.complexity)) / 2,
    Math.log1p(f.commits_dec),
    Math.log1p(f.added_dec),
    Math.log1p(f.authors),
    Math.log1p(f.fixes_dec),
    Math.log1p(f.age_days),
    Math.log1p(f.commit_size),
    Math.log1p(f.fan_out),
    Math.log1p(f.max_cognitive),
    f.tested_share ?? 0.5,
  ];
}

export interface HotspotModel {
  weights: number[];
  /** Platt scaling of the linear score into the chance of a fix within a year: p = 1 / (1 + exp(-(a s + b))). */
  a: number;
  b: number;
  source: 'prior' | 'calibrated';
}

/**
 * Prior weights, fitted with `bench/codemap-fit.ts` on 13 public repositories indexed a year before their newest commit
 * (C, C++, Go, Python, JS/TS, PHP, Ruby; not the three evaluation sets): what depends on much, is big and complex, has
 * hard functions, is used by tests, and was fixed and changed by many people lately, needs fixes next.
 */
export const PRIOR: HotspotModel = {
  weights: [0.29, 0.147, 0.161, 0.266, 0.369, -0.26, 0.083, 0.478, 0.407, 0.481],
  a: 0.856,
  b: -1.651,
  source: 'prior',
};

export interface Standardised {
  z: number[][];
  mean: number[];
  sd: number[];
}

export function standardise(rows: number[][]): Standardised {
  const d = rows[0]?.length ?? INPUTS.length;
  const mean = new Array<number>(d).fill(0);
  const sd = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += r[j]! / rows.length;
  for (const r of rows) for (let j = 0; j < d; j++) sd[j]! += (r[j]! - mean[j]!) ** 2 / rows.length;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]!) || 1;
  return { z: rows.map((r) => r.map((v, j) => (v - mean[j]!) / sd[j]!)), mean, sd };
}

export function linear(z: number[], w: number[]): number {
  let s = 0;
  for (let j = 0; j < w.length; j++) s += z[j]! * w[j]!;
  return s;
}

export function probability(m: HotspotModel, s: number): number {
  return 1 / (1 + Math.exp(-(m.a * s + m.b)));
}

/** One labelled time cut: standardised inputs of the files that existed then, and whether each was fixed after. */
export interface Cut {
  z: number[][];
  y: boolean[];
}

/**
 * Fits weights by pairwise logistic loss over (fixed, not fixed) pairs within each cut, with an L2 pull toward the
 * prior of strength `lambda`: with little history the prior wins, with much the project's own history does.
 */
export function fitWeights(cuts: Cut[], prior: number[], opts: { lambda?: number; iterations?: number; rate?: number; maxPairs?: number } = {}): number[] {
  const lambda = opts.lambda ?? 1;
  const iterations = opts.iterations ?? 120;
  const rate = opts.rate ?? 0.5;
  const maxPairs = opts.maxPairs ?? 4000;
  const d = prior.length;
  // Pair differences in one flat array (sampled with a fixed stride when a cut has too many), each with its weight.
  const usable = cuts.filter((c) => c.y.some(Boolean) && c.y.some((v) => !v));
  const diffs: number[] = [];
  const weights: number[] = [];
  for (const c of usable) {
    const pos = c.z.filter((_, i) => c.y[i]);
    const neg = c.z.filter((_, i) => !c.y[i]);
    const total = pos.length * neg.length;
    const step = Math.max(1, Math.ceil(total / maxPairs));
    const picked = Math.ceil(total / step);
    for (let k = 0; k < total; k += step) {
      const p = pos[Math.floor(k / neg.length)]!;
      const n = neg[k % neg.length]!;
      for (let j = 0; j < d; j++) diffs.push(p[j]! - n[j]!);
      // Every cut weighs the same, however many files it has.
      weights.push(1 / (picked * usable.length));
    }
  }
  const w = [...prior];
  if (!weights.length) return w;
  const v = Float64Array.from(diffs);
  const g = new Float64Array(d);
  for (let it = 0; it < iterations; it++) {
    for (let j = 0; j < d; j++) g[j] = lambda * (w[j]! - prior[j]!);
    for (let i = 0, o = 0; i < weights.length; i++, o += d) {
      let s = 0;
      for (let j = 0; j < d; j++) s += v[o + j]! * w[j]!;
      const q = weights[i]! / (1 + Math.exp(s));
      for (let j = 0; j < d; j++) g[j]! -= q * v[o + j]!;
    }
    for (let j = 0; j < d; j++) w[j]! -= rate * g[j]!;
  }
  return w;
}

/** Platt scaling: fits a, b of p = sigmoid(a s + b) to the cuts' labels (a few Newton-free gradient steps). */
export function fitScale(scores: number[], labels: boolean[], start: { a: number; b: number } = { a: 1, b: -1 }): { a: number; b: number } {
  let { a, b } = start;
  if (!scores.length || !labels.some(Boolean)) return { a, b };
  for (let it = 0; it < 300; it++) {
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < scores.length; i++) {
      const p = 1 / (1 + Math.exp(-(a * scores[i]! + b)));
      const e = p - (labels[i] ? 1 : 0);
      ga += e * scores[i]!;
      gb += e;
    }
    a -= (0.5 * ga) / scores.length;
    b -= (0.5 * gb) / scores.length;
  }
  return { a, b };
}

/** ROC AUC of scores against labels, ties counted half. */
export function auc(scores: number[], labels: boolean[]): number {
  const idx = scores.map((s, i) => [s, i] as const).sort((x, y) => x[0] - y[0]);
  let rankSum = 0;
  let nPos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j < idx.length && idx[j]![0] === idx[i]![0]) j++;
    const avg = (i + j + 1) / 2;
    for (let k = i; k < j; k++) {
      if (labels[idx[k]![1]]) {
        rankSum += avg;
        nPos++;
      }
    }
    i = j;
  }
  const nNeg = scores.length - nPos;
  if (!nPos || !nNeg) return 0.5;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
