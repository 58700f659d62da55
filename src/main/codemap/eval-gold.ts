// The hotspot evaluation's ground truth and baselines, ported from ../shared/eval/hotspots.py so that `mira eval hotspots`
// compares itself with them the same way: files at T0, gold = files that fix commits touched in the year after T0.
import { execFileSync, spawnSync } from 'node:child_process';
import { MiraError } from '../../shared/errors';
import type { HistCommit } from './history';

export const FIX = /\b(fix(e[sd])?|bug|crash|regression|hotfix)\b/i;
const SRC = /\.(py|rs|js|mjs|cjs|ts|tsx|jsx|svelte|go|java|c|h|cc|cpp|hpp|rb|php|cs)$/;
const NOT_SRC = /(^|\/)(tests?|__tests__|spec|fixtures?|examples?|benches|docs?|samples?)(\/|$)|[._-](test|spec)\.[a-z]+$|\.d\.ts$/;
const YEAR = 365 * 86400;

function git(gitDir: string, args: string[]): string {
  try {
    return execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const msg = (e as { stderr?: string }).stderr?.split('\n')[0] || (e as Error).message;
    throw new MiraError('not_a_git_repo', `git ${args[0]} failed in ${gitDir}: ${msg}`, 'pass --repo with a git directory (a bare mirror works) and a commit it contains');
  }
}

/**
 * Non-merge commits of `rev` (newest first) with their files. `renames` follows them as Mira's history ingest does
 * (-M: old_path set); without it every path is as written, as hotspots.py reads history.
 */
export function gitLog(gitDir: string, rev: string, opts: { renames?: boolean } = {}): HistCommit[] {
  const out = git(gitDir, ['log', '--no-merges', '-z', opts.renames ? '-M' : '--no-renames', '--numstat', '--format=%x1e%H%x1f%ct%x1f%aE%x1f%s', rev, '--']);
  const commits: HistCommit[] = [];
  for (const rec of out.split('\x1e')) {
    if (!rec) continue;
    // The header ends at the first NUL (a subject never holds one); the numstat entries follow.
    const nl = rec.indexOf('\0');
    const head = (nl < 0 ? rec : rec.slice(0, nl)).replace(/\n+$/, '');
    const [sha, t, author, subject] = head.split('\x1f');
    const c: HistCommit = { sha: sha!, time: Number(t), author: (author ?? '').toLowerCase(), subject: subject ?? '', files: [] };
    const body = nl < 0 ? '' : rec.slice(nl + 1);
    // numstat -z: "added\tdeleted\tpath\0", or for a rename "added\tdeleted\t\0old\0new\0".
    const parts = body.split('\0');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!.replace(/^\n+/, '');
      if (!p) continue;
      const m = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(p);
      if (!m) continue;
      const added = m[1] === '-' ? null : Number(m[1]);
      const deleted = m[2] === '-' ? null : Number(m[2]);
      if (m[3]) c.files.push({ path: m[3], old_path: null, added, deleted });
      else {
        const old = parts[++i] ?? '';
        const now = parts[++i] ?? '';
        c.files.push({ path: now, old_path: old, added, deleted });
      }
    }
    commits.push(c);
  }
  return commits;
}

export function commitTime(gitDir: string, rev: string): number {
  return Number(git(gitDir, ['log', '-1', '--format=%ct', rev]).trim());
}

/** The source files at T0 that the evaluation ranks (tests, docs, examples and fixtures left out). */
export function sourceFiles(gitDir: string, t0: string): string[] {
  return git(gitDir, ['ls-tree', '-r', '--name-only', t0])
    .split('\n')
    .filter((f) => f && SRC.test(f) && !NOT_SRC.test(f));
}

/** File contents at a commit, read in one `git cat-file --batch`. */
export function blobsAt(gitDir: string, rev: string, paths: string[]): Map<string, string> {
  const res = spawnSync('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { input: paths.map((p) => `${rev}:${p}\n`).join(''), maxBuffer: 1 << 30 });
  const buf = res.stdout;
  const out = new Map<string, string>();
  let i = 0;
  for (const p of paths) {
    const nl = buf.indexOf(10, i);
    if (nl < 0) break;
    const header = buf.toString('utf8', i, nl).split(' ');
    if (header[1] === 'missing' || header.length < 3) {
      out.set(p, '');
      i = nl + 1;
      continue;
    }
    const size = Number(header[2]);
    out.set(p, buf.toString('utf8', nl + 1, nl + 1 + size));
    i = nl + 1 + size + 1;
  }
  return out;
}

export interface Gold {
  t0_time: number;
  files: string[];
  /** Per defect file, the fix commits that touched it in the year after T0. */
  gold: Map<string, number>;
  baselines: Record<'loc' | 'churn' | 'churn_x_loc' | 'fix_weighted', Map<string, number>>;
}

/** hotspots.py `measure`: the files, the gold and the four baseline rankings. */
export function measureGold(gitDir: string, t0: string): Gold {
  const t0Time = commitTime(gitDir, t0);
  const files = sourceFiles(gitDir, t0);
  const fs = new Set(files);
  const gold = new Map<string, number>();
  for (const c of gitLog(gitDir, `${t0}..HEAD`)) {
    if (c.time > t0Time + YEAR || !FIX.test(c.subject)) continue;
    for (const f of c.files) if (fs.has(f.path)) gold.set(f.path, (gold.get(f.path) ?? 0) + 1);
  }
  const before = gitLog(gitDir, t0);
  const blobs = blobsAt(gitDir, t0, files);
  const loc = new Map(files.map((f) => [f, countNewlines(blobs.get(f) ?? '')]));
  const churn = new Map(files.map((f) => [f, 0]));
  const fixw = new Map(files.map((f) => [f, 0]));
  const first = before.length ? before[before.length - 1]!.time : t0Time;
  for (const c of before) {
    const fix = FIX.test(c.subject);
    for (const f of c.files) {
      if (!fs.has(f.path)) continue;
      if (c.time >= t0Time - YEAR) churn.set(f.path, churn.get(f.path)! + 1);
      if (fix) {
        const x = (c.time - first) / Math.max(1, t0Time - first);
        fixw.set(f.path, fixw.get(f.path)! + 1 / (1 + Math.exp(-12 * x + 12)));
      }
    }
  }
  return {
    t0_time: t0Time,
    files,
    gold,
    baselines: { loc, churn, churn_x_loc: new Map(files.map((f) => [f, churn.get(f)! * loc.get(f)!])), fix_weighted: fixw },
  };
}

export function countNewlines(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

export interface RankScore {
  [key: string]: number;
  auc: number;
}

/** hotspots.py `score`: P@k and recall@k over the defect files, and ROC AUC (ties broken by path). */
export function scoreRanking(s: Map<string, number>, gold: Map<string, number> | Set<string>, files: string[], k = 20): RankScore {
  const ranked = [...files].sort((a, b) => (s.get(b) ?? 0) - (s.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
  const top = ranked.slice(0, k);
  const hits = top.filter((f) => gold.has(f)).length;
  const pos: number[] = [];
  ranked.forEach((f, i) => gold.has(f) && pos.push(i));
  const nPos = pos.length;
  const nNeg = ranked.length - nPos;
  let sum = 0;
  pos.forEach((i, j) => (sum += nNeg - (i - j)));
  const round3 = (v: number) => Math.round(v * 1000) / 1000;
  return { [`p@${k}`]: round3(hits / k), [`recall@${k}`]: round3(hits / Math.max(1, gold.size)), auc: round3(sum / Math.max(1, nPos * nNeg)) };
}
