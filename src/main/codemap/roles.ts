// What a code file is to the code map: product source (ranked as a hotspot, grouped into domains) or a test, example, doc... that is left out, and how many of each.
import type { Db } from '../db/open';
import { isSourcePath, isTestPath } from './paths';

/** `source` is what hotspots rank and domains group; every other role is left out of both. */
export type FileRole = 'source' | 'test' | 'example' | 'docs' | 'fixture' | 'bench' | 'vendor' | 'generated' | 'other';

const FOLDER_ROLES: [RegExp, FileRole][] = [
  [/^(tests?|__tests__|spec|specs|testing|testdata)$/, 'test'],
  [/^fixtures?$/, 'fixture'],
  [/^(examples?|samples?)$/, 'example'],
  [/^docs?$/, 'docs'],
  [/^(benches|benchmarks?)$/, 'bench'],
  [/^(vendor|third_party|node_modules)$/, 'vendor'],
];

/** The role of a path: the outermost folder that says what it is wins (examples/app/test/x.js is an example), then the file name. */
export function fileRole(p: string): FileRole {
  if (isSourcePath(p)) return 'source';
  const parts = p.split('/');
  for (const seg of parts.slice(0, -1)) for (const [re, role] of FOLDER_ROLES) if (re.test(seg)) return role;
  if (isTestPath(p) || /[._-](test|spec)\.[a-z]+$/.test(p)) return 'test';
  if (/\.d\.ts$|\.min\.js$/.test(p)) return 'generated';
  return 'other';
}

/** Code files with metrics per role, and what the hotspots know: ranked files and commits in the history. */
export interface CodeCoverage {
  roles: Partial<Record<FileRole, number>>;
  ranked: number;
  commits: number;
}

/** Per database and project: the coverage as of an index run. Only an index run changes it, so the map and the domain
 * graph do not classify every file again on each request (15 ms on svelte's 9k files). */
const cache = new WeakMap<Db, Map<number, { run: number; value: CodeCoverage }>>();

export function codeCoverage(db: Db, projectId: number): CodeCoverage {
  const run = (db.prepare('SELECT ifnull(max(id), 0) AS id FROM index_runs WHERE project_id = ?').get(projectId) as { id: number }).id;
  let byProject = cache.get(db);
  if (!byProject) cache.set(db, (byProject = new Map()));
  const hit = byProject.get(projectId);
  if (hit && hit.run === run) return hit.value;
  const value = measureCoverage(db, projectId);
  byProject.set(projectId, { run, value });
  return value;
}

function measureCoverage(db: Db, projectId: number): CodeCoverage {
  const roles: Partial<Record<FileRole, number>> = {};
  for (const r of db.prepare('SELECT path FROM code_quality_files WHERE project_id = ?').iterate(projectId) as Iterable<{ path: string }>) {
    const role = fileRole(r.path);
    roles[role] = (roles[role] ?? 0) + 1;
  }
  const ranked = (db.prepare('SELECT count(*) AS n FROM codemap_hotspots WHERE project_id = ?').get(projectId) as { n: number }).n;
  const commits = (db.prepare('SELECT count(*) AS n FROM git_commits WHERE project_id = ?').get(projectId) as { n: number }).n;
  return { roles, ranked, commits };
}
