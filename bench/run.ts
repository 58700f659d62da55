// `npm run bench`: every benchmark on real repositories given on the command line; results in bench/results/*.json.
//
// usage: npm run bench -- --small GIT_DIR --medium GIT_DIR --large GIT_DIR [--history GIT_DIR] [--only NAME,...]
//   Repositories come from the tool library's `fetch` (a bare mirror works); nothing of theirs is committed.
//   small/medium/large: about 200, 500 and 9,000 files (e.g. expressjs/express, colinhacks/zod, sveltejs/svelte);
//   history: about 10k commits for ingest (e.g. tmux/tmux; default: large).
//   --scale GIT_DIR,GIT_DIR,...: repositories of growing size for bench/scale-real.ts (e.g. about 1k, 10k and 50k files).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const repos = { small: opt('small'), medium: opt('medium'), large: opt('large'), history: opt('history') ?? opt('large') };
const only = opt('only')?.split(',');
const scale = opt('scale')?.split(',').filter(Boolean) ?? [];
if (!repos.small && !repos.medium && !repos.large && !scale.length) {
  console.error('usage: npm run bench -- --small GIT_DIR --medium GIT_DIR --large GIT_DIR [--history GIT_DIR] [--scale GIT_DIR,...] [--only code,locate,git,tools,vectors,codemap,scale]');
  process.exit(2);
}

/** A work tree at HEAD of a (possibly bare) repository, for the benches that read files. */
function workTree(gitDir: string): string {
  const dir = path.join(os.tmpdir(), 'mira-bench-trees', path.basename(path.dirname(path.resolve(gitDir))));
  if (!fs.existsSync(path.join(dir, '.git'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    execFileSync('git', ['clone', '--quiet', '--shared', path.resolve(gitDir), dir]);
  }
  return dir;
}

const runs: { name: string; argv: string[] }[] = [];
for (const size of ['small', 'medium', 'large'] as const) {
  const r = repos[size];
  if (r) runs.push({ name: 'code', argv: ['bench/code.ts', '--repo', workTree(r), '--name', size, '--git'] });
}
if (repos.large) runs.push({ name: 'locate', argv: ['bench/locate.ts', repos.large] });
if (repos.history) runs.push({ name: 'git', argv: ['bench/git.ts', '--repo', repos.history] });
if (repos.large) runs.push({ name: 'tools', argv: ['bench/tools.ts', repos.large] });
runs.push({ name: 'vectors', argv: ['bench/vectors.ts'] });
if (repos.large && fs.existsSync(path.join(import.meta.dirname, 'codemap.ts'))) runs.push({ name: 'codemap', argv: ['bench/codemap.ts', '--repo', repos.large] });
if (scale.length) runs.push({ name: 'scale', argv: ['bench/scale-real.ts', ...scale.flatMap((r) => ['--repo', r])] });

let failed = 0;
for (const r of runs) {
  if (only && !only.includes(r.name)) continue;
  console.error(`== ${r.name}: ${r.argv.join(' ')}`);
  const res = spawnSync(process.execPath, ['--import', 'tsx', ...r.argv], { stdio: 'inherit', cwd: path.join(import.meta.dirname, '..') });
  if (res.status !== 0) {
    failed++;
    console.error(`== ${r.name} failed (exit ${res.status})`);
  }
}
console.error(`results: ${path.join(import.meta.dirname, 'results')}`);
process.exit(failed ? 1 : 0);
