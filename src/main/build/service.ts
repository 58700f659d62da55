// The build capability for one project: the runner, its store, and commit links after each run.
import type { ProjectContext } from '../app';
import { linkResolutionsToCommits } from './commit-links';
import { BuildRunner } from './runner';

export function buildRunner(p: ProjectContext): BuildRunner {
  return p.service('build', () => new BuildRunner(p.mira.db, p.id, p.root));
}

/** Index stage: resolutions made before their fix was committed get their commit once it exists. */
export function registerBuildStages(p: ProjectContext): void {
  p.indexer.addProjectStage({
    name: 'build-links',
    git: true,
    async run() {
      linkResolutionsToCommits(buildRunner(p).store, p.root);
    },
  });
}
