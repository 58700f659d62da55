// How cost grows with project size: synthetic TypeScript projects of growing file counts, indexed cold in-process.
//
// usage: npx tsx bench/scale.ts [--sizes 250,1000,4000] [--work DIR]
// For each size: cold index (code only, no history), no-op reindex, code/search and oracle/locate p50/p95 over 100
// queries, database size on disk and peak RSS. Writes bench/results/scale.json.
// The projects are uniform (same shape of file repeated) so the figures show growth, not language mix.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createMira } from '../src/main/app';
import { loadConfig } from '../src/main/config';

const args = process.argv.slice(2);
const opt = (name: string, d: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : d;
};
const sizes = opt('--sizes', '250,1000,4000').split(',').map(Number);
const work = opt('--work', path.join(process.env.TMPDIR ?? os.tmpdir(), 'mira-bench-scale'));
const WORDS = ['router', 'session', 'cache', 'parser', 'token', 'config', 'retry', 'stream', 'buffer', 'queue', 'render', 'schema'];

function makeProject(root: string, files: number): void {
  fs.rmSync(root, { recursive: true, force: true });
  for (let i = 0; i < files; i++) {
    const w = WORDS[i % WORDS.length]!;
    const v = WORDS[(i * 7) % WORDS.length]!;
    const dir = path.join(root, 'src', `pkg${i % 40}`, `mod${i % 9}`);
    fs.mkdirSync(dir, { recursive: true });
    const next = (i + 1) % files;
    fs.writeFileSync(
      path.join(dir, `${w}${i}.ts`),
      `import { ${WORDS[next % WORDS.length]}${next} } from '../../pkg${next % 40}/mod${next % 9}/${WORDS[next % WORDS.length]}${next}';\n` +
        `/** Handles the ${w} ${v} step ${i}. */\n` +
        `export function ${w}${i}(input: string): string {\n  if (!input) return '${v}';\n  return ${WORDS[next % WORDS.length]}${next}(input.slice(1));\n}\n` +
        `export class ${w[0]!.toUpperCase()}${w.slice(1)}${v[0]!.toUpperCase()}${v.slice(1)}${i} {\n` +
        `  private items: string[] = [];\n  add(x: string) {\n    this.items.push(${w}${i}(x));\n    return this.items.length;\n  }\n` +
        `  ${v}(n: number): number {\n    return n > 1 ? this.${v}(n - 1) + ${i} : ${i};\n  }\n}\n`,
    );
  }
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
}

const pct = (xs: number[], x: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.floor(x * s.length))] ?? 0) * 100) / 100;
};
const dirMb = (dir: string) => Math.round((fs.readdirSync(dir).filter((f) => f.startsWith('mira.db')).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0) / 1048576) * 10) / 10;

const rows = [];
for (const size of sizes) {
  const root = path.join(work, `proj-${size}`);
  const home = path.join(work, `home-${size}`);
  makeProject(root, size);
  fs.rmSync(home, { recursive: true, force: true });
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const mira = createMira({ config: loadConfig(home, {}), mode: 'cli', project: root });
  const t0 = performance.now();
  const idx = await mira.index({ git: false });
  const coldMs = Math.round(performance.now() - t0);
  const t1 = performance.now();
  await mira.index({ git: false });
  const noopMs = Math.round(performance.now() - t1);
  const client = mira.client();
  const search: number[] = [];
  const locate: number[] = [];
  for (let q = 0; q < 100; q++) {
    const query = `${WORDS[q % WORDS.length]} ${WORDS[(q * 5 + 3) % WORDS.length]} step`;
    let a = performance.now();
    await client.call('code/search', { query, k: 10 });
    search.push(performance.now() - a);
    a = performance.now();
    await client.call('oracle/locate', { query, k: 10 });
    locate.push(performance.now() - a);
  }
  clearInterval(sampler);
  mira.close();
  const row = {
    files: idx.files,
    symbols: idx.symbols,
    calls: idx.calls,
    cold_index_ms: coldMs,
    cold_ms_per_file: Math.round((coldMs / Math.max(1, idx.files)) * 100) / 100,
    noop_reindex_ms: noopMs,
    search_ms: { p50: pct(search, 0.5), p95: pct(search, 0.95) },
    locate_ms: { p50: pct(locate, 0.5), p95: pct(locate, 0.95) },
    db_mb: dirMb(home),
    peak_rss_mb: Math.round(peak / 1048576),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
}

const result = {
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, load_avg_at_start: os.loadavg().map((x) => Math.round(x * 100) / 100), node: process.version },
  note: 'synthetic uniform TypeScript projects, code index only (no history); one process, sizes run in sequence',
  rows,
};
fs.mkdirSync(path.join(import.meta.dirname, 'results'), { recursive: true });
fs.writeFileSync(path.join(import.meta.dirname, 'results', 'scale.json'), JSON.stringify(result, null, 2) + '\n');
