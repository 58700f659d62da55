// Fits the hotspot model's prior on public repositories and checks it: each repository is indexed at a cut-off T0
// (history before T0 only, as `mira eval hotspots` does), its past gives labelled cuts (files fixed after earlier
// cut-offs) and its year after T0 the evaluation's gold. The prior is fitted on every repository but the dev sets
// (express, ripgrep, zod); `--loro` refits it without each repository in turn to report honest, held-out figures.
// usage: npx tsx bench/codemap-fit.ts [--loro] [--lambda L] [--cuts t0|past|all] [--work DIR] NAME=GIT_DIR[@T0] ...
//        (no T0: the last first-parent commit a year before HEAD)
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runHotspotEval } from '../src/main/codemap/eval';
import { measureGold, scoreRanking } from '../src/main/codemap/eval-gold';
import { YEAR, type FileFacts } from '../src/main/codemap/features';
import { buildHistories, type Histories } from '../src/main/codemap/history';
import { loadCommits, loadFacts } from '../src/main/codemap/hotspots';
import { fitScale, fitWeights, INPUTS, linear, type Cut, type HotspotModel } from '../src/main/codemap/model';
import { calibrateModel, historyCuts, inputsAt, rankFiles } from '../src/main/codemap/rank';

interface Repo {
  name: string;
  gitDir: string;
  t0: string;
  now: number;
  h: Histories;
  facts: Map<string, FileFacts>;
  files: string[];
  gold: Map<string, number>;
  best: number;
  baselines: Record<string, number>;
  /** Labelled cuts for fitting: the past, plus T0 with the gold (used for other repositories' priors only). */
  past: Cut[];
  t0cut: Cut | null;
}

const args = process.argv.slice(2);
const loro = args.includes('--loro');
const lambda = args.includes('--lambda') ? Number(args[args.indexOf('--lambda') + 1]) : 0.01;
const work = args.includes('--work') ? args[args.indexOf('--work') + 1]! : '/tmp/mira-codemap-fit';
const specs = args.filter((a) => a.includes('=') && !a.startsWith('--'));
const DEV = /^(express|ripgrep|zod)$/;
const git = (d: string, a: string[]) => execFileSync('git', ['--git-dir', d, ...a], { encoding: 'utf8', maxBuffer: 1 << 30 }).trim();

async function load(spec: string): Promise<Repo | null> {
  const [name, rest] = spec.split('=') as [string, string];
  const [gitDir, t0arg] = rest.split('@') as [string, string | undefined];
  let t0 = t0arg;
  if (!t0) {
    const head = Number(git(gitDir, ['log', '-1', '--format=%ct', 'HEAD']));
    t0 = git(gitDir, ['rev-list', '-1', '--first-parent', `--before=${head - YEAR}`, 'HEAD']);
    if (!t0) return null;
  }
  const dir = path.join(work, name);
  const r = await runHotspotEval({ repo: gitDir, t0, workDir: dir });
  const db = new Database(path.join(dir, 'home', 'mira.db'), { readonly: true });
  try {
    const project = (db.prepare('SELECT id FROM projects ORDER BY id DESC LIMIT 1').get() as { id: number }).id;
    const facts = loadFacts(db, project);
    const h = buildHistories(loadCommits(db, project), facts.keys());
    const now = h.last ?? 0;
    const g = measureGold(gitDir, t0);
    const { paths, z } = inputsAt(h, facts, now);
    const y = paths.map((p) => g.gold.has(p));
    const t0cut = y.some(Boolean) && y.some((v) => !v) ? { z, y } : null;
    return {
      name, gitDir, t0, now, h, facts, files: g.files, gold: g.gold, best: r.best_baseline.auc,
      baselines: Object.fromEntries(Object.entries(r.baselines).map(([k, v]) => [k, v.auc])),
      past: historyCuts(h, facts, now).map((c) => c.cut), t0cut,
    };
  } finally {
    db.close();
  }
}

/**
 * By default the prior learns from each repository's T0 cut only: there the structure (fan-out, hardest function, test
 * reach) is measured, not carried back from today as it is for past cuts, and mixing those in blurs what it says.
 */
const cutsArg = args.includes('--cuts') ? args[args.indexOf('--cuts') + 1]! : 't0';

function fitPrior(repos: Repo[]): HotspotModel {
  const cuts = repos.flatMap((r) => [...(r.t0cut && cutsArg !== 'past' ? [r.t0cut] : []), ...(cutsArg === 't0' ? [] : r.past)]);
  const weights = fitWeights(cuts, new Array(INPUTS.length).fill(0), { lambda, iterations: 400 });
  const scores: number[] = [];
  const labels: boolean[] = [];
  for (const c of cuts) c.z.forEach((z, i) => (scores.push(linear(z, weights)), labels.push(c.y[i]!)));
  const { a, b } = fitScale(scores, labels);
  return { weights, a, b, source: 'prior' };
}

const repos: Repo[] = [];
for (const s of specs) {
  process.stderr.write(`indexing ${s.split('=')[0]}…\n`);
  const r = await load(s);
  if (r) repos.push(r);
}
const train = repos.filter((r) => !DEV.test(r.name));
const prior = fitPrior(train);
const round = (v: number) => Math.round(v * 1000) / 1000;
console.log('prior (all but the dev sets):', JSON.stringify(Object.fromEntries(INPUTS.map((k, i) => [k, round(prior.weights[i]!)]))));
console.log(`weights: [${prior.weights.map(round).join(', ')}], a: ${round(prior.a)}, b: ${round(prior.b)}`);

const rows: Record<string, unknown>[] = [];
for (const r of repos) {
  // The dev sets never train the prior; with --loro no repository trains its own.
  const p = loro && !DEV.test(r.name) ? fitPrior(train.filter((o) => o !== r)) : prior;
  const { model, report } = calibrateModel(r.h, r.facts, r.now, p);
  const score = (m: HotspotModel) => scoreRanking(new Map(rankFiles(r.h, r.facts, r.now, m).map((x) => [x.path, x.score])), r.gold, r.files, 10);
  const m = score(model);
  rows.push({ repo: r.name, files: r.files.length, gold: r.gold.size, mira: m.auc, prior_only: score(p).auc, best: r.best, delta: round(m.auc - r.best), 'p@10': m['p@10'], weights: report.source, ...r.baselines });
}
console.table(rows);
const mean = (k: string, f: (r: Record<string, unknown>) => boolean = () => true) => {
  const rs = rows.filter(f);
  return round(rs.reduce((a, r) => a + (r[k] as number), 0) / Math.max(1, rs.length));
};
const dev = (r: Record<string, unknown>) => DEV.test(r.repo as string);
const wins = (f: (r: Record<string, unknown>) => boolean) => `${rows.filter((r) => f(r) && (r.delta as number) >= 0.03).length}/${rows.filter(f).length}`;
console.log(
  `dev mean auc ${mean('mira', dev)} (best baselines ${mean('best', dev)}), wins (+0.03) ${wins(dev)}; others mean auc ${mean('mira', (r) => !dev(r))} delta ${mean('delta', (r) => !dev(r))}, wins (+0.03) ${wins((r) => !dev(r))}${loro ? ' (held out)' : ''}`,
);
