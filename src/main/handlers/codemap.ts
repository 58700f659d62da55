// Handlers for the code map's methods: quality, hotspots, domains, treemap and trend, each timed in-process.
import type { z } from 'zod';
import type { Mira } from '../app';
import type { CallContext } from '../transport/router';
import type { codemapMethods } from '../../shared/api/codemap';
import { codeCoverage } from '../codemap/roles';
import { codemapOf } from '../codemap/service';

type Methods = typeof codemapMethods;
/** The same shape as `Pick<Handlers, keyof typeof codemapMethods>`, spelled out so it holds before the methods are wired. */
export type CodemapHandlers = {
  [M in keyof Methods]: (params: z.output<Methods[M]['params']>, ctx: CallContext) => Promise<z.output<Methods[M]['result']>> | z.output<Methods[M]['result']>;
};

const ms = (t: number) => Math.round((performance.now() - t) * 100) / 100;

export function codemapHandlers(mira: Mira): CodemapHandlers {
  const svc = () => codemapOf(mira.project());
  return {
    'codemap/quality': ({ file, k, sort }) => {
      const t = performance.now();
      const results = svc().qualityOf({ file, k, sort });
      return { results, took_ms: ms(t) };
    },
    'codemap/hotspots': ({ k, path }) => {
      const t = performance.now();
      const s = svc();
      const results = s.hotspotsOf({ k, path });
      const model = s.hotspots.model();
      return { results, ...(model ? { model: { source: model.model.source, files: s.hotspots.count() } } : {}), took_ms: ms(t) };
    },
    'codemap/domains': ({ files }) => {
      const t = performance.now();
      const s = svc();
      const r = s.domainsOf({ files });
      return { ...r, coverage: codeCoverage(s.db, s.projectId), took_ms: ms(t) };
    },
    'codemap/treemap': ({ path }) => {
      const t = performance.now();
      const s = svc();
      const root = s.treemapOf({ path });
      return { root, coverage: codeCoverage(s.db, s.projectId), took_ms: ms(t) };
    },
    'codemap/trend': async ({ path, measure }) => {
      const t = performance.now();
      const r = await svc().trendOf(path, { measure });
      return { ...r, took_ms: ms(t) };
    },
  };
}
