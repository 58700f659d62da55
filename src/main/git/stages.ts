// Registers the git capability's index stage on a project and gives each project its one GitService.
import type { ProjectContext } from '../app';
import type { Db } from '../db/open';
import { writeConceptExpertise } from './expertise';
import { GitService } from './service';

/** The project's git service (made once per open project). */
export function gitServiceFor(p: ProjectContext): GitService {
  return p.service('git', () => new GitService(p.mira.db, p.id, { root: p.root }, p.fs));
}

export function registerGitStages(p: ProjectContext): void {
  p.indexer.addProjectStage({
    name: 'git',
    git: true,
    async run(ctx, summary) {
      const r = await gitServiceFor(p).sync({
        signal: ctx.signal,
        log: ctx.log,
        progress: (done, detail) => ctx.progress({ phase: 'stage', done, total: 0, detail: detail ? `git ${detail}` : 'git' }),
      });
      // Anything short of a clean read shows up in the index result, with the reasons in `mira git status`.
      if (r.status !== 'ok' && r.status !== 'unchanged') summary.skipped[`git_${r.status}`] = 1;
      // Expertise per concept: the file rows of each concept's files (the code stage tagged them before this one).
      const changed = summary.added.length + summary.changed.length + summary.deleted.length > 0;
      if (r.status !== 'unchanged' || changed) conceptExpertise(ctx.db, p.id);
    },
  });
}

/** Rewrites expertise per concept from the concept index (files tagged with each concept); drops concepts gone. */
export function conceptExpertise(db: Db, projectId: number): number {
  const has = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'concept_index'`).get();
  if (!has) return 0;
  const concepts = new Map<string, string[]>();
  for (const r of db
    .prepare('SELECT DISTINCT ci.concept AS concept, f.path AS path FROM concept_index ci JOIN files f ON f.id = ci.file_id WHERE ci.project_id = ?')
    .iterate(projectId) as Iterable<{ concept: string; path: string }>) {
    const list = concepts.get(r.concept);
    if (list) list.push(r.path);
    else concepts.set(r.concept, [r.path]);
  }
  db.transaction(() => {
    db.prepare(`DELETE FROM author_expertise WHERE project_id = ? AND scope = 'concept' AND key NOT IN (SELECT value FROM json_each(?))`).run(projectId, JSON.stringify([...concepts.keys()]));
    writeConceptExpertise(db, projectId, concepts);
  })();
  return concepts.size;
}
