// Tool synthesis, the public face of the capability: the per-project service, the build-outcome hook, the LLM adapter and the evaluation.
import type { ProjectContext } from '../app';
import type { Db } from '../db/open';
import { retireFailing } from './evolution';
import { ToolsService } from './service';
import { ToolStore } from './store';

export { ToolsService, type DetectResult, type RunResult, type ToolRefiner } from './service';
export { synthesizedLlmTools, llmToolName } from './llm-adapter';
export { evalToolSet, type EvalResult } from './eval';
export type { ToolSpec } from './runtime';

/** The project's tool service, made once per open project. */
export function toolsService(p: ProjectContext): ToolsService {
  return p.service(
    'tools',
    () =>
      new ToolsService(p.mira.db, p.id, p.root, {
        // the event joins the contract when src/shared/api/tools.ts is wired into the API index
        onProgress: (stage, done, total) => (p.mira.events.emit as (e: string, d: unknown) => void)('tools/progress', { stage, done, total }),
      }),
  );
}

/**
 * For the build integration: the outcome of a build or test run (`ok`: it passed) attaches to the most recent
 * applied tool run of the project that has no outcome yet; tools whose runs keep failing get retired.
 * Returns the tool execution it attached to, or null when there was none waiting.
 */
export function recordBuildOutcome(db: Db, projectId: number, runId: number | null, ok: boolean): number | null {
  const store = new ToolStore(db, projectId);
  const id = store.attachOutcome(runId, ok);
  if (id !== null) retireFailing(store);
  return id;
}
