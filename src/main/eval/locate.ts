// `mira eval locate`: localisation quality on a set in the format of ../shared/eval, or on the project's own history.
import fs from 'node:fs';
import path from 'node:path';
import type { Mira, ProjectContext } from '../app';
import { MiraError } from '../../shared/errors';
import { rankingMetrics, type RankingMetrics } from '../oracle/metrics';
import { calibrate, historyQueries } from '../oracle/calibrate';
import { oracleFor, projectWeights, maybeCalibrate } from '../oracle/service';
import { DEFAULT_WEIGHTS, SIGNALS, type Weights } from '../oracle/signals';

export interface SetQuery {
  sha: string;
  query: string;
  gold: string[];
}

export function readJsonl<T>(file: string): T[] {
  if (!fs.existsSync(file)) throw new MiraError('not_found', `${file} does not exist`);
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export function readMeta(setDir: string): { t0: string } {
  const f = path.join(setDir, 'meta.json');
  if (!fs.existsSync(f)) throw new MiraError('not_found', `${f} does not exist`, 'pass --set with a folder made by build_set.py');
  return JSON.parse(fs.readFileSync(f, 'utf8')) as { t0: string };
}

export interface LocateEval {
  queries: number;
  mira: RankingMetrics;
  text_only: RankingMetrics;
  weights: Weights;
  calibration: { before: RankingMetrics; after: RankingMetrics; queries: number } | null;
  p50_ms: number;
  p95_ms: number;
}

/** Runs the questions against the project as indexed (history up to T0), with the project's calibrated weights. */
export function evalLocate(p: ProjectContext, queries: SetQuery[], opts: { calibrate?: boolean; asOf?: (q: SetQuery) => number | undefined } = {}): LocateEval {
  const cal = opts.calibrate === false ? null : maybeCalibrate(p, true);
  const weights = opts.calibrate === false ? { ...DEFAULT_WEIGHTS } : projectWeights(p);
  const oracle = oracleFor(p);
  const times: number[] = [];
  const ranked = queries.map((q) => {
    const t0 = performance.now();
    const r = oracle.locate(q.query, { k: 10, weights, asOf: opts.asOf?.(q) });
    times.push(performance.now() - t0);
    return r.map((x) => x.path);
  });
  const textW = Object.fromEntries(SIGNALS.map((s) => [s, s === 'text' ? 1 : 0])) as Weights;
  const textRanked = queries.map((q) => oracle.locate(q.query, { k: 10, weights: textW, asOf: opts.asOf?.(q) }).map((x) => x.path));
  times.sort((a, b) => a - b);
  const golds = queries.map((q) => q.gold);
  return {
    queries: queries.length,
    mira: rankingMetrics(ranked, golds),
    text_only: rankingMetrics(textRanked, golds),
    weights,
    calibration: cal ? { before: cal.before, after: cal.after, queries: cal.queries } : null,
    p50_ms: round(times[Math.floor(times.length * 0.5)] ?? 0),
    p95_ms: round(times[Math.min(times.length - 1, Math.floor(times.length * 0.95))] ?? 0),
  };
}

/**
 * A time split of the project's own history: calibrate on older commits, then answer the newest `n` with weights
 * that never saw them and history before each one only.
 */
export function evalLocateHistory(p: ProjectContext, n: number): LocateEval & { split: { test: number; train: number } } {
  const db = p.mira.db;
  const live = new Set((db.prepare('SELECT path FROM files WHERE project_id = ? AND skip_reason IS NULL').all(p.id) as { path: string }[]).map((r) => r.path));
  const all = historyQueries(db, p.id, live, n + 120);
  if (all.length < 10) throw new MiraError('bad_request', `only ${all.length} usable commits in this project's history`, 'index a project with more history (mira index), or use --set');
  const test = all.slice(0, n);
  const train = all.slice(n);
  const oracle = oracleFor(p);
  const cal = train.length >= 20 ? calibrate(oracle, train, { ...DEFAULT_WEIGHTS }) : null;
  const weights = cal?.weights ?? { ...DEFAULT_WEIGHTS };
  const times: number[] = [];
  const ranked = test.map((q) => {
    const t0 = performance.now();
    const r = oracle.locate(q.query, { k: 10, weights, asOf: q.asOf });
    times.push(performance.now() - t0);
    return r.map((x) => x.path);
  });
  const textW = Object.fromEntries(SIGNALS.map((s) => [s, s === 'text' ? 1 : 0])) as Weights;
  const textRanked = test.map((q) => oracle.locate(q.query, { k: 10, weights: textW, asOf: q.asOf }).map((x) => x.path));
  times.sort((a, b) => a - b);
  return {
    queries: test.length,
    mira: rankingMetrics(ranked, test.map((q) => q.gold)),
    text_only: rankingMetrics(textRanked, test.map((q) => q.gold)),
    weights,
    calibration: cal ? { before: cal.before, after: cal.after, queries: cal.queries } : null,
    p50_ms: round(times[Math.floor(times.length * 0.5)] ?? 0),
    p95_ms: round(times[Math.min(times.length - 1, Math.floor(times.length * 0.95))] ?? 0),
    split: { test: test.length, train: train.length },
  };
}

export type { Mira };

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Indexes the set's repository at T0 in its own home (never the user's) and evaluates the set's questions. */
export async function runLocateSet(opts: {
  setDir: string;
  repo: string;
  workDir: string;
  calibrate?: boolean;
  onProgress?: (msg: string) => void;
}): Promise<LocateEval & { set: string; index_ms: number }> {
  const { createMira } = await import('../app');
  const { loadConfig } = await import('../config');
  const { checkoutAt } = await import('./checkout');
  const meta = readMeta(opts.setDir);
  const queries = readJsonl<SetQuery>(path.join(opts.setDir, 'localize.jsonl'));
  opts.onProgress?.(`checking out ${meta.t0.slice(0, 10)}`);
  const root = checkoutAt(opts.repo, meta.t0, opts.workDir);
  const home = path.join(opts.workDir, 'home');
  // The user's keys and endpoints stay out of an evaluation: it measures the offline defaults.
  const mira = createMira({ config: loadConfig(home, {}), mode: 'cli', project: root });
  try {
    opts.onProgress?.('indexing');
    const t0 = performance.now();
    await mira.index({ git: true });
    const index_ms = Math.round(performance.now() - t0);
    opts.onProgress?.('asking');
    const r = evalLocate(mira.project(), queries, { calibrate: opts.calibrate });
    return { set: path.basename(path.resolve(opts.setDir)), index_ms, ...r };
  } finally {
    mira.close();
  }
}
