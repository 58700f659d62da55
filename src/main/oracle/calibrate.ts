// Self-calibration: the project's own past commits are labelled data (message → changed files); fusion weights are
// tuned on them, each question answered only with the history before its commit.
import type { Db } from '../db/open';
import { fuse, type Oracle } from './locate';
import { SIGNALS, type SignalName, type SignalResult, type Weights } from './signals';
import { isAuxiliaryPath } from './terms';
import { rankingMetrics, type RankingMetrics } from './metrics';

export interface HistoryQuery {
  sha: string;
  query: string;
  gold: string[];
  asOf: number;
}

/** The newest non-merge, non-bot commits that changed 1–30 files of which some still exist as source files. */
export function historyQueries(db: Db, projectId: number, live: Set<string>, n: number): HistoryQuery[] {
  const rows = db
    .prepare(`SELECT id, sha, subject, body, committed_at FROM git_commits WHERE project_id = ? AND is_merge = 0 AND is_bot = 0 AND files_count BETWEEN 1 AND 30 ORDER BY committed_at DESC LIMIT ?`)
    .all(projectId, n * 4) as { id: number; sha: string; subject: string; body: string; committed_at: number }[];
  const files = db.prepare('SELECT path FROM git_commit_files WHERE commit_id = ?');
  const out: HistoryQuery[] = [];
  for (const r of rows) {
    const gold = (files.all(r.id) as { path: string }[]).map((f) => f.path).filter((p) => live.has(p) && !isAuxiliaryPath(p));
    if (!gold.length || !r.subject.trim()) continue;
    out.push({ sha: r.sha, query: `${r.subject}\n${r.body}`.slice(0, 2000), gold, asOf: r.committed_at });
    if (out.length >= n) break;
  }
  return out;
}

export interface Calibration {
  weights: Weights;
  before: RankingMetrics;
  after: RankingMetrics;
  queries: number;
}

const objective = (m: RankingMetrics) => (m['hit@5'] ?? 0) + (m['recall@5'] ?? 0) + m.mrr;

/**
 * Coordinate ascent over the weights. Signals are gathered once per question, so each trial is only a re-fusion.
 * A move must gain at least `minGain`, which keeps small samples from chasing noise.
 */
export function calibrate(oracle: Oracle, queries: HistoryQuery[], start: Weights, opts: { rounds?: number; minGain?: number } = {}): Calibration {
  const gatherW = { ...start };
  for (const s of SIGNALS) gatherW[s] = Math.max(gatherW[s], 0.05);
  // Only the top of each signal can reach a top-10 after fusion; keeping the rest would cost memory for nothing.
  const gathered: { signals: Map<SignalName, SignalResult>; gold: string[] }[] = queries.map((q) => ({ signals: trimSignals(oracle.gather(q.query, gatherW, { asOf: q.asOf }), 200), gold: q.gold }));
  const score = (w: Weights) =>
    rankingMetrics(
      gathered.map((g) => fuse(g.signals, w).slice(0, 10).map(([p]) => p)),
      gathered.map((g) => g.gold),
    );
  let best = { ...start };
  const before = score(best);
  let bestObj = objective(before);
  const minGain = opts.minGain ?? 0.004 * Math.max(1, 100 / Math.max(queries.length, 1));
  for (let round = 0; round < (opts.rounds ?? 3); round++) {
    let moved = false;
    for (const s of SIGNALS) {
      if (s === 'text') continue; // the scale is fixed by the text weight
      const cur = best[s];
      const trials = [0, cur * 0.25, cur * 0.5, cur * 2, cur * 4, cur === 0 ? 0.25 : cur].filter((v, i, a) => a.indexOf(v) === i && v !== cur);
      for (const v of trials) {
        const w = { ...best, [s]: v };
        const o = objective(score(w));
        if (o > bestObj + minGain) {
          best = w;
          bestObj = o;
          moved = true;
        }
      }
    }
    if (!moved) break;
  }
  return { weights: best, before, after: score(best), queries: queries.length };
}

function trimSignals(signals: Map<SignalName, SignalResult>, keep: number): Map<SignalName, SignalResult> {
  for (const [name, sig] of signals) {
    if (sig.scores.size <= keep) continue;
    const top = [...sig.scores].sort((a, b) => b[1] - a[1]).slice(0, keep);
    signals.set(name, { scores: new Map(top), details: new Map() });
  }
  return signals;
}
