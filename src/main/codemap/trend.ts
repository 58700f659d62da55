// A file's history for the trend chart: lines after every commit (from numstat), churn per month, and complexity over
// time, measured on a few sampled versions when the repository is at hand and estimated from the line counts otherwise.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Db } from '../db/open';
import { analysable, analyzeFile } from './analyze';
import { FIX_SUBJECT } from './history';
import { languageOf } from '../project/languages';

const run = promisify(execFile);

export interface TrendPoint {
  sha: string;
  date: string;
  lines: number;
  added: number;
  deleted: number;
  fix: boolean;
  /** Total cyclomatic complexity after the commit: measured on that version, or estimated from its lines. */
  complexity: number;
  measured: boolean;
}

export interface TrendMonth {
  month: string;
  commits: number;
  added: number;
  deleted: number;
  fixes: number;
}

export interface Trend {
  path: string;
  names: string[];
  points: TrendPoint[];
  months: TrendMonth[];
}

/** Versions of the file parsed to measure complexity (evenly spread over its history, the newest included). */
const SAMPLES = 8;

/** A file's current name and the names it had before (renames followed back). */
function namesOf(db: Db, projectId: number, path: string): string[] {
  const out = [path];
  const olds = db.prepare('SELECT DISTINCT old_path FROM git_commit_files WHERE project_id = ? AND path = ? AND old_path IS NOT NULL');
  for (let i = 0; i < out.length && out.length < 50; i++) for (const r of olds.all(projectId, out[i]) as { old_path: string }[]) if (!out.includes(r.old_path)) out.push(r.old_path);
  return out;
}

export async function fileTrend(db: Db, projectId: number, path: string, opts: { root?: string; measure?: boolean } = {}): Promise<Trend> {
  const names = namesOf(db, projectId, path);
  const rows = db
    .prepare(`SELECT c.sha, c.committed_at, c.subject, f.path, f.added, f.deleted FROM git_commit_files f JOIN git_commits c ON c.id = f.commit_id
      WHERE f.project_id = ? AND f.path IN (SELECT value FROM json_each(?)) AND c.is_merge = 0 ORDER BY c.committed_at, c.id`)
    .all(projectId, JSON.stringify(names)) as { sha: string; committed_at: number; subject: string; path: string; added: number | null; deleted: number | null }[];
  const now = db.prepare('SELECT lines, complexity FROM code_quality_files WHERE file_id = (SELECT id FROM files WHERE project_id = ? AND path = ?)').get(projectId, path) as
    | { lines: number; complexity: number }
    | undefined;
  const netTotal = rows.reduce((s, r) => s + (r.added ?? 0) - (r.deleted ?? 0), 0);
  // Line counts after each commit: today's lines minus what later commits added (numstat counts can drift with binary
  // or whitespace changes, so today's count anchors the series).
  const linesNow = now?.lines ?? Math.max(0, netTotal);
  let lines = linesNow - netTotal;
  const density = now && now.lines > 0 ? now.complexity / now.lines : 0;
  const points: TrendPoint[] = rows.map((r) => {
    lines += (r.added ?? 0) - (r.deleted ?? 0);
    const l = Math.max(0, lines);
    return { sha: r.sha, date: new Date(r.committed_at * 1000).toISOString(), lines: l, added: r.added ?? 0, deleted: r.deleted ?? 0, fix: FIX_SUBJECT.test(r.subject), complexity: Math.round(l * density), measured: false };
  });
  const language = languageOf(path);
  if (opts.measure !== false && opts.root && points.length && analysable(language)) {
    const step = Math.max(1, (points.length - 1) / (SAMPLES - 1));
    const picks = new Set<number>();
    for (let k = 0; k < SAMPLES; k++) picks.add(Math.min(points.length - 1, Math.round(k * step)));
    for (const i of picks) {
      const p = points[i]!;
      const at = rows[i]!.path;
      try {
        const { stdout } = await run('git', ['show', `${p.sha}:${at}`], { cwd: opts.root, maxBuffer: 16 << 20, encoding: 'utf8' });
        const a = await analyzeFile(at, language!, stdout);
        p.complexity = a.complexity;
        p.lines = a.lines;
        p.measured = true;
      } catch {
        /* deleted in that commit or objects missing: keep the estimate */
      }
    }
  }
  const months = new Map<string, TrendMonth>();
  for (const p of points) {
    const m = p.date.slice(0, 7);
    const b = months.get(m) ?? { month: m, commits: 0, added: 0, deleted: 0, fixes: 0 };
    b.commits++;
    b.added += p.added;
    b.deleted += p.deleted;
    if (p.fix) b.fixes++;
    months.set(m, b);
  }
  return { path, names, points, months: [...months.values()] };
}
