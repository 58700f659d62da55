// Hotspot features of each file as of a time T, from its history up to T and its size and complexity (today's, or
// estimated back in time from line counts when T is in the past).
import type { FileEvent, Histories } from './history';

export const DAY = 86_400;
export const YEAR = 365 * DAY;

export interface FileFacts {
  /** Lines today. */
  loc: number;
  /** Total cyclomatic complexity today. */
  complexity: number;
  /** Functions in the file, and the cognitive complexity of the hardest one (today's). */
  functions?: number;
  max_cognitive?: number;
  /** Files it calls or imports (from the call graph). */
  fan_out?: number;
  /** Share of its functions reached from tests (null: no functions). */
  tested_share?: number | null;
}

export interface Features {
  loc: number;
  complexity: number;
  functions: number;
  max_cognitive: number;
  fan_out: number;
  tested_share: number | null;
  /** Commits in the year before T, the last 3 months, and all of them. */
  commits_1y: number;
  commits_3m: number;
  commits: number;
  /** Commits decayed by age (1/e per year). */
  commits_dec: number;
  /** Lines added, decayed by age: how much young code the file holds. */
  added_dec: number;
  lines_changed_1y: number;
  authors: number;
  authors_1y: number;
  /** Share of the commits made by the main author (1: one owner). */
  top_share: number;
  fixes_1y: number;
  fixes_6m: number;
  /** Fix commits decayed by age (1/e per half year). */
  fixes_dec: number;
  /** Google's time-weighted fix score (Lewis et al. 2013): fixes near T weigh most. */
  fixes_weighted: number;
  age_days: number;
  since_days: number;
  /** Mean size (files) of the commits that touched it: files changed in sweeping edits are less defect-prone. */
  commit_size: number;
  /** How active its co-change partners were (mean over its commits of the partners' decayed commits, log scale). */
  coupling: number;
  /** The hottest partner it changed with this year, and how often. */
  partner: string | null;
  partner_commits: number;
  /** Lines gained in the last six months, relative to the size then. */
  growth_6m: number;
}

/** Files whose commits exceed this many files are sweeping changes: they do not count as co-change. */
const MAX_COUPLING_FILES = 30;

/**
 * Features of every file that existed at T. `facts` gives today's size and complexity; for a past T the size is today's
 * minus the lines added since (plus those deleted), and the complexity scales with it.
 */
export function featuresAt(h: Histories, T: number, facts: Map<string, FileFacts>, opts: { now?: number } = {}): Map<string, Features> {
  const now = opts.now ?? T;
  const past = T < now;
  const firstCommit = h.first ?? T;
  const out = new Map<string, Features>();
  const activity = new Map<string, number>();
  for (const [path, fact] of facts) {
    const ev = h.events.get(path) ?? [];
    // Newest first: skip changes made after T (only for a past cut), undoing their line counts.
    let i = 0;
    let locT = fact.loc;
    let loc6m = 0;
    while (i < ev.length && ev[i]!.t > T) {
      locT -= ev[i]!.added - ev[i]!.deleted;
      i++;
    }
    const seen = ev.slice(i);
    if (past && !seen.length) continue; // did not exist yet
    locT = Math.max(0, locT);
    loc6m = locT;
    const f: Features = {
      loc: locT,
      complexity: fact.loc > 0 ? Math.round((fact.complexity * locT) / fact.loc) : fact.complexity,
      functions: fact.loc > 0 ? Math.round(((fact.functions ?? 0) * locT) / fact.loc) : (fact.functions ?? 0),
      max_cognitive: fact.max_cognitive ?? 0,
      // Structure is known for today only; back in time it is taken as it is now (files change shape slowly).
      fan_out: fact.fan_out ?? 0,
      tested_share: fact.tested_share ?? null,
      commits_1y: 0,
      commits_3m: 0,
      commits: seen.length,
      commits_dec: 0,
      added_dec: 0,
      lines_changed_1y: 0,
      authors: 0,
      authors_1y: 0,
      top_share: 1,
      fixes_1y: 0,
      fixes_6m: 0,
      fixes_dec: 0,
      fixes_weighted: 0,
      age_days: seen.length ? (T - seen[seen.length - 1]!.t) / DAY : 0,
      since_days: seen.length ? (T - seen[0]!.t) / DAY : 3650,
      commit_size: 0,
      coupling: 0,
      partner: null,
      partner_commits: 0,
      growth_6m: 0,
    };
    const authors = new Map<string, number>();
    const authors1y = new Set<string>();
    let sizeSum = 0;
    for (const e of seen) {
      const age = T - e.t;
      const w = Math.exp(-age / YEAR);
      f.commits_dec += w;
      f.added_dec += e.added * w;
      authors.set(e.author, (authors.get(e.author) ?? 0) + 1);
      sizeSum += e.n;
      if (age <= YEAR) {
        f.commits_1y++;
        f.lines_changed_1y += e.added + e.deleted;
        authors1y.add(e.author);
      }
      if (age <= YEAR / 4) f.commits_3m++;
      if (age <= YEAR / 2) loc6m -= e.added - e.deleted;
      if (e.fix) {
        f.fixes_dec += Math.exp(-age / (YEAR / 2));
        if (age <= YEAR) f.fixes_1y++;
        if (age <= YEAR / 2) f.fixes_6m++;
        const x = (e.t - firstCommit) / Math.max(1, T - firstCommit);
        f.fixes_weighted += 1 / (1 + Math.exp(-12 * x + 12));
      }
    }
    f.authors = authors.size;
    f.authors_1y = authors1y.size;
    if (seen.length) f.top_share = Math.max(...authors.values()) / seen.length;
    f.commit_size = seen.length ? sizeSum / seen.length : 0;
    f.growth_6m = (locT - Math.max(0, loc6m)) / Math.max(20, Math.max(0, loc6m));
    out.set(path, f);
    activity.set(path, Math.log1p(f.commits_dec));
  }
  // Coupling: a file that keeps changing with busy files is pulled into their defects.
  for (const [path, f] of out) {
    const ev = h.events.get(path) ?? [];
    let sum = 0;
    let k = 0;
    const partners = new Map<string, number>();
    for (const e of ev) {
      if (e.t > T || T - e.t > YEAR || e.n > MAX_COUPLING_FILES) continue;
      const others = (h.commits.get(e.sha) ?? []).filter((p) => p !== path && out.has(p));
      if (!others.length) continue;
      let s = 0;
      for (const o of others) {
        s += activity.get(o) ?? 0;
        partners.set(o, (partners.get(o) ?? 0) + 1);
      }
      sum += s / others.length;
      k++;
    }
    f.coupling = k ? sum / k : 0;
    let best: string | null = null;
    let bestScore = 0;
    for (const [o, n] of partners) {
      const s = n * (activity.get(o) ?? 0);
      if (s > bestScore || (s === bestScore && best !== null && o < best)) {
        best = o;
        bestScore = s;
      }
    }
    f.partner = best;
    f.partner_commits = best ? partners.get(best)! : 0;
  }
  return out;
}

/** Files touched by fix commits in (T, T + horizon]: the labels of a calibration cut. */
export function fixedAfter(h: Histories, T: number, horizon: number): Set<string> {
  const out = new Set<string>();
  for (const [path, ev] of h.events) if (ev.some((e: FileEvent) => e.fix && e.t > T && e.t <= T + horizon)) out.add(path);
  return out;
}
