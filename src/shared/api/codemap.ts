// The code map's part of the contract: quality metrics, hotspots, domains, and the treemap and trend data for pictures.
import { z } from 'zod';
import { method } from './define';

const K = z.number().int().min(1).max(10_000).optional();
const Path = z.string().min(1).max(4096);

export const QualitySort = z.enum(['complexity', 'cognitive', 'lines', 'nesting', 'fan_in', 'fan_out', 'duplication']);

export const QualityItem = z.object({
  path: z.string(),
  /** The function (`Class.method`); on a file row, its most complex function (null when it has none). */
  symbol: z.string().nullable(),
  kind: z.string(),
  line: z.number(),
  end_line: z.number(),
  complexity: z.number(),
  cognitive: z.number(),
  lines: z.number(),
  nesting: z.number(),
  params: z.number(),
  fan_in: z.number(),
  fan_out: z.number(),
  /** Reached from a test through the call graph (a file: any of its functions); null when there is nothing to test. */
  tested: z.boolean().nullable(),
  duplicated_lines: z.number(),
  functions: z.number().optional(),
  max_complexity: z.number().optional(),
  max_cognitive: z.number().optional(),
  code_lines: z.number().optional(),
  tested_share: z.number().nullable().optional(),
  approx: z.boolean().optional(),
  clones: z.array(z.object({ path: z.string(), lines: z.tuple([z.number(), z.number()]), other_lines: z.tuple([z.number(), z.number()]) })).optional(),
});
export type QualityItem = z.infer<typeof QualityItem>;

export const HotspotItem = z.object({
  path: z.string(),
  /** Chance of a fix within a year, from the model calibrated on the project's own history. */
  score: z.number(),
  rank: z.number(),
  /** Commits in the last year. */
  churn: z.number(),
  complexity: z.number(),
  lines: z.number(),
  reasons: z.array(z.string()),
  symbols: z.array(z.object({ name: z.string(), line: z.number(), complexity: z.number(), cognitive: z.number() })),
  fixes_1y: z.number(),
  authors_1y: z.number(),
});
export type HotspotItem = z.infer<typeof HotspotItem>;

export const DomainItem = z.object({
  id: z.number(),
  name: z.string(),
  files: z.array(z.string()),
  concepts: z.array(z.string()),
  folders: z.array(z.string()),
  /** Share of its files' link weight that stays inside the domain (1: self-contained). */
  cohesion: z.number(),
  size: z.number(),
});
export type DomainItem = z.infer<typeof DomainItem>;

export const DomainEdgeItem = z.object({
  from: z.number(),
  to: z.number(),
  weight: z.number(),
  kinds: z.record(z.string(), z.number()),
});

/** What a code file is to the code map: `source` is ranked as a hotspot and grouped into domains; the others are left out of both. */
export const FileRole = z.enum(['source', 'test', 'example', 'docs', 'fixture', 'bench', 'vendor', 'generated', 'other']);
export type FileRole = z.infer<typeof FileRole>;
const LeftOutRole = FileRole.exclude(['source']);

/** Code files with metrics per role, ranked files and commits: why parts of the project have no scores or no domain. */
export const CodeCoverage = z.object({
  roles: z.partialRecord(FileRole, z.number()),
  /** Files with a hotspot score (0: not computed yet). */
  ranked: z.number(),
  /** Commits in the indexed git history. */
  commits: z.number(),
});
export type CodeCoverage = z.infer<typeof CodeCoverage>;

export interface TreemapNode {
  name: string;
  path: string;
  size: number;
  score: number | null;
  complexity: number;
  rank?: number;
  /** A ranked file's commits in the last year. */
  churn?: number;
  /** Why a file is not ranked (a test, an example, docs...); absent for product source. */
  role?: z.infer<typeof LeftOutRole>;
  children?: TreemapNode[];
}
export const TreemapNode: z.ZodType<TreemapNode> = z.lazy(() =>
  z.object({
    name: z.string(),
    path: z.string(),
    size: z.number(),
    score: z.number().nullable(),
    complexity: z.number(),
    rank: z.number().optional(),
    churn: z.number().optional(),
    role: LeftOutRole.optional(),
    children: z.array(TreemapNode).optional(),
  }),
);

export const TrendResult = z.object({
  path: z.string(),
  names: z.array(z.string()),
  points: z.array(
    z.object({ sha: z.string(), date: z.string(), lines: z.number(), added: z.number(), deleted: z.number(), fix: z.boolean(), complexity: z.number(), measured: z.boolean() }),
  ),
  months: z.array(z.object({ month: z.string(), commits: z.number(), added: z.number(), deleted: z.number(), fixes: z.number() })),
  took_ms: z.number(),
});

export const codemapMethods = {
  'codemap/quality': method(
    z.object({ file: Path.optional(), k: K, sort: QualitySort.optional() }).default({}),
    z.object({ results: z.array(QualityItem), took_ms: z.number() }),
  ),
  'codemap/hotspots': method(
    z.object({ k: K, path: z.string().max(4096).optional() }).default({}),
    z.object({ results: z.array(HotspotItem), model: z.object({ source: z.string(), files: z.number() }).optional(), took_ms: z.number() }),
  ),
  'codemap/domains': method(
    z.object({ files: z.boolean().optional() }).default({}),
    z.object({ results: z.array(DomainItem), edges: z.array(DomainEdgeItem), coverage: CodeCoverage.optional(), took_ms: z.number() }),
  ),
  'codemap/treemap': method(z.object({ path: z.string().max(4096).optional() }).default({}), z.object({ root: TreemapNode, coverage: CodeCoverage.optional(), took_ms: z.number() })),
  'codemap/trend': method(z.object({ path: Path, measure: z.boolean().optional() }), TrendResult),
};

export const codemapEvents = {};
