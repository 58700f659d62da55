// Registers the code capability's index stages on a project.
import type { ProjectContext } from '../app';

export function registerCodeStages(p: ProjectContext): void {
  void p;
}
