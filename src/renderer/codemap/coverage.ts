// What the hotspot map leaves out and why: files per role (source, tests, examples, docs...), the source-only tree, and the
// words for a folder without ranked files, chosen from what the data says (left-out roles, no scores yet, no history).
import type { CodeCoverage, FileRole, TreemapNode } from '../../shared/api';

type Counts = Partial<Record<FileRole, number>>;

const ROLE_WORDS: Record<Exclude<FileRole, 'source'>, [one: string, many: string]> = {
  test: ['test', 'tests'],
  example: ['example', 'examples'],
  docs: ['docs file', 'docs files'],
  fixture: ['fixture', 'fixtures'],
  bench: ['benchmark', 'benchmarks'],
  vendor: ['vendored file', 'vendored files'],
  generated: ['generated file', 'generated files'],
  other: ['other file', 'other files'],
};
/** The order left-out roles are named in. */
const ROLE_ORDER = Object.keys(ROLE_WORDS) as Exclude<FileRole, 'source'>[];

/** "a test", "an example": one file's role. */
export function roleOfOne(role: Exclude<FileRole, 'source'>): string {
  const w = ROLE_WORDS[role][0];
  return `${/^[aeio]/.test(w) ? 'an' : 'a'} ${w}`;
}

const counted = new WeakMap<TreemapNode, Counts>();
/** Files under a node per role (a file without a role is source). */
export function roleCounts(node: TreemapNode): Counts {
  let c = counted.get(node);
  if (c) return c;
  c = {};
  if (!node.children) c[node.role ?? 'source'] = 1;
  else
    for (const child of node.children)
      for (const [role, n] of Object.entries(roleCounts(child)) as [FileRole, number][]) c[role] = (c[role] ?? 0) + n;
  counted.set(node, c);
  return c;
}

export const sourceFiles = (c: Counts): number => c.source ?? 0;
export const leftOutFiles = (c: Counts): number => ROLE_ORDER.reduce((n, r) => n + (c[r] ?? 0), 0);

/** "80 tests, 50 examples and 4 docs files" (largest first), or '' when nothing is left out. */
export function leftOutList(c: Counts): string {
  const parts = ROLE_ORDER.filter((r) => (c[r] ?? 0) > 0)
    .sort((a, b) => c[b]! - c[a]! || ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b))
    .map((r) => `${c[r]} ${ROLE_WORDS[r][c[r] === 1 ? 0 : 1]}`);
  return parts.length < 2 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

const filtered = new WeakMap<TreemapNode, TreemapNode>();
/**
 * The tree with product source only (what hotspots rank): files with a role (tests, docs, examples...) and folders left
 * empty go; folder sizes, complexity and top score are summed again. The same object back when nothing was left out.
 */
export function sourceOnly(root: TreemapNode): TreemapNode {
  const hit = filtered.get(root);
  if (hit) return hit;
  const walk = (n: TreemapNode): TreemapNode | null => {
    if (!n.children) return n.role && n.score === null ? null : n;
    const kids = n.children.map(walk).filter((k): k is TreemapNode => k !== null);
    if (kids.length === n.children.length && kids.every((k, i) => k === n.children![i])) return n;
    if (!kids.length && n !== root) return null;
    let size = 0;
    let complexity = 0;
    let score: number | null = null;
    for (const k of kids) {
      size += k.size;
      complexity += k.complexity;
      if (k.score !== null && (score === null || k.score > score)) score = k.score;
    }
    return { ...n, size, complexity, score, children: kids.sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : 1)) };
  };
  const out = walk(root)!;
  filtered.set(root, out);
  return out;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Why a folder (or the project, path '') has no ranked files, from what the data says: its files are all tests, docs or
 * examples (left out on purpose); the scores are not computed yet (none in the project); or its source files came after
 * the last scoring. `coverage` is the project's, from the treemap answer.
 */
export function noHotspotsText(folder: TreemapNode | null, coverage: CodeCoverage | null): string {
  const where = folder?.path ? `in ${folder.path}` : 'in the project';
  const c = folder ? roleCounts(folder) : {};
  const total = sourceFiles(c) + leftOutFiles(c);
  if (!folder || total === 0) return `No code files with metrics ${where}.`;
  if (sourceFiles(c) === 0) {
    const roles = ROLE_ORDER.filter((r) => c[r]);
    const all =
      total === 1 ? `Its one file is ${roleOfOne(roles[0]!)}` : roles.length === 1 ? `All its ${total} files are ${ROLE_WORDS[roles[0]!][1]}` : `Its ${total} files are ${leftOutList(c)}`;
    return `No ranked files ${where}. ${all}: hotspots rank the product's source files only, so tests, docs, examples and fixtures are not scored.`;
  }
  if (coverage && coverage.ranked === 0) {
    if (coverage.commits === 0)
      return `No ranked files ${where}: the project has no git history in the index, and hotspot scores come from it (how often a file changes and gets fixed). Commit, then index the project again.`;
    return `No ranked files ${where} yet: the hotspot scores have not been computed. Index the project again (Index in the status bar) to score its ${plural(coverage.roles.source ?? sourceFiles(c), 'source file')}.`;
  }
  return `No ranked files ${where} yet: its ${plural(sourceFiles(c), 'source file')} ${sourceFiles(c) === 1 ? 'was' : 'were'} added after the last scoring. Index the project again to rank ${sourceFiles(c) === 1 ? 'it' : 'them'}.`;
}
