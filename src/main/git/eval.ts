// Evaluation of co-change and expertise on time-split sets: history read up to T0, later commits as questions.
// The set layout and the scoring are those of /work/shared/eval (baselines.py scores the classic methods the same way).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, type Db } from '../db/open';
import { ProjectsRepo } from '../db/projects';
import { MiraError } from '../../shared/errors';
import type { CochangeParams } from './cochange';
import type { ExpertiseParams } from './expertise';
import type { SyncReport } from './ingest';
import { GitService } from './service';

export interface EvalOptions {
  setDir: string;
  repo: string;
  /** Keep the ingested database here (reused when it already holds the same T0), instead of a throwaway one. */
  dbFile?: string;
  cochange?: Partial<CochangeParams>;
  expertise?: Partial<ExpertiseParams>;
  /** Include bot authors in expert answers (default true: bots do change files next). */
  bots?: boolean;
  log?: (msg: string) => void;
}

export interface Metric {
  name: string;
  ours: number;
  baseline: number | null;
  ratio: number | null;
  goal: number | null;
  met: boolean | null;
}

export interface EvalResult {
  set: string;
  repo: string;
  t0: string;
  task: 'cochange' | 'experts';
  queries: number;
  baseline_queries: number | null;
  metrics: Record<string, number>;
  baseline: Record<string, number> | null;
  goals: Metric[];
  ingest: Pick<SyncReport, 'status' | 'commits_total' | 'took_ms' | 'mode'>;
  took_ms: number;
}

/** recall@k, hit@k and MRR over ranked lists of at most 10, as in baselines.py. */
export function rankMetrics(ranked: string[][], golds: string[][], ks: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  const n = golds.length || 1;
  for (const k of ks) {
    let recall = 0;
    let hit = 0;
    ranked.forEach((r, i) => {
      const g = new Set(golds[i]);
      const top = new Set(r.slice(0, k));
      let inter = 0;
      for (const x of top) if (g.has(x)) inter++;
      recall += g.size ? inter / g.size : 0;
      hit += inter > 0 ? 1 : 0;
    });
    out[`recall@${k}`] = round3(recall / n);
    out[`hit@${k}`] = round3(hit / n);
  }
  let mrr = 0;
  ranked.forEach((r, i) => {
    const g = new Set(golds[i]);
    const at = r.slice(0, 10).findIndex((x) => g.has(x));
    if (at >= 0) mrr += 1 / (at + 1);
  });
  out.mrr = round3(mrr / n);
  return out;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

interface Loaded {
  db: Db;
  svc: GitService;
  t0: string;
  set: string;
  ingest: SyncReport;
  cleanup: () => void;
}

function readJsonl<T>(file: string): T[] {
  if (!fs.existsSync(file)) throw new MiraError('not_found', `${file} does not exist`, 'pass the folder of an evaluation set (meta.json, cochange.jsonl, experts.jsonl)');
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

async function load(opts: EvalOptions): Promise<Loaded> {
  const metaFile = path.join(opts.setDir, 'meta.json');
  if (!fs.existsSync(metaFile)) throw new MiraError('not_found', `no meta.json in ${opts.setDir}`, 'pass --set DIR, the folder of an evaluation set');
  const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as { t0?: string };
  if (!meta.t0) throw new MiraError('bad_request', `${metaFile} has no t0`);
  if (!fs.existsSync(opts.repo)) throw new MiraError('not_found', `repository ${opts.repo} does not exist`, 'pass --repo GIT_DIR (a bare mirror or a .git folder)');
  const repo = fs.realpathSync(opts.repo);
  const tmp = opts.dbFile ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'mira-eval-'));
  const dbFile = opts.dbFile ?? path.join(tmp!, 'mira.db');
  const { db } = openDb(dbFile, { vectors: false });
  const cleanup = () => {
    try {
      db.close();
    } catch {
      /* already closed */
    }
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const project = new ProjectsRepo(db).ensure(repo);
    // A work tree is not needed: everything is read from the git dir, up to T0.
    const svc = new GitService(db, project.id, { gitDir: repo }, undefined, { cochange: opts.cochange, expertise: opts.expertise });
    opts.log?.(`reading history of ${repo} up to ${meta.t0.slice(0, 12)}`);
    const ingest = await svc.sync({ until: meta.t0 });
    if (ingest.status !== 'ok' && ingest.status !== 'unchanged') throw new MiraError('internal', `history ingest ${ingest.status}: ${ingest.reasons.map((r) => r.detail).join('; ')}`);
    return { db, svc, t0: meta.t0, set: path.basename(path.resolve(opts.setDir)), ingest, cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}

function baselineFor(setDir: string, set: string): Record<string, unknown> | null {
  const file = path.join(path.resolve(setDir), '..', 'baselines.jsonl');
  if (!fs.existsSync(file)) return null;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const v = JSON.parse(line) as Record<string, unknown>;
      if (v.set === set) return v;
    } catch {
      /* skip a bad line */
    }
  }
  return null;
}

function goal(name: string, ours: number, baseline: number | null, factor: number): Metric {
  const target = baseline === null ? null : round3(baseline * factor);
  return { name, ours, baseline, ratio: baseline ? round3(ours / baseline) : null, goal: target, met: target === null ? null : ours >= target };
}

/** Files that have co-change history before T0 in the baseline's sense: in a non-merge commit of at most 30 files (renames count twice). */
function historyFiles(db: Db, projectId: number): Set<string> {
  const rows = db
    .prepare(`WITH c AS (
        SELECT c.id FROM git_commits c WHERE c.project_id = ? AND c.is_merge = 0 AND (c.skip_reason IS NULL OR c.skip_reason LIKE 'large%')
          AND c.files_count + (SELECT count(*) FROM git_commit_files f WHERE f.commit_id = c.id AND f.old_path IS NOT NULL) <= 30)
      SELECT path AS p FROM git_commit_files WHERE commit_id IN (SELECT id FROM c)
      UNION SELECT old_path AS p FROM git_commit_files WHERE commit_id IN (SELECT id FROM c) AND old_path IS NOT NULL`)
    .all(projectId) as { p: string }[];
  return new Set(rows.map((r) => r.p));
}

export async function evalCochange(opts: EvalOptions): Promise<EvalResult> {
  const started = performance.now();
  const tests = readJsonl<{ sha: string; files: string[] }>(path.join(opts.setDir, 'cochange.jsonl'));
  const L = await load(opts);
  try {
    const known = historyFiles(L.db, L.svc.projectId);
    const ranked: string[][] = [];
    const golds: string[][] = [];
    for (const t of tests) {
      for (const f of t.files) {
        if (!known.has(f)) continue;
        ranked.push(L.svc.cochangeFor([f], 10).results.map((r) => r.path));
        golds.push(t.files.filter((g) => g !== f));
      }
    }
    const metrics = rankMetrics(ranked, golds, [1, 3, 5, 10]);
    const b = baselineFor(opts.setDir, L.set);
    const rose = (b?.rose ?? null) as Record<string, number> | null;
    return {
      set: L.set,
      repo: opts.repo,
      t0: L.t0,
      task: 'cochange',
      queries: golds.length,
      baseline_queries: rose?.queries ?? null,
      metrics,
      baseline: rose,
      goals: [goal('recall@5', metrics['recall@5']!, rose?.['recall@5'] ?? null, 1.15), goal('hit@3', metrics['hit@3']!, rose?.['hit@3'] ?? null, 1.05)],
      ingest: { status: L.ingest.status, commits_total: L.ingest.commits_total, took_ms: L.ingest.took_ms, mode: L.ingest.mode },
      took_ms: Math.round(performance.now() - started),
    };
  } finally {
    L.cleanup();
  }
}

export async function evalExperts(opts: EvalOptions): Promise<EvalResult> {
  const started = performance.now();
  const tests = readJsonl<{ sha: string; author: string; files: string[] }>(path.join(opts.setDir, 'experts.jsonl'));
  const L = await load(opts);
  try {
    const ranked: string[][] = [];
    const golds: string[][] = [];
    let covered = 0;
    const touchers = L.db.prepare(`SELECT 1 FROM author_expertise e JOIN git_authors a ON a.id = e.author_id
      WHERE e.project_id = ? AND e.scope = 'file' AND e.key = ? AND a.email = ? LIMIT 1`);
    for (const t of tests) {
      const author = t.author.toLowerCase();
      ranked.push(L.svc.experts(t.files, 10, { bots: opts.bots ?? true }).results.map((r) => r.email));
      golds.push([author]);
      if (t.files.some((f) => touchers.get(L.svc.projectId, L.svc.cochange.canonical(f), author))) covered++;
    }
    const all = rankMetrics(ranked, golds, [1, 3]);
    const metrics: Record<string, number> = { 'hit@1': all['hit@1']!, 'hit@3': all['hit@3']!, mrr: all.mrr!, coverage: round3(covered / Math.max(1, tests.length)) };
    // The best any ranking of known people can do: questions whose author committed anything before T0.
    const everyone = new Set((L.db.prepare('SELECT email FROM git_authors WHERE project_id = ? AND commits > 0').all(L.svc.projectId) as { email: string }[]).map((r) => r.email));
    metrics.known_author = round3(golds.filter((g) => everyone.has(g[0]!)).length / Math.max(1, golds.length));
    const b = baselineFor(opts.setDir, L.set);
    const ex = (b?.experts ?? null) as Record<string, Record<string, number>> | null;
    const better = ex ? Math.max(ex.commits?.mrr ?? 0, ex.recent?.mrr ?? 0) : null;
    return {
      set: L.set,
      repo: opts.repo,
      t0: L.t0,
      task: 'experts',
      queries: golds.length,
      baseline_queries: null,
      metrics,
      baseline: ex ? { commits_mrr: ex.commits?.mrr ?? 0, recent_mrr: ex.recent?.mrr ?? 0, commits_hit1: ex.commits?.['hit@1'] ?? 0, recent_hit1: ex.recent?.['hit@1'] ?? 0 } : null,
      goals: [goal('mrr', metrics.mrr!, better, 1.1)],
      ingest: { status: L.ingest.status, commits_total: L.ingest.commits_total, took_ms: L.ingest.took_ms, mode: L.ingest.mode },
      took_ms: Math.round(performance.now() - started),
    };
  } finally {
    L.cleanup();
  }
}
