// Measures how many per-symbol LLM analyses the analysis cache avoids when a real repository is re-indexed after each of its commits, against a local OpenAI-compatible server.
//
// usage: npx tsx bench/llm-analysis-cache.ts [GIT_DIR] [--commits N] [--rev REV] [--batch B] [--chunker code|toplevel]
//   GIT_DIR   a repository (bare or not), e.g. a mirror of colinhacks/zod fetched with the library's `fetch` (required)
//   --commits how many consecutive first-parent commits to re-index after the cold start (default 40)
//   --batch   symbols per model call (default 1: one call per symbol analysis, so calls avoided = analyses avoided)
//   --chunker 'code' uses the code capability's tree-sitter symbols and their content hashes (default);
//             'toplevel' splits files into top-level declarations and hashes those (no parser needed)
// Every analysis goes through the real LlmService, budget ledger and openai SDK to test/helpers/openai-server.ts.
// Prints one JSON document and writes bench/results/llm-analysis-cache.json.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startOpenAiServer } from '../test/helpers/openai-server';
import { openDb, packagePath } from '../src/main/db/open';
import { languageOf } from '../src/main/project/languages';
import { CONCEPTS, SymbolAnalyzer, type SymbolForAnalysis } from '../src/main/llm/analysis';
import { LlmService } from '../src/main/llm/service';
import type { LlmSettings } from '../src/main/llm/settings';

interface Args {
  gitDir: string;
  commits: number;
  rev: string;
  batch: number;
  chunker: 'code' | 'toplevel';
}

function parseArgs(argv: string[]): Args {
  const a: Args = { gitDir: process.env.MIRA_BENCH_REPO ?? '', commits: 40, rev: 'HEAD', batch: 1, chunker: 'code' };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i]!;
    const next = () => argv[++i] ?? '';
    if (v === '--commits') a.commits = Number(next());
    else if (v === '--rev') a.rev = next();
    else if (v === '--batch') a.batch = Number(next());
    else if (v === '--chunker') a.chunker = next() === 'toplevel' ? 'toplevel' : 'code';
    else if (!v.startsWith('--')) a.gitDir = v;
  }
  if (!a.gitDir) {
    console.error('usage: npx tsx bench/llm-analysis-cache.ts GIT_DIR [--rev REV] [--commits N]');
    process.exit(2);
  }
  return a;
}

/** Symbol kinds the code index sends for enrichment (src/main/code/enrich.ts). */
const ANALYSED = new Set(['function', 'method', 'class', 'struct', 'trait', 'interface', 'enum', 'module']);
const TEST_PATH = /(^|\/)(tests?|__tests__|__snapshots__|fixtures?)\/|\.(test|spec)\.[a-z]+$/;
const SKIP_PATH = /(^|\/)(node_modules|dist|build|vendor|out|coverage)\//;

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', gitDirOf(dir), ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

function gitDirOf(dir: string): string {
  return fs.existsSync(path.join(dir, '.git')) ? path.join(dir, '.git') : dir;
}

function sha256(s: string): string {
  return crypto.createHash('sha256').update(s).digest('hex');
}

/** Top-level declarations: a line starting at column 0 with a declaration keyword opens a chunk that runs to the next one. */
function topLevelChunks(file: string, text: string): SymbolForAnalysis[] {
  const lines = text.split('\n');
  const starts: number[] = [];
  const decl = /^(export\s+)?(default\s+)?(async\s+)?(function|class|interface|type|enum|const|let|abstract|declare|namespace|def|fn|pub|func|struct|impl|trait)\b/;
  lines.forEach((l, i) => {
    if (decl.test(l)) starts.push(i);
  });
  return starts.map((s, k) => {
    const body = lines.slice(s, starts[k + 1] ?? lines.length).join('\n').trimEnd();
    const name = /\b(?:function|class|interface|type|enum|const|let|def|fn|func|struct|trait|namespace)\s+([A-Za-z_$][\w$]*)/.exec(lines[s]!)?.[1] ?? `chunk${k}`;
    return { hash: sha256(body), name, kind: 'chunk', path: file };
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const revs = git(args.gitDir, 'rev-list', '--first-parent', `--max-count=${args.commits + 1}`, args.rev).trim().split('\n').reverse();
  if (revs.length < 2) throw new Error('need at least two commits');

  let parseFile: ((p: string, lang: string, text: string) => Promise<{ symbols: { kind: string; is_test: boolean; hash: string; name: string; signature: string | null; doc: string | null; qualified: string }[]; failed?: string }>) | null = null;
  let parsed = (_lang: string | null) => false;
  if (args.chunker === 'code') {
    try {
      const mod = await import('../src/main/code/parse');
      parseFile = mod.parseFile;
      parsed = (lang) => mod.isParsed(lang);
    } catch (e) {
      process.stderr.write(`code parser unavailable (${(e as Error).message}); using top-level chunks\n`);
      args.chunker = 'toplevel';
    }
  }

  // Symbols per blob: an unchanged file is the same blob, so it is parsed once for the whole run.
  const byBlob = new Map<string, SymbolForAnalysis[]>();
  async function symbolsAt(rev: string): Promise<{ symbols: SymbolForAnalysis[]; files: number }> {
    const out: SymbolForAnalysis[] = [];
    let files = 0;
    for (const line of git(args.gitDir, 'ls-tree', '-r', rev).split('\n')) {
      const m = /^\d+ blob ([0-9a-f]+)\t(.+)$/.exec(line);
      if (!m) continue;
      const [, blob, file] = m as unknown as [string, string, string];
      if (SKIP_PATH.test(file) || TEST_PATH.test(file)) continue;
      const lang = languageOf(file);
      const usable = args.chunker === 'code' ? parsed(lang) : !!lang && /typescript|tsx|javascript|python|rust|go|java|c|cpp/.test(lang);
      if (!usable) continue;
      files++;
      let syms = byBlob.get(blob);
      if (!syms) {
        const text = git(args.gitDir, 'cat-file', 'blob', blob);
        if (text.length > 512 * 1024) syms = [];
        else if (args.chunker === 'code' && parseFile) {
          const p = await parseFile(file, lang!, text);
          syms = p.symbols
            .filter((s) => ANALYSED.has(s.kind) && !s.is_test)
            .map((s) => ({ hash: s.hash, name: s.qualified || s.name, kind: s.kind, path: file, signature: s.signature, doc: s.doc }));
        } else syms = topLevelChunks(file, text);
        byBlob.set(blob, syms);
      }
      out.push(...syms);
    }
    return { symbols: out, files };
  }

  const server = await startOpenAiServer({ models: ['gpt-5-mini'] });
  server.setResponder((req) => {
    const syms = JSON.parse(String(req.body.messages.at(-1).content)).symbols as { hash: string; name: string }[];
    const words = (n: string) => n.split(/(?=[A-Z])|[._]/).filter(Boolean).map((w) => w.toLowerCase());
    const content = JSON.stringify({
      symbols: syms.map((s) => ({ hash: s.hash, purpose: `handles ${words(s.name).join(' ')}`, concepts: words(s.name).slice(0, 3).map((c) => ({ concept: c, score: 0.7 })), domains: [], confidence: 0.7 })),
    });
    return { content, usage: { prompt_tokens: 180 + 60 * syms.length, completion_tokens: 40 * syms.length } };
  });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mira-bench-llm-'));
  const { db } = openDb(path.join(home, 'mira.db'), { migrationsDir: packagePath('migrations'), vectors: false });
  const settings: LlmSettings = {
    apiKey: 'sk-bench-local-000000',
    baseURL: server.url,
    model: 'gpt-5-mini',
    effort: 'low',
    embeddingModel: 'local',
    timeoutMs: 30_000,
    idleTimeoutMs: 30_000,
    maxRetries: 2,
    retryBaseMs: 10,
    cacheTtlMs: 0,
    cacheMaxEntries: 1000,
    cacheMaxBytes: 1 << 26,
    summaryEvery: 10,
    learn: 'off',
    maxToolRounds: 0,
    contextTokens: 1000,
    prices: {},
  };
  const llm = new LlmService({ db, settings, limits: () => ({ dailyUsd: 1e6, monthlyUsd: 1e6 }) });
  const analyzer = new SymbolAnalyzer(llm, { batch: args.batch, concurrency: 8 });

  const runs: { commit: string; subject: string; files_changed: number; files: number; symbols: number; asked: number; cached: number; calls: number; avoided_pct: number; cost_usd: number; took_ms: number }[] = [];
  const started = performance.now();
  for (let i = 0; i < revs.length; i++) {
    const rev = revs[i]!;
    const t0 = performance.now();
    const { symbols, files } = await symbolsAt(rev);
    const r = await analyzer.run(CONCEPTS, symbols);
    const changed = i === 0 ? files : git(args.gitDir, 'diff', '--name-only', revs[i - 1]!, rev).trim().split('\n').filter(Boolean).length;
    const total = r.cached + r.asked;
    runs.push({
      commit: rev.slice(0, 10),
      subject: git(args.gitDir, 'log', '-1', '--format=%s', rev).trim().slice(0, 70),
      files_changed: changed,
      files,
      symbols: total,
      asked: r.asked,
      cached: r.cached,
      calls: r.calls,
      avoided_pct: total ? Math.round((r.cached / total) * 10000) / 100 : 100,
      cost_usd: Math.round(r.costUsd * 1e6) / 1e6,
      took_ms: Math.round(performance.now() - t0),
    });
  }
  const reindex = runs.slice(1);
  const pct = reindex.map((r) => r.avoided_pct).sort((a, b) => a - b);
  const median = pct.length % 2 ? pct[(pct.length - 1) / 2]! : (pct[pct.length / 2 - 1]! + pct[pct.length / 2]!) / 2;
  const sum = (f: (r: (typeof runs)[number]) => number) => reindex.reduce((n, r) => n + f(r), 0);
  const withoutCacheCalls = sum((r) => Math.ceil(r.symbols / args.batch));
  const result = {
    repo: path.basename(path.dirname(path.resolve(args.gitDir))).includes('+') ? path.basename(path.dirname(path.resolve(args.gitDir))) : path.basename(path.resolve(args.gitDir)),
    chunker: args.chunker,
    batch: args.batch,
    model: settings.model,
    cold: runs[0],
    reindexes: reindex.length,
    avoided_pct: {
      overall: Math.round((sum((r) => r.cached) / sum((r) => r.symbols)) * 10000) / 100,
      mean: Math.round((pct.reduce((a, b) => a + b, 0) / pct.length) * 100) / 100,
      median,
      min: pct[0],
      commits_at_or_above_85: pct.filter((p) => p >= 85).length,
    },
    llm_calls: { made: sum((r) => r.calls), without_cache: withoutCacheCalls, server_requests: server.chatRequests().length },
    cost_usd: { reindexes: Math.round(sum((r) => r.cost_usd) * 1e6) / 1e6, cold: runs[0]!.cost_usd },
    median_files_changed: [...reindex.map((r) => r.files_changed)].sort((a, b) => a - b)[Math.floor(reindex.length / 2)],
    took_ms: Math.round(performance.now() - started),
    runs,
  };
  process.stdout.write(JSON.stringify({ ...result, runs: undefined }, null, 2) + '\n');
  fs.mkdirSync(packagePath('bench', 'results'), { recursive: true });
  fs.writeFileSync(packagePath('bench', 'results', 'llm-analysis-cache.json'), JSON.stringify(result, null, 2) + '\n');
  db.close();
  await server.close();
  fs.rmSync(home, { recursive: true, force: true });
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
