// Measures vector-only file localisation on an evaluation set (../shared/eval/<set>): hit@k, recall@k and MRR, as baselines.py does.
//
// usage: npx tsx bench/vectors-eval.ts GIT_DIR SET_DIR [--lines N] [--model local@DIMS]
// Checks the repository out at the set's T0, chunks every text file in N-line windows (the code capability's real
// chunker will do better), indexes with the offline embedder in sqlite-vec, and ranks files by their best chunk.
// Prints one JSON line per variant: full (lexicon + learned vocabulary), no learned vocabulary, no lexicon, neither.
// Writes bench/results/vectors-eval-<set>.json.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../src/main/db/open';
import { ProjectsRepo } from '../src/main/db/projects';
import { LocalEmbedder } from '../src/main/search/local-embedder';
import { TermStats } from '../src/main/search/local-embedder-terms';
import { openVectors, type CodeChunk } from '../src/main/search/vectors';

interface Question {
  sha: string;
  query: string;
  gold: string[];
}

function metrics(ranked: string[][], golds: string[][], ks = [1, 5, 10]) {
  const res: Record<string, number> = {};
  for (const k of ks) {
    res[`recall@${k}`] = ranked.reduce((s, r, i) => s + r.slice(0, k).filter((p) => golds[i]!.includes(p)).length / golds[i]!.length, 0) / golds.length;
    res[`hit@${k}`] = ranked.reduce((s, r, i) => s + (r.slice(0, k).some((p) => golds[i]!.includes(p)) ? 1 : 0), 0) / golds.length;
  }
  res.mrr = ranked.reduce((s, r, i) => {
    const at = r.findIndex((p) => golds[i]!.includes(p));
    return s + (at >= 0 ? 1 / (at + 1) : 0);
  }, 0) / golds.length;
  for (const k of Object.keys(res)) res[k] = Math.round(res[k]! * 1000) / 1000;
  return res;
}

async function main() {
  const [gitDir, setDir] = process.argv.slice(2);
  if (!gitDir || !setDir) throw new Error('usage: tsx bench/vectors-eval.ts GIT_DIR SET_DIR [--lines N]');
  const li = process.argv.indexOf('--lines');
  const windowLines = li > 0 ? Number(process.argv[li + 1]) : 40;
  const mi = process.argv.indexOf('--model');
  const model = mi > 0 ? process.argv[mi + 1]! : 'local';
  const meta = JSON.parse(fs.readFileSync(path.join(setDir, 'meta.json'), 'utf8')) as { t0: string };
  const questions = fs
    .readFileSync(path.join(setDir, 'localize.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Question);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mira-vec-eval-'));
  try {
    const root = path.join(work, 'checkout');
    fs.mkdirSync(root);
    const tar = execFileSync('git', ['--git-dir', gitDir, 'archive', meta.t0], { maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', root], { input: tar });

    const { db } = openDb(path.join(work, 'mira.db'));
    const pid = new ProjectsRepo(db).ensure(root).id;
    const vectors = await openVectors(db, { embeddingModel: model });
    const dims = vectors.embedder.dims;
    const started = performance.now();
    let files = 0;
    let chunks = 0;
    const walk = async (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const abs = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (e.name !== '.git') await walk(abs);
          continue;
        }
        if (!e.isFile()) continue;
        const buf = fs.readFileSync(abs);
        if (buf.length > 1_000_000 || buf.subarray(0, 8000).includes(0)) continue;
        const rel = path.relative(root, abs).split(path.sep).join('/');
        const lines = buf.toString('utf8').split('\n');
        const list: CodeChunk[] = [];
        for (let i = 0; i < lines.length; i += windowLines) {
          const text = lines.slice(i, i + windowLines).join('\n');
          if (text.trim()) list.push({ key: String(i + 1), path: rel, start_line: i + 1, end_line: i + windowLines, text });
        }
        files++;
        chunks += await vectors.replaceFile(pid, rel, list);
      }
    };
    await walk(root);
    const indexSec = (performance.now() - started) / 1000;
    const learn = new TermStats(db).learn(pid);

    const stats = new TermStats(db);
    const variants: [string, LocalEmbedder][] = [
      ['full', new LocalEmbedder({ dims, vocabulary: new TermStats(db) })],
      ['no_learned_vocabulary', new LocalEmbedder({ dims })],
      ['no_lexicon', new LocalEmbedder({ dims, vocabulary: new TermStats(db), builtinRelations: false })],
      ['idf_only', new LocalEmbedder({ dims, vocabulary: { weight: (p, t) => stats.weight(p, t), related: () => [] }, builtinRelations: false })],
      ['learned_expansion_only', new LocalEmbedder({ dims, vocabulary: { weight: () => 1, related: (p, t) => stats.related(p, t) }, builtinRelations: false })],
      ['plain', new LocalEmbedder({ dims, builtinRelations: false })],
    ];
    const out: Record<string, unknown> = {
      set: path.basename(setDir.replace(/\/$/, '')),
      t0: meta.t0,
      questions: questions.length,
      files,
      chunks,
      window_lines: windowLines,
      model: vectors.embedder.id,
      index_s: Math.round(indexSec * 10) / 10,
      vocabulary: learn,
    };
    for (const [name, e] of variants) {
      const ranked: string[][] = [];
      const t0 = performance.now();
      for (const q of questions) {
        const v = e.embedQuerySync(q.query, pid);
        const hits = await vectors.store.search('code', v, 200, { project_id: pid });
        const order: string[] = [];
        for (const h of hits) {
          const p = String(h.payload.path);
          if (!order.includes(p)) order.push(p);
          if (order.length >= 10) break;
        }
        ranked.push(order);
      }
      out[name] = { ...metrics(ranked, questions.map((q) => q.gold)), query_ms: Math.round(((performance.now() - t0) / questions.length) * 10) / 10 };
      console.log(name, JSON.stringify(out[name]));
    }
    db.close();
    const file = path.join(import.meta.dirname, 'results', `vectors-eval-${out.set as string}${model === 'local' ? '' : `-${model}`}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
    console.log(`wrote ${file}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
