// Registers the git capability's index stages on a project.
import type { ProjectContext } from '../app';

export function registerGitStages(p: ProjectContext): void {
  void p;
}
