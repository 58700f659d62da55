// Domains: files clustered with Louvain over a weighted graph of imports, calls, co-change, shared concepts and folders,
// named from their folders and concepts. Ids and names carry over from the last run by overlap, so they stay put.
import Graph from 'graphology';
import louvain from 'graphology-communities-louvain';
import type { Db } from '../db/open';
import { folderOf, isSourcePath } from './paths';

export type EdgeKind = 'imports' | 'calls' | 'cochange' | 'concepts' | 'folder';

/** How much each kind of evidence counts. Folder edges are a weak prior so that files with no other link still group. */
const KIND_WEIGHT: Record<EdgeKind, number> = { imports: 1, calls: 1, cochange: 1.5, concepts: 0.5, folder: 0.3 };
/** Concepts tagging more files than this are too generic to say two files belong together. */
const MAX_CONCEPT_FILES = 40;
const MAX_FOLDER_FILES = 60;
/** A new cluster keeps an old domain's id and name when they overlap at least this much (Jaccard). */
const KEEP_OVERLAP = 0.3;
const GENERIC_SEGMENTS = new Set(['src', 'lib', 'libs', 'source', 'sources', 'main', 'pkg', 'internal', 'app', 'packages', 'crates', 'java', 'kotlin', 'com', 'org', 'net', 'io', 'modules', 'include', 'cmd', 'go', 'python', 'js', 'ts', 'code']);

export interface DomainResult {
  id: number;
  name: string;
  files: string[];
  concepts: string[];
  folders: string[];
  cohesion: number;
  size: number;
}

export interface DomainEdge {
  from: number;
  to: number;
  weight: number;
  kinds: Partial<Record<EdgeKind, number>>;
}

export interface DomainsRun {
  files: number;
  domains: number;
  edges: number;
  kept: number;
  modularity: number;
  took_ms: number;
}

/** A small seeded generator (mulberry32): the same graph always gives the same communities. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface FileNode {
  id: number;
  path: string;
  concepts: Map<string, number>;
}

class EdgeBag {
  readonly edges = new Map<string, { a: string; b: string; w: number; kinds: Partial<Record<EdgeKind, number>> }>();
  add(a: string, b: string, kind: EdgeKind, w: number): void {
    if (a === b || w <= 0) return;
    const [x, y] = a < b ? [a, b] : [b, a];
    const key = `${x}\0${y}`;
    let e = this.edges.get(key);
    if (!e) this.edges.set(key, (e = { a: x, b: y, w: 0, kinds: {} }));
    const v = w * KIND_WEIGHT[kind];
    e.w += v;
    e.kinds[kind] = (e.kinds[kind] ?? 0) + v;
  }
}

/** The weighted file graph of the project's source files. */
export function buildFileGraph(db: Db, projectId: number): { nodes: FileNode[]; bag: EdgeBag } {
  const files = (db.prepare('SELECT id, path FROM files WHERE project_id = ? AND skip_reason IS NULL ORDER BY path').all(projectId) as { id: number; path: string }[]).filter((f) =>
    isSourcePath(f.path),
  );
  const byId = new Map(files.map((f) => [f.id, f.path]));
  const nodes: FileNode[] = files.map((f) => ({ id: f.id, path: f.path, concepts: new Map() }));
  const nodeByPath = new Map(nodes.map((n) => [n.path, n]));
  const bag = new EdgeBag();

  for (const r of db.prepare('SELECT file_id AS a, target_file_id AS b, count(*) AS n FROM code_imports WHERE project_id = ? AND target_file_id IS NOT NULL GROUP BY file_id, target_file_id').iterate(projectId) as Iterable<{
    a: number;
    b: number;
    n: number;
  }>) {
    const a = byId.get(r.a);
    const b = byId.get(r.b);
    if (a && b) bag.add(a, b, 'imports', 1);
  }
  for (const r of db
    .prepare(`SELECT g.file_id AS a, e.file_id AS b, count(DISTINCT g.call_id) AS n FROM call_graph g JOIN code_elements e ON e.id = g.callee_id
      WHERE g.project_id = ? AND g.file_id <> e.file_id GROUP BY g.file_id, e.file_id`)
    .iterate(projectId) as Iterable<{ a: number; b: number; n: number }>) {
    const a = byId.get(r.a);
    const b = byId.get(r.b);
    if (a && b) bag.add(a, b, 'calls', Math.min(1.5, Math.log1p(r.n) / 2));
  }
  // Co-change: both directions' confidences, so a file that changes with everything does not pull everything in.
  const conf = new Map<string, number>();
  for (const r of db.prepare('SELECT path, other, confidence FROM file_cochange_patterns WHERE project_id = ? AND support >= 2').iterate(projectId) as Iterable<{
    path: string;
    other: string;
    confidence: number;
  }>) {
    if (nodeByPath.has(r.path) && nodeByPath.has(r.other)) conf.set(`${r.path}\0${r.other}`, r.confidence);
  }
  for (const [key, c] of conf) {
    const [a, b] = key.split('\0') as [string, string];
    if (a > b) continue;
    const back = conf.get(`${b}\0${a}`) ?? 0;
    bag.add(a, b, 'cochange', Math.sqrt(c * back));
  }
  // Shared concepts (symbol tags summed per file).
  for (const r of db
    .prepare('SELECT file_id, concept, sum(score) AS s FROM concept_index WHERE project_id = ? GROUP BY file_id, concept')
    .iterate(projectId) as Iterable<{ file_id: number; concept: string; s: number }>) {
    const p = byId.get(r.file_id);
    if (p) nodeByPath.get(p)!.concepts.set(r.concept, r.s);
  }
  const byConcept = new Map<string, string[]>();
  for (const n of nodes) for (const c of n.concepts.keys()) (byConcept.get(c) ?? byConcept.set(c, []).get(c)!).push(n.path);
  for (const members of byConcept.values()) {
    if (members.length < 2 || members.length > MAX_CONCEPT_FILES) continue;
    const w = 1 / (members.length - 1);
    for (let i = 0; i < members.length; i++) for (let j = i + 1; j < members.length; j++) bag.add(members[i]!, members[j]!, 'concepts', w);
  }
  const byFolder = new Map<string, string[]>();
  for (const n of nodes) (byFolder.get(folderOf(n.path)) ?? byFolder.set(folderOf(n.path), []).get(folderOf(n.path))!).push(n.path);
  for (const members of byFolder.values()) {
    if (members.length < 2 || members.length > MAX_FOLDER_FILES) continue;
    const w = 1 / Math.sqrt(members.length - 1);
    for (let i = 0; i < members.length; i++) for (let j = i + 1; j < members.length; j++) bag.add(members[i]!, members[j]!, 'folder', w);
  }
  return { nodes, bag };
}

/** Louvain communities of the graph, singletons folded into their strongest neighbour's community. */
export function clusterFiles(paths: string[], bag: EdgeBag, seed = 42): { communities: Map<string, number>; modularity: number } {
  const g = new Graph({ type: 'undirected', allowSelfLoops: false });
  for (const p of [...paths].sort()) g.addNode(p);
  for (const e of [...bag.edges.values()].sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0))) {
    if (g.hasNode(e.a) && g.hasNode(e.b)) g.addEdge(e.a, e.b, { weight: e.w });
  }
  if (g.size === 0) return { communities: new Map(paths.map((p, i) => [p, i])), modularity: 0 };
  const detailed = louvain.detailed(g, { getEdgeWeight: 'weight', rng: seededRandom(seed), resolution: 1 });
  const communities = new Map(Object.entries(detailed.communities));
  const sizes = new Map<number, number>();
  for (const c of communities.values()) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  for (const [p, c] of communities) {
    if (sizes.get(c)! > 1) continue;
    let best: number | null = null;
    let bestW = 0;
    g.forEachEdge(p, (_e, attr, s, t) => {
      const other = s === p ? t : s;
      const oc = communities.get(other)!;
      if (attr.weight > bestW && sizes.get(oc)! > 1) {
        bestW = attr.weight;
        best = oc;
      }
    });
    if (best !== null) {
      communities.set(p, best);
      sizes.set(c, 0);
      sizes.set(best, sizes.get(best)! + 1);
    }
  }
  return { communities, modularity: detailed.modularity };
}

/** Matches new clusters to the old domains by Jaccard overlap, greedily from the best pair. */
export function matchClusters(clusters: Map<number, Set<string>>, previous: Map<number, Set<string>>, minOverlap = KEEP_OVERLAP): Map<number, number> {
  const pairs: { c: number; d: number; j: number }[] = [];
  for (const [c, files] of clusters) {
    for (const [d, old] of previous) {
      let inter = 0;
      for (const f of files) if (old.has(f)) inter++;
      if (!inter) continue;
      const j = inter / (files.size + old.size - inter);
      if (j >= minOverlap) pairs.push({ c, d, j });
    }
  }
  pairs.sort((x, y) => y.j - x.j || x.c - y.c || x.d - y.d);
  const out = new Map<number, number>();
  const used = new Set<number>();
  for (const p of pairs) {
    if (out.has(p.c) || used.has(p.d)) continue;
    out.set(p.c, p.d);
    used.add(p.d);
  }
  return out;
}

/** A readable name: the folder most of the files share, and the concept that sets them apart. */
export function nameDomain(files: string[], concepts: string[], taken: Set<string>): string {
  const counts = new Map<string, number>();
  for (const f of files) {
    const parts = folderOf(f).split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const key = parts.slice(0, i).join('/');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  // The deepest folder holding at least 60% of the files.
  let folder = '';
  for (const [k, n] of counts) if (n >= files.length * 0.6 && k.split('/').length > folder.split('/').filter(Boolean).length) folder = k;
  const segs = folder.split('/').filter((s) => s && !GENERIC_SEGMENTS.has(s.toLowerCase()));
  let label = segs.slice(-2).join('/');
  if (!label) {
    // No shared folder: the most common word of the file names.
    const words = new Map<string, number>();
    for (const f of files) {
      const stem = f.slice(f.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
      for (const w of stem.split(/[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])/).map((x) => x.toLowerCase())) if (w.length > 2 && !GENERIC_SEGMENTS.has(w) && w !== 'index' && w !== 'mod') words.set(w, (words.get(w) ?? 0) + 1);
    }
    label = [...words.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? 'root';
  }
  let name = concepts[0] ? `${label} (${concepts[0]})` : label;
  if (taken.has(name)) name = concepts[1] ? `${label} (${concepts[1]})` : name;
  for (let i = 2; taken.has(name); i++) name = `${label} ${i}`;
  return name;
}

interface ConceptScore {
  c: string;
  /** Share of the domain's files tagged with it, over that share in the whole project. */
  lift: number;
  share: number;
}

/** Concepts that set a group of files apart from the project: share inside over share overall, most frequent first. */
function distinctiveConcepts(members: FileNode[], overall: Map<string, number>, totalFiles: number): ConceptScore[] {
  const inside = new Map<string, number>();
  for (const m of members) for (const c of m.concepts.keys()) inside.set(c, (inside.get(c) ?? 0) + 1);
  return [...inside.entries()]
    .filter(([, n]) => n >= Math.max(1, members.length * 0.15))
    .map(([c, n]) => ({ c, lift: n / members.length / ((overall.get(c) ?? n) / totalFiles), share: n / members.length, n }))
    .sort((a, b) => b.lift * Math.log1p(b.n) - a.lift * Math.log1p(a.n) || (a.c < b.c ? -1 : 1))
    .slice(0, 5)
    .map(({ c, lift, share }) => ({ c, lift, share }));
}

/** A concept goes into the name only when most of the domain's files carry it and it is rarer elsewhere. */
function namingConcepts(scores: ConceptScore[]): string[] {
  return scores.filter((s) => s.share >= 0.5 && s.lift >= 1.3).map((s) => s.c);
}

/** Clusters the project's files and stores the domains, their files and the edges between them. */
export function updateDomains(db: Db, projectId: number): DomainsRun {
  const t0 = performance.now();
  const { nodes, bag } = buildFileGraph(db, projectId);
  const paths = nodes.map((n) => n.path);
  const { communities, modularity } = clusterFiles(paths, bag);
  const clusters = new Map<number, Set<string>>();
  for (const [p, c] of communities) (clusters.get(c) ?? clusters.set(c, new Set()).get(c)!).add(p);

  const previous = new Map<number, Set<string>>();
  for (const r of db.prepare('SELECT path, domain_id FROM codemap_domain_files WHERE project_id = ?').iterate(projectId) as Iterable<{ path: string; domain_id: number }>)
    (previous.get(r.domain_id) ?? previous.set(r.domain_id, new Set()).get(r.domain_id)!).add(r.path);
  const oldNames = new Map((db.prepare('SELECT id, name FROM codemap_domains WHERE project_id = ?').all(projectId) as { id: number; name: string }[]).map((r) => [r.id, r.name]));
  const matched = matchClusters(clusters, previous);
  let nextId = Math.max(0, ...previous.keys(), ...oldNames.keys()) + 1;

  const overall = new Map<string, number>();
  for (const n of nodes) for (const c of n.concepts.keys()) overall.set(c, (overall.get(c) ?? 0) + 1);
  const nodeByPath = new Map(nodes.map((n) => [n.path, n]));
  // Biggest clusters first, so that they keep the plain names when two would be called the same.
  const ordered = [...clusters.entries()].sort((a, b) => b[1].size - a[1].size || ([...a[1]].sort()[0]! < [...b[1]].sort()[0]! ? -1 : 1));
  const domainOf = new Map<string, number>();
  const domains: { id: number; name: string; files: string[]; concepts: string[]; folders: string[] }[] = [];
  const taken = new Set<string>();
  let kept = 0;
  for (const [c, set] of ordered) {
    const files = [...set].sort();
    const members = files.map((f) => nodeByPath.get(f)!);
    const scored = distinctiveConcepts(members, overall, nodes.length);
    const concepts = scored.map((x) => x.c);
    const old = matched.get(c);
    const id = old ?? nextId++;
    let name = old !== undefined ? oldNames.get(old) : undefined;
    if (name && !taken.has(name)) kept++;
    else name = nameDomain(files, namingConcepts(scored), taken);
    taken.add(name);
    const folders = topFolders(files);
    domains.push({ id, name, files, concepts, folders });
    for (const f of files) domainOf.set(f, id);
  }

  const inside = new Map<number, number>();
  const total = new Map<number, number>();
  const between = new Map<string, DomainEdge>();
  for (const e of bag.edges.values()) {
    const da = domainOf.get(e.a);
    const db_ = domainOf.get(e.b);
    if (da === undefined || db_ === undefined) continue;
    total.set(da, (total.get(da) ?? 0) + e.w);
    total.set(db_, (total.get(db_) ?? 0) + e.w);
    if (da === db_) {
      inside.set(da, (inside.get(da) ?? 0) + 2 * e.w);
      continue;
    }
    const [x, y] = da < db_ ? [da, db_] : [db_, da];
    const key = `${x}:${y}`;
    let d = between.get(key);
    if (!d) between.set(key, (d = { from: x, to: y, weight: 0, kinds: {} }));
    d.weight += e.w;
    for (const [k, v] of Object.entries(e.kinds) as [EdgeKind, number][]) d.kinds[k] = (d.kinds[k] ?? 0) + v;
  }

  db.transaction(() => {
    db.prepare('DELETE FROM codemap_domains WHERE project_id = ?').run(projectId);
    db.prepare('DELETE FROM codemap_domain_files WHERE project_id = ?').run(projectId);
    db.prepare('DELETE FROM codemap_domain_edges WHERE project_id = ?').run(projectId);
    const insD = db.prepare('INSERT INTO codemap_domains (project_id, id, name, concepts, folders, files, cohesion) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insF = db.prepare('INSERT INTO codemap_domain_files (project_id, path, domain_id) VALUES (?, ?, ?)');
    const insE = db.prepare('INSERT INTO codemap_domain_edges (project_id, from_id, to_id, weight, kinds) VALUES (?, ?, ?, ?, ?)');
    for (const d of domains) {
      const t = total.get(d.id) ?? 0;
      const cohesion = t > 0 ? round((inside.get(d.id) ?? 0) / t) : 0;
      insD.run(projectId, d.id, d.name, JSON.stringify(d.concepts), JSON.stringify(d.folders), d.files.length, cohesion);
      for (const f of d.files) insF.run(projectId, f, d.id);
    }
    for (const e of between.values()) insE.run(projectId, e.from, e.to, round(e.weight), JSON.stringify(roundKinds(e.kinds)));
  })();
  return { files: paths.length, domains: domains.length, edges: between.size, kept, modularity: round(modularity), took_ms: Math.round(performance.now() - t0) };
}

function topFolders(files: string[]): string[] {
  const counts = new Map<string, number>();
  for (const f of files) counts.set(folderOf(f), (counts.get(folderOf(f)) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 3)
    .map(([f]) => f || '.');
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function roundKinds(k: Partial<Record<EdgeKind, number>>): Partial<Record<EdgeKind, number>> {
  return Object.fromEntries(Object.entries(k).map(([a, b]) => [a, round(b)]));
}

export class DomainQueries {
  constructor(private readonly db: Db, private readonly projectId: number) {}

  list(opts: { files?: boolean } = {}): { results: DomainResult[]; edges: DomainEdge[] } {
    const rows = this.db.prepare('SELECT id, name, concepts, folders, files, cohesion FROM codemap_domains WHERE project_id = ? ORDER BY files DESC, id').all(this.projectId) as {
      id: number;
      name: string;
      concepts: string;
      folders: string;
      files: number;
      cohesion: number;
    }[];
    const members = new Map<number, string[]>();
    if (opts.files !== false) {
      for (const r of this.db.prepare('SELECT domain_id, path FROM codemap_domain_files WHERE project_id = ? ORDER BY path').iterate(this.projectId) as Iterable<{ domain_id: number; path: string }>)
        (members.get(r.domain_id) ?? members.set(r.domain_id, []).get(r.domain_id)!).push(r.path);
    }
    const edges = (this.db.prepare('SELECT from_id, to_id, weight, kinds FROM codemap_domain_edges WHERE project_id = ? ORDER BY weight DESC').all(this.projectId) as {
      from_id: number;
      to_id: number;
      weight: number;
      kinds: string;
    }[]).map((e) => ({ from: e.from_id, to: e.to_id, weight: e.weight, kinds: JSON.parse(e.kinds) as DomainEdge['kinds'] }));
    return {
      results: rows.map((r) => ({
        id: r.id,
        name: r.name,
        files: members.get(r.id) ?? [],
        concepts: JSON.parse(r.concepts) as string[],
        folders: JSON.parse(r.folders) as string[],
        cohesion: r.cohesion,
        size: r.files,
      })),
      edges,
    };
  }

  /** The domain a file belongs to. */
  of(path: string): { id: number; name: string } | null {
    return (this.db
      .prepare('SELECT d.id, d.name FROM codemap_domain_files f JOIN codemap_domains d ON d.project_id = f.project_id AND d.id = f.domain_id WHERE f.project_id = ? AND f.path = ?')
      .get(this.projectId, path) as { id: number; name: string } | undefined) ?? null;
  }
}
