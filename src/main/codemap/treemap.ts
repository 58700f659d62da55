// The treemap's data: folders holding files, each file sized by its lines and coloured by its hotspot score.
import type { Db } from '../db/open';
import { fileRole, type FileRole } from './roles';

export interface TreemapNode {
  name: string;
  path: string;
  /** Lines (a folder: the sum of its files). */
  size: number;
  /** Hotspot score in [0, 1] (a folder: the highest inside); null for files that are not ranked (tests, docs). */
  score: number | null;
  complexity: number;
  rank?: number;
  /** A ranked file's commits in the last year. */
  churn?: number;
  /** Why a file is not ranked: it is a test, an example, docs... (absent for product source). */
  role?: Exclude<FileRole, 'source'>;
  children?: TreemapNode[];
}

export function treemap(db: Db, projectId: number, opts: { path?: string } = {}): TreemapNode {
  const scores = new Map<string, { score: number; rank: number; churn: number }>();
  for (const r of db.prepare('SELECT path, score, rank, churn FROM codemap_hotspots WHERE project_id = ?').iterate(projectId) as Iterable<{
    path: string;
    score: number;
    rank: number;
    churn: number;
  }>)
    scores.set(r.path, { score: r.score, rank: r.rank, churn: r.churn });
  const prefix = opts.path ? opts.path.replace(/^\/+|\/+$/g, '') : '';
  const root: TreemapNode = { name: prefix.split('/').pop() || '.', path: prefix, size: 0, score: null, complexity: 0, children: [] };
  const folders = new Map<string, TreemapNode>([[prefix, root]]);
  const folder = (p: string): TreemapNode => {
    let n = folders.get(p);
    if (n) return n;
    const i = p.lastIndexOf('/');
    const parent = folder(i < 0 || p.length <= prefix.length ? prefix : p.slice(0, i));
    n = { name: p.slice(i + 1), path: p, size: 0, score: null, complexity: 0, children: [] };
    parent.children!.push(n);
    folders.set(p, n);
    return n;
  };
  for (const r of db.prepare('SELECT path, lines, complexity FROM code_quality_files WHERE project_id = ? ORDER BY path').iterate(projectId) as Iterable<{
    path: string;
    lines: number;
    complexity: number;
  }>) {
    if (prefix && !r.path.startsWith(`${prefix}/`)) continue;
    const i = r.path.lastIndexOf('/');
    const dir = i < 0 ? '' : r.path.slice(0, i);
    const s = scores.get(r.path);
    const role = fileRole(r.path);
    const leaf: TreemapNode = {
      name: r.path.slice(i + 1),
      path: r.path,
      size: r.lines,
      score: s?.score ?? null,
      complexity: r.complexity,
      ...(s ? { rank: s.rank, churn: s.churn } : {}),
      ...(role !== 'source' ? { role } : {}),
    };
    folder(dir.length < prefix.length ? prefix : dir).children!.push(leaf);
  }
  const total = (n: TreemapNode): void => {
    if (!n.children) return;
    for (const c of n.children) {
      total(c);
      n.size += c.size;
      n.complexity += c.complexity;
      if (c.score !== null && (n.score === null || c.score > n.score)) n.score = c.score;
    }
    n.children.sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : 1));
  };
  total(root);
  return root;
}
