// Expertise: who knows (and who will next change) a set of files or folders, and each folder's truck factor.
//
// People, not addresses: the addresses one person committed under (same name) count as one, and answers give the address
// they used last. Per file, a person's claim combines their share of the file's commits decayed by age (recency and
// commit counts) and their share of lines added; a file with no history borrows its nearest folder's numbers. The
// degree-of-authorship model of Fritz et al. (first authorship, own deliveries, others' changes since) can be mixed in,
// but it measures who knows a file, not who changes it next, and is off by default (the truck factor uses it).
// Whoever changes a file next is someone active now: a person's claim is scaled by their recent activity relative to
// the most active person's (someone who left the project keeps a small part), and the most active people get a bonus
// on top, so that a regular contributor outranks a one-off author of the same file.
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
  /** Presence: recent activity, as a part of the most active person's, at which a claim on the files counts half... */
  presenceHalf: number;
  /** ...and the part of it that someone with no recent activity keeps (1 turns presence off). */
  presenceFloor: number;
  /** Count the addresses of one person (same name) as one. */
  mergeAliases: boolean;
}

export const EXPERTISE_DEFAULTS: ExpertiseParams = {
  linesShare: 0.2,
  doaShare: 0,
  activityWeight: 1,
  activeTop: 20,
  fallbackShare: 0.5,
  presenceHalf: 0.05,
  presenceFloor: 0.05,
  mergeAliases: true,
};

/** Names that say nothing about who committed (default configs, service accounts): such addresses stay apart. */
const ANONYMOUS_NAMES = new Set(['root', 'unknown', 'user', 'admin', 'administrator', 'your name', 'github', 'ubuntu', 'nobody', 'none', 'anonymous']);

/** Which person an address belongs to: its author name, normalised, unless the name is anonymous or the author a bot. */
export function personKey(name: string, email: string, bot: boolean): string {
  const n = name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  if (bot || ANONYMOUS_NAMES.has(n) || !/\p{L}/u.test(n)) return `<${email}>`;
  return n;
}

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
  /** Whether the person has changed the project lately (about as active as the presence half-point, or more). */
  active: boolean;
  /** Why they rank here, in words: their commits on these files, or their activity in the project. */
  why: string;
}

/** Who wrote the files (degree of authorship over the files asked about), active or not: the people who know the code. */
export interface AuthorshipItem {
  author: string;
  email: string;
  commits: number;
  lines_added: number;
  /** Their part of the lines added to these files (0..1). */
  share: number;
  first_commit: string | null;
  last_commit: string | null;
  active: boolean;
  bot: boolean;
}

export interface ExpertsAnswer {
  /** Who is likely to change (or review) these files next. */
  results: ExpertResult[];
  /** Who wrote most of them, including people no longer active. */
  authors: AuthorshipItem[];
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
  /** Where their commits were counted when the paths had no history of their own (a folder above them). */
  via: string | null;
  /** Got the bonus of the project's most active people. */
  busy: boolean;
  active: boolean;
}

/** One person's authorship of the queried files. */
interface Auth {
  person: Person;
  doa: number;
  commits: number;
  lines: number;
  first: number;
  last: number;
}

/** One person: the addresses they committed under, their recent activity, and the address and name they used last. */
interface Person {
  ids: number[];
  name: string;
  email: string;
  bot: boolean;
  activity: number;
  lastAt: number;
}

interface People {
  syncedAt: string | null;
  byId: Map<number, Person>;
  /** Most active first. */
  list: Person[];
  total: number;
  max: number;
}

export class ExpertiseQueries {
  private readonly st;

  private readonly p: ExpertiseParams;
  private peopleCache: People | null = null;

  constructor(private readonly db: Db, private readonly projectId: number, private readonly canonical: (p: string) => string, params: Partial<ExpertiseParams> = {}) {
    this.p = { ...EXPERTISE_DEFAULTS, ...params };
    const cols = 'e.key, e.author_id, a.email, a.name, a.is_bot, e.commits, e.weight, e.lines_added, e.first_at, e.last_at';
    this.st = {
      rows: db.prepare(`SELECT ${cols} FROM author_expertise e JOIN git_authors a ON a.id = e.author_id WHERE e.project_id = ? AND e.scope = ? AND e.key = ?`),
      authors: db.prepare('SELECT id, email, name, is_bot, recent_weight, last_at FROM git_authors WHERE project_id = ? AND commits > 0'),
      synced: db.prepare('SELECT synced_at FROM git_sync_state WHERE project_id = ?').pluck(),
      knows: db.prepare(`SELECT 1 FROM author_expertise WHERE project_id = ? AND author_id = ?
        AND ((scope = 'file' AND key = ?) OR (scope = 'folder' AND key IN (?, ?))) LIMIT 1`),
      under: db.prepare(`SELECT ${cols} FROM author_expertise e JOIN git_authors a ON a.id = e.author_id
        JOIN git_file_stats s ON s.project_id = e.project_id AND s.path = e.key
        WHERE e.project_id = ? AND e.scope = 'file' AND s.in_head = 1 AND e.key >= ? AND e.key < ?`),
    };
  }

  /** Everyone who committed, grouped into people; reloaded after each sync. */
  private people(): People {
    const syncedAt = (this.st.synced.get(this.projectId) as string | null | undefined) ?? null;
    if (this.peopleCache && this.peopleCache.syncedAt === syncedAt) return this.peopleCache;
    const byKey = new Map<string, Person>();
    const byId = new Map<number, Person>();
    let total = 0;
    for (const r of this.st.authors.all(this.projectId) as { id: number; email: string; name: string; is_bot: number; recent_weight: number; last_at: number | null }[]) {
      const bot = r.is_bot === 1;
      const key = this.p.mergeAliases ? personKey(r.name, r.email, bot) : `<${r.email}>`;
      let p = byKey.get(key);
      if (!p) byKey.set(key, (p = { ids: [], name: r.name, email: r.email, bot, activity: 0, lastAt: -Infinity }));
      p.ids.push(r.id);
      p.activity += r.recent_weight;
      total += r.recent_weight;
      const at = r.last_at ?? -Infinity;
      if (at > p.lastAt || (at === p.lastAt && r.email < p.email)) {
        p.lastAt = at;
        p.email = r.email;
        p.name = r.name;
      }
      byId.set(r.id, p);
    }
    const list = [...byKey.values()].sort((a, b) => b.activity - a.activity || a.email.localeCompare(b.email));
    this.peopleCache = { syncedAt, byId, list, total, max: list[0]?.activity ?? 0 };
    return this.peopleCache;
  }

  query(pathsIn: string[], k = 10, opts: { bots?: boolean } = {}): ExpertsAnswer {
    const includeBots = opts.bots ?? true;
    const people = this.people();
    const acc = new Map<Person, Acc>();
    const touch = this.toucher(people, acc);
    const query: string[] = [];
    const unknown: string[] = [];
    const authorship = new Map<Person, Auth>();
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
        let via = '';
        for (const d of ancestors(norm)) {
          rows = this.rows('folder', d);
          via = d;
          if (rows.length) break;
        }
        share = this.p.fallbackShare;
        const where = via ? `${via}/` : 'the project';
        this.addPath(rows, false, share, (r) => {
          const a = touch(r);
          a.via ??= where;
          return a;
        });
      } else {
        this.addAuthorship(rows, scope === 'file', people, authorship);
        this.addPath(rows, scope === 'file', share, touch);
      }
      query.push(p);
    }

    // Presence: a claim counts in full for people about as active as the most active one, and fades for those who left.
    if (people.max > 0) {
      for (const [person, a] of acc) {
        const rel = person.activity / people.max;
        a.score *= this.p.presenceFloor + ((1 - this.p.presenceFloor) * rel) / (rel + this.p.presenceHalf);
        a.active = this.isActive(person, people);
      }
    }
    const n = Math.max(1, pathsIn.length);
    if (people.total > 0) {
      for (const person of people.list.slice(0, this.p.activeTop)) {
        if (person.activity <= 0) break;
        // A bot's activity (dependency bumps, releases) says nothing about code it never touched: it counts only for
        // the query paths whose file or folder the bot has changed before.
        const paths = person.bot ? query.filter((p) => person.ids.some((id) => this.botKnows(id, p))).length : n;
        if (paths === 0) continue;
        const a = this.accFor(person, acc);
        a.score += (this.p.activityWeight * paths * person.activity) / people.total;
        a.busy = true;
        a.active = this.isActive(person, people);
      }
    }
    const results = [...acc.values()]
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
        active: a.active,
        why: whyExpert(a),
      }));
    const lines = [...authorship.values()].reduce((s, x) => s + x.lines, 0);
    const authors = [...authorship.values()]
      .filter((x) => includeBots || !x.person.bot)
      .sort((a, b) => b.doa - a.doa || b.lines - a.lines || a.person.email.localeCompare(b.person.email))
      .slice(0, Math.min(k, 5))
      .map((x) => ({
        author: x.person.name,
        email: x.person.email,
        commits: x.commits,
        lines_added: x.lines,
        share: lines > 0 ? Math.round((x.lines / lines) * 1000) / 1000 : 0,
        first_commit: Number.isFinite(x.first) ? new Date(x.first * 1000).toISOString() : null,
        last_commit: x.last > 0 ? new Date(x.last * 1000).toISOString() : null,
        active: this.isActive(x.person, people),
        bot: x.person.bot,
      }));
    return { results, authors, query, unknown };
  }

  /** Active: recent activity at least the presence half-point of the most active person's (where the discount halves). */
  private isActive(person: Person, people: People): boolean {
    return people.max > 0 && person.activity / people.max >= this.p.presenceHalf;
  }

  /** Authorship of one path's rows: degree of authorship for a file (normalised to its top author), lines for a folder. */
  private addAuthorship(rows: ExpRow[], isFile: boolean, people: People, out: Map<Person, Auth>): void {
    if (!rows.length) return;
    const doa = isFile ? doaOf(rows) : null;
    const maxDoa = doa ? Math.max(...doa.values()) : 0;
    const maxLines = Math.max(1, ...rows.map((r) => r.lines_added));
    for (const r of rows) {
      const person = people.byId.get(r.author_id) ?? { ids: [r.author_id], name: r.name, email: r.email, bot: r.is_bot === 1, activity: 0, lastAt: r.last_at ?? 0 };
      let x = out.get(person);
      if (!x) out.set(person, (x = { person, doa: 0, commits: 0, lines: 0, first: Infinity, last: 0 }));
      x.doa += doa && maxDoa > 0 ? Math.max(0, doa.get(r.author_id) ?? 0) / maxDoa : r.lines_added / maxLines;
      x.commits += r.commits;
      x.lines += r.lines_added;
      if (r.first_at !== null) x.first = Math.min(x.first, r.first_at);
      x.last = Math.max(x.last, r.last_at ?? 0);
    }
  }

  private accFor(person: Person, acc: Map<Person, Acc>): Acc {
    let a = acc.get(person);
    if (!a) acc.set(person, (a = { name: person.name, email: person.email, bot: person.bot, score: 0, commits: 0, lines: 0, last: 0, via: null, busy: false, active: true }));
    return a;
  }

  /** The accumulator of a row's person (an author unknown to the people table stands alone). */
  private toucher(people: People, acc: Map<Person, Acc>): (r: ExpRow) => Acc {
    return (r) => {
      let person = people.byId.get(r.author_id);
      if (!person) {
        person = { ids: [r.author_id], name: r.name, email: r.email, bot: r.is_bot === 1, activity: 0, lastAt: r.last_at ?? 0 };
        people.byId.set(r.author_id, person);
      }
      return this.accFor(person, acc);
    };
  }

  /** People who know a concept (rows written by writeConceptExpertise). */
  forConcept(name: string, k = 10, opts: { bots?: boolean } = {}): ExpertResult[] {
    const acc = new Map<Person, Acc>();
    const people = this.people();
    const touch = this.toucher(people, acc);
    this.addPath(this.rows('concept', name), false, 1, (r) => {
      const a = touch(r);
      a.via = `the ${name} files`;
      const person = people.byId.get(r.author_id);
      a.active = !person || this.isActive(person, people);
      return a;
    });
    return [...acc.values()]
      .filter((a) => opts.bots !== false || !a.bot)
      .sort((a, b) => b.score - a.score || a.email.localeCompare(b.email))
      .slice(0, k)
      .map((a) => ({ author: a.name, email: a.email, score: Math.round(a.score * 1e4) / 1e4, commits: a.commits, lines_added: a.lines, last_commit: a.last ? new Date(a.last * 1000).toISOString() : null, bot: a.bot, active: a.active, why: whyExpert(a) }));
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
    const doa = withDoa && this.p.doaShare > 0 ? doaOf(rows) : null;
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

/** A person's rank in words: their commits here (or in the folder above), or their activity in the project. */
function whyExpert(a: Acc): string {
  const date = a.last ? new Date(a.last * 1000).toISOString().slice(0, 10) : null;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  let why: string;
  if (a.commits > 0) why = `${plural(a.commits, 'commit')} ${a.via ? `in ${a.via}` : 'here'}${date ? `, last ${date}` : ''}`;
  else why = a.busy && a.active ? 'no commits here; one of the most active people in the project lately' : 'no commits here';
  if (a.commits > 0 && a.busy && a.active) why += '; among the most active in the project lately';
  if (!a.active) why += '; less active in the project lately';
  return why;
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
