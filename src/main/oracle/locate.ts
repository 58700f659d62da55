// The context oracle's ranking: every signal Mira has, normalised and fused with per-project weights, with reasons.
import type { Db } from '../db/open';
import { HotspotPrior } from '../codemap/prior';
import { OracleIndex } from './term-index';
import { isAuxiliaryPath, queryTerms } from './terms';
import {
  DEFAULT_WEIGHTS,
  SIGNALS,
  callsSignal,
  churnSignal,
  cochangeSignal,
  conceptSignal,
  domainSignal,
  hotspotSignal,
  errorsSignal,
  expertiseSignal,
  fixesSignal,
  historySignal,
  patternSignal,
  recentSignal,
  symbolSignal,
  textSignal,
  type DomainMap,
  type SignalEnv,
  type SignalName,
  type SignalResult,
  type Weights,
} from './signals';

export interface LocateOptions {
  k?: number;
  /** Only history before this time (unix seconds) is used: evaluation and calibration on past commits. */
  asOf?: number;
  weights?: Partial<Weights>;
  /** Keep tests, docs and examples at full weight instead of after the source files. */
  includeAuxiliary?: boolean;
}

export interface LocateReason {
  source: SignalName;
  detail: string;
  weight: number;
}

export interface LocateResult {
  path: string;
  score: number;
  reasons: LocateReason[];
  symbols: { name: string; kind: string; line: number }[];
}

/** How much a test, doc or example file counts next to a source file with the same evidence. */
const AUX_FACTOR = 0.35;

export class Oracle {
  readonly index: OracleIndex;
  private cache: { paths: Map<number, string>; live: Set<string>; renames: Map<string, string>; tables: Set<string> } | null = null;

  constructor(private readonly db: Db, private readonly projectId: number, private readonly root: string) {
    this.index = new OracleIndex(db, projectId);
  }

  /** History-wide churn (it changes only when history is read) and the working-tree status (kept two seconds). */
  private churn: SignalResult | null = null;
  private times: Map<string, number[]> | null = null;
  private status: { at: number; value: ReturnType<typeof recentSignal> } | null = null;
  private prior: HotspotPrior | null = null;
  private domainMap: DomainMap | null | undefined = undefined;

  /** Drops cached file lists after an index run. */
  invalidate(): void {
    this.cache = null;
    this.churn = null;
    this.status = null;
    this.times = null;
    this.prior = null;
    this.domainMap = undefined;
  }

  private env(asOf?: number): SignalEnv {
    if (!this.cache) {
      const rows = this.db.prepare('SELECT id, path FROM files WHERE project_id = ? AND skip_reason IS NULL').all(this.projectId) as { id: number; path: string }[];
      const tables = new Set((this.db.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table','view')`).all() as { name: string }[]).map((r) => r.name));
      const renames = new Map<string, string>();
      if (tables.has('git_commit_files')) {
        const rs = this.db
          .prepare(`SELECT f.old_path AS old, f.path AS new FROM git_commit_files f JOIN git_commits c ON c.id = f.commit_id WHERE f.project_id = ? AND f.old_path IS NOT NULL ORDER BY c.committed_at`)
          .all(this.projectId) as { old: string; new: string }[];
        for (const r of rs) if (r.old !== r.new) renames.set(r.old, r.new);
      }
      this.cache = { paths: new Map(rows.map((r) => [r.id, r.path])), live: new Set(rows.map((r) => r.path)), renames, tables };
    }
    return {
      db: this.db,
      projectId: this.projectId,
      root: this.root,
      index: this.index,
      asOf,
      ...this.cache,
      commitTimes: () => this.commitTimes(),
      hotspots: (at?: number) => (this.prior ??= new HotspotPrior(this.db, this.projectId)).scoresAt(at),
      domains: () => (this.domainMap === undefined ? (this.domainMap = this.loadDomains()) : this.domainMap),
    };
  }

  private loadDomains(): DomainMap | null {
    if (!this.cache?.tables.has('codemap_domain_files')) return null;
    const of = new Map<string, number>();
    const members = new Map<number, string[]>();
    for (const r of this.db.prepare('SELECT path, domain_id FROM codemap_domain_files WHERE project_id = ?').iterate(this.projectId) as Iterable<{ path: string; domain_id: number }>) {
      of.set(r.path, r.domain_id);
      const list = members.get(r.domain_id);
      if (list) list.push(r.path);
      else members.set(r.domain_id, [r.path]);
    }
    if (!of.size) return null;
    const names = new Map((this.db.prepare('SELECT id, name FROM codemap_domains WHERE project_id = ?').all(this.projectId) as { id: number; name: string }[]).map((r) => [r.id, r.name]));
    return { of, members, names };
  }

  private commitTimes(): Map<string, number[]> {
    if (this.times) return this.times;
    const times = new Map<string, number[]>();
    if (this.cache?.tables.has('git_commit_files')) {
      const rows = this.db
        .prepare(`SELECT f.path AS path, c.committed_at AS t FROM git_commit_files f JOIN git_commits c ON c.id = f.commit_id WHERE c.project_id = ? AND c.files_count <= 30 AND c.is_merge = 0 ORDER BY c.committed_at`)
        .iterate(this.projectId) as IterableIterator<{ path: string; t: number }>;
      for (const r of rows) {
        const list = times.get(r.path);
        if (list) list.push(r.t);
        else times.set(r.path, [r.t]);
      }
    }
    this.times = times;
    return times;
  }

  /**
   * Every signal's evidence for a task. The second-pass signals (co-change and calls) start from the top hits of a
   * first fusion with `w`, and from the files being edited right now.
   */
  gather(task: string, w: Weights, opts: { asOf?: number; includeAuxiliary?: boolean } = {}): Map<SignalName, SignalResult> {
    const env = this.env(opts.asOf);
    const qt = queryTerms(task);
    const qset = new Set(qt);
    const signals = new Map<SignalName, SignalResult>();
    const run = (name: SignalName, f: () => SignalResult) => {
      if (w[name] > 0) signals.set(name, f());
    };
    run('text', () => textSignal(env, qt, false));
    run('path', () => textSignal(env, qt, true));
    run('history', () => historySignal(env, qt));
    run('symbol', () => symbolSignal(env, task));
    run('errors', () => errorsSignal(env, qset));
    run('fixes', () => fixesSignal(env, qt));
    run('concept', () => conceptSignal(env, qt));
    run('pattern', () => patternSignal(env, qset));
    run('expertise', () => expertiseSignal(env, task));
    run('churn', () => (opts.asOf === undefined ? (this.churn ??= churnSignal(env)) : churnSignal(env)));
    run('hotspot', () => hotspotSignal(env));
    let modified: string[] = [];
    if (w.recent > 0 || w.cochange > 0) {
      if (opts.asOf !== undefined) this.status = null;
      else if (!this.status || Date.now() - this.status.at > 2000) this.status = { at: Date.now(), value: recentSignal(env) };
      const r = this.status?.value ?? recentSignal(env);
      modified = r.modified;
      if (w.recent > 0) signals.set('recent', r.signal);
    }
    const top = fuse(signals, w, opts.includeAuxiliary)
      .slice(0, 3)
      .map(([p]) => p);
    if (w.cochange > 0) {
      const seeds = new Map<string, number>(modified.map((m) => [m, 1]));
      top.forEach((p, i) => seeds.set(p, Math.max(seeds.get(p) ?? 0, 0.6 / (i + 1))));
      signals.set('cochange', cochangeSignal(env, seeds, (seed) => (modified.includes(seed) ? `changes together with ${seed}, which you modified` : `changes together with ${seed}`)));
    }
    if (w.calls > 0) signals.set('calls', callsSignal(env, top));
    if (w.domain > 0) signals.set('domain', domainSignal(env, new Map(top.map((p, i) => [p, 1 / (i + 1)]))));
    return signals;
  }

  locate(task: string, opts: LocateOptions = {}): LocateResult[] {
    const k = opts.k ?? 10;
    const w: Weights = { ...DEFAULT_WEIGHTS, ...opts.weights };
    const signals = this.gather(task, w, opts);
    const qset = new Set(queryTerms(task));
    const env = this.env(opts.asOf);
    return fuse(signals, w, opts.includeAuxiliary)
      .slice(0, k)
      .map(([path, score, parts]) => ({
        path,
        score: Math.round(score * 1e4) / 1e4,
        reasons: parts
          .filter((p) => p.value >= 0.08 * score)
          .sort((a, b) => b.value - a.value)
          .map((p) => ({ source: p.name, detail: signals.get(p.name)?.details.get(path) ?? p.name, weight: Math.round(p.value * 1e4) / 1e4 })),
        symbols: this.keySymbols(path, qset, env),
      }));
  }

  /** The symbols of a file whose names share the most words with the task. */
  private keySymbols(path: string, qset: Set<string>, env: SignalEnv): { name: string; kind: string; line: number }[] {
    if (!env.tables.has('code_elements')) return [];
    const rows = this.db.prepare('SELECT name, kind, start_line FROM code_elements WHERE project_id = ? AND path = ? LIMIT 2000').all(this.projectId, path) as { name: string; kind: string; start_line: number }[];
    const scored = rows
      .map((r) => ({ r, s: queryTerms(r.name).filter((t) => qset.has(t)).length + (qset.has(r.name.toLowerCase()) ? 1 : 0) }))
      .filter((x) => x.s > 0)
      .sort((a, b) => b.s - a.s || a.r.start_line - b.r.start_line)
      .slice(0, 3);
    return scored.map(({ r }) => ({ name: r.name, kind: r.kind, line: r.start_line }));
  }
}

type Part = { name: SignalName; value: number };

/** Each signal is scaled to its best file (1.0), weighted, and summed; tests and docs count less unless asked. */
export function fuse(signals: Map<SignalName, SignalResult>, w: Weights, includeAux?: boolean): [string, number, Part[]][] {
  const total = new Map<string, { score: number; parts: Part[] }>();
  for (const name of SIGNALS) {
    const s = signals.get(name);
    if (!s || !s.scores.size || !(w[name] > 0)) continue;
    let max = 0;
    for (const v of s.scores.values()) if (v > max) max = v;
    if (!(max > 0)) continue;
    for (const [p, v] of s.scores) {
      const value = (w[name] * v) / max;
      const t = total.get(p) ?? { score: 0, parts: [] };
      t.score += value;
      t.parts.push({ name, value });
      total.set(p, t);
    }
  }
  const out: [string, number, Part[]][] = [];
  for (const [p, t] of total) {
    const f = !includeAux && isAuxiliaryPath(p) ? AUX_FACTOR : 1;
    out.push([p, t.score * f, f === 1 ? t.parts : t.parts.map((x) => ({ ...x, value: x.value * f }))]);
  }
  out.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return out;
}
