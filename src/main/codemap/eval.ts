// `mira eval hotspots`: index a repository at a cut-off T0 in its own home (history up to T0 only), rank its files,
// and score the ranking against the files fix commits touched in the year after T0, next to the classic baselines.
import fs from 'node:fs';
import path from 'node:path';
import { MiraError } from '../../shared/errors';
import { measureGold, scoreRanking, type RankScore } from './eval-gold';

export interface HotspotEval {
  set: string | null;
  repo: string;
  t0: string;
  files: number;
  defect_files: number;
  mira: RankScore;
  baselines: Record<string, RankScore>;
  best_baseline: { name: string; auc: number };
  /** Mira's AUC minus the best baseline's. */
  delta_auc: number;
  model: { source: string; lambda: number | null; cuts: number } | null;
  top: { path: string; score: number; defect: boolean; reasons: string[] }[];
  index_ms: number;
}

export function readSetT0(setDir: string): string {
  const f = path.join(setDir, 'meta.json');
  if (!fs.existsSync(f)) throw new MiraError('not_found', `${f} does not exist`, 'pass --set with a folder that has meta.json (t0), or --t0 SHA');
  const meta = JSON.parse(fs.readFileSync(f, 'utf8')) as { t0?: string };
  if (!meta.t0) throw new MiraError('bad_request', `${f} has no t0`, 'add "t0": "<commit>" to meta.json, or pass --t0 SHA');
  return meta.t0;
}

/** Merges P@10 and P@20 (and recall) into one score object. */
function both(s: Map<string, number>, gold: Map<string, number>, files: string[]): RankScore {
  const a = scoreRanking(s, gold, files, 10);
  const b = scoreRanking(s, gold, files, 20);
  return { auc: a.auc, 'p@10': a['p@10']!, 'recall@10': a['recall@10']!, 'p@20': b['p@20']!, 'recall@20': b['recall@20']! };
}

export async function runHotspotEval(opts: { repo: string; t0?: string; setDir?: string; workDir: string; onProgress?: (msg: string) => void }): Promise<HotspotEval> {
  const { createMira } = await import('../app');
  const { loadConfig } = await import('../config');
  const { checkoutAt } = await import('../eval/checkout');
  const { codemapOf, registerCodemapStages } = await import('./service');
  const t0 = opts.t0 ?? (opts.setDir ? readSetT0(opts.setDir) : null);
  if (!t0) throw new MiraError('bad_usage', 'eval hotspots needs --t0 SHA or --set DIR');
  opts.onProgress?.(`checking out ${t0.slice(0, 10)}`);
  const root = checkoutAt(opts.repo, t0, opts.workDir);
  const home = path.join(opts.workDir, 'home');
  // The user's keys and endpoints stay out of an evaluation: it measures the offline defaults.
  const mira = createMira({ config: loadConfig(home, {}), mode: 'cli', project: root });
  try {
    const p = mira.project();
    // Until the code map's stages are registered with the others, add them here.
    if (!p.indexer.fileStages.some((s) => s.name === 'codemap-quality')) registerCodemapStages(p);
    opts.onProgress?.('indexing');
    const started = performance.now();
    await mira.index({ git: true });
    const index_ms = Math.round(performance.now() - started);
    const cm = codemapOf(p);
    // The ranking as stored at the end of the index, with the model calibrated on history before T0.
    const ranked = cm.hotspots.top({ k: 100_000 });
    opts.onProgress?.('scoring');
    const g = measureGold(opts.repo, t0);
    const mira_ = new Map(ranked.map((r) => [r.path, r.score]));
    const baselines = Object.fromEntries(Object.entries(g.baselines).map(([k, v]) => [k, both(v, g.gold, g.files)]));
    const best = Object.entries(baselines).sort((a, b) => b[1].auc - a[1].auc)[0]!;
    const m = both(mira_, g.gold, g.files);
    const model = cm.hotspots.model();
    return {
      set: opts.setDir ? path.basename(path.resolve(opts.setDir)) : null,
      repo: opts.repo,
      t0,
      files: g.files.length,
      defect_files: g.gold.size,
      mira: m,
      baselines,
      best_baseline: { name: best[0], auc: best[1].auc },
      delta_auc: Math.round((m.auc - best[1].auc) * 1000) / 1000,
      model: model ? { source: model.model.source, lambda: model.report.lambda, cuts: model.report.cuts.length } : null,
      top: ranked.slice(0, 10).map((r) => ({ path: r.path, score: r.score, defect: g.gold.has(r.path), reasons: r.reasons })),
      index_ms,
    };
  } finally {
    mira.close();
  }
}
