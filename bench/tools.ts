// Benchmark of tool synthesis: detection on a ~10k-commit repository (cold, then incremental), and tool runs in the sandbox (p50/p95).
// usage: npx tsx bench/tools.ts GIT_DIR [RUNS]   (GIT_DIR: a ~10k-commit repository's git dir, e.g. a mirror of sveltejs/svelte)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../src/main/db/open';
import { ProjectsRepo } from '../src/main/db/projects';
import { ToolsService } from '../src/main/tools/service';

const gitDir = process.argv[2] ?? process.env.MIRA_BENCH_REPO ?? '';
const runs = Number(process.argv[3] ?? 30);
const BACK = 50;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** 'owner/name' for a mirror laid out as .../owner+name/repo, else the folder name. */
function repoLabel(dir: string): string {
  const parts = path.resolve(dir).split(path.sep).filter((x) => x && x !== 'repo' && x !== '.git');
  const last = parts[parts.length - 1] ?? dir;
  return last.replace('+', '/');
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
}

async function main(): Promise<void> {
  if (!gitDir || !fs.existsSync(gitDir)) throw new Error(`usage: npx tsx bench/tools.ts GIT_DIR [RUNS] (${gitDir || 'no git dir given'}): fetch a large repository first (sveltejs/svelte has ~11k commits)`);
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mira-bench-tools-')));
  const work = path.join(tmp, 'repo');
  try {
    // a work tree sharing the mirror's objects; it starts BACK commits behind so the second detection has new commits
    git(tmp, 'clone', '-q', '--shared', '--no-checkout', gitDir, work);
    const head = git(work, 'rev-parse', 'HEAD').trim();
    const commits = Number(git(work, 'rev-list', '--count', head).trim());
    const back = git(work, 'rev-list', '--first-parent', '-n', '1', `${head}~${BACK}`).trim();
    git(work, 'checkout', '-q', '--detach', back);
    const { db } = openDb(path.join(tmp, 'mira.db'), { migrationsDir: path.resolve(import.meta.dirname, '../migrations') });
    const project = new ProjectsRepo(db).ensure(work);
    const svc = new ToolsService(db, project.id, work);

    let t = performance.now();
    const cold = await svc.detect();
    const coldMs = performance.now() - t;
    console.error(`cold detection: ${Math.round(coldMs)} ms, ${cold.commits.mined} commits with additions, ${cold.results.length} validated tools`);

    t = performance.now();
    await svc.detect();
    const sameMs = performance.now() - t;
    console.error(`detection again, no new commit: ${Math.round(sameMs)} ms`);

    git(work, 'checkout', '-q', '--detach', head);
    t = performance.now();
    const incr = await svc.detect();
    const incrMs = performance.now() - t;
    const events = incr.results.reduce<Record<string, number>>((a, r) => ((a[r.event] = (a[r.event] ?? 0) + 1), a), {});
    console.error(`incremental detection (${incr.commits.new} new commits with additions): ${Math.round(incrMs)} ms ${JSON.stringify(events)}`);

    // tool runs: the best-supported validated tool, fresh names, timed end to end (scratch copy, node sandbox, diff)
    const tool = incr.results[0];
    if (!tool) throw new Error('no validated tool to run');
    const durations: number[] = [];
    const sandbox: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t1 = performance.now();
      const r = await svc.run(tool.name, { name: `bench-name-${i}` });
      durations.push(performance.now() - t1);
      sandbox.push(svc.store.execution(r.execution_id)!.duration_ms ?? 0);
    }
    console.error(`tool ${tool.name}: p50 ${pct(durations, 50)} ms, p95 ${pct(durations, 95)} ms over ${runs} runs`);

    const result = {
      // the repository by name only: its local path is nobody's business in a results file
      repo: repoLabel(gitDir),
      commits_total: commits,
      machine: { cpus: os.cpus().length, loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100), node: process.version },
      detection: {
        cold_ms: Math.round(coldMs),
        commits_with_additions: cold.commits.mined,
        shapes: cold.patterns.files,
        validated_tools: cold.results.length,
        again_no_new_commits_ms: Math.round(sameMs),
        incremental_ms: Math.round(incrMs),
        incremental_new_commits: incr.commits.new,
        incremental_events: events,
        goal_cold_ms: 30_000,
      },
      run: { tool: tool.name, runs, p50_ms: pct(durations, 50), p95_ms: pct(durations, 95), sandbox_p50_ms: pct(sandbox, 50), sandbox_p95_ms: pct(sandbox, 95), goal_p95_ms: 1000 },
      at: new Date().toISOString(),
    };
    db.close();
    const out = path.resolve(import.meta.dirname, 'results/tools.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
    console.log(JSON.stringify(result));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
