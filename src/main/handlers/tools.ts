// Handlers for the tool-synthesis methods: translate params, call the project's ToolsService.
import type { z } from 'zod';
import type { Mira } from '../app';
import type { CallContext } from '../transport/router';
import type { toolsMethods } from '../../shared/api/tools';
import { toolsService } from '../tools';

type ToolsMethods = typeof toolsMethods;

/** The same shape as Pick<Handlers, ...> once src/shared/api/tools.ts is part of the API index. */
export type ToolsHandlers = {
  [M in keyof ToolsMethods]: (params: z.output<ToolsMethods[M]['params']>, ctx: CallContext) => Promise<z.output<ToolsMethods[M]['result']>> | z.output<ToolsMethods[M]['result']>;
};

export function toolsHandlers(mira: Mira): ToolsHandlers {
  const svc = () => toolsService(mira.project());
  return {
    'tools/detect': ({ limit }) => svc().detect({ limit }),
    'tools/list': ({ all }) => svc().list({ all }),
    'tools/run': ({ tool, name, params, apply }) => svc().run((tool ?? name)!, params, { apply }),
    'tools/apply': ({ execution_id, run_id }) => svc().apply(execution_id ?? Number(run_id)),
    'tools/reject': ({ execution_id }) => svc().reject(execution_id),
    'tools/history': ({ tool, limit }) => svc().history(tool, limit),
  };
}
