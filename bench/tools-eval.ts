// Tool-synthesis quality on the evaluation sets (what `mira eval tools` measures), averaged over the sets and compared with the copy baselines.
// usage: npx tsx bench/tools-eval.ts SET_DIR=GIT_DIR ...
//   e.g. ../shared/eval/expressjs+express=PATH/TO/expressjs+express.git (fetch the repositories first)
import fs from 'node:fs';
import path from 'node:path';
import { evalToolSet, type EvalResult } from '../src/main/tools/eval';

type Metric = 'created_exact' | 'path_f1' | 'line_f1';

function mean(xs: number[]): number | null {
  return xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10000) / 10000 : null;
}

async function main(): Promise<void> {
  if (!process.argv.slice(2).length) throw new Error('usage: npx tsx bench/tools-eval.ts SET_DIR=GIT_DIR ...');
  const pairs = process.argv.slice(2).map((p) => {
    const [set, repo] = p.split('=');
    return { set: set!, repo: repo! };
  });
  const results: EvalResult[] = [];
  for (const p of pairs) {
    if (!fs.existsSync(p.repo)) {
      console.error(`skip ${p.set}: ${p.repo} missing (fetch it first)`);
      continue;
    }
    const r = await evalToolSet({ setDir: p.set, repo: { gitDir: p.repo } });
    results.push(r);
    console.error(`${r.set}: ${r.cases} cases, ${r.validated}/${r.tools} validated tools, detection ${r.detect_ms} ms, metrics ${JSON.stringify(r.metrics)}`);
  }
  const withCases = results.filter((r) => r.metrics);
  const avg = (pick: (r: EvalResult) => number | null | undefined) => mean(withCases.map(pick).filter((x): x is number => typeof x === 'number'));
  const metric = (k: Metric) => avg((r) => r.metrics?.[k]);
  const base = (b: 'copy_last' | 'copy_template', k: Metric) => avg((r) => r.baselines?.[b]?.[k]);
  const summary = {
    sets: results.map((r) => ({ set: r.set, cases: r.cases, tools: r.tools, validated: r.validated, metrics: r.metrics, baselines: r.baselines, detect_ms: r.detect_ms })),
    average: {
      validated_tools: mean(results.map((r) => r.validated)),
      mira: { created_exact: metric('created_exact'), path_f1: metric('path_f1'), line_f1: metric('line_f1') },
      copy_last: { created_exact: base('copy_last', 'created_exact'), path_f1: base('copy_last', 'path_f1'), line_f1: base('copy_last', 'line_f1') },
      copy_template: { created_exact: base('copy_template', 'created_exact'), path_f1: base('copy_template', 'path_f1'), line_f1: base('copy_template', 'line_f1') },
    },
    goals: {} as Record<string, boolean | null>,
    at: new Date().toISOString(),
  };
  const a = summary.average;
  const better = Math.max(a.copy_last.path_f1 ?? 0, a.copy_template.path_f1 ?? 0);
  summary.goals = {
    validated_tools_ge_3_each: results.every((r) => r.validated >= 3),
    created_exact_ge_095: a.mira.created_exact === null ? null : a.mira.created_exact >= 0.95,
    path_f1_ge_better_baseline_plus_002: a.mira.path_f1 === null ? null : a.mira.path_f1 >= better + 0.02,
    line_f1_ge_1_2x_copy_last: a.mira.line_f1 === null || a.copy_last.line_f1 === null ? null : a.mira.line_f1 >= 1.2 * a.copy_last.line_f1,
  };
  const out = path.resolve(import.meta.dirname, 'results/tools-eval.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(summary, null, 2) + '\n');
  console.log(JSON.stringify(summary));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
