// Benchmarks `mira locate` in process on a real repository: index it, then time the oracle on its own commit messages.
//
// usage: npx tsx bench/locate.ts GIT_DIR [--queries N] [--work DIR]
//   GIT_DIR: a repository (a bare mirror works; fetch one with the library's `fetch`). Never committed.
// Writes bench/results/locate-<name>.json with cold index time, locate p50/p95 and peak RSS.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createMira } from '../src/main/app';
import { loadConfig } from '../src/main/config';
import { checkoutAt, evalWorkDir } from '../src/main/eval/checkout';
import { locate } from '../src/main/oracle/service';
import { historyQueries } from '../src/main/oracle/calibrate';

const args = process.argv.slice(2);
const gitDir = args.find((a) => !a.startsWith('--'));
if (!gitDir) {
  console.error('usage: npx tsx bench/locate.ts GIT_DIR [--queries N] [--work DIR]');
  process.exit(2);
}
const opt = (name: string, d: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : d;
};
const n = Number(opt('--queries', '100'));
const work = evalWorkDir(opt('--work', path.join(process.env.TMPDIR ?? '/tmp', 'mira-bench')));
const head = execFileSync('git', ['--git-dir', gitDir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
const root = checkoutAt(gitDir, head, work);
const name = path.basename(path.dirname(path.resolve(gitDir))).replace(/[^\w+.-]/g, '_');
const home = path.join(work, `home-locate-${name}`);
fs.rmSync(home, { recursive: true, force: true });

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
const mira = createMira({ config: loadConfig(home, {}), mode: 'cli', project: root });
const t0 = performance.now();
const idx = await mira.index({ git: true });
const coldMs = performance.now() - t0;
const p = mira.project();
const live = new Set((mira.db.prepare('SELECT path FROM files WHERE project_id = ? AND skip_reason IS NULL').all(p.id) as { path: string }[]).map((r) => r.path));
const queries = historyQueries(mira.db, p.id, live, n).map((q) => q.query);
locate(p, 'warm up', { k: 10 });
const times: number[] = [];
for (const q of queries) {
  const a = performance.now();
  locate(p, q, { k: 10 });
  times.push(performance.now() - a);
}
clearInterval(sampler);
times.sort((a, b) => a - b);
const pct = (x: number) => Math.round((times[Math.min(times.length - 1, Math.floor(x * times.length))] ?? 0) * 100) / 100;
const result = {
  repo: name,
  files: idx.files,
  symbols: idx.symbols,
  commits: idx.commits,
  cold_index_ms: Math.round(coldMs),
  queries: times.length,
  locate_p50_ms: pct(0.5),
  locate_p95_ms: pct(0.95),
  locate_max_ms: pct(0.999),
  peak_rss_mb: Math.round(peak / 1048576),
  goal: { locate_p95_ms: 150 },
  at: new Date().toISOString(),
};
mira.close();
fs.mkdirSync(path.join(import.meta.dirname, 'results'), { recursive: true });
fs.writeFileSync(path.join(import.meta.dirname, 'results', `locate-${name}.json`), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result));
