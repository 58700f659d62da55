// Benchmarks the vector path: offline embedder throughput on real code, and sqlite-vec KNN latency at 10k and 50k vectors.
//
// usage: npx tsx bench/vectors.ts [SOURCE_DIR]   (default: this repository's src/)
// Writes bench/results/vectors.json. Single process, single thread: the figures are per core.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../src/main/db/open';
import { ProjectsRepo } from '../src/main/db/projects';
import { normalize } from '../src/main/search/embedder';
import { LocalEmbedder } from '../src/main/search/local-embedder';
import { TermStats } from '../src/main/search/local-embedder-terms';
import { SqliteVecStore } from '../src/main/search/sqlite-vec-store';
import type { VectorItem } from '../src/main/search/vector-store';

const CODE_EXT = /\.(ts|tsx|js|jsx|mjs|py|rs|go|java|c|h|cpp|rb)$/;

function codeChunks(root: string, lines = 50): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'out' || e.name === 'dist') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (CODE_EXT.test(e.name)) {
        const text = fs.readFileSync(p, 'utf8').split('\n');
        for (let i = 0; i < text.length; i += lines) out.push(`${path.relative(root, p)}\n${text.slice(i, i + lines).join('\n')}`);
      }
    }
  };
  walk(root);
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { p50_ms: r(percentile(s, 50)), p95_ms: r(percentile(s, 95)), mean_ms: r(s.reduce((a, b) => a + b, 0) / s.length), queries: s.length };
}

/** A unit vector from a xorshift stream: KNN cost in vec0 (a full scan) does not depend on what the vectors mean. */
function randomUnit(dims: number, seed: number): Float32Array {
  let x = seed | 0 || 1;
  const v = new Float32Array(dims);
  for (let i = 0; i < dims; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    v[i] = (x >>> 0) / 4294967296 - 0.5;
  }
  normalize(v);
  return v;
}

function embedderThroughput(chunks: string[]) {
  const e = new LocalEmbedder();
  for (const c of chunks.slice(0, 200)) e.embedSync(c); // warm the JIT
  // At least ~3 s of work so the figure is stable; a fresh embedder so the feature caches start cold once.
  const fresh = new LocalEmbedder();
  let n = 0;
  let chars = 0;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  while (performance.now() - started < 3000) {
    for (const c of chunks) {
      fresh.embedSync(c);
      chars += c.length;
      n++;
    }
  }
  const sec = (performance.now() - started) / 1000;
  // CPU seconds this process actually got: on a shared machine, wall time also counts waiting for a core.
  const cpu = process.cpuUsage(cpu0);
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  const terms = new LocalEmbedder();
  const t0 = performance.now();
  for (const c of chunks) terms.terms(c);
  const termsSec = (performance.now() - t0) / 1000;
  const q = ['where are users stored in the database', 'retry a request with backoff', 'parse the command line arguments'];
  const qms: number[] = [];
  for (let i = 0; i < 300; i++) {
    const s = performance.now();
    e.embedQuerySync(q[i % q.length]!);
    qms.push(performance.now() - s);
  }
  return {
    dims: e.dims,
    chunks_in_corpus: chunks.length,
    avg_chunk_chars: Math.round(chunks.reduce((a, c) => a + c.length, 0) / chunks.length),
    chunks_per_s: Math.round(n / sec),
    chunks_per_cpu_s: Math.round(n / cpuSec),
    mb_per_s: Math.round((chars / 1e6 / sec) * 10) / 10,
    terms_chunks_per_s: Math.round(chunks.length / termsSec),
    query_embed: summary(qms),
  };
}

function knn(dims: number, sizes: number[], dir: string) {
  const { db } = openDb(path.join(dir, `knn-${dims}.db`));
  const projectId = new ProjectsRepo(db).ensure(path.join(dir, 'p')).id;
  const other = new ProjectsRepo(db).ensure(path.join(dir, 'q')).id;
  const store = new SqliteVecStore(db, { dims, space: 'bench' });
  const results: Record<string, unknown>[] = [];
  let have = 0;
  for (const size of sizes) {
    const started = performance.now();
    const batch = 1000;
    for (; have < size; have += batch) {
      const items: VectorItem[] = [];
      for (let i = have; i < Math.min(size, have + batch); i++) {
        items.push({ id: `c${i}`, vector: randomUnit(dims, i + 1), payload: { project_id: projectId, path: `src/f${i % 2000}.ts`, start_line: 1 + (i % 40) * 50 } });
      }
      store.upsertSync('code', items);
    }
    const insertSec = (performance.now() - started) / 1000;
    // A small second project: its filtered queries scan only its own partition.
    if (size === sizes[0]) {
      store.upsertSync('code', Array.from({ length: 500 }, (_, i) => ({ id: `o${i}`, vector: randomUnit(dims, 1e6 + i), payload: { project_id: other, path: `o${i}.ts` } })));
    }
    const measure = (filter: Record<string, number> | undefined, k: number) => {
      const ms: number[] = [];
      let cpuUs = 0;
      for (let i = 0; i < 60; i++) {
        const q = randomUnit(dims, 7e6 + i);
        const c0 = process.cpuUsage();
        const s = performance.now();
        store.searchSync('code', q, k, filter);
        if (i >= 10) {
          // The first few warm the page cache.
          ms.push(performance.now() - s);
          const c = process.cpuUsage(c0);
          cpuUs += c.user + c.system;
        }
      }
      return { ...summary(ms), cpu_ms_mean: Math.round(cpuUs / ms.length) / 1000 };
    };
    results.push({
      vectors: size,
      dims,
      insert_per_s: Math.round((size - (results.length ? (results.at(-1)!.vectors as number) : 0)) / insertSec),
      knn_k10_project: measure({ project_id: projectId }, 10),
      knn_k50_project: measure({ project_id: projectId }, 50),
      knn_k10_unfiltered: measure(undefined, 10),
      knn_k10_small_project_500: measure({ project_id: other }, 10),
      db_mb: Math.round(fs.statSync(path.join(dir, `knn-${dims}.db`)).size / 1e5) / 10,
    });
    console.log(JSON.stringify(results.at(-1)));
  }
  db.close();
  return results;
}

function learnCost(chunks: string[], dir: string) {
  const { db } = openDb(path.join(dir, 'terms.db'));
  const pid = new ProjectsRepo(db).ensure(path.join(dir, 'p')).id;
  const stats = new TermStats(db);
  const e = new LocalEmbedder();
  // Enough chunks to look like a mid-size repository: the corpus repeated with distinct keys.
  const target = 10_000;
  db.transaction(() => {
    for (let f = 0; f < target / 20; f++) {
      const list = Array.from({ length: 20 }, (_, j) => ({ key: String(j), terms: e.terms(chunks[(f * 20 + j) % chunks.length]!) }));
      stats.replaceFile(pid, `f${f}`, list);
    }
  })();
  const r = stats.learn(pid);
  db.close();
  return r;
}

function main() {
  // Other work on the machine slows every figure: the load is recorded so a reader can tell.
  const loadAtStart = Math.round(os.loadavg()[0]! * 100) / 100;
  const source = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', 'src'));
  const chunks = codeChunks(source);
  if (!chunks.length) throw new Error(`no code found under ${source}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mira-bench-vec-'));
  try {
    console.log(`embedding ${chunks.length} chunks from ${source} ...`);
    const embedder = embedderThroughput(chunks);
    console.log(JSON.stringify(embedder));
    const learn = learnCost(chunks, dir);
    console.log('vocabulary learning', JSON.stringify(learn));
    const local = knn(512, [10_000, 50_000], dir);
    const openaiSize = knn(3072, [10_000], dir);
    const out = {
      when: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, platform: `${process.platform}-${process.arch}`, loadavg_1m_at_start: loadAtStart },
      source: path.relative(process.cwd(), source) || '.',
      local_embedder: embedder,
      vocabulary_learning_10k_chunks: learn,
      sqlite_vec_knn: [...local, ...openaiSize],
      notes: 'sqlite-vec 0.1.9 vec0 is an exact (brute-force) scan; project filters use the project_id partition key. Random unit vectors: vec0 cost does not depend on content.',
    };
    const file = path.join(import.meta.dirname, 'results', 'vectors.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
    console.log(`wrote ${file}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
