// Code-intelligence benchmark on a real repository: cold index vs `ctags -R` + `git log --numstat`, re-index after one
// changed file, search latency in process, call-graph query latency, peak RSS.
// Usage: npx tsx bench/code.ts --repo DIR [--name NAME] [--git] [--queries N] [--edits N]
// Writes bench/results/code-<name>.json. The repository is copied to a temporary folder first (edits never touch it).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMira, type Mira } from '../src/main/app';
import { loadConfig } from '../src/main/config';
import { codeIndexOf } from '../src/main/code/stages';
import { PARSED_LANGUAGES } from '../src/main/code/parse';

interface Options {
  repo: string;
  name: string;
  git: boolean;
  queries: number;
  edits: number;
}

function parseArgs(argv: string[]): Options {
  let repo = '';
  let name = '';
  let git = false;
  let queries = 200;
  let edits = 5;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--repo') repo = path.resolve(argv[++i]!);
    else if (a === '--name') name = argv[++i]!;
    else if (a === '--git') git = true;
    else if (a === '--queries') queries = Number(argv[++i]);
    else if (a === '--edits') edits = Number(argv[++i]);
  }
  if (!repo || !fs.existsSync(repo)) {
    console.error('usage: npx tsx bench/code.ts --repo DIR [--name NAME] [--git] [--queries N] [--edits N]');
    process.exit(2);
  }
  return { repo, name: name || path.basename(repo), git, queries, edits };
}

function timeCommand(cmd: string, args: string[], cwd: string): number | null {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 30 });
  if (r.error) return null;
  return Math.round(performance.now() - t);
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! * 100) / 100;
}

/** Deterministic sample (the same queries on every run of the same repository). */
function sample<T>(items: T[], n: number, seed = 42): T[] {
  const out: T[] = [];
  let s = seed;
  const pool = [...items];
  while (out.length < n && pool.length) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out.push(pool.splice(s % pool.length, 1)[0]!);
  }
  return out;
}

/** A new definition appended to a file, in its language (the edit adds a symbol, as real edits often do). */
function editFor(language: string, n: number): string {
  switch (language) {
    case 'python':
      return `def mira_bench_edit_${n}():\n    return ${n}`;
    case 'rust':
      return `pub fn mira_bench_edit_${n}() -> u32 {\n    ${n}\n}`;
    case 'go':
      return `func miraBenchEdit${n}() int {\n\treturn ${n}\n}`;
    case 'java':
    case 'c':
    case 'cpp':
      return `// mira bench edit ${n}`;
    default:
      return `export function miraBenchEdit${n}() {\n  return ${n};\n}`;
  }
}

/** Wraps every registered index stage with a timer (the code stages and the other capabilities' alike). */
function timeStages(mira: Mira): { take(): Record<string, number> } {
  const p = mira.project();
  let acc: Record<string, number> = {};
  const add = (k: string, t: number) => (acc[k] = Math.round(((acc[k] ?? 0) + performance.now() - t) * 10) / 10);
  for (const s of p.indexer.fileStages) {
    const write = s.write.bind(s);
    s.write = (c, f, d) => {
      const t = performance.now();
      try {
        write(c, f, d);
      } finally {
        add(`${s.name}:write`, t);
      }
    };
    if (s.analyze) {
      const analyze = s.analyze.bind(s);
      s.analyze = async (f, c) => {
        const t = performance.now();
        try {
          return await analyze(f, c);
        } finally {
          add(`${s.name}:analyze`, t);
        }
      };
    }
  }
  for (const s of p.indexer.projectStages) {
    const run = s.run.bind(s);
    s.run = async (c, sm) => {
      const t = performance.now();
      try {
        await run(c, sm);
      } finally {
        add(s.name, t);
      }
    };
  }
  return {
    take() {
      const r = acc;
      acc = {};
      return r;
    },
  };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mira-bench-code-'));
  const tree = path.join(work, o.name);
  // A private copy: the edits below never touch the caller's tree (git history comes along when --git).
  fs.cpSync(o.repo, tree, { recursive: true, filter: (src) => o.git || path.basename(src) !== '.git' });
  const home = path.join(work, 'home');
  const load = os.loadavg();

  // Baselines on the same tree.
  const ctagsMs = timeCommand('ctags', ['-R', '-f', path.join(work, 'tags'), '.'], tree);
  const hasGit = fs.existsSync(path.join(tree, '.git'));
  // History is read where it lives (read-only), whether or not the copy took it along.
  const gitLogMs = fs.existsSync(path.join(o.repo, '.git')) ? timeCommand('git', ['log', '--numstat'], o.repo) : null;

  const mira: Mira = createMira({ config: loadConfig(home, {}), mode: 'cli', project: tree });
  const code = codeIndexOf(mira.project());
  const stageMs = timeStages(mira);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  try {
    // Cold index.
    let t = performance.now();
    const cold = await mira.index({ git: o.git && hasGit });
    const coldMs = Math.round(performance.now() - t);
    const coldStages = { ...code.lastRun };
    const rssAfterCold = peakRss;

    const coldStageMs = stageMs.take();

    // No-op re-index (nothing changed: the stat shortcut).
    code.resetRunStats();
    t = performance.now();
    await mira.index({ git: false });
    const noopMs = Math.round(performance.now() - t);
    const noopStageMs = stageMs.take();

    // Re-index after one file changes: a parsed file of median size gets a new function appended, then reverted.
    const pid = mira.project().id;
    const candidates = (mira.db.prepare('SELECT path, size, language FROM files WHERE project_id = ? AND skip_reason IS NULL ORDER BY size').all(pid) as { path: string; size: number; language: string | null }[]).filter(
      (f) => f.language && PARSED_LANGUAGES.has(f.language) && !/test/i.test(f.path),
    );
    const editTimes: number[] = [];
    const editStages: unknown[] = [];
    const picks = sample(candidates.slice(Math.floor(candidates.length * 0.3), Math.floor(candidates.length * 0.8)), o.edits);
    for (const f of picks) {
      const abs = path.join(tree, f.path);
      const before = fs.readFileSync(abs, 'utf8');
      fs.writeFileSync(abs, `${before}\n${editFor(f.language!, editTimes.length)}\n`);
      code.resetRunStats();
      t = performance.now();
      const r = await mira.index({ git: false });
      const ms = performance.now() - t;
      editTimes.push(ms);
      const stages = stageMs.take();
      const staged = Object.values(stages).reduce((a, b) => a + b, 0);
      const codeMs = Object.entries(stages).filter(([k]) => k.startsWith('code')).reduce((a, [, v]) => a + v, 0);
      editStages.push({ path: f.path, changed: r.changed_files, total_ms: Math.round(ms), code_stages_ms: Math.round(codeMs), walk_and_other_ms: Math.round(ms - staged), stage_ms: stages, ...code.lastRun });
      fs.writeFileSync(abs, before);
      await mira.index({ git: false });
    }
    editTimes.sort((a, b) => a - b);

    // Search latency in process: names of real symbols, their words, and a few phrases.
    const names = (mira.db.prepare("SELECT DISTINCT name FROM code_elements WHERE project_id = ? AND length(name) > 3 AND kind IN ('function', 'method', 'class', 'struct', 'interface', 'trait')").all(pid) as { name: string }[]).map((r) => r.name);
    const phrases = sample(names, Math.floor(o.queries / 2), 7).map((n) => n.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase());
    const queries = [...sample(names, Math.ceil(o.queries / 2), 11), ...phrases, 'parse config file', 'read file', 'error handling', 'http request', 'database query'].slice(0, o.queries + 5);
    const client = mira.client();
    for (const q of queries.slice(0, 10)) await client.call('code/search', { query: q, k: 10 });
    const searchTimes: number[] = [];
    const tookTimes: number[] = [];
    let hits = 0;
    for (const q of queries) {
      t = performance.now();
      const r = await client.call('code/search', { query: q, k: 10 });
      searchTimes.push(performance.now() - t);
      tookTimes.push(r.took_ms);
      if (r.results.length) hits++;
    }
    searchTimes.sort((a, b) => a - b);
    tookTimes.sort((a, b) => a - b);

    // Call-graph queries.
    const graphTimes: number[] = [];
    for (const n of sample(names, 50, 3)) {
      t = performance.now();
      await client.call('code/callers', { symbol: n });
      await client.call('code/impact', { symbol: n, depth: 3 });
      graphTimes.push((performance.now() - t) / 2);
    }
    graphTimes.sort((a, b) => a - b);

    const baseline = (ctagsMs ?? 0) + (gitLogMs ?? 0);
    const result = {
      repo: o.name,
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, load_avg_at_start: load.map((l) => Math.round(l * 100) / 100), node: process.version },
      files: cold.files,
      symbols: cold.symbols,
      calls: cold.calls,
      baseline_ms: { ctags_R: ctagsMs, git_log_numstat: gitLogMs, total: baseline },
      cold_index_ms: coldMs,
      cold_vs_baseline: baseline ? Math.round((coldMs / baseline) * 10) / 10 : null,
      cold_git: o.git && hasGit,
      cold_code_stages: coldStages,
      noop_reindex_ms: noopMs,
      one_file_reindex_ms: {
        p50: percentile(editTimes, 0.5),
        max: Math.round(editTimes[editTimes.length - 1] ?? 0),
        runs: editTimes.length,
        code_stages_p50: percentile((editStages as { code_stages_ms: number }[]).map((e) => e.code_stages_ms).sort((a, b) => a - b), 0.5),
      },
      cold_stage_ms: coldStageMs,
      noop_stage_ms: noopStageMs,
      one_file_reindex_stages: editStages,
      search_ms: { queries: queries.length, with_results: hits, p50: percentile(searchTimes, 0.5), p95: percentile(searchTimes, 0.95), max: percentile(searchTimes, 1), took_ms_p95: percentile(tookTimes, 0.95) },
      callers_impact_ms: { p50: percentile(graphTimes, 0.5), p95: percentile(graphTimes, 0.95) },
      peak_rss_mb: Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1e6),
      rss_after_cold_mb: Math.round(rssAfterCold / 1e6),
      db_mb: Math.round((fs.statSync(path.join(home, 'mira.db')).size / 1e6) * 10) / 10,
      goals: {
        cold_within_10x_baseline: baseline ? coldMs <= baseline * 10 : null,
        one_file_reindex_under_200ms: percentile(editTimes, 0.5) <= 200,
        search_p95_under_50ms: percentile(searchTimes, 0.95) <= 50,
        peak_rss_under_1gb: Math.max(peakRss, process.resourceUsage().maxRSS * 1024) < 1e9,
      },
    };
    const out = path.join(import.meta.dirname, 'results', `code-${o.name}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
    const { one_file_reindex_stages: _s, cold_code_stages: _c, ...summary } = result;
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    clearInterval(sampler);
    await code.close();
    mira.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
