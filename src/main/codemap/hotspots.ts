// Hotspots of a project: read its history and quality metrics, calibrate the model on its past (when history grew),
// score every source file, and store the ranking with reasons in words. Queries read the stored ranking.
import type { Db } from '../db/open';
import { DAY, type Features, type FileFacts } from './features';
import { buildHistories, type HistCommit, type Histories } from './history';
import { INPUTS, PRIOR, type HotspotModel } from './model';
import { isSourcePath } from './paths';
import { calibrateModel, rankFiles, type CalibrationReport, type RankedFile } from './rank';
import { getState, setState } from './state';

export interface HotspotSymbol {
  name: string;
  line: number;
  complexity: number;
  cognitive: number;
}

export interface HotspotResult {
  path: string;
  /** Chance the file needs a fix within a year, from the model calibrated on this project's history. */
  score: number;
  rank: number;
  /** Commits in the last year. */
  churn: number;
  complexity: number;
  lines: number;
  reasons: string[];
  symbols: HotspotSymbol[];
  fixes_1y: number;
  authors_1y: number;
}

interface StoredModel {
  model: HotspotModel;
  report: CalibrationReport;
  commits: number;
  calibrated_at: string;
  /** The prior it was calibrated from: a new Mira with a new prior recalibrates. */
  prior: number[];
}

/** New commits that make the model worth fitting again. */
const RECALIBRATE_AFTER = 100;
const MODEL_KEY = 'hotspot_model';

/** The project's stored hotspot model (calibrated on its history), or null before the code map's first run. */
export function storedModel(db: Db, projectId: number): StoredModel | null {
  return getState<StoredModel>(db, projectId, MODEL_KEY);
}

/** Loads non-merge commits newest first with their files, as the git capability stored them. */
export function loadCommits(db: Db, projectId: number): HistCommit[] {
  const files = new Map<number, HistCommit['files']>();
  for (const r of db.prepare('SELECT commit_id, path, old_path, added, deleted FROM git_commit_files WHERE project_id = ?').iterate(projectId) as Iterable<{
    commit_id: number;
    path: string;
    old_path: string | null;
    added: number | null;
    deleted: number | null;
  }>) {
    let list = files.get(r.commit_id);
    if (!list) files.set(r.commit_id, (list = []));
    list.push({ path: r.path, old_path: r.old_path, added: r.added, deleted: r.deleted });
  }
  const rows = db
    .prepare('SELECT id, sha, committed_at, author_email, subject FROM git_commits WHERE project_id = ? AND is_merge = 0 ORDER BY committed_at DESC, id DESC')
    .all(projectId) as { id: number; sha: string; committed_at: number; author_email: string; subject: string }[];
  return rows.map((r) => ({ sha: r.sha, time: r.committed_at, author: r.author_email, subject: r.subject, files: files.get(r.id) ?? [] }));
}

/** Today's size and complexity of every source file with metrics. */
export function loadFacts(db: Db, projectId: number): Map<string, FileFacts> {
  const out = new Map<string, FileFacts>();
  for (const r of db.prepare('SELECT path, lines, complexity, functions, max_cognitive, fan_out, tested_share FROM code_quality_files WHERE project_id = ?').iterate(projectId) as Iterable<{
    path: string;
    lines: number;
    complexity: number;
    functions: number;
    max_cognitive: number;
    fan_out: number;
    tested_share: number | null;
  }>) {
    if (isSourcePath(r.path)) out.set(r.path, { loc: r.lines, complexity: r.complexity, functions: r.functions, max_cognitive: r.max_cognitive, fan_out: r.fan_out, tested_share: r.tested_share });
  }
  return out;
}

export interface HotspotRun {
  files: number;
  commits: number;
  calibrated: boolean;
  source: 'prior' | 'calibrated';
  took_ms: number;
}

/** Recomputes and stores the project's hotspots; calibrates first when there is enough new history (or `recalibrate`). */
export function updateHotspots(db: Db, projectId: number, opts: { recalibrate?: boolean } = {}): HotspotRun {
  const t0 = performance.now();
  const commits = loadCommits(db, projectId);
  const facts = loadFacts(db, projectId);
  const h = buildHistories(commits, facts.keys());
  const now = h.last ?? Math.floor(Date.now() / 1000);
  let stored = getState<StoredModel>(db, projectId, MODEL_KEY);
  let calibrated = false;
  const stale = !stored || commits.length - stored.commits >= RECALIBRATE_AFTER || JSON.stringify(stored.prior) !== JSON.stringify(PRIOR.weights);
  if (opts.recalibrate || stale || !stored) {
    const { model, report } = calibrateModel(h, facts, now, PRIOR);
    stored = { model, report, commits: commits.length, calibrated_at: new Date().toISOString(), prior: PRIOR.weights };
    setState(db, projectId, MODEL_KEY, stored);
    calibrated = true;
  }
  const ranked = rankFiles(h, facts, now, stored.model);
  writeHotspots(db, projectId, ranked, h);
  return { files: ranked.length, commits: commits.length, calibrated, source: stored.model.source, took_ms: Math.round(performance.now() - t0) };
}

function writeHotspots(db: Db, projectId: number, ranked: RankedFile[], h: Histories): void {
  const top = new Set(ranked.slice(0, Math.max(5, Math.ceil(ranked.length * 0.1))).map((r) => r.path));
  // By file id: code_quality is indexed by file, not path.
  const hardestOf = db.prepare(
    'SELECT symbol, cognitive FROM code_quality WHERE file_id = (SELECT id FROM files WHERE project_id = ? AND path = ?) ORDER BY cognitive DESC, complexity DESC, start_line LIMIT 1',
  );
  const del = db.prepare('DELETE FROM codemap_hotspots WHERE project_id = ?');
  const ins = db.prepare('INSERT INTO codemap_hotspots (project_id, path, score, rank, churn, complexity, lines, features, reasons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    del.run(projectId);
    ranked.forEach((r, i) => {
      const hardest = (hardestOf.get(projectId, r.path) as { symbol: string; cognitive: number } | undefined) ?? null;
      const reasons = reasonsFor(r, { top, hardest, recent: recentAuthors(h, r.path) });
      const f = r.features;
      const features = { ...roundAll(f), contributions: Object.fromEntries(INPUTS.map((k, j) => [k, round(r.contributions[j]!)])) };
      ins.run(projectId, r.path, round(r.score), i + 1, f.commits_1y, f.complexity, f.loc, JSON.stringify(features), JSON.stringify(reasons));
    });
  })();
}

/** People who changed the file in the quarter before the history's newest commit. */
function recentAuthors(h: Histories, path: string): number {
  const since = (h.last ?? 0) - 91 * DAY;
  return new Set((h.events.get(path) ?? []).filter((e) => e.t >= since).map((e) => e.author)).size;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The reasons behind a file's score, in words, strongest first (by the model's contribution of each input). */
export function reasonsFor(r: RankedFile, ctx: { top: Set<string>; hardest: { symbol: string; cognitive: number } | null; recent: number }): string[] {
  const f = r.features;
  const c = Object.fromEntries(INPUTS.map((k, j) => [k, r.contributions[j]!])) as Record<(typeof INPUTS)[number], number>;
  const out: { w: number; text: string }[] = [];
  if (f.commits_3m >= 3) out.push({ w: c.churn + 0.5, text: `changed in ${plural(f.commits_3m, 'commit')} this quarter${ctx.recent > 1 ? ` by ${ctx.recent} people` : ''}` });
  else if (f.commits_1y > 0) out.push({ w: c.churn, text: `changed in ${plural(f.commits_1y, 'commit')} in the last year${f.authors_1y > 1 ? ` by ${f.authors_1y} people` : ''}` });
  else out.push({ w: c.churn, text: f.commits ? `no commits in the last year (last change ${Math.round(f.since_days)} days ago)` : 'no recorded history' });
  if (f.fixes_6m > 0) out.push({ w: c.fixes + 0.4, text: `${plural(f.fixes_6m, 'bug fix', 'bug fixes')} in the last 6 months` });
  else if (f.fixes_1y > 0) out.push({ w: c.fixes, text: `${plural(f.fixes_1y, 'bug fix', 'bug fixes')} in the last year` });
  const trend = f.growth_6m > 0.1 ? ' and rising' : f.growth_6m < -0.1 ? ' and falling' : '';
  out.push({ w: c.bulk, text: `complexity ${f.complexity}${trend} over ${f.loc} lines` });
  if (ctx.hardest && ctx.hardest.cognitive >= 15) out.push({ w: c.hardest, text: `its hardest function, ${ctx.hardest.symbol}, has cognitive complexity ${ctx.hardest.cognitive}: split it or cover its branches` });
  if (f.fan_out >= 8) out.push({ w: c.fan_out - 0.1, text: `depends on ${f.fan_out} other files: changes there can break it` });
  if (f.added_dec >= 50 && f.lines_changed_1y > 0) out.push({ w: c.new_code, text: `${f.lines_changed_1y} lines changed in the last year: much of the code is young` });
  if (f.authors >= 4 && f.top_share < 0.5) out.push({ w: c.authors, text: `${f.authors} authors over its life, none with half the commits: ownership is spread thin` });
  else if (f.authors >= 3) out.push({ w: c.authors - 0.2, text: `${f.authors} authors over its life` });
  if (f.age_days < 180 && f.commits > 0) out.push({ w: c.age, text: `created ${Math.round(f.age_days)} days ago` });
  if (f.partner && ctx.top.has(f.partner) && f.partner_commits >= 2) out.push({ w: 0.05, text: `changes together with ${f.partner} (also a hotspot), ${plural(f.partner_commits, 'time')} this year` });
  return out
    .sort((a, b) => b.w - a.w)
    .slice(0, 5)
    .map((x) => x.text);
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function roundAll(f: Features): Record<string, unknown> {
  return Object.fromEntries(Object.entries(f).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]));
}

export class HotspotQueries {
  constructor(private readonly db: Db, private readonly projectId: number) {}

  /** The top files, best first; `path` limits to one file or a folder prefix. */
  top(opts: { k?: number; path?: string; symbols?: number } = {}): HotspotResult[] {
    const prefix = opts.path ? opts.path.replace(/\/+$/, '') : null;
    const rows = this.db
      .prepare(`SELECT path, score, rank, churn, complexity, lines, features, reasons FROM codemap_hotspots
        WHERE project_id = ? AND (? IS NULL OR path = ? OR path LIKE ? ESCAPE '\\') ORDER BY rank LIMIT ?`)
      .all(this.projectId, prefix, prefix, prefix ? `${prefix.replace(/[\\%_]/g, (m) => `\\${m}`)}/%` : null, opts.k ?? 20) as {
      path: string;
      score: number;
      rank: number;
      churn: number;
      complexity: number;
      lines: number;
      features: string;
      reasons: string;
    }[];
    const sym = this.db.prepare(
      'SELECT symbol, start_line, complexity, cognitive FROM code_quality WHERE file_id = (SELECT id FROM files WHERE project_id = ? AND path = ?) ORDER BY cognitive DESC, complexity DESC, start_line LIMIT ?',
    );
    return rows.map((r) => {
      const f = JSON.parse(r.features) as Features;
      return {
        path: r.path,
        score: r.score,
        rank: r.rank,
        churn: r.churn,
        complexity: r.complexity,
        lines: r.lines,
        reasons: JSON.parse(r.reasons) as string[],
        symbols: (sym.all(this.projectId, r.path, opts.symbols ?? 3) as { symbol: string; start_line: number; complexity: number; cognitive: number }[]).map((s) => ({
          name: s.symbol,
          line: s.start_line,
          complexity: s.complexity,
          cognitive: s.cognitive,
        })),
        fixes_1y: f.fixes_1y,
        authors_1y: f.authors_1y,
      };
    });
  }

  /** Score and rank of every ranked file (for the treemap's colours). */
  scores(): Map<string, { score: number; rank: number }> {
    const out = new Map<string, { score: number; rank: number }>();
    for (const r of this.db.prepare('SELECT path, score, rank FROM codemap_hotspots WHERE project_id = ?').iterate(this.projectId) as Iterable<{ path: string; score: number; rank: number }>)
      out.set(r.path, { score: r.score, rank: r.rank });
    return out;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM codemap_hotspots WHERE project_id = ?').get(this.projectId) as { n: number }).n;
  }

  model(): StoredModel | null {
    return getState<StoredModel>(this.db, this.projectId, MODEL_KEY);
  }

  /** One line for the oracle when the file is among the project's hotspots (top tenth, at least the top 5), else null. */
  note(path: string): string | null {
    const r = this.db.prepare('SELECT rank, score, reasons FROM codemap_hotspots WHERE project_id = ? AND path = ?').get(this.projectId, path) as
      | { rank: number; score: number; reasons: string }
      | undefined;
    if (!r) return null;
    const n = this.count();
    if (r.rank > Math.max(5, Math.ceil(n * 0.1))) return null;
    const reasons = (JSON.parse(r.reasons) as string[]).slice(0, 2).join('; ');
    return `${path} is a hotspot (#${r.rank} of ${n} source files, ${Math.round(r.score * 100)}% chance of a fix within a year): ${reasons}`;
  }
}
