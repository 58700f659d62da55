// The tables derived from history: file stats, co-change pairs, folder co-change, expertise and author activity.
// They are built from commits in one pass, written whole after a (re)build, or added to when new commits arrive.
import type { Db } from '../db/open';
import { stored, TAU_ACTIVITY, TAU_HISTORY } from './decay';
import { ancestors, folderOf } from './paths';

/** Commits with more files than this say little about which files belong together; they are left out of co-change. */
export const MAX_COCHANGE_FILES = 30;
/** Commits kept as evidence per pair. */
export const EVIDENCE_PER_PAIR = 5;

export interface StatFile {
  /** Canonical path: renames followed to the newest name. */
  path: string;
  added: number | null;
  deleted: number | null;
}

/** A commit as the statistics see it. */
export interface StatCommit {
  sha: string;
  committedAt: number;
  authorId: number;
  /** Merges and shallow-boundary commits carry no usable file list. */
  usable: boolean;
  files: StatFile[];
}

interface FileAcc {
  commits: number;
  cc: number;
  weight: number;
  added: number;
  deleted: number;
  first: number;
  last: number;
}
interface PairAcc {
  support: number;
  weight: number;
  last: number;
  evidence: { sha: string; t: number }[];
}
interface ExpAcc {
  commits: number;
  weight: number;
  added: number;
  deleted: number;
  first: number;
  last: number;
}
interface AuthorAcc {
  commits: number;
  recent: number;
  first: number;
  last: number;
}

const SEP = '\u0000';

/** Sums of everything the derived tables hold, for a set of commits; order of `add` does not matter. */
export class StatsAccumulator {
  readonly files = new Map<string, FileAcc>();
  readonly pairs = new Map<string, PairAcc>();
  readonly folders = new Map<string, number>();
  readonly folderFiles = new Map<string, number>();
  readonly expertise = new Map<string, ExpAcc>();
  readonly authors = new Map<number, AuthorAcc>();
  totalWeight = 0;
  refTime = 0;
  commits = 0;

  constructor(readonly maxFiles = MAX_COCHANGE_FILES) {}

  add(c: StatCommit): void {
    this.commits++;
    const t = c.committedAt;
    if (t > this.refTime) this.refTime = t;
    const a = this.authors.get(c.authorId) ?? { commits: 0, recent: 0, first: t, last: t };
    a.commits++;
    a.recent += stored(t, TAU_ACTIVITY);
    a.first = Math.min(a.first, t);
    a.last = Math.max(a.last, t);
    this.authors.set(c.authorId, a);
    if (!c.usable || c.files.length === 0) return;

    const files = c.files;
    const n = files.length;
    const dec = stored(t, TAU_HISTORY);
    const cc = n <= this.maxFiles;
    for (const f of files) {
      const fa = this.files.get(f.path) ?? { commits: 0, cc: 0, weight: 0, added: 0, deleted: 0, first: t, last: t };
      fa.commits++;
      fa.added += f.added ?? 0;
      fa.deleted += f.deleted ?? 0;
      fa.first = Math.min(fa.first, t);
      fa.last = Math.max(fa.last, t);
      if (cc) {
        fa.cc++;
        fa.weight += dec;
      }
      this.files.set(f.path, fa);
      this.addExpertise('file', f.path, c.authorId, t, dec, f.added ?? 0, f.deleted ?? 0, 1);
    }
    // Folder expertise: each ancestor once per commit, with the commit's lines under it.
    const perFolder = new Map<string, { added: number; deleted: number }>();
    for (const f of files) {
      for (const d of ancestors(f.path)) {
        const acc = perFolder.get(d) ?? { added: 0, deleted: 0 };
        acc.added += f.added ?? 0;
        acc.deleted += f.deleted ?? 0;
        perFolder.set(d, acc);
      }
    }
    for (const [d, acc] of perFolder) this.addExpertise('folder', d, c.authorId, t, dec, acc.added, acc.deleted, 1);

    if (!cc) return;
    this.totalWeight += dec;
    // A change set of n files spreads one unit of evidence over its n - 1 partners: big commits say less per pair.
    const share = dec / Math.max(1, n - 1);
    for (const f of files) {
      for (const g of files) {
        if (f === g) continue;
        const key = f.path + SEP + g.path;
        const p = this.pairs.get(key) ?? { support: 0, weight: 0, last: 0, evidence: [] };
        p.support++;
        p.weight += share;
        p.last = Math.max(p.last, t);
        pushEvidence(p.evidence, c.sha, t);
        this.pairs.set(key, p);
      }
    }
    const folders = new Set(files.map((f) => folderOf(f.path)));
    for (const d of folders) {
      this.folders.set(d, (this.folders.get(d) ?? 0) + dec);
      for (const f of files) {
        const key = d + SEP + f.path;
        this.folderFiles.set(key, (this.folderFiles.get(key) ?? 0) + share);
      }
    }
  }

  private addExpertise(scope: string, key: string, author: number, t: number, dec: number, added: number, deleted: number, commits: number): void {
    const k = scope + SEP + key + SEP + author;
    const e = this.expertise.get(k) ?? { commits: 0, weight: 0, added: 0, deleted: 0, first: t, last: t };
    e.commits += commits;
    e.weight += dec;
    e.added += added;
    e.deleted += deleted;
    e.first = Math.min(e.first, t);
    e.last = Math.max(e.last, t);
    this.expertise.set(k, e);
  }
}

function pushEvidence(list: { sha: string; t: number }[], sha: string, t: number): void {
  if (list.length < EVIDENCE_PER_PAIR) {
    list.push({ sha, t });
    list.sort((a, b) => b.t - a.t);
    return;
  }
  const last = list[list.length - 1]!;
  if (t <= last.t) return;
  list[list.length - 1] = { sha, t };
  list.sort((a, b) => b.t - a.t);
}

/**
 * Follows renames: reading commits newest first, a rename old -> new means every older mention of `old` is the file
 * now called canonical(new). Guards against cycles (a -> b, later b -> a).
 */
export class RenameMap {
  private readonly to = new Map<string, string>();

  canonical(p: string): string {
    let cur = p;
    for (let i = 0; i < 64; i++) {
      const next = this.to.get(cur);
      if (next === undefined || next === cur) return cur;
      cur = next;
    }
    return cur;
  }

  /** Call in newest-first order. */
  rename(oldPath: string, newPath: string): void {
    const target = this.canonical(newPath);
    if (target === oldPath || this.canonical(oldPath) !== oldPath) return;
    this.to.set(oldPath, target);
  }

  get size(): number {
    return this.to.size;
  }
}

interface LoadedFile {
  commit_id: number;
  path: string;
  old_path: string | null;
  added: number | null;
  deleted: number | null;
}

/**
 * Reads every stored commit newest first with canonical paths, for a full rebuild. Equal times keep git's order
 * (ids follow `git log`, newest first, within a read). Files are read in one pass
 * ordered by commit so memory holds one commit's files at a time beyond the result.
 */
export function loadStatCommits(db: Db, projectId: number): StatCommit[] {
  const commits = db
    .prepare(`SELECT id, sha, committed_at, author_id, is_merge, skip_reason FROM git_commits WHERE project_id = ? ORDER BY committed_at DESC, id ASC`)
    .all(projectId) as { id: number; sha: string; committed_at: number; author_id: number; is_merge: number; skip_reason: string | null }[];
  const byCommit = new Map<number, LoadedFile[]>();
  for (const f of db.prepare('SELECT commit_id, path, old_path, added, deleted FROM git_commit_files WHERE project_id = ?').iterate(projectId) as Iterable<LoadedFile>) {
    let list = byCommit.get(f.commit_id);
    if (!list) byCommit.set(f.commit_id, (list = []));
    list.push(f);
  }
  const renames = new RenameMap();
  const out: StatCommit[] = [];
  for (const c of commits) {
    const files = byCommit.get(c.id) ?? [];
    out.push(toStatCommit(c.sha, c.committed_at, c.author_id, usableCommit(c.is_merge === 1, c.skip_reason), files, renames));
  }
  return out;
}

export function usableCommit(isMerge: boolean, skipReason: string | null): boolean {
  return !isMerge && !(skipReason ?? '').startsWith('shallow');
}

/** Canonicalises one commit's files (newest-first order), recording its renames for older commits. */
export function toStatCommit(
  sha: string,
  committedAt: number,
  authorId: number,
  usable: boolean,
  files: { path: string; old_path?: string | null; oldPath?: string | null; added: number | null; deleted: number | null }[],
  renames: RenameMap,
): StatCommit {
  const seen = new Map<string, StatFile>();
  for (const f of files) {
    const p = renames.canonical(f.path);
    const old = f.old_path ?? f.oldPath ?? null;
    if (old) renames.rename(old, f.path);
    const prev = seen.get(p);
    if (prev) {
      prev.added = (prev.added ?? 0) + (f.added ?? 0);
      prev.deleted = (prev.deleted ?? 0) + (f.deleted ?? 0);
    } else {
      seen.set(p, { path: p, added: f.added, deleted: f.deleted });
    }
  }
  return { sha, committedAt, authorId, usable, files: [...seen.values()] };
}

const DERIVED_DELETE = [
  'DELETE FROM git_file_stats WHERE project_id = ?',
  'DELETE FROM file_cochange_patterns WHERE project_id = ?',
  'DELETE FROM git_folder_stats WHERE project_id = ?',
  'DELETE FROM git_folder_cochange WHERE project_id = ?',
  "DELETE FROM author_expertise WHERE project_id = ? AND scope IN ('file', 'folder')",
];

/** Replaces all derived tables with the accumulator's content. Run inside a transaction. */
export function writeFull(db: Db, projectId: number, acc: StatsAccumulator): void {
  for (const sql of DERIVED_DELETE) db.prepare(sql).run(projectId);
  db.prepare('UPDATE git_authors SET commits = 0, recent_weight = 0, first_at = NULL, last_at = NULL WHERE project_id = ?').run(projectId);
  const insFile = db.prepare(`INSERT INTO git_file_stats (project_id, path, folder, commits, cc_commits, weight, lines_added, lines_deleted, first_at, last_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const [p, f] of acc.files) insFile.run(projectId, p, folderOf(p), f.commits, f.cc, f.weight, f.added, f.deleted, f.first, f.last);
  const insPair = db.prepare(`INSERT INTO file_cochange_patterns (project_id, path, other, support, confidence, weight, last_at, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const [key, p] of acc.pairs) {
    const i = key.indexOf(SEP);
    const a = key.slice(0, i);
    const cc = acc.files.get(a)?.cc ?? 0;
    insPair.run(projectId, a, key.slice(i + 1), p.support, cc ? p.support / cc : 0, p.weight, p.last, JSON.stringify(p.evidence.map((e) => e.sha)));
  }
  const insFolder = db.prepare('INSERT INTO git_folder_stats (project_id, folder, weight) VALUES (?, ?, ?)');
  for (const [d, w] of acc.folders) insFolder.run(projectId, d, w);
  const insFolderFile = db.prepare('INSERT INTO git_folder_cochange (project_id, folder, path, weight) VALUES (?, ?, ?, ?)');
  for (const [key, w] of acc.folderFiles) {
    const i = key.indexOf(SEP);
    insFolderFile.run(projectId, key.slice(0, i), key.slice(i + 1), w);
  }
  writeExpertise(db, projectId, acc, false);
  writeAuthors(db, acc, false);
}

/** Adds the accumulator (new commits only) to the stored tables. Run inside a transaction. */
export function writeDelta(db: Db, projectId: number, acc: StatsAccumulator): void {
  const upFile = db.prepare(`INSERT INTO git_file_stats (project_id, path, folder, commits, cc_commits, weight, lines_added, lines_deleted, first_at, last_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (project_id, path) DO UPDATE SET commits = commits + excluded.commits, cc_commits = cc_commits + excluded.cc_commits,
      weight = weight + excluded.weight, lines_added = lines_added + excluded.lines_added, lines_deleted = lines_deleted + excluded.lines_deleted,
      first_at = min(coalesce(first_at, excluded.first_at), excluded.first_at), last_at = max(coalesce(last_at, excluded.last_at), excluded.last_at)`);
  for (const [p, f] of acc.files) upFile.run(projectId, p, folderOf(p), f.commits, f.cc, f.weight, f.added, f.deleted, f.first, f.last);

  const getEvidence = db.prepare('SELECT evidence FROM file_cochange_patterns WHERE project_id = ? AND path = ? AND other = ?');
  const upPair = db.prepare(`INSERT INTO file_cochange_patterns (project_id, path, other, support, confidence, weight, last_at, evidence) VALUES (?, ?, ?, ?, 0, ?, ?, ?)
    ON CONFLICT (project_id, path, other) DO UPDATE SET support = support + excluded.support, weight = weight + excluded.weight,
      last_at = max(last_at, excluded.last_at), evidence = excluded.evidence`);
  const touched = new Set<string>();
  for (const [key, p] of acc.pairs) {
    const i = key.indexOf(SEP);
    const a = key.slice(0, i);
    const b = key.slice(i + 1);
    touched.add(a);
    const old = getEvidence.get(projectId, a, b) as { evidence: string } | undefined;
    let evidence = p.evidence.map((e) => e.sha);
    if (old) {
      try {
        evidence = [...new Set([...evidence, ...(JSON.parse(old.evidence) as string[])])].slice(0, EVIDENCE_PER_PAIR);
      } catch {
        /* keep the new evidence */
      }
    }
    upPair.run(projectId, a, b, p.support, p.weight, p.last, JSON.stringify(evidence));
  }
  // Confidence depends on the file's commit count, which changed for every file of the new commits.
  for (const p of acc.files.keys()) touched.add(p);
  const conf = db.prepare(`UPDATE file_cochange_patterns SET confidence = support * 1.0 / max(1, (SELECT cc_commits FROM git_file_stats s WHERE s.project_id = ? AND s.path = ?))
    WHERE project_id = ? AND path = ?`);
  for (const p of touched) conf.run(projectId, p, projectId, p);

  const upFolder = db.prepare('INSERT INTO git_folder_stats (project_id, folder, weight) VALUES (?, ?, ?) ON CONFLICT (project_id, folder) DO UPDATE SET weight = weight + excluded.weight');
  for (const [d, w] of acc.folders) upFolder.run(projectId, d, w);
  const upFolderFile = db.prepare(
    'INSERT INTO git_folder_cochange (project_id, folder, path, weight) VALUES (?, ?, ?, ?) ON CONFLICT (project_id, folder, path) DO UPDATE SET weight = weight + excluded.weight',
  );
  for (const [key, w] of acc.folderFiles) {
    const i = key.indexOf(SEP);
    upFolderFile.run(projectId, key.slice(0, i), key.slice(i + 1), w);
  }
  writeExpertise(db, projectId, acc, true);
  writeAuthors(db, acc, true);
}

function writeExpertise(db: Db, projectId: number, acc: StatsAccumulator, add: boolean): void {
  const sql = `INSERT INTO author_expertise (project_id, scope, key, author_id, commits, weight, lines_added, lines_deleted, first_at, last_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)${
      add
        ? ` ON CONFLICT (project_id, scope, key, author_id) DO UPDATE SET commits = commits + excluded.commits, weight = weight + excluded.weight,
        lines_added = lines_added + excluded.lines_added, lines_deleted = lines_deleted + excluded.lines_deleted,
        first_at = min(coalesce(first_at, excluded.first_at), excluded.first_at), last_at = max(coalesce(last_at, excluded.last_at), excluded.last_at)`
        : ''
    }`;
  const st = db.prepare(sql);
  for (const [key, e] of acc.expertise) {
    const [scope, k, author] = key.split(SEP) as [string, string, string];
    st.run(projectId, scope, k, Number(author), e.commits, e.weight, e.added, e.deleted, e.first, e.last);
  }
}

function writeAuthors(db: Db, acc: StatsAccumulator, add: boolean): void {
  if (add) {
    const st = db.prepare(`UPDATE git_authors SET commits = commits + ?, recent_weight = recent_weight + ?,
      first_at = min(coalesce(first_at, ?), ?), last_at = max(coalesce(last_at, ?), ?) WHERE id = ?`);
    for (const [id, a] of acc.authors) st.run(a.commits, a.recent, a.first, a.first, a.last, a.last, id);
    return;
  }
  const st = db.prepare('UPDATE git_authors SET commits = ?, recent_weight = ?, first_at = ?, last_at = ? WHERE id = ?');
  for (const [id, a] of acc.authors) st.run(a.commits, a.recent, a.first, a.last, id);
}

/** Marks which files exist in the synced tree (adding rows for files history never showed, e.g. past a shallow boundary). */
export function writeHeadFiles(db: Db, projectId: number, paths: Iterable<string>): void {
  db.prepare('UPDATE git_file_stats SET in_head = 0 WHERE project_id = ? AND in_head = 1').run(projectId);
  const up = db.prepare(`INSERT INTO git_file_stats (project_id, path, folder, in_head) VALUES (?, ?, ?, 1)
    ON CONFLICT (project_id, path) DO UPDATE SET in_head = 1`);
  for (const p of paths) up.run(projectId, p, folderOf(p));
}
