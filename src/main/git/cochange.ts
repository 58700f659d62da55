// Co-change queries: "when these files change, what else changes?", for one file or several (TARMAQ-style).
//
// The evidence is decayed, size-weighted history, with a folder / sibling / popularity prior for thin evidence.
// For one file f and a candidate g (weights decayed to the newest commit, see decay.ts):
//   score(g) = (W(f,g) + alpha * prior(g)) / (W(f) + alpha)
// where W(f) sums the decay of f's commits and W(f,g) sums decay / (size - 1) over commits with both, so a
// 25-file commit says far less about a pair than a 2-file one. The prior is what f's folder tends to change with
// (itself smoothed towards the project's most active files), mixed with f's siblings in the tree: with little history
// of its own, a file borrows its neighbours'. A test and the file it tests (foo_test.go / foo.go, test_foo.py / foo.py,
// foo.test.ts / foo.ts, FooTest.java / Foo.java) change together by convention, wherever they live: when a file's name
// pairs it with one or two such files, half of its prior goes to them. Renames are followed (stats live under the
// newest name) and files no longer in the tree are not proposed.
//
// For several files Q (TARMAQ, Rolfsnes et al. 2016): commits are weighted by how many files of Q they contain;
// those with the largest overlap K dominate (each overlap level below K counts levelDiscount times less), and
// W(Q, g) spreads each commit over its files outside Q. With |Q| = 1 this is exactly the single-file score.
import type { Db } from '../db/open';
import { stored, toDecayed, TAU_HISTORY } from './decay';
import { folderOf, normalizeRel } from './paths';
import { EVIDENCE_PER_PAIR, RenameMap } from './stats';

export interface CochangeParams {
  /** Pseudo-commits of prior evidence every file gets (alpha above). */
  alpha: number;
  /** Pseudo-commits of project-wide popularity in a folder's prior. */
  beta: number;
  /** Part of the prior spread evenly over the file's siblings in the tree. */
  siblingShare: number;
  /** How many of the project's most active files the popularity prior knows. */
  popularTop: number;
  /** Weight of each overlap level below the largest, in multi-file queries. */
  levelDiscount: number;
  /** Part of the prior given to the file's test / tested file by name (see testStem), when it has one or two. */
  mateShare: number;
}

export const COCHANGE_DEFAULTS: CochangeParams = { alpha: 1, beta: 1, siblingShare: 0.3, popularTop: 50, levelDiscount: 0.1, mateShare: 0.5 };
const MAX_SIBLINGS = 1000;
/** A name shared by more files than this (util, index, mod) does not say which one a file tests. */
const MAX_MATES = 2;
/** Multi-file queries read the files of at most this many of the newest commits at the top overlap level... */
const MAX_RULE_COMMITS = 500;
/** ...and of this many at the level below, which weighs levelDiscount times less. */
const MAX_NEXT_LEVEL_COMMITS = 150;
/** A project with at most this many commit-file rows keeps them in memory from its second multi-file query on (server, batch). */
const MAX_INDEXED_ROWS = 300_000;

/** Why a file is suggested: changed together before, or (with little history) its test / tested file by name, its folder, a sibling, a busy file. */
export type CochangeSource = 'history' | 'name' | 'folder' | 'sibling' | 'popular';

export interface CochangeResult {
  path: string;
  score: number;
  support: number;
  confidence: number;
  last_cochange: string | null;
  evidence: string[];
  source: CochangeSource;
}

export interface CochangeAnswer {
  results: CochangeResult[];
  /** The query files after following renames. */
  query: string[];
  /** Query files history knows nothing about (answered from the prior only). */
  unknown: string[];
}

interface Cand {
  hist: number;
  prior: number;
  folder: number;
  sib: number;
  mate: number;
  support: number;
  confidence: number;
  last: number;
  evidence: string[];
}

interface Snapshot {
  syncedAt: string | null;
  kf: number;
  total: number;
  hasTree: boolean;
  popular: Map<string, number>;
  renames: RenameMap;
  aliases: Map<string, string[]>;
  /** Per folder: its decayed weight, what it changes with (files in the tree), and its files in the tree. */
  folders: Map<string, { wd: number; fromFolder: Map<string, number>; sibs: string[] }>;
  /** Commits usable as change sets (id -> sha, time), read on the first multi-file query. */
  commits: Map<number, { sha: string; t: number }> | null;
  /** Files of those commits in memory (path -> commit ids, commit id -> paths), built once multi-file queries repeat. */
  index: { byPath: Map<string, number[]>; files: Map<number, string[]> } | null;
  multiQueries: number;
  /** Files in the tree by name, built on first use: tests by the name they test, other files by their own stem. */
  names: { tests: Map<string, string[]>; plain: Map<string, string[]> } | null;
}

export class CochangeQueries {
  private snap: Snapshot | null = null;
  private readonly st;

  private readonly p: CochangeParams;

  constructor(private readonly db: Db, private readonly projectId: number, params: Partial<CochangeParams> = {}) {
    this.p = { ...COCHANGE_DEFAULTS, ...params };
    this.st = {
      state: db.prepare('SELECT ref_time, total_weight, synced_at FROM git_sync_state WHERE project_id = ?'),
      file: db.prepare('SELECT path, weight, cc_commits, in_head FROM git_file_stats WHERE project_id = ? AND path = ?'),
      pairs: db.prepare(`SELECT p.other, p.support, p.confidence, p.weight, p.last_at, s.in_head FROM file_cochange_patterns p
        JOIN git_file_stats s ON s.project_id = p.project_id AND s.path = p.other WHERE p.project_id = ? AND p.path = ?`),
      folder: db.prepare('SELECT weight FROM git_folder_stats WHERE project_id = ? AND folder = ?'),
      folderFiles: db.prepare(`SELECT f.path, f.weight, s.in_head FROM git_folder_cochange f
        JOIN git_file_stats s ON s.project_id = f.project_id AND s.path = f.path WHERE f.project_id = ? AND f.folder = ?`),
      // The folder index by name: without statistics the planner would walk the weight index over the whole project.
      siblings: db.prepare(`SELECT path FROM git_file_stats INDEXED BY git_file_stats_folder WHERE project_id = ? AND folder = ? AND in_head = 1 ORDER BY weight DESC LIMIT ${MAX_SIBLINGS}`),
      popular: db.prepare('SELECT path, weight FROM git_file_stats WHERE project_id = ? AND in_head = 1 ORDER BY weight DESC LIMIT ?'),
      hasTree: db.prepare('SELECT 1 FROM git_file_stats WHERE project_id = ? AND in_head = 1 LIMIT 1'),
      renames: db.prepare(`SELECT f.path, f.old_path FROM git_commit_files f JOIN git_commits c ON c.id = f.commit_id
        WHERE f.project_id = ? AND f.old_path IS NOT NULL ORDER BY c.committed_at DESC, c.id ASC`),
      // Commits touching any query file (ids and times only), then the files of those that matter.
      touching: db.prepare('SELECT commit_id, path FROM git_commit_files WHERE project_id = ? AND path IN (SELECT value FROM json_each(?))').raw(),
      commitFiles: db.prepare('SELECT commit_id, path FROM git_commit_files WHERE commit_id IN (SELECT value FROM json_each(?))').raw(),
      usable: db.prepare('SELECT id, sha, committed_at FROM git_commits WHERE project_id = ? AND is_merge = 0 AND skip_reason IS NULL').raw(),
      fileRows: db.prepare('SELECT count(*) FROM git_commit_files WHERE project_id = ?').pluck(),
      allFiles: db.prepare('SELECT commit_id, path FROM git_commit_files WHERE project_id = ?').raw(),
      evidence: db.prepare('SELECT evidence FROM file_cochange_patterns WHERE project_id = ? AND path = ? AND other = ?'),
      treeFiles: db.prepare('SELECT path FROM git_file_stats WHERE project_id = ? AND (in_head = 1 OR ? = 0)').pluck(),
    };
  }

  /** Reloads cached project-wide numbers when history was synced since the last query. */
  private snapshot(): Snapshot {
    const s = this.st.state.get(this.projectId) as { ref_time: number | null; total_weight: number; synced_at: string | null } | undefined;
    const syncedAt = s?.synced_at ?? null;
    if (this.snap && this.snap.syncedAt === syncedAt) return this.snap;
    const kf = s?.ref_time ? toDecayed(s.ref_time, TAU_HISTORY) : 0;
    const total = s?.total_weight ?? 0;
    const popular = new Map<string, number>();
    for (const r of this.st.popular.all(this.projectId, this.p.popularTop) as { path: string; weight: number }[]) if (total > 0 && r.weight > 0) popular.set(r.path, r.weight / total);
    const renames = new RenameMap();
    const aliases = new Map<string, string[]>();
    for (const r of this.st.renames.iterate(this.projectId) as Iterable<{ path: string; old_path: string }>) renames.rename(r.old_path, r.path);
    for (const r of this.st.renames.iterate(this.projectId) as Iterable<{ path: string; old_path: string }>) {
      const c = renames.canonical(r.old_path);
      const list = aliases.get(c) ?? [];
      if (!list.includes(r.old_path)) list.push(r.old_path);
      aliases.set(c, list);
    }
    this.snap = { syncedAt, kf, total, hasTree: !!this.st.hasTree.get(this.projectId), popular, renames, aliases, folders: new Map(), commits: null, index: null, multiQueries: 0, names: null };
    return this.snap;
  }

  /** The name history keeps a file under: itself if known, else where its renames lead. */
  canonical(p: string): string {
    const norm = normalizeRel(p);
    if (this.st.file.get(this.projectId, norm)) return norm;
    return this.snapshot().renames.canonical(norm);
  }

  /** `rules` forces the multi-file path for one file too (tests check both paths agree). */
  query(filesIn: string[], k = 10, opts: { rules?: boolean } = {}): CochangeAnswer {
    const snap = this.snapshot();
    const q = [...new Set(filesIn.map((f) => this.canonical(f)).filter(Boolean))];
    const qset = new Set(q);
    const unknown: string[] = [];
    const cands = new Map<string, Cand>();
    const cand = (p: string): Cand => {
      let c = cands.get(p);
      if (!c) cands.set(p, (c = { hist: 0, prior: 0, folder: 0, sib: 0, mate: 0, support: 0, confidence: 0, last: 0, evidence: [] }));
      return c;
    };
    const inHead = (flag: number) => !snap.hasTree || flag === 1;

    // The prior, averaged over the query files' folders.
    for (const f of q) this.addPrior(f, cand, inHead, 1 / q.length, snap);

    let wq = 0;
    if (q.length === 1 && !opts.rules) {
      const f = q[0]!;
      const row = this.st.file.get(this.projectId, f) as { weight: number; cc_commits: number } | undefined;
      if (!row || row.cc_commits === 0) unknown.push(f);
      wq = (row?.weight ?? 0) * snap.kf;
      for (const p of this.st.pairs.all(this.projectId, f) as { other: string; support: number; confidence: number; weight: number; last_at: number; in_head: number }[]) {
        if (!inHead(p.in_head) || qset.has(p.other)) continue;
        const c = cand(p.other);
        c.hist = p.weight * snap.kf;
        c.support = p.support;
        c.confidence = p.confidence;
        c.last = p.last_at;
      }
    } else if (q.length >= 1) {
      wq = this.tarmaq(q, qset, cand, inHead, snap, unknown);
    }

    const ranked: { r: CochangeResult; s: number }[] = [];
    for (const [p, c] of cands) {
      if (qset.has(p)) continue;
      const score = (c.hist + this.p.alpha * c.prior) / (wq + this.p.alpha);
      if (!(score > 0)) continue;
      const source: CochangeSource = c.hist > 0 ? 'history' : c.mate > 0 ? 'name' : c.folder > 0 ? 'folder' : c.sib > 0 ? 'sibling' : 'popular';
      ranked.push({
        s: score,
        r: {
          path: p,
          score: round(score),
          support: c.support,
          confidence: round(c.confidence),
          last_cochange: c.last ? new Date(c.last * 1000).toISOString() : null,
          evidence: c.evidence,
          source,
        },
      });
    }
    ranked.sort((a, b) => b.s - a.s || b.r.support - a.r.support || a.r.path.localeCompare(b.r.path));
    const results = ranked.slice(0, k).map((x) => x.r);
    // Evidence is read for the answers only: hub files have thousands of partners.
    if (q.length === 1 && !opts.rules) {
      for (const r of results) if (r.support > 0) r.evidence = parseList((this.st.evidence.get(this.projectId, q[0]!, r.path) as { evidence: string } | undefined)?.evidence ?? '[]');
    }
    return { results, query: q, unknown };
  }

  private folderPrior(d: string, inHead: (flag: number) => boolean, snap: Snapshot): { wd: number; fromFolder: Map<string, number>; sibs: string[] } {
    let hit = snap.folders.get(d);
    if (hit) return hit;
    const wd = ((this.st.folder.get(this.projectId, d) as { weight: number } | undefined)?.weight ?? 0) * snap.kf;
    const fromFolder = new Map<string, number>();
    for (const r of this.st.folderFiles.all(this.projectId, d) as { path: string; weight: number; in_head: number }[]) {
      if (inHead(r.in_head)) fromFolder.set(r.path, r.weight * snap.kf);
    }
    const sibs = (this.st.siblings.all(this.projectId, d) as { path: string }[]).map((r) => r.path);
    hit = { wd, fromFolder, sibs };
    // Folders are few and reused across queries (and within one multi-file query); keep them until the next sync.
    if (snap.folders.size >= 512) snap.folders.clear();
    snap.folders.set(d, hit);
    return hit;
  }

  /** The test of a file, or the file a test tests, by name: at most MAX_MATES of them, else none. */
  mates(f: string): string[] {
    const snap = this.snapshot();
    if (!snap.names) {
      const tests = new Map<string, string[]>();
      const plain = new Map<string, string[]>();
      for (const p of this.st.treeFiles.iterate(this.projectId, snap.hasTree ? 1 : 0) as Iterable<string>) {
        const t = testStem(p);
        const map = t === null ? plain : tests;
        const key = t ?? plainStem(p);
        if (!key) continue;
        const list = map.get(key);
        if (list) list.push(p);
        else map.set(key, [p]);
      }
      snap.names = { tests, plain };
    }
    const t = testStem(f);
    const found = t === null ? (snap.names.tests.get(plainStem(f)) ?? []) : (snap.names.plain.get(t) ?? []).filter((p) => !isTestPath(p));
    const out = found.filter((p) => p !== f);
    return out.length <= MAX_MATES ? out : [];
  }

  private addPrior(f: string, cand: (p: string) => Cand, inHead: (flag: number) => boolean, shareIn: number, snap: Snapshot): void {
    const mates = this.p.mateShare > 0 ? this.mates(f) : [];
    let share = shareIn;
    if (mates.length) {
      for (const p of mates) {
        const c = cand(p);
        const v = (shareIn * this.p.mateShare) / mates.length;
        c.prior += v;
        c.mate += v;
      }
      share = shareIn * (1 - this.p.mateShare);
    }
    const { wd, fromFolder, sibs } = this.folderPrior(folderOf(f), inHead, snap);
    const scale = (1 - this.p.siblingShare) / (wd + this.p.beta);
    for (const [p, w] of fromFolder) {
      const v = scale * (w + this.p.beta * (snap.popular.get(p) ?? 0));
      const c = cand(p);
      c.prior += share * v;
      c.folder += share * v;
    }
    for (const [p, pop] of snap.popular) {
      if (fromFolder.has(p)) continue;
      cand(p).prior += share * scale * this.p.beta * pop;
    }
    const n = sibs.length - (sibs.includes(f) ? 1 : 0);
    if (n <= 0) return;
    const v = (share * this.p.siblingShare) / n;
    for (const p of sibs) {
      if (p === f) continue;
      const c = cand(p);
      c.prior += v;
      c.sib += v;
    }
  }

  /**
   * Multi-file rules over the commits touching any query file; returns W(Q). Only commits at the top two overlap
   * levels have their files read (a level further down weighs levelDiscount^2 or less), the newest ones up to a cap
   * per level: hub files have thousands of commits whose old ones count for almost nothing after decay.
   */
  private tarmaq(q: string[], qset: Set<string>, cand: (p: string) => Cand, inHead: (flag: number) => boolean, snap: Snapshot, unknown: string[]): number {
    const names = new Set<string>();
    for (const f of q) {
      names.add(f);
      for (const a of snap.aliases.get(f) ?? []) names.add(a);
    }
    const canon = (p: string) => (snap.renames.size ? snap.renames.canonical(p) : p);
    if (!snap.commits) {
      snap.commits = new Map();
      for (const [id, sha, t] of this.st.usable.all(this.projectId) as [number, string, number][]) snap.commits.set(id, { sha, t });
    }
    if (!snap.index && ++snap.multiQueries >= 2 && (this.st.fileRows.get(this.projectId) as number) <= MAX_INDEXED_ROWS) {
      const byPath = new Map<string, number[]>();
      const files = new Map<number, string[]>();
      for (const [id, path] of this.st.allFiles.iterate(this.projectId) as Iterable<[number, string]>) {
        if (!snap.commits.has(id)) continue;
        let a = byPath.get(path);
        if (!a) byPath.set(path, (a = []));
        a.push(id);
        let b = files.get(id);
        if (!b) files.set(id, (b = []));
        b.push(path);
      }
      snap.index = { byPath, files };
    }
    const index = snap.index;
    const touching: [number, string][] = index
      ? [...names].flatMap((n) => (index.byPath.get(n) ?? []).map((id): [number, string] => [id, n]))
      : (this.st.touching.all(this.projectId, JSON.stringify([...names])) as [number, string][]);
    const commits = new Map<number, { sha: string; t: number; hits: Set<string>; files: Set<string> }>();
    for (const [id, path] of touching) {
      let c = commits.get(id);
      if (!c) {
        const meta = snap.commits.get(id);
        if (!meta) continue;
        commits.set(id, (c = { sha: meta.sha, t: meta.t, hits: new Set(), files: new Set() }));
      }
      const f = canon(path);
      if (qset.has(f)) c.hits.add(f);
    }
    const seen = new Set<string>();
    let top = 0;
    for (const c of commits.values()) {
      for (const f of c.hits) seen.add(f);
      top = Math.max(top, c.hits.size);
    }
    for (const f of q) if (!seen.has(f)) unknown.push(f);
    if (top === 0) return 0;
    const newest = (level: number, cap: number) =>
      [...commits.entries()]
        .filter(([, c]) => c.hits.size === level)
        .sort((a, b) => b[1].t - a[1].t)
        .slice(0, cap);
    const read = [...newest(top, MAX_RULE_COMMITS), ...(top > 1 ? newest(top - 1, MAX_NEXT_LEVEL_COMMITS) : [])].sort((a, b) => b[1].t - a[1].t);
    const readIds = new Set(read.map(([id]) => id));
    if (index) {
      for (const id of readIds) for (const path of index.files.get(id) ?? []) commits.get(id)?.files.add(canon(path));
    } else {
      for (const [id, path] of this.st.commitFiles.all(JSON.stringify([...readIds])) as [number, string][]) commits.get(id)?.files.add(canon(path));
    }
    const existsCache = new Map<string, boolean>();
    const exists = (p: string) => {
      if (!snap.hasTree) return true;
      let ok = existsCache.get(p);
      if (ok === undefined) {
        const r = this.st.file.get(this.projectId, p) as { in_head: number } | undefined;
        existsCache.set(p, (ok = !!r && inHead(r.in_head)));
      }
      return ok;
    };
    let wq = 0;
    let atTop = 0;
    const support = new Map<string, number>();
    const decayed = (c: { t: number; hits: Set<string> }) => stored(c.t, TAU_HISTORY) * snap.kf * Math.pow(this.p.levelDiscount, top - c.hits.size);
    // Below the top two levels only the antecedent weight counts; past the cap, a commit is left out entirely.
    for (const [id, c] of commits) if (!readIds.has(id) && c.hits.size < top - 1) wq += decayed(c);
    for (const [, c] of read) {
      const overlap = c.hits.size;
      const dec = decayed(c);
      wq += dec;
      if (overlap === top) atTop++;
      const rest = c.files.size - overlap;
      if (rest <= 0) continue;
      for (const g of c.files) {
        if (qset.has(g) || !exists(g)) continue;
        const x = cand(g);
        x.hist += dec / rest;
        if (overlap === top) {
          support.set(g, (support.get(g) ?? 0) + 1);
          x.last = Math.max(x.last, c.t);
          if (x.evidence.length < EVIDENCE_PER_PAIR) x.evidence.push(c.sha);
        }
      }
    }
    for (const [g, n] of support) {
      const x = cand(g);
      x.support = n;
      x.confidence = atTop ? n / atTop : 0;
    }
    return wq;
  }
}

/** What a test file's name says it tests: test_foo.py, foo_test.go, foo.test.ts, foo.spec.js, FooTest.java -> 'foo'; null for other files. */
export function testStem(p: string): string | null {
  const name = baseName(p);
  const m = /^(?:test_|test-)(.+)$/i.exec(name) ?? /^(.+?)(?:_test|-test|_spec|-spec|\.test|\.spec|Tests?|Spec)$/.exec(name);
  return m ? m[1]!.toLowerCase() : null;
}

/** A file's name without folder and last extension, lower-cased. */
export function plainStem(p: string): string {
  return baseName(p).toLowerCase();
}

function baseName(p: string): string {
  const b = p.slice(p.lastIndexOf('/') + 1);
  const dot = b.lastIndexOf('.');
  return dot > 0 ? b.slice(0, dot) : b;
}

const TEST_DIR = /(^|\/)(tests?|__tests__|specs?|testing)\//i;

/** A test by its name or by its folder (tests/util.rs is a test helper, not the file util.rs's test). */
export function isTestPath(p: string): boolean {
  return testStem(p) !== null || TEST_DIR.test(p);
}

function parseList(s: string): string[] {
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
