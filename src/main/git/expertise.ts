// Expertise: who knows (and who will next change) a set of files or folders, and each folder's truck factor.
//
// Per file, an author's claim combines: their share of the file's commits decayed by age (recency and commit counts),
// their share of lines added, and the degree-of-authorship model of Fritz et al. (first authorship, own deliveries,
// others' changes since). A file with no history borrows its nearest folder's numbers. Then people active in the
// project lately get a bonus, because whoever is active is who changes things next.
import type { Db } from '../db/open';
import { ancestors, normalizeRel, underRange } from './paths';

export interface ExpertiseParams {
  /** Weight of the share of lines added, next to the share of decayed commits (1). */
  linesShare: number;
  /** Weight of the normalised degree of authorship. */
  doaShare: number;
  /** Bonus per query path for recent project-wide activity. */
  activityWeight: number;
  /** How many of the most active people get that bonus. */
  activeTop: number;
  /** Folder-level evidence for a path with no history of its own counts this much. */
  fallbackShare: number;
}

export const EXPERTISE_DEFAULTS: ExpertiseParams = { linesShare: 0.2, doaShare: 0.2, activityWeight: 2, activeTop: 20, fallbackShare: 0.5 };

/** Degree of authorship (Fritz et al. 2014; weights as used by Avelino et al. for the truck factor). */
export function degreeOfAuthorship(firstAuthor: boolean, deliveries: number, acceptances: number): number {
  return 3.293 + 1.098 * (firstAuthor ? 1 : 0) + 0.164 * deliveries - 0.321 * Math.log(1 + acceptances);
}

export interface ExpertResult {
  author: string;
  email: string;
  score: number;
  commits: number;
  lines_added: number;
  last_commit: string | null;
  bot: boolean;
}

export interface ExpertsAnswer {
  results: ExpertResult[];
  query: string[];
  unknown: string[];
}

export interface TruckFactor {
  folder: string;
  truck_factor: number;
  files: number;
  authors: { author: string; email: string; files: number }[];
}

interface ExpRow {
  key: string;
  author_id: number;
  email: string;
  name: string;
  is_bot: number;
  commits: number;
  weight: number;
  lines_added: number;
  first_at: number | null;
  last_at: number | null;
}

interface Acc {
  name: string;
  email: string;
  bot: boolean;
  score: number;
  commits: number;
  lines: number;
  last: number;
}

export class ExpertiseQueries {
  private readonly st;

  private readonly p: ExpertiseParams;

  constructor(private readonly db: Db, private readonly projectId: number, private readonly canonical: (p: string) => string, params: Partial<ExpertiseParams> = {}) {
    this.p = { ...EXPERTISE_DEFAULTS, ...params };
    const cols = 'e.key, e.author_id, a.email, a.name, a.is_bot, e.commits, e.weight, e.lines_added, e.first_at, e.last_at';
    this.st = {
      rows: db.prepare(`SELECT ${cols} FROM author_expertise e JOIN git_authors a ON a.id = e.author_id WHERE e.project_id = ? AND e.scope = ? AND e.key = ?`),
      active: db.prepare('SELECT id, email, name, is_bot, commits, recent_weight, last_at FROM git_authors WHERE project_id = ? AND commits > 0 ORDER BY recent_weight DESC LIMIT ?'),
      activeTotal: db.prepare('SELECT sum(recent_weight) AS t FROM git_authors WHERE project_id = ?'),
      knows: db.prepare(`SELECT 1 FROM author_expertise WHERE project_id = ? AND author_id = ?
        AND ((scope = 'file' AND key = ?) OR (scope = 'folder' AND key IN (?, ?))) LIMIT 1`),
      under: db.prepare(`SELECT ${cols} FROM author_expertise e JOIN git_authors a ON a.id = e.author_id
        JOIN git_file_stats s ON s.project_id = e.project_id AND s.path = e.key
        WHERE e.project_id = ? AND e.scope = 'file' AND s.in_head = 1 AND e.key >= ? AND e.key < ?`),
    };
  }

  query(pathsIn: string[], k = 10, opts: { bots?: boolean } = {}): ExpertsAnswer {
    const includeBots = opts.bots ?? true;
    const people = new Map<number, Acc>();
    const touch = (r: { author_id: number; name: string; email: string; is_bot: number }): Acc => {
      let a = people.get(r.author_id);
      if (!a) people.set(r.author_id, (a = { name: r.name, email: r.email, bot: r.is_bot === 1, score: 0, commits: 0, lines: 0, last: 0 }));
      return a;
    };
    const query: string[] = [];
    const unknown: string[] = [];
    for (const raw of pathsIn) {
      const norm = normalizeRel(raw);
      let p = this.canonical(norm);
      let rows = this.rows('file', p);
      let scope: 'file' | 'folder' = 'file';
      let share = 1;
      if (!rows.length) {
        rows = this.rows('folder', norm);
        p = norm;
        scope = 'folder';
      }
      if (!rows.length) {
        // No history for this path: its nearest folder with some speaks for it, at half weight.
        unknown.push(norm);
        for (const d of ancestors(norm)) {
          rows = this.rows('folder', d);
          if (rows.length) break;
        }
        share = this.p.fallbackShare;
      }
      query.push(p);
      this.addPath(rows, scope === 'file', share, touch);
    }

    const n = Math.max(1, pathsIn.length);
    const total = (this.st.activeTotal.get(this.projectId) as { t: number | null }).t ?? 0;
    if (total > 0) {
      for (const r of this.st.active.all(this.projectId, this.p.activeTop) as { id: number; email: string; name: string; is_bot: number; recent_weight: number }[]) {
        // A bot's activity (dependency bumps, releases) says nothing about code it never touched: it counts only for
        // the query paths whose file or folder the bot has changed before.
        const paths = r.is_bot ? query.filter((p) => this.botKnows(r.id, p)).length : n;
        if (paths === 0) continue;
        touch({ author_id: r.id, name: r.name, email: r.email, is_bot: r.is_bot }).score += (this.p.activityWeight * paths * r.recent_weight) / total;
      }
    }
    const results = [...people.values()]
      .filter((a) => a.score > 0 && (includeBots || !a.bot))
      .sort((a, b) => b.score - a.score || b.commits - a.commits || a.email.localeCompare(b.email))
      .slice(0, k)
      .map((a) => ({
        author: a.name,
        email: a.email,
        score: Math.round(a.score * 1e4) / 1e4,
        commits: a.commits,
        lines_added: a.lines,
        last_commit: a.last ? new Date(a.last * 1000).toISOString() : null,
        bot: a.bot,
      }));
    return { results, query, unknown };
  }

  /** People who know a concept (rows written by writeConceptExpertise). */
  forConcept(name: string, k = 10, opts: { bots?: boolean } = {}): ExpertResult[] {
    const acc = new Map<number, Acc>();
    this.addPath(this.rows('concept', name), false, 1, (r) => {
      let a = acc.get(r.author_id);
      if (!a) acc.set(r.author_id, (a = { name: r.name, email: r.email, bot: r.is_bot === 1, score: 0, commits: 0, lines: 0, last: 0 }));
      return a;
    });
    return [...acc.values()]
      .filter((a) => opts.bots !== false || !a.bot)
      .sort((a, b) => b.score - a.score || a.email.localeCompare(b.email))
      .slice(0, k)
      .map((a) => ({ author: a.name, email: a.email, score: Math.round(a.score * 1e4) / 1e4, commits: a.commits, lines_added: a.lines, last_commit: a.last ? new Date(a.last * 1000).toISOString() : null, bot: a.bot }));
  }

  private botKnows(authorId: number, p: string): boolean {
    const parent = ancestors(p)[0] ?? '';
    // The path itself (a file, or a folder query), or the folder holding it unless that is the project root.
    return !!this.st.knows.get(this.projectId, authorId, p, p, parent === '' ? p : parent);
  }

  private rows(scope: 'file' | 'folder' | 'concept', key: string): ExpRow[] {
    return this.st.rows.all(this.projectId, scope, key) as ExpRow[];
  }

  private addPath(rows: ExpRow[], withDoa: boolean, share: number, touch: (r: ExpRow) => Acc): void {
    if (!rows.length) return;
    const wSum = rows.reduce((s, r) => s + r.weight, 0);
    const lSum = rows.reduce((s, r) => s + r.lines_added, 0);
    const doa = withDoa ? doaOf(rows) : null;
    const maxDoa = doa ? Math.max(...doa.values()) : 0;
    for (const r of rows) {
      let s = wSum > 0 ? r.weight / wSum : 0;
      if (lSum > 0) s += (this.p.linesShare * r.lines_added) / lSum;
      const d = doa?.get(r.author_id) ?? 0;
      if (d > 0 && maxDoa > 0) s += (this.p.doaShare * d) / maxDoa;
      const a = touch(r);
      a.score += share * s;
      a.commits += r.commits;
      a.lines += r.lines_added;
      a.last = Math.max(a.last, r.last_at ?? 0);
    }
  }

  /** Truck factor of a folder (Avelino et al. 2016): how many key people must leave before most of its files are orphaned. */
  truckFactor(folderIn: string): TruckFactor {
    const folder = normalizeRel(folderIn);
    const [lo, hi] = underRange(folder);
    const byFile = new Map<string, ExpRow[]>();
    for (const r of this.st.under.iterate(this.projectId, lo, hi) as Iterable<ExpRow>) {
      let list = byFile.get(r.key);
      if (!list) byFile.set(r.key, (list = []));
      list.push(r);
    }
    const people = new Map<number, { name: string; email: string; files: Set<string> }>();
    const owners = new Map<string, Set<number>>();
    for (const [file, rows] of byFile) {
      const doa = doaOf(rows);
      const max = Math.max(...doa.values());
      const set = new Set<number>();
      for (const r of rows) {
        const d = doa.get(r.author_id) ?? 0;
        // An author of the file: absolute DOA of at least 3.293 and within 75% of the file's top author.
        if (d >= 3.293 && d / max > 0.75) {
          set.add(r.author_id);
          let p = people.get(r.author_id);
          if (!p) people.set(r.author_id, (p = { name: r.name, email: r.email, files: new Set() }));
          p.files.add(file);
        }
      }
      owners.set(file, set);
    }
    const nFiles = owners.size;
    const removed: { author: string; email: string; files: number }[] = [];
    const orphaned = () => [...owners.values()].filter((s) => s.size === 0).length;
    while (nFiles > 0 && orphaned() <= nFiles / 2 && people.size) {
      let best: number | null = null;
      let bestN = -1;
      for (const [id, p] of people) {
        if (p.files.size > bestN || (p.files.size === bestN && best !== null && p.email < people.get(best)!.email)) {
          best = id;
          bestN = p.files.size;
        }
      }
      if (best === null) break;
      const p = people.get(best)!;
      removed.push({ author: p.name, email: p.email, files: p.files.size });
      for (const f of p.files) owners.get(f)?.delete(best);
      people.delete(best);
    }
    return { folder, truck_factor: removed.length, files: nFiles, authors: removed };
  }
}

function doaOf(rows: ExpRow[]): Map<number, number> {
  const total = rows.reduce((s, r) => s + r.commits, 0);
  let first: ExpRow | null = null;
  for (const r of rows) if (r.first_at !== null && (!first || (first.first_at ?? Infinity) > r.first_at)) first = r;
  const out = new Map<number, number>();
  for (const r of rows) out.set(r.author_id, degreeOfAuthorship(first === r, r.commits, total - r.commits));
  return out;
}

/**
 * Hook for the concept stage (code capability): stores expertise per concept (scope 'concept', key = the concept's
 * name) by summing the file rows of the files tagged with it. Replaces the concepts given. Runs in one transaction.
 */
export function writeConceptExpertise(db: Db, projectId: number, concepts: Map<string, string[]>): void {
  const del = db.prepare("DELETE FROM author_expertise WHERE project_id = ? AND scope = 'concept' AND key = ?");
  const sum = db.prepare(`INSERT INTO author_expertise (project_id, scope, key, author_id, commits, weight, lines_added, lines_deleted, first_at, last_at)
    SELECT project_id, 'concept', ?, author_id, sum(commits), sum(weight), sum(lines_added), sum(lines_deleted), min(first_at), max(last_at)
    FROM author_expertise WHERE project_id = ? AND scope = 'file' AND key IN (SELECT value FROM json_each(?)) GROUP BY author_id`);
  db.transaction(() => {
    for (const [name, files] of concepts) {
      del.run(projectId, name);
      sum.run(name, projectId, JSON.stringify(files.map(normalizeRel)));
    }
  })();
}
