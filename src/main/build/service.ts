// The build capability for one project: the runner, its store, and commit links after each run.
import type { ProjectContext } from '../app';
import { linkResolutionsToCommits } from './commit-links';
import { BuildRunner } from './runner';
import type { ResolvedError } from './store';
import { linkFixCommit, recordFix } from '../git';

export function buildRunner(p: ProjectContext): BuildRunner {
  return p.service('build', () => new BuildRunner(p.mira.db, p.id, p.root));
}

/**
 * Feeds resolved errors into historical fixes (so `mira fixes` finds them for a similar error), then names the
 * commit of every fix that has since been committed.
 */
export function recordResolutions(p: ProjectContext, resolved: ResolvedError[]): void {
  const db = p.mira.db;
  for (const r of resolved) {
    const err = db.prepare('SELECT tool, code, message FROM build_errors WHERE id = ?').get(r.error_id) as { tool: string; code: string | null; message: string } | undefined;
    if (!err) continue;
    const fixId = recordFix(db, p.id, {
      message: `resolved ${err.tool} error${err.code ? ` ${err.code}` : ''}: ${err.message}${r.diff ? `\n\n${r.diff.slice(0, 2000)}` : ''}`,
      files: r.file ? [r.file] : [],
      errorText: `${err.code ?? ''} ${err.message}`.trim(),
    });
    if (fixId) db.prepare('UPDATE error_resolutions SET fix_id = ? WHERE error_id = ? AND fix_id IS NULL').run(fixId, r.error_id);
  }
  linkCommits(p);
}

export function linkCommits(p: ProjectContext): void {
  const db = p.mira.db;
  for (const l of linkResolutionsToCommits(buildRunner(p).store, p.root)) {
    const row = db.prepare('SELECT fix_id FROM error_resolutions WHERE id = ?').get(l.resolution_id) as { fix_id: number | null } | undefined;
    if (row?.fix_id) linkFixCommit(db, row.fix_id, l.sha);
  }
}

/** Index stage: resolutions made before their fix was committed get their commit once it exists. */
export function registerBuildStages(p: ProjectContext): void {
  p.indexer.addProjectStage({
    name: 'build-links',
    git: true,
    async run() {
      linkCommits(p);
    },
  });
}
