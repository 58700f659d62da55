// Benchmark of the code map: (1) what the quality pass adds to a cold index (a cold index with and without the code map's
// stages, plus its own timings), (2) latency of hotspots, domains, quality and treemap on a large (~9k-file) repository.
// usage: npx tsx bench/codemap.ts [--share GIT_DIR[@REV]] [--large GIT_DIR[@REV]] [--runs N] [--cold-runs N] [--out bench/results/codemap.json]
// Defaults: the zod mirror for (1); svelte (9k files, most of them test samples) and terraform (5k Go sources) for (2),
// all under /work/.mirror (fetched with `fetch github:OWNER/NAME`). --large takes a comma-separated list.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMira, type Mira } from '../src/main/app';
import { loadConfig } from '../src/main/config';
import { checkoutAt } from '../src/main/eval/checkout';
import { codeIndexOf } from '../src/main/code';
import { codemapOf, registerCodemapStages } from '../src/main/codemap/service';
import { codemapHandlers } from '../src/main/handlers/codemap';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : def;
};
const SHARE = opt('--share', process.env.MIRA_BENCH_MEDIUM ?? '');
const LARGE = opt('--large', process.env.MIRA_BENCH_LARGE ?? '').split(',').filter(Boolean);
if (!SHARE && !LARGE.length) {
  console.error('usage: npx tsx bench/codemap.ts --share GIT_DIR [--large GIT_DIR,...]   (repositories fetched with the library\'s `fetch`)');
  process.exit(2);
}
const RUNS = Number(opt('--runs', '30'));
const OUT = opt('--out', 'bench/results/codemap.json');
const WORK = path.join(os.tmpdir(), 'mira-bench-codemap');

/** `/x/.mirror/owner+name/repo@rev` -> `owner+name`: what the results file records. */
function repoName(spec: string): string {
  const gitDir = spec.split('@')[0]!;
  return path.basename(gitDir) === 'repo' || path.basename(gitDir) === '.git' ? path.basename(path.dirname(gitDir)) : path.basename(gitDir);
}

function tree(spec: string): string {
  const [gitDir, rev] = spec.split('@') as [string, string | undefined];
  return checkoutAt(gitDir, rev ?? 'HEAD', WORK);
}

function open(root: string, home: string, withCodemap: boolean): Mira {
  fs.rmSync(home, { recursive: true, force: true });
  const mira = createMira({ config: loadConfig(home, {}), mode: 'cli', project: root });
  const p = mira.project();
  const has = p.indexer.fileStages.some((s) => s.name === 'codemap-quality');
  if (withCodemap && !has) registerCodemapStages(p);
  if (!withCodemap && has) {
    // Wired already: take the code map's stages out for the baseline run.
    p.indexer.fileStages.splice(p.indexer.fileStages.findIndex((s) => s.name === 'codemap-quality'), 1);
    p.indexer.projectStages.splice(p.indexer.projectStages.findIndex((s) => s.name === 'codemap'), 1);
    // ...and the metrics the code stage's parse takes for it.
    codeIndexOf(p).measureQuality = false;
  }
  return mira;
}

async function coldIndex(root: string, withCodemap: boolean): Promise<{ wall_ms: number; cpu_ms: number; files: number; codemap?: Record<string, number> }> {
  const mira = open(root, path.join(WORK, withCodemap ? 'home-with' : 'home-without'), withCodemap);
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await mira.index({ git: true });
    const wall_ms = Math.round(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    const out: { wall_ms: number; cpu_ms: number; files: number; codemap?: Record<string, number> } = { wall_ms, cpu_ms: Math.round((cpu.user + cpu.system) / 1000), files: r.files };
    if (withCodemap) {
      const cm = codemapOf(mira.project());
      const t = cm.quality.timings;
      out.codemap = {
        quality_files: t.files,
        quality_analyze_ms: Math.round(t.analyze_ms),
        quality_write_ms: Math.round(t.write_ms),
        quality_project_ms: Math.round(t.project_ms),
        hotspots_ms: cm.lastRun?.hotspots?.took_ms ?? 0,
        domains_ms: cm.lastRun?.domains?.took_ms ?? 0,
      };
    }
    return out;
  } finally {
    mira.close();
  }
}

function stats(xs: number[]): { p50_ms: number; p95_ms: number; max_ms: number; n: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (f: number) => Math.round(s[Math.min(s.length - 1, Math.floor(s.length * f))]! * 100) / 100;
  return { p50_ms: q(0.5), p95_ms: q(0.95), max_ms: q(1), n: s.length };
}

async function latency(root: string, name: string): Promise<Record<string, unknown>> {
  const home = path.join(WORK, `home-${name}`);
  const fresh = !fs.existsSync(path.join(home, 'mira.db'));
  const mira = fresh ? open(root, home, true) : createMira({ config: loadConfig(home, {}), mode: 'cli', project: root });
  try {
    const p = mira.project();
    if (!p.indexer.fileStages.some((s) => s.name === 'codemap-quality')) registerCodemapStages(p);
    const t0 = performance.now();
    const idx = await mira.index({ git: true });
    const index_ms = Math.round(performance.now() - t0);
    const h = codemapHandlers(mira);
    const ctx = { via: 'in-process' as const };
    const first = await h['codemap/hotspots']({ k: 10 }, ctx);
    const worst = (await h['codemap/quality']({ k: 1 }, ctx)).results[0]?.path;
    const cases: [string, () => Promise<{ took_ms: number }> | { took_ms: number }][] = [
      ['hotspots_k10', () => h['codemap/hotspots']({ k: 10 }, ctx)],
      ['hotspots_k100', () => h['codemap/hotspots']({ k: 100 }, ctx)],
      ['domains', () => h['codemap/domains']({}, ctx)],
      ['domains_no_files', () => h['codemap/domains']({ files: false }, ctx)],
      ['quality_project', () => h['codemap/quality']({ k: 50 }, ctx)],
      ['quality_file', () => h['codemap/quality']({ file: worst }, ctx)],
      ['treemap', () => h['codemap/treemap']({}, ctx)],
    ];
    const out: Record<string, unknown> = { files: idx.files, index_ms, fresh_index: fresh, hotspots_ranked: codemapOf(p).hotspots.count(), first_hotspot: first.results[0]?.path ?? null };
    if (fresh) {
      // The code map's own share of this cold index.
      const t = codemapOf(p).quality.timings;
      const run = codemapOf(p).lastRun;
      const quality = t.analyze_ms + t.write_ms + t.project_ms;
      const all = quality + (run?.hotspots?.took_ms ?? 0) + (run?.domains?.took_ms ?? 0);
      out.cold_index_codemap = { quality_files: t.files, quality_analyze_ms: Math.round(t.analyze_ms), quality_write_ms: Math.round(t.write_ms), quality_project_ms: Math.round(t.project_ms), hotspots_ms: run?.hotspots?.took_ms, domains_ms: run?.domains?.took_ms };
      out.quality_share_of_index = Math.round((quality / Math.max(1, index_ms - all)) * 1000) / 1000;
      out.codemap_share_of_index = Math.round((all / Math.max(1, index_ms - all)) * 1000) / 1000;
    }
    for (const [name, fn] of cases) {
      const took: number[] = [];
      const wall: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const r = await fn();
        wall.push(performance.now() - t);
        took.push(r.took_ms);
      }
      // took_ms is the contract's in-process query time; wall adds the JSON-ready object building around it.
      out[name] = { took: stats(took), wall: stats(wall) };
    }
    // What the index stage spends when files or history changed: hotspots (with calibration) and domains from scratch.
    const cm = codemapOf(p);
    const th = performance.now();
    const hr = cm.refreshHotspots({ recalibrate: true });
    out.recompute_hotspots_ms = Math.round(performance.now() - th);
    out.recompute_hotspots = hr;
    const { updateDomains } = await import('../src/main/codemap/domains');
    out.recompute_domains = updateDomains(mira.db, p.id);
    const tq = performance.now();
    cm.quality.projectPass(p.id, { force: true });
    out.recompute_quality_project_ms = Math.round(performance.now() - tq);
    const d = await h['codemap/domains']({}, ctx);
    out.domains_count = d.results.length;
    out.largest_domains = d.results.slice(0, 5).map((x) => ({ name: x.name, size: x.size, cohesion: x.cohesion }));
    return out;
  } finally {
    mira.close();
  }
}

fs.mkdirSync(WORK, { recursive: true });
const result: Record<string, unknown> = {
  when: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '', node: process.version, loadavg_1m_at_start: Math.round(os.loadavg()[0]! * 100) / 100 },
};
if (!args.includes('--skip-share')) {
  const root = tree(SHARE);
  // One pair of cold indexes differs by ±7% run to run on two cores: pairs alternate, and the medians count.
  const pairs = Math.max(1, Number(opt('--cold-runs', '3')));
  process.stderr.write(`cold index of ${root}, without and with the code map, ${pairs} pair(s)…\n`);
  const withouts: Awaited<ReturnType<typeof coldIndex>>[] = [];
  const withs: Awaited<ReturnType<typeof coldIndex>>[] = [];
  for (let i = 0; i < pairs; i++) {
    withouts.push(await coldIndex(root, false));
    withs.push(await coldIndex(root, true));
  }
  const median = <T,>(xs: T[], key: (x: T) => number): T => [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)]!;
  const without = median(withouts, (x) => x.wall_ms);
  const withCm = median(withs, (x) => x.wall_ms);
  const cm = withCm.codemap!;
  const cmMs = cm.quality_analyze_ms! + cm.quality_write_ms! + cm.quality_project_ms! + cm.hotspots_ms! + cm.domains_ms!;
  const qualityMs = cm.quality_analyze_ms! + cm.quality_write_ms! + cm.quality_project_ms!;
  result.cold_index = {
    // The repository's name (its mirror folder), not this machine's path to it.
    repo: repoName(SHARE),
    files: withCm.files,
    without,
    with: withCm,
    // The pass's own time over the rest of the index in the same run: less noisy than the difference of two runs.
    quality_share_of_index: Math.round((qualityMs / Math.max(1, withCm.wall_ms - cmMs)) * 1000) / 1000,
    codemap_share_of_index: Math.round((cmMs / Math.max(1, withCm.wall_ms - cmMs)) * 1000) / 1000,
    wall_delta: Math.round(((withCm.wall_ms - without.wall_ms) / Math.max(1, without.wall_ms)) * 1000) / 1000,
    cpu_delta: Math.round(((withCm.cpu_ms - without.cpu_ms) / Math.max(1, without.cpu_ms)) * 1000) / 1000,
    pairs,
    wall_ms_runs: { without: withouts.map((x) => x.wall_ms), with: withs.map((x) => x.wall_ms) },
    goal: 0.2,
  };
  process.stderr.write(JSON.stringify(result.cold_index) + '\n');
}
if (!args.includes('--skip-large')) {
  const large: Record<string, unknown>[] = [];
  for (const spec of LARGE) {
    const root = tree(spec);
    process.stderr.write(`latency on ${root}…\n`);
    large.push({ repo: repoName(spec), goal_ms: 200, ...(await latency(root, path.basename(path.dirname(spec.split('@')[0]!)))) });
  }
  result.large = large;
}
fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
