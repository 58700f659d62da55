// Each evidence source the oracle fuses, as a function from the task to file scores with a reason per file.
import { execFileSync } from 'node:child_process';
import type { Db } from '../db/open';
import type { OracleIndex } from './term-index';

export const SIGNALS = ['text', 'path', 'history', 'symbol', 'cochange', 'calls', 'errors', 'fixes', 'recent', 'concept', 'pattern', 'expertise', 'churn', 'hotspot', 'domain'] as const;
export type SignalName = (typeof SIGNALS)[number];
export type Weights = Record<SignalName, number>;

/** Starting weights, before a project calibrates its own on its history. */
export const DEFAULT_WEIGHTS: Weights = {
  text: 1,
  path: 0.75,
  history: 0.75,
  symbol: 0.4,
  cochange: 0.3,
  calls: 0.15,
  errors: 0.4,
  fixes: 0.3,
  recent: 0.15,
  concept: 0.15,
  pattern: 0.1,
  expertise: 0.15,
  churn: 0.05,
  hotspot: 0.05,
  domain: 0.1,
};

export interface SignalResult {
  scores: Map<string, number>;
  details: Map<string, string>;
}

export function emptySignal(): SignalResult {
  return { scores: new Map(), details: new Map() };
}

export function add(s: SignalResult, path: string, v: number, detail?: string): void {
  if (!(v > 0)) return;
  s.scores.set(path, (s.scores.get(path) ?? 0) + v);
  if (detail && !s.details.has(path)) s.details.set(path, detail);
}

export interface SignalEnv {
  db: Db;
  projectId: number;
  root: string;
  index: OracleIndex;
  /** file id → path of the indexed files. */
  paths: Map<number, string>;
  /** path → present in the index. */
  live: Set<string>;
  /** Old path → newest path, from renames in history. */
  renames: Map<string, string>;
  /** Only history before this time (unix s) counts; undefined: all of it. */
  asOf?: number;
  tables: Set<string>;
  /** path → sorted commit times (commits of at most 30 files), loaded once per index generation. */
  commitTimes?: () => Map<string, number[]>;
  /** path → hotspot score (chance of a fix within a year) as of `asOf`, from the code map. */
  hotspots?: (asOf?: number) => Map<string, number>;
  /** The code map's domains: path → domain, and each domain's name and files. */
  domains?: () => DomainMap | null;
}

export interface DomainMap {
  of: Map<string, number>;
  members: Map<number, string[]>;
  names: Map<number, string>;
}

export function followRename(env: SignalEnv, p: string): string | null {
  let cur = p;
  for (let i = 0; i < 20 && !env.live.has(cur); i++) {
    const next = env.renames.get(cur);
    if (!next) return null;
    cur = next;
  }
  return env.live.has(cur) ? cur : null;
}

export function textSignal(env: SignalEnv, qt: string[], pathOnly: boolean): SignalResult {
  const s = emptySignal();
  for (const [id, score] of env.index.searchFiles(qt, { pathOnly })) {
    const p = env.paths.get(id);
    if (p) add(s, p, score, pathOnly ? 'its path names the task' : 'its text matches the task');
  }
  return s;
}

/** Past commits whose messages resemble the task, and the files they changed (smaller commits say more). */
export function historySignal(env: SignalEnv, qt: string[]): SignalResult {
  const s = emptySignal();
  if (!env.tables.has('git_commits')) return s;
  const hits = env.index.searchCommits(qt, 80);
  if (!hits.length) return s;
  const meta = env.db.prepare('SELECT sha, subject, committed_at, files_count FROM git_commits WHERE id = ?');
  const files = env.db.prepare('SELECT path FROM git_commit_files WHERE commit_id = ?');
  let used = 0;
  for (const h of hits) {
    const c = meta.get(h.id) as { sha: string; subject: string; committed_at: number; files_count: number } | undefined;
    if (!c || c.files_count > 30 || c.files_count === 0) continue;
    if (env.asOf !== undefined && c.committed_at >= env.asOf) continue;
    if (++used > 30) break;
    const w = h.score / Math.log(2 + c.files_count);
    for (const f of files.all(h.id) as { path: string }[]) {
      const p = followRename(env, f.path);
      if (p) add(s, p, w, `commit ${c.sha.slice(0, 8)} "${c.subject.slice(0, 70)}" changed it`);
    }
  }
  return s;
}

/** Change counts, decayed with a one-year time constant: a weak prior for where work happens. Only history strictly
 * before `asOf` counts, so a question about a commit never sees that commit. Keeps the `limit` busiest files. */
export function churnSignal(env: SignalEnv, limit = 300): SignalResult {
  const s = emptySignal();
  const times = env.commitTimes?.();
  if (!times || !times.size) return s;
  const YEAR = 31536000;
  let ref = env.asOf;
  if (ref === undefined) {
    ref = 0;
    for (const ts of times.values()) ref = Math.max(ref, ts[ts.length - 1] ?? 0);
    ref += 1;
  }
  const scored: [string, number, number][] = [];
  for (const [path, ts] of times) {
    let w = 0;
    let n = 0;
    // Times are sorted: walk back from the newest commit before `ref` until three years out.
    let i = upperBound(ts, ref - 1);
    for (; i >= 0; i--) {
      const t = ts[i]!;
      if (t <= ref - 3 * YEAR) break;
      w += Math.exp(-(ref - t) / YEAR);
      n++;
    }
    if (w > 0) scored.push([path, w, n]);
  }
  scored.sort((a, b) => b[1] - a[1]);
  for (const [path, w, n] of scored.slice(0, limit)) {
    const p = followRename(env, path);
    if (p) add(s, p, w, `changed in ${n} commits of the last three years`);
  }
  return s;
}

/** Where the next fix is likely: the code map's hotspot scores (as of `asOf`), the top files only. */
export function hotspotSignal(env: SignalEnv, limit = 300): SignalResult {
  const s = emptySignal();
  const scores = env.hotspots?.(env.asOf);
  if (!scores?.size) return s;
  const top = [...scores].sort((a, b) => b[1] - a[1]).slice(0, limit);
  top.forEach(([path, v], i) => {
    if (env.live.has(path)) add(s, path, v, `a hotspot (#${i + 1}): ${Math.round(v * 100)}% chance of a fix within a year`);
  });
  return s;
}

/**
 * Files in the same domain (a community of files linked by imports, calls, co-change and concepts) as the strongest
 * hits. A small domain says more about each of its files than a large one.
 */
export function domainSignal(env: SignalEnv, seeds: Map<string, number>): SignalResult {
  const s = emptySignal();
  const d = env.domains?.();
  if (!d || !seeds.size) return s;
  for (const [seed, w] of seeds) {
    const id = d.of.get(seed);
    if (id === undefined) continue;
    const members = d.members.get(id) ?? [];
    if (members.length < 2) continue;
    const v = w / Math.log2(2 + members.length);
    for (const m of members) if (m !== seed && env.live.has(m)) add(s, m, v, `in the ${d.names.get(id) ?? 'same'} domain with ${seed}`);
  }
  return s;
}

/** Index of the last element <= x in a sorted array, or -1. */
function upperBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! <= x) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** Identifiers named in the task (`res.cookie`, `parseConfig`, `snake_case`) found as definitions. */
export function symbolSignal(env: SignalEnv, task: string): SignalResult {
  const s = emptySignal();
  if (!env.tables.has('code_elements')) return s;
  const names = new Set<string>();
  for (const m of task.matchAll(/`([^`]{2,80})`|([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+)|\b([a-z]+[A-Z][\w$]*|[A-Z][a-z0-9]+[A-Z][\w$]*|[a-z0-9]+_[a-z0-9_]+)\b|\b([A-Za-z_]\w{2,})\(/g)) {
    const raw = m[1] ?? m[2] ?? m[3] ?? m[4] ?? '';
    for (const part of raw.split(/[.:#\s()]+/)) if (part.length >= 3 && /^[A-Za-z_$][\w$]*$/.test(part)) names.add(part);
  }
  if (!names.size) return s;
  const q = env.db.prepare('SELECT path, kind, name FROM code_elements WHERE project_id = ? AND name = ? COLLATE NOCASE AND is_test = 0 LIMIT 50');
  for (const n of names) {
    const rows = q.all(env.projectId, n) as { path: string; kind: string; name: string }[];
    if (!rows.length) continue;
    const files = new Set(rows.map((r) => r.path));
    for (const r of rows) if (env.live.has(r.path)) add(s, r.path, 1 / files.size, `defines ${r.kind} ${r.name}`);
  }
  return s;
}

/** Files that changed together with the seeds before `asOf`, weighted by how often (P(other | seed)). */
export function cochangeSignal(env: SignalEnv, seeds: Map<string, number>, why: (seed: string) => string): SignalResult {
  const s = emptySignal();
  if (!env.tables.has('git_commit_files') || !seeds.size) return s;
  const asOf = env.asOf ?? 2 ** 40;
  const base = env.db.prepare(`SELECT count(*) AS n FROM git_commit_files f JOIN git_commits c ON c.id = f.commit_id WHERE f.project_id = ? AND f.path = ? AND c.committed_at < ? AND c.files_count <= 30`);
  const pairs = env.db.prepare(`SELECT o.path AS path, count(*) AS n FROM git_commit_files f JOIN git_commits c ON c.id = f.commit_id JOIN git_commit_files o ON o.commit_id = f.commit_id
    WHERE f.project_id = ? AND f.path = ? AND o.path <> f.path AND c.committed_at < ? AND c.files_count <= 30 GROUP BY o.path ORDER BY n DESC LIMIT 50`);
  for (const [seed, w] of seeds) {
    const n = (base.get(env.projectId, seed, asOf) as { n: number }).n;
    if (!n) continue;
    for (const r of pairs.all(env.projectId, seed, asOf) as { path: string; n: number }[]) {
      const p = followRename(env, r.path);
      if (p && p !== seed) add(s, p, (w * r.n) / (n + 1), why(seed));
    }
  }
  return s;
}

/** Callers and callees of the strongest hits' symbols. */
export function callsSignal(env: SignalEnv, seeds: string[]): SignalResult {
  const s = emptySignal();
  if (!env.tables.has('call_graph') || !seeds.length) return s;
  const q = env.db.prepare(`SELECT DISTINCT e2.path AS path, e1.name AS from_name, e2.name AS to_name, 'callee' AS dir
      FROM code_elements e1 JOIN call_graph g ON g.caller_id = e1.id JOIN code_elements e2 ON e2.id = g.callee_id
      WHERE e1.project_id = ? AND e1.path = ? AND g.confidence >= 0.5 AND e2.path <> e1.path
    UNION ALL
    SELECT DISTINCT e1.path AS path, e1.name AS from_name, e2.name AS to_name, 'caller' AS dir
      FROM code_elements e2 JOIN call_graph g ON g.callee_id = e2.id JOIN code_elements e1 ON e1.id = g.caller_id
      WHERE e2.project_id = ? AND e2.path = ? AND g.confidence >= 0.5 AND e1.path <> e2.path
    LIMIT 200`);
  for (const seed of seeds) {
    for (const r of q.all(env.projectId, seed, env.projectId, seed) as { path: string; from_name: string; to_name: string; dir: string }[]) {
      if (!env.live.has(r.path)) continue;
      add(s, r.path, 1, r.dir === 'callee' ? `${r.to_name} is called by ${r.from_name} in ${seed}` : `${r.from_name} calls ${r.to_name} in ${seed}`);
    }
  }
  for (const [p, v] of s.scores) s.scores.set(p, Math.log1p(v));
  return s;
}

/** Unresolved build errors: every open error's file a little, those whose text matches the task more. */
export function errorsSignal(env: SignalEnv, qt: Set<string>): SignalResult {
  const s = emptySignal();
  if (!env.tables.has('build_errors') || env.asOf !== undefined) return s;
  const rows = env.db
    .prepare(`SELECT file, line, code, message, occurrences FROM build_errors WHERE project_id = ? AND status = 'open' AND file IS NOT NULL ORDER BY last_seen_at DESC LIMIT 200`)
    .all(env.projectId) as { file: string; line: number | null; code: string | null; message: string }[];
  for (const r of rows) {
    if (!env.live.has(r.file)) continue;
    const words = `${r.code ?? ''} ${r.message}`.toLowerCase().split(/[^a-z0-9_]+/);
    const overlap = words.filter((w) => qt.has(w)).length;
    add(s, r.file, 0.3 + overlap, `unresolved build error at line ${r.line ?? '?'}: ${r.message.slice(0, 80)}`);
  }
  return s;
}

/** Past fixes (fix commits and resolved build errors) that resemble the task. */
export function fixesSignal(env: SignalEnv, qt: string[]): SignalResult {
  const s = emptySignal();
  if (!env.tables.has('historical_fixes_fts') || !qt.length) return s;
  const expr = qt.map((t) => `"${t.replace(/"/g, '""')}"`).join(' OR ');
  let rows: { files: string; message: string; score: number; fixed_at: number | null; sha: string | null }[];
  try {
    rows = env.db
      .prepare(`SELECT h.files, h.message, h.fixed_at, h.sha, -bm25(historical_fixes_fts) AS score FROM historical_fixes_fts JOIN historical_fixes h ON h.id = historical_fixes_fts.rowid
        WHERE historical_fixes_fts MATCH ? AND h.project_id = ? ORDER BY rank LIMIT 30`)
      .all(expr, env.projectId) as typeof rows;
  } catch {
    return s;
  }
  for (const r of rows) {
    if (env.asOf !== undefined && (r.fixed_at ?? Infinity) >= env.asOf) continue;
    let files: string[] = [];
    try {
      files = JSON.parse(r.files) as string[];
    } catch {
      continue;
    }
    if (!files.length || files.length > 30) continue;
    for (const f of files) {
      const p = followRename(env, f);
      if (p) add(s, p, r.score / Math.log(2 + files.length), `a similar past fix${r.sha ? ` (${r.sha.slice(0, 8)})` : ''}: "${r.message.slice(0, 70)}"`);
    }
  }
  return s;
}

/** Files modified in the working tree (git status) or edited in the last day. */
export function recentSignal(env: SignalEnv): { signal: SignalResult; modified: string[] } {
  const s = emptySignal();
  if (env.asOf !== undefined) return { signal: s, modified: [] };
  const modified: string[] = [];
  try {
    const out = execFileSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=normal'], { cwd: env.root, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8', timeout: 3000, maxBuffer: 8 << 20 });
    for (const rec of out.split('\0')) {
      const p = rec.slice(3);
      if (p && env.live.has(p)) {
        modified.push(p);
        add(s, p, 1, 'modified in the working tree');
      }
    }
  } catch {
    /* not a git repository */
  }
  return { signal: s, modified };
}

/** Concepts named by the task (a term that is itself a concept, such as "database" or "auth"). */
export function conceptSignal(env: SignalEnv, qt: string[]): SignalResult {
  const s = emptySignal();
  if (!env.tables.has('concept_index')) return s;
  const q = env.db.prepare(`SELECT e.path AS path, max(ci.score) AS score FROM concept_index ci JOIN code_elements e ON e.id = ci.symbol_id
    WHERE ci.project_id = ? AND ci.concept = ? GROUP BY e.path ORDER BY score DESC LIMIT 40`);
  for (const t of qt) {
    for (const r of q.all(env.projectId, t) as { path: string; score: number }[]) if (env.live.has(r.path)) add(s, r.path, r.score, `tagged with the concept "${t}"`);
  }
  return s;
}

/** Design patterns named by the task (factory, observer, middleware...). */
export function patternSignal(env: SignalEnv, qt: Set<string>): SignalResult {
  const s = emptySignal();
  if (!env.tables.has('design_patterns') || !env.tables.has('design_pattern_members')) return s;
  const rows = env.db
    .prepare(`SELECT p.pattern AS pattern, p.confidence AS confidence, e.path AS path FROM design_patterns p JOIN design_pattern_members m ON m.pattern_id = p.id JOIN code_elements e ON e.id = m.symbol_id WHERE p.project_id = ?`)
    .all(env.projectId) as { pattern: string; confidence: number; path: string }[];
  for (const r of rows) {
    const words = r.pattern.toLowerCase().split(/[^a-z]+/).filter(Boolean);
    if (!words.some((w) => qt.has(w) || qt.has(w.replace(/s$/, '')))) continue;
    if (env.live.has(r.path)) add(s, r.path, r.confidence, `takes part in the ${r.pattern} pattern`);
  }
  return s;
}

/** A person named in the task: the files they know best. */
export function expertiseSignal(env: SignalEnv, task: string): SignalResult {
  const s = emptySignal();
  if (!env.tables.has('git_authors') || !env.tables.has('author_expertise')) return s;
  const lower = task.toLowerCase();
  const authors = env.db.prepare('SELECT id, name, email FROM git_authors WHERE project_id = ? AND is_bot = 0').all(env.projectId) as { id: number; name: string; email: string }[];
  const named = authors.filter((a) => (a.name.length >= 4 && lower.includes(a.name.toLowerCase())) || lower.includes(a.email.toLowerCase()));
  const q = env.db.prepare(`SELECT key AS path, weight FROM author_expertise WHERE project_id = ? AND scope = 'file' AND author_id = ? ORDER BY weight DESC LIMIT 30`);
  for (const a of named.slice(0, 3)) {
    for (const r of q.all(env.projectId, a.id) as { path: string; weight: number }[]) if (env.live.has(r.path)) add(s, r.path, r.weight, `${a.name} knows it best`);
  }
  return s;
}
