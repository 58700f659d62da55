// How cost grows on real repositories: cold index (history included), no-change re-index and query latency, on
// repositories of growing size. The synthetic counterpart is bench/scale.ts.
//
// usage: npx tsx bench/scale-real.ts --repo GIT_DIR [--repo GIT_DIR ...] [--queries N] [--timeout-min M] [--work DIR]
//                                    [--no-git] [--cpu-prof] [--keep] [--out NAME]
//        npx tsx bench/scale-real.ts --regrow [--out NAME]   (recompute the growth section of an existing results file)
//   GIT_DIR: a repository (a bare mirror works; fetch one with the library's `fetch`). Never committed.
//   Repositories also come from $MIRA_SCALE_REPOS (colon-separated) when no --repo is given.
//   --queries: queries per kind (default 40). --timeout-min: a cold index still running after M minutes (default 25)
//   is stopped and reported with the stage it was in. --cpu-prof: write a V8 CPU profile of each cold index to the
//   work folder. --out: results file name (default scale-real → bench/results/scale-real.json). --keep: keep each
//   repository's Mira home (its database) in the work folder; by default it is removed once measured. The checkouts
//   stay there and are reused by the next run.
//
// Each repository is checked out at HEAD (a shared clone, so its full history comes along) and measured in three
// separate processes, one after the other, so that each one's peak RSS and CPU time are its own:
//   1. cold `index` with history, in a fresh home: wall time, CPU (user + system, worker threads and git children
//      included, from /usr/bin/time), peak RSS, time and peak RSS per stage, database size on disk;
//   2. a no-change re-index in a new process (what running `mira index` again costs);
//   3. queries in process, p50/p95 over N queries of each kind drawn from the repository itself: its symbol names and
//      their words, its commit subjects and messages, the files with history, its folders.
// Growth exponents between consecutive sizes are log(cost ratio) / log(size ratio): 1 is linear, below 1 sublinear.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SELF = import.meta.filename;
const ROOT = path.join(import.meta.dirname, '..');

// ---------------------------------------------------------------------------------------------------------------
// Shared helpers

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
function pct(xs: number[], p: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return round(s[Math.min(s.length - 1, Math.floor(p * s.length))]!, 2);
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
const dbBytes = (home: string) =>
  fs.existsSync(home) ? fs.readdirSync(home).filter((f) => f.startsWith('mira.db')).reduce((s, f) => s + fs.statSync(path.join(home, f)).size, 0) : 0;

// ---------------------------------------------------------------------------------------------------------------
// Child: one cold or warm index in this process, stage by stage.

async function childIndex(root: string, home: string, git: boolean, out: string, log: string): Promise<void> {
  const { createMira } = await import('../src/main/app');
  const { loadConfig } = await import('../src/main/config');
  const { codeIndexOf } = await import('../src/main/code/stages');
  const t0 = performance.now();
  const logf = fs.openSync(log, 'a');
  const note = (o: Record<string, unknown>) => fs.writeSync(logf, JSON.stringify({ t_ms: Math.round(performance.now() - t0), rss_mb: Math.round(process.memoryUsage().rss / 1048576), ...o }) + '\n');

  // Per-stage wall time and memory. Most project stages are synchronous (better-sqlite3), so no timer runs inside them:
  // the process's peak RSS so far (getrusage) is read as each phase ends, and the phase where it rises is the one
  // that set it. A 50 ms sampler still catches the peaks of the asynchronous phases (walk+files, git).
  const stageMs: Record<string, number> = {};
  // The V8 heap's size and use tell live data from garbage not yet collected, and both from memory outside the heap
  // (SQLite, tree-sitter's WASM, worker threads).
  const timeline: { phase: string; ms: number; rss_end_mb: number; peak_so_far_mb: number; heap_used_mb: number; heap_total_mb: number }[] = [];
  let phaseStart = performance.now();
  const endPhase = (phase: string) => {
    const m = process.memoryUsage();
    const mb = (x: number) => Math.round(x / 1048576);
    timeline.push({ phase, ms: round(performance.now() - phaseStart), rss_end_mb: mb(m.rss), peak_so_far_mb: Math.round(process.resourceUsage().maxRSS / 1024), heap_used_mb: mb(m.heapUsed), heap_total_mb: mb(m.heapTotal) });
    phaseStart = performance.now();
  };
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const mira = createMira({ config: loadConfig(home, {}), mode: 'cli', project: root });
  const p = mira.project();
  const code = codeIndexOf(p);
  const add = (k: string, t: number) => (stageMs[k] = round((stageMs[k] ?? 0) + performance.now() - t));
  for (const s of p.indexer.fileStages) {
    const write = s.write.bind(s);
    s.write = (c, f, d) => {
      const t = performance.now();
      try {
        write(c, f, d);
      } finally {
        add(`file:${s.name}:write`, t);
      }
    };
    if (s.analyze) {
      const analyze = s.analyze.bind(s);
      s.analyze = async (f, c) => {
        const t = performance.now();
        try {
          return await analyze(f, c);
        } finally {
          add(`file:${s.name}:analyze`, t);
        }
      };
    }
  }
  for (const s of p.indexer.projectStages) {
    const run = s.run.bind(s);
    s.run = async (c, sm) => {
      if (!timeline.length) endPhase('walk+files');
      phaseStart = performance.now();
      const t = performance.now();
      note({ stage: s.name, event: 'start' });
      try {
        await run(c, sm);
      } finally {
        add(s.name, t);
        endPhase(s.name);
        note({ stage: s.name, event: 'end', ms: stageMs[s.name] });
      }
    };
  }
  const openMs = round(performance.now() - t0);
  phaseStart = performance.now();
  note({ stage: 'walk+files', event: 'start' });
  let lastFiles = 0;
  const t = performance.now();
  const r = await mira.index({
    git,
    onProgress: (pr) => {
      if (pr.phase === 'files' && pr.done - lastFiles >= 2000) {
        lastFiles = pr.done;
        note({ stage: 'walk+files', done: pr.done, total: pr.total });
      }
    },
  });
  const indexMs = round(performance.now() - t);
  if (!timeline.length) endPhase('walk+files');
  clearInterval(sampler);
  const staged = Object.entries(stageMs).filter(([k]) => !k.startsWith('file:')).reduce((a, [, v]) => a + v, 0);
  const ru = process.resourceUsage();
  const result = {
    result: r,
    open_ms: openMs,
    index_ms: indexMs,
    // The walk, hashing and the per-file stages (analyze in workers, write on the main thread).
    walk_and_files_ms: round(indexMs - staged),
    stage_ms: stageMs,
    timeline,
    peak_rss_sampled_mb: Math.round(peak / 1048576),
    self_max_rss_mb: Math.round(ru.maxRSS / 1024),
    self_cpu_s: round((ru.userCPUTime + ru.systemCPUTime) / 1e6),
    code_last_run: { ...(code.lastRun as object) },
  };
  await code.close();
  mira.close();
  fs.writeFileSync(out, JSON.stringify(result));
  fs.closeSync(logf);
}

// ---------------------------------------------------------------------------------------------------------------
// Child: queries in process against an indexed home.

async function childQuery(root: string, home: string, n: number, out: string): Promise<void> {
  const { createMira } = await import('../src/main/app');
  const { loadConfig } = await import('../src/main/config');
  const { historyQueries } = await import('../src/main/oracle/calibrate');
  const t0 = performance.now();
  const mira = createMira({ config: loadConfig(home, {}), mode: 'cli', project: root });
  const pid = mira.project().id;
  const openMs = round(performance.now() - t0);
  const db = mira.db;
  const live = new Set((db.prepare('SELECT path FROM files WHERE project_id = ? AND skip_reason IS NULL').all(pid) as { path: string }[]).map((r) => r.path));
  const names = (
    db
      .prepare(
        "SELECT DISTINCT name FROM code_elements WHERE project_id = ? AND length(name) > 3 AND kind IN ('function', 'method', 'class', 'struct', 'interface', 'trait', 'type', 'enum') ORDER BY name",
      )
      .all(pid) as { name: string }[]
  ).map((r) => r.name);
  const words = (s: string) => s.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_$]+/g, ' ').trim().toLowerCase();
  const hist = historyQueries(db, pid, live, n);
  const subjects = hist.map((h) => h.query.split('\n')[0]!);
  // Files with history (at least two commits), most changed first, then sampled.
  const changed = (
    db
      .prepare('SELECT path, count(*) AS c FROM git_commit_files WHERE project_id = ? GROUP BY path HAVING c >= 2 ORDER BY c DESC, path LIMIT 5000')
      .all(pid) as { path: string; c: number }[]
  )
    .map((r) => r.path)
    .filter((p) => live.has(p));
  // Folders that hold ranked files (hotspots covers source files only), each folder and its parents.
  const ranked = (db.prepare('SELECT path FROM codemap_hotspots WHERE project_id = ?').all(pid) as { path: string }[]).map((r) => r.path);
  const folders = [
    ...new Set(
      (ranked.length ? ranked : [...live]).flatMap((p) => {
        const parts = p.split('/').slice(0, -1);
        return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
      }),
    ),
  ].sort();

  const third = Math.ceil(n / 3);
  const searchQ = [...sample(names, third, 11), ...sample(names, third, 7).map(words), ...sample(subjects, third, 5)].slice(0, n);
  const nameQ = sample(names, n, 3);
  const fileQ = sample(changed, n, 13);
  // Small repositories have few ranked folders: cycle through them (and the whole project) with k of 5, 10 and 20.
  const folderPool = [undefined, ...sample(folders, n - 1, 17)];
  const folderQ = Array.from({ length: n }, (_, i) => ({ path: folderPool[i % folderPool.length], k: [10, 5, 20][Math.floor(i / folderPool.length) % 3]! }));
  const kinds: { kind: string; method: string; params: unknown[] }[] = [
    { kind: 'search', method: 'code/search', params: searchQ.map((query) => ({ query, k: 10 })) },
    { kind: 'locate', method: 'oracle/locate', params: hist.map((h) => ({ query: h.query, k: 10 })) },
    { kind: 'symbol', method: 'code/symbols', params: nameQ.map((query) => ({ query, limit: 20 })) },
    { kind: 'callers', method: 'code/callers', params: nameQ.map((symbol) => ({ symbol })) },
    { kind: 'cochange', method: 'git/cochange', params: fileQ.map((file) => ({ file, k: 10 })) },
    { kind: 'experts', method: 'git/experts', params: fileQ.map((file) => ({ paths: [file], k: 5 })) },
    { kind: 'fixes', method: 'git/fixes', params: subjects.map((query) => ({ query, k: 10 })) },
    { kind: 'hotspots', method: 'codemap/hotspots', params: folderQ.map((f) => (f.path ? f : { k: f.k })) },
  ];
  const client = mira.client();
  const call = client.call.bind(client) as (m: string, p: unknown) => Promise<{ took_ms?: number; results?: unknown[] }>;
  const queries: Record<string, unknown> = {};
  for (const { kind, method, params } of kinds) {
    if (!params.length) {
      queries[kind] = { n: 0, note: 'no queries could be drawn from this repository' };
      continue;
    }
    // The first call pays for whatever the kind loads lazily; it is reported apart, then three more warm up.
    let a = performance.now();
    let errors = 0;
    try {
      await call(method, params[0]);
    } catch {
      errors++;
    }
    const firstMs = round(performance.now() - a, 2);
    for (const p of params.slice(1, 4)) await call(method, p).catch(() => errors++);
    const wall: number[] = [];
    const took: number[] = [];
    let hits = 0;
    for (const p of params) {
      a = performance.now();
      try {
        const r = await call(method, p);
        wall.push(performance.now() - a);
        if (typeof r.took_ms === 'number') took.push(r.took_ms);
        if (r.results?.length) hits++;
      } catch {
        errors++;
      }
    }
    queries[kind] = { n: wall.length, with_results: hits, errors, first_ms: firstMs, p50: pct(wall, 0.5), p95: pct(wall, 0.95), max: pct(wall, 1), took_ms_p50: pct(took, 0.5) };
  }
  const ru = process.resourceUsage();
  const count = (sql: string) => (db.prepare(sql).get(pid) as { c: number }).c;
  const chunks = count('SELECT count(*) AS c FROM code_chunks WHERE project_id = ?');
  // History's size is its (commit, file) rows more than its commits: wide commits cost more.
  const commitFiles = count('SELECT count(*) AS c FROM git_commit_files WHERE project_id = ?');
  fs.writeFileSync(out, JSON.stringify({ open_ms: openMs, chunks, commit_files: commitFiles, queries, symbols_sampled_from: names.length, history_queries: hist.length, files_with_history: changed.length, self_max_rss_mb: Math.round(ru.maxRSS / 1024) }));
  const { codeIndexOf } = await import('../src/main/code/stages');
  await codeIndexOf(mira.project()).close();
  mira.close();
}

// ---------------------------------------------------------------------------------------------------------------
// Parent: checkout, run the children under /usr/bin/time, collect, compare sizes.

interface Timed {
  ok: boolean;
  code: number | null;
  timedOut: boolean;
  wall_s: number;
  cpu_s: number | null;
  max_rss_mb: number | null;
  stderrTail: string;
}

/** Runs this script as a child under /usr/bin/time (CPU of every thread and child process, peak RSS), with a deadline. */
function runChild(argv: string[], nodeFlags: string[], timeoutMs: number, work: string): Promise<Timed> {
  const tfile = path.join(work, `time-${process.pid}-${Date.now()}.txt`);
  const useTime = fs.existsSync('/usr/bin/time');
  const nodeArgs = [...nodeFlags, '--import', 'tsx', SELF, ...argv];
  const [cmd, args] = useTime ? ['/usr/bin/time', ['-f', '%e %U %S %M', '-o', tfile, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd as string, args as string[], { cwd: ROOT, stdio: ['ignore', 'inherit', 'pipe'], detached: true, env: { ...process.env, OPENAI_API_KEY: '', QDRANT_URL: '' } });
    let stderr = '';
    child.stderr!.on('data', (d) => {
      stderr = (stderr + d.toString()).slice(-4000);
      process.stderr.write(d);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGTERM'); // its own process group: /usr/bin/time, node and any git it started
      } catch {
        /* already gone */
      }
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const wall = (performance.now() - t0) / 1000;
      let cpu: number | null = null;
      let rss: number | null = null;
      if (useTime && fs.existsSync(tfile)) {
        const last = fs.readFileSync(tfile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
        if (last.length === 4 && last.every((x) => Number.isFinite(x))) {
          cpu = round(last[1]! + last[2]!);
          rss = Math.round(last[3]! / 1024);
        }
        fs.rmSync(tfile, { force: true });
      }
      resolve({ ok: code === 0 && !timedOut, code, timedOut, wall_s: round(wall), cpu_s: cpu, max_rss_mb: rss, stderrTail: stderr.slice(-1500) });
    });
  });
}

const gitOut = (gitDir: string, args: string[]) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 }).trim();

async function measureRepo(gitDir: string, o: { queries: number; timeoutMs: number; work: string; git: boolean; cpuProf: boolean; keep: boolean }) {
  const { checkoutAt } = await import('../src/main/eval/checkout');
  const name = path.basename(path.dirname(path.resolve(gitDir))).replace(/[^\w+.-]/g, '_') || path.basename(gitDir);
  const head = gitOut(gitDir, ['rev-parse', 'HEAD']);
  console.error(`== ${name} @ ${head.slice(0, 10)}: checkout`);
  const root = checkoutAt(gitDir, head, o.work);
  const tracked = gitOut(gitDir, ['ls-tree', '-r', '-l', 'HEAD'])
    .split('\n')
    .filter((l) => / blob /.test(l));
  const trackedBytes = tracked.reduce((s, l) => s + (Number(l.split(/\s+/)[3]) || 0), 0);
  const commitsAtHead = Number(gitOut(gitDir, ['rev-list', '--count', 'HEAD']));
  // What git itself takes to read the history the way Mira reads it (context for the per-commit cost). A mirror
  // with missing blobs fails --numstat; Mira then re-reads paths only, and so does this baseline.
  let gitLogMode = 'numstat';
  let t = performance.now();
  const gitLog = (mode: string[]) => execFileSync('git', ['-C', root, 'log', '-z', '--format=%H%x00%an%x00%ae%x00%at%x00%s', '--no-color', ...mode], { stdio: ['ignore', 'ignore', 'ignore'] });
  try {
    gitLog(['--numstat', '-M']);
  } catch {
    gitLogMode = 'name-only (numstat failed: missing objects)';
    t = performance.now();
    gitLog(['--name-only', '--no-renames']);
  }
  const gitLogS = round((performance.now() - t) / 1000);

  const home = path.join(o.work, `home-scale-${name}`);
  fs.rmSync(home, { recursive: true, force: true });
  fs.mkdirSync(home, { recursive: true });
  const out = (k: string) => path.join(o.work, `scale-${name}-${k}.json`);
  const log = path.join(o.work, `scale-${name}-cold.log`);
  fs.rmSync(log, { force: true });
  const load = os.loadavg().map((x) => round(x, 2));

  console.error(`== ${name}: cold index (${tracked.length} files, ${commitsAtHead} commits)`);
  const profDir = path.join(o.work, `cpuprof-${name}`);
  const coldRun = await runChild(['--child', 'index', root, home, o.git ? 'git' : 'no-git', out('cold'), log], o.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [], o.timeoutMs, o.work);
  const progress = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : [];
  const base = {
    repo: name,
    head,
    tracked_files: tracked.length,
    tracked_mb: round(trackedBytes / 1048576),
    commits_at_head: commitsAtHead,
    git_log_s: gitLogS,
    git_log_mode: gitLogMode,
    load_avg_at_start: load,
  };
  if (!coldRun.ok) {
    const last = progress[progress.length - 1];
    return {
      ...base,
      failed: coldRun.timedOut ? `stopped after ${Math.round(o.timeoutMs / 60000)} min` : `exit ${coldRun.code}`,
      in_stage_when_stopped: last?.event === 'end' ? `after ${String(last.stage)}` : last?.stage,
      cold: { wall_s: coldRun.wall_s, cpu_s: coldRun.cpu_s, peak_rss_mb: coldRun.max_rss_mb },
      progress,
      stderr_tail: coldRun.stderrTail,
      cpu_profile_dir: o.cpuProf ? profDir : undefined,
    };
  }
  const cold = JSON.parse(fs.readFileSync(out('cold'), 'utf8'));
  const dbMb = round(dbBytes(home) / 1048576);

  console.error(`== ${name}: no-change re-index`);
  const warmRun = await runChild(['--child', 'index', root, home, o.git ? 'git' : 'no-git', out('warm'), path.join(o.work, `scale-${name}-warm.log`)], [], o.timeoutMs, o.work);
  const warm = warmRun.ok ? JSON.parse(fs.readFileSync(out('warm'), 'utf8')) : null;

  console.error(`== ${name}: queries`);
  const qRun = await runChild(['--child', 'query', root, home, String(o.queries), out('query')], [], o.timeoutMs, o.work);
  const q = qRun.ok ? JSON.parse(fs.readFileSync(out('query'), 'utf8')) : null;

  if (!o.keep) fs.rmSync(home, { recursive: true, force: true });
  const r = cold.result as { files: number; symbols: number; calls: number; commits: number; changed_files: number; skipped: Record<string, number> };
  const gitMs = (cold.stage_ms as Record<string, number>).git ?? 0;
  return {
    ...base,
    indexed: { files: r.files, symbols: r.symbols, calls: r.calls, commits: r.commits, skipped: r.skipped },
    cold: {
      wall_s: coldRun.wall_s,
      index_s: round(cold.index_ms / 1000),
      cpu_s: coldRun.cpu_s,
      peak_rss_mb: coldRun.max_rss_mb,
      open_ms: cold.open_ms,
      walk_and_files_s: round(cold.walk_and_files_ms / 1000),
      stage_ms: cold.stage_ms,
      // Each phase in order with its wall time, RSS at its end and the peak RSS so far: the phase where the peak rises set it.
      timeline: cold.timeline,
      ms_per_file: round(cold.index_ms / Math.max(1, r.files), 2),
      // Code side (walk, per-file stages) per file; the history stage per commit.
      code_ms_per_file: round(cold.walk_and_files_ms / Math.max(1, r.files), 2),
      git_stage_ms_per_commit: r.commits ? round(gitMs / r.commits, 3) : null,
      git_stage_ms_per_commit_file: q?.commit_files ? round(gitMs / q.commit_files, 4) : null,
      code_last_run: cold.code_last_run,
    },
    db_mb: dbMb,
    db_kb_per_file: round((dbMb * 1024) / Math.max(1, r.files)),
    reindex_no_change: warm
      ? { wall_s: warmRun.wall_s, index_ms: warm.index_ms, cpu_s: warmRun.cpu_s, peak_rss_mb: warmRun.max_rss_mb, changed_files: warm.result.changed_files, stage_ms: warm.stage_ms }
      : { failed: warmRun.timedOut ? 'timed out' : `exit ${warmRun.code}`, stderr_tail: warmRun.stderrTail },
    query: q ? { ...q, process_peak_rss_mb: qRun.max_rss_mb } : { failed: qRun.timedOut ? 'timed out' : `exit ${qRun.code}`, stderr_tail: qRun.stderrTail },
  };
}

type Row = Awaited<ReturnType<typeof measureRepo>>;

/** log(cost ratio) / log(size ratio) between consecutive repositories (sorted by files), and first to last. */
function growth(rows: Row[]) {
  const ok = rows.filter((r): r is Extract<Row, { indexed: unknown }> => 'indexed' in r).sort((a, b) => a.indexed.files - b.indexed.files);
  // Sizes closer than 1.5× say nothing about growth (the exponent divides by the log of their ratio): left out.
  const exp = (a: number, b: number, sa: number, sb: number) =>
    a > 0 && b > 0 && sa > 0 && sb > 0 && Math.abs(Math.log(sb / sa)) >= Math.log(1.5) ? round(Math.log(b / a) / Math.log(sb / sa), 2) : null;
  const q = (r: (typeof ok)[number], kind: string, k: 'p50' | 'p95') => ((r.query as { queries?: Record<string, { p50: number; p95: number }> }).queries?.[kind]?.[k] ?? 0);
  const pairs: Record<string, unknown>[] = [];
  const step = (a: (typeof ok)[number], b: (typeof ok)[number]) => {
    const fa = a.indexed.files;
    const fb = b.indexed.files;
    const ca = a.indexed.commits;
    const cb = b.indexed.commits;
    const gitA = (a.cold.stage_ms as Record<string, number>).git ?? 0;
    const gitB = (b.cold.stage_ms as Record<string, number>).git ?? 0;
    const out: Record<string, unknown> = {
      from: a.repo,
      to: b.repo,
      files_ratio: round(fb / fa, 2),
      commits_ratio: ca ? round(cb / ca, 2) : null,
      vs_files: {
        index_time: exp(a.cold.index_s, b.cold.index_s, fa, fb),
        cpu: exp(a.cold.cpu_s ?? 0, b.cold.cpu_s ?? 0, fa, fb),
        walk_and_files: exp(a.cold.walk_and_files_s, b.cold.walk_and_files_s, fa, fb),
        peak_rss: exp(a.cold.peak_rss_mb ?? 0, b.cold.peak_rss_mb ?? 0, fa, fb),
        db_size: exp(a.db_mb, b.db_mb, fa, fb),
        reindex_no_change: exp((a.reindex_no_change as { index_ms?: number }).index_ms ?? 0, (b.reindex_no_change as { index_ms?: number }).index_ms ?? 0, fa, fb),
      },
      // Cost follows the code more than the file count: the per-file stages and resolution against symbols and calls.
      symbols_ratio: round(b.indexed.symbols / a.indexed.symbols, 2),
      vs_symbols: {
        index_time: exp(a.cold.index_s, b.cold.index_s, a.indexed.symbols, b.indexed.symbols),
        walk_and_files: exp(a.cold.walk_and_files_s, b.cold.walk_and_files_s, a.indexed.symbols, b.indexed.symbols),
        db_size: exp(a.db_mb, b.db_mb, a.indexed.symbols, b.indexed.symbols),
      },
      code_resolve_vs_calls: exp((a.cold.stage_ms as Record<string, number>)['code-resolve'] ?? 0, (b.cold.stage_ms as Record<string, number>)['code-resolve'] ?? 0, a.indexed.calls, b.indexed.calls),
      search_p50_vs_chunks: exp(q(a, 'search', 'p50'), q(b, 'search', 'p50'), (a.query as { chunks?: number }).chunks ?? 0, (b.query as { chunks?: number }).chunks ?? 0),
      vs_commits: { git_stage: exp(gitA, gitB, ca, cb) },
      git_stage_vs_commit_files: exp(gitA, gitB, (a.query as { commit_files?: number }).commit_files ?? 0, (b.query as { commit_files?: number }).commit_files ?? 0),
      query_p50_vs_files: Object.fromEntries(['search', 'locate', 'symbol', 'callers', 'cochange', 'experts', 'fixes', 'hotspots'].map((k) => [k, exp(q(a, k, 'p50'), q(b, k, 'p50'), fa, fb)])),
    };
    pairs.push(out);
  };
  for (let i = 1; i < ok.length; i++) step(ok[i - 1]!, ok[i]!);
  if (ok.length > 2) step(ok[0]!, ok[ok.length - 1]!);
  return pairs;
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    const [, mode, root, home, a, b, c] = argv;
    if (mode === 'index') await childIndex(root!, home!, a === 'git', b!, c!);
    else if (mode === 'query') await childQuery(root!, home!, Number(a), b!);
    process.exit(0);
  }
  const repos: string[] = [];
  const opt = (name: string, d: string) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] ? argv[i + 1]! : d;
  };
  for (let i = 0; i < argv.length; i++) if (argv[i] === '--repo' && argv[i + 1]) repos.push(path.resolve(argv[++i]!));
  if (!repos.length && process.env.MIRA_SCALE_REPOS) repos.push(...process.env.MIRA_SCALE_REPOS.split(':').filter(Boolean));
  if (!repos.length && !argv.includes('--regrow')) {
    console.error('usage: npx tsx bench/scale-real.ts --repo GIT_DIR [--repo GIT_DIR ...] [--queries N] [--timeout-min M] [--work DIR] [--no-git] [--cpu-prof] [--keep] [--out NAME] | --regrow [--out NAME]');
    process.exit(2);
  }
  const o = {
    queries: Number(opt('--queries', '40')),
    timeoutMs: Number(opt('--timeout-min', '25')) * 60_000,
    work: path.resolve(opt('--work', path.join(process.env.TMPDIR ?? os.tmpdir(), 'mira-bench-scale-real'))),
    git: !argv.includes('--no-git'),
    cpuProf: argv.includes('--cpu-prof'),
    keep: argv.includes('--keep'),
  };
  fs.mkdirSync(o.work, { recursive: true });
  const outFile = path.join(import.meta.dirname, 'results', `${opt('--out', 'scale-real')}.json`);
  if (argv.includes('--regrow')) {
    // Recompute the growth section of an existing results file (after changing how growth is computed).
    const prev = JSON.parse(fs.readFileSync(outFile, 'utf8')) as { rows: Row[]; growth: unknown };
    prev.growth = growth(prev.rows);
    fs.writeFileSync(outFile, JSON.stringify(prev, null, 2) + '\n');
    return;
  }
  const started = new Date().toISOString();
  // Which Mira was measured: the checkout's commit, and whether src/ or migrations/ had uncommitted changes. A commit
  // landing while the bench runs would mix two versions (the children load the code afresh): that is recorded too.
  const miraVersion = () => {
    const git = (a: string[]) => execFileSync('git', ['-C', ROOT, ...a], { encoding: 'utf8' }).trim();
    try {
      return { commit: git(['rev-parse', 'HEAD']), code_tree: git(['rev-parse', 'HEAD:src', 'HEAD:migrations']).split('\n').join(' '), dirty: git(['status', '--porcelain', '--', 'src', 'migrations']).split('\n').filter(Boolean).length };
    } catch {
      return { commit: null, code_tree: null, dirty: null };
    }
  };
  const versionAtStart = miraVersion();
  // Commits that touch neither src/ nor migrations/ (a bench, the docs) do not change what is measured.
  const codeChanged = () => {
    const now = miraVersion();
    return now.code_tree !== versionAtStart.code_tree || now.dirty !== versionAtStart.dirty;
  };
  const load = os.loadavg().map((x) => round(x, 2));
  const rows: Row[] = [];
  const write = () => {
    const result = {
      at: started,
      machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model, mem_gb: Math.round(os.totalmem() / 1e9), load_avg_at_start: load, node: process.version, platform: `${os.platform()} ${os.release()}` },
      note:
        'Each repository checked out at HEAD; cold index with its full history in a fresh home, then a no-change re-index, then queries, each in its own process. ' +
        'cpu_s is user + system of the whole process tree (worker threads and git included). Growth exponents: log(cost ratio) / log(size ratio); 1 = linear.',
      mira: { ...versionAtStart, code_changed_during_run: codeChanged() },
      options: { queries_per_kind: o.queries, git: o.git, timeout_min: o.timeoutMs / 60000 },
      rows,
      growth: growth(rows),
    };
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
  };
  for (const repo of repos) {
    const row = await measureRepo(repo, o);
    rows.push(row);
    write(); // after every repository, so a long run that is stopped keeps what it measured
    const { progress: _p, ...summary } = row as Row & { progress?: unknown };
    console.log(JSON.stringify(summary));
  }
  write();
  console.error(`results: ${outFile}`);
}

await main();
