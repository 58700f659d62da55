// Registers the code capability's index stages on a project.
import type { ProjectContext } from '../app';
import { CodeIndex } from './code-index';

/** The project's code index (parse pool, stores, enricher hook), made once per open project. */
export function codeIndexOf(p: ProjectContext): CodeIndex {
  return p.service('code-index', () => new CodeIndex(p.mira.db));
}

export function registerCodeStages(p: ProjectContext): void {
  const code = codeIndexOf(p);
  p.indexer.addFileStage(code.fileStage());
  for (const stage of code.projectStages()) p.indexer.addProjectStage(stage);
}
