// Ranks files by the chance they need a fix soon, with weights calibrated on the project's own past: features at earlier
// cut-offs must rank the files that were fixed after each cut-off first, as the prior-weighted model would at T.
import { featuresAt, fixedAfter, YEAR, type Features, type FileFacts } from './features';
import type { Histories } from './history';
import { auc, fitScale, fitWeights, inputsOf, linear, PRIOR, probability, standardise, type Cut, type HotspotModel } from './model';

export interface RankedFile {
  path: string;
  /** Chance of a fix within a year, from the calibrated model. */
  score: number;
  features: Features;
  /** Each input's share of the linear score (standardised value x weight), for the reasons. */
  contributions: number[];
  /** Standardised inputs (z-scores within the project). */
  z: number[];
}

export interface CutReport {
  at: number;
  horizon_days: number;
  files: number;
  fixed: number;
}

export interface CalibrationReport {
  source: 'prior' | 'calibrated';
  lambda: number | null;
  cuts: CutReport[];
  /** Mean AUC on the newest cuts of weights fitted on older cuts only, per lambda, against the prior's. */
  heldout: { prior: number; fitted: number; lambda: number }[];
  weights: number[];
}

export interface RankOptions {
  prior?: HotspotModel;
  /** Fit weights on the project's history (default); false uses the prior as is. */
  calibrate?: boolean;
  /** A previously fitted model to reuse instead of fitting again. */
  model?: HotspotModel;
}

/** Cut-offs behind T and the horizon of each: a half year before T looks half a year ahead, older ones a year. */
const CUTS: [number, number][] = [
  [0.5, 0.5],
  [1, 1],
  [1.5, 1],
  [2, 1],
  [2.5, 1],
];
const LAMBDAS = [3, 1, 0.3];
const MARGIN = 0.05;

function cutAt(h: Histories, facts: Map<string, FileFacts>, now: number, back: number, horizon: number): { cut: Cut; report: CutReport } | null {
  const T = now - back * YEAR;
  if (h.first === null || T - h.first < 90 * 86_400) return null;
  const feats = featuresAt(h, T, facts, { now });
  if (feats.size < 6) return null;
  const fixed = fixedAfter(h, T, horizon * YEAR);
  const paths = [...feats.keys()];
  const y = paths.map((p) => fixed.has(p));
  const pos = y.filter(Boolean).length;
  if (pos < 2 || pos === y.length) return null;
  const { z } = standardise(paths.map((p) => inputsOf(feats.get(p)!)));
  return { cut: { z, y }, report: { at: T, horizon_days: horizon * 365, files: paths.length, fixed: pos } };
}

function meanAuc(cuts: Cut[], w: number[]): number {
  if (!cuts.length) return 0.5;
  return cuts.reduce((s, c) => s + auc(c.z.map((r) => linear(r, w)), c.y), 0) / cuts.length;
}

/** The labelled cuts of the project's past as of `now`, newest first (those with too few files or fixes left out). */
export function historyCuts(h: Histories, facts: Map<string, FileFacts>, now: number): { cut: Cut; report: CutReport }[] {
  return CUTS.map(([back, horizon]) => cutAt(h, facts, now, back, horizon)).filter((c): c is NonNullable<typeof c> => c !== null);
}

/** Standardised inputs of the files as of `now` (the ranking's own inputs), for a cut whose labels come from elsewhere. */
export function inputsAt(h: Histories, facts: Map<string, FileFacts>, now: number): { paths: string[]; z: number[][] } {
  const feats = featuresAt(h, now, facts, { now });
  const paths = [...feats.keys()];
  return { paths, z: standardise(paths.map((p) => inputsOf(feats.get(p)!))).z };
}

/** Fits the model on the project's history as of `now` (see CUTS); falls back to the prior when history is thin. */
export function calibrateModel(h: Histories, facts: Map<string, FileFacts>, now: number, prior: HotspotModel = PRIOR): { model: HotspotModel; report: CalibrationReport } {
  const built = historyCuts(h, facts, now);
  const cuts = built.map((b) => b.cut);
  const report: CalibrationReport = { source: 'prior', lambda: null, cuts: built.map((b) => b.report), heldout: [], weights: prior.weights };
  if (!cuts.length) return { model: prior, report };
  // Rolling origin: each of the newest cuts is predicted by weights fitted on the cuts older than it. The prior stays
  // unless fitting beats it there by a clear margin (0.05 AUC): one project's few cut-offs are noisy, and across 16
  // repositories smaller margins moved the weights as often for the worse as for the better.
  let lambda: number | null = null;
  const tests = [0, 1, 2].filter((k) => cuts.length > k + 1);
  if (tests.length) {
    const heldout = (l: number | null) =>
      tests.reduce((acc, k) => acc + meanAuc([cuts[k]!], l === null ? prior.weights : fitWeights(cuts.slice(k + 1), prior.weights, { lambda: l })), 0) / tests.length;
    const priorAuc = heldout(null);
    let best = priorAuc + MARGIN;
    for (const l of LAMBDAS) {
      const a = heldout(l);
      report.heldout.push({ prior: round(priorAuc), fitted: round(a), lambda: l });
      if (a > best) {
        best = a;
        lambda = l;
      }
    }
  }
  const weights = lambda === null ? prior.weights : fitWeights(cuts, prior.weights, { lambda });
  const scores: number[] = [];
  const labels: boolean[] = [];
  for (const c of cuts) {
    c.z.forEach((r, i) => {
      scores.push(linear(r, weights));
      labels.push(c.y[i]!);
    });
  }
  const { a, b } = fitScale(scores, labels, { a: prior.a, b: prior.b });
  report.source = lambda === null ? 'prior' : 'calibrated';
  report.lambda = lambda;
  report.weights = weights.map(round);
  return { model: { weights, a, b, source: report.source }, report };
}

/**
 * Scores every file in `facts` as of `at` (default `now`, the newest history): with an earlier `at`, only history up to
 * then counts and sizes are estimated back from line counts, so a score for the past does not see the future.
 */
export function rankFiles(h: Histories, facts: Map<string, FileFacts>, now: number, model: HotspotModel, at = now): RankedFile[] {
  const feats = featuresAt(h, at, facts, { now });
  const paths = [...feats.keys()];
  const { z } = standardise(paths.map((p) => inputsOf(feats.get(p)!)));
  const out = paths.map((path, i) => {
    const zi = z[i]!;
    const contributions = zi.map((v, j) => v * model.weights[j]!);
    const s = linear(zi, model.weights);
    return { path, score: probability(model, s), features: feats.get(path)!, contributions, z: zi, s };
  });
  out.sort((x, y) => y.s - x.s || (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return out.map(({ s: _s, ...r }) => r);
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
