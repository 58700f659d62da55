// Load on `mira serve`: many WebSocket clients asking code/search and oracle/locate at once, memory sampled each second.
//
// usage: npx tsx bench/server-load.ts GIT_DIR [--clients N] [--seconds S] [--work DIR] [--out NAME]
//   GIT_DIR: a repository (a bare mirror works). It is cloned with `git clone --shared` into the work folder, indexed
//   (code and history), then served in-process on a free port. Queries are the repository's own commit subjects.
// Writes bench/results/server-load.json: requests, errors, p50/p95 latency per method, RSS first/last/max.
// Clients live in the same process as the server, so RSS counts both (an upper bound on the server's own).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import WebSocket from 'ws';
import { createMira } from '../src/main/app';
import { loadConfig } from '../src/main/config';
import { startServer } from '../src/main/server/server';
import { MiraClient, WebSocketTransport, type WebSocketLike } from '../src/shared/client';

const args = process.argv.slice(2);
const gitDir = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]!.startsWith('--')));
if (!gitDir) {
  console.error('usage: npx tsx bench/server-load.ts GIT_DIR [--clients N] [--seconds S] [--work DIR]');
  process.exit(2);
}
const opt = (name: string, d: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : d;
};
const nClients = Number(opt('--clients', '32'));
const outName = opt('--out', 'server-load');
const seconds = Number(opt('--seconds', '60'));
const work = opt('--work', path.join(process.env.TMPDIR ?? os.tmpdir(), 'mira-bench-server-load'));
const name = path.basename(path.dirname(path.resolve(gitDir))).replace(/[^\w+.-]/g, '_');
const root = path.join(work, `src-${name}`);
const home = path.join(work, `home-${name}`);
fs.rmSync(root, { recursive: true, force: true });
fs.rmSync(home, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
execFileSync('git', ['clone', '-q', '--shared', path.resolve(gitDir), root], { stdio: 'inherit' });

const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
const mira = createMira({ config: loadConfig(home, {}), mode: 'cli', project: root });
const t0 = performance.now();
const idx = await mira.index({ git: true });
const indexMs = Math.round(performance.now() - t0);
const p = mira.project();
const subjects = (mira.db.prepare(`SELECT subject FROM git_commits WHERE project_id = ? AND is_merge = 0 AND length(subject) > 8 ORDER BY committed_at DESC LIMIT 500`).all(p.id) as { subject: string }[]).map((r) => r.subject.slice(0, 200));
if (!subjects.length) subjects.push('router', 'request handler', 'parse query string');

// Rate limit raised: each client keeps one request in flight, and fast answers would otherwise trip the per-connection
// limit (200/s) by design, which is not what this measures.
const server = await startServer(mira, { port: 0, staticDir: path.join(home, 'no-renderer'), rateLimit: 1_000_000 });
const clients = await Promise.all(
  Array.from({ length: nClients }, async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${encodeURIComponent(server.token)}`);
    const c = new MiraClient(new WebSocketTransport(ws as unknown as WebSocketLike));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return c;
  }),
);

global.gc?.();
const rss: number[] = [process.memoryUsage().rss];
const heap: number[] = [process.memoryUsage().heapUsed];
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  rss.push(m.rss);
  heap.push(m.heapUsed);
}, 1000);

const lat: Record<'code/search' | 'oracle/locate', number[]> = { 'code/search': [], 'oracle/locate': [] };
const errors: string[] = [];
const deadline = performance.now() + seconds * 1000;
const started = performance.now();
await Promise.all(
  clients.map(async (c, ci) => {
    // Bounded loop: stops at the deadline or after a ceiling of requests, whichever comes first.
    for (let j = 0; j < 1_000_000 && performance.now() < deadline; j++) {
      const q = subjects[(ci * 7919 + j) % subjects.length]!;
      const m = (ci + j) % 2 === 0 ? 'code/search' : 'oracle/locate';
      const a = performance.now();
      try {
        if (m === 'code/search') await c.call('code/search', { query: q, k: 10 });
        else await c.call('oracle/locate', { query: q, k: 10 });
        lat[m].push(performance.now() - a);
      } catch (e) {
        errors.push(`${m}: ${(e as Error).message}`);
      }
    }
  }),
);
const wallMs = performance.now() - started;
clearInterval(sampler);
rss.push(process.memoryUsage().rss);
heap.push(process.memoryUsage().heapUsed);
for (const c of clients) c.close();
await server.close();
mira.close();

const pct = (xs: number[], x: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.floor(x * s.length))] ?? 0) * 100) / 100;
};
const all = [...lat['code/search'], ...lat['oracle/locate']];
// Flatness: the second half of the run against the first (after warm-up), not just first vs last sample.
const half = Math.floor(rss.length / 2);
const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const result = {
  repo: name,
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, load_avg_at_start: os.loadavg().map((x) => Math.round(x * 100) / 100), node: process.version },
  index: { files: idx.files, symbols: idx.symbols, commits: idx.commits, cold_ms: indexMs },
  clients: nClients,
  seconds,
  queries: subjects.length,
  requests: all.length + errors.length,
  errors: errors.length,
  error_samples: errors.slice(0, 5),
  throughput_rps: Math.round((all.length / wallMs) * 1000 * 10) / 10,
  latency_ms: {
    all: { p50: pct(all, 0.5), p95: pct(all, 0.95), max: pct(all, 1) },
    'code/search': { n: lat['code/search'].length, p50: pct(lat['code/search'], 0.5), p95: pct(lat['code/search'], 0.95) },
    'oracle/locate': { n: lat['oracle/locate'].length, p50: pct(lat['oracle/locate'], 0.5), p95: pct(lat['oracle/locate'], 0.95) },
  },
  rss_mb: {
    first: mb(rss[0]!),
    after_warmup: mb(rss[Math.min(3, rss.length - 1)]!),
    last: mb(rss[rss.length - 1]!),
    max: mb(Math.max(...rss)),
    first_half_avg: mb(avg(rss.slice(1, half))),
    second_half_avg: mb(avg(rss.slice(half))),
    samples: rss.map(mb),
  },
  heap_used_mb: { first: mb(heap[0]!), last: mb(heap[heap.length - 1]!), max: mb(Math.max(...heap)) },
  note: 'clients and server share one process; rate limit raised to 1e6/s for the run',
};
fs.mkdirSync(path.join(import.meta.dirname, 'results'), { recursive: true });
fs.writeFileSync(path.join(import.meta.dirname, 'results', `${outName}.json`), JSON.stringify(result, null, 2) + '\n');
const { samples: _s, ...rssShort } = result.rss_mb;
console.log(JSON.stringify({ ...result, rss_mb: rssShort }, null, 2));
fs.rmSync(root, { recursive: true, force: true });
fs.rmSync(home, { recursive: true, force: true });
process.exit(errors.length ? 1 : 0);
