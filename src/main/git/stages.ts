// Registers the git capability's index stage on a project and gives each project its one GitService.
import type { ProjectContext } from '../app';
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
    },
  });
}
