// Handlers for the context oracle.
import type { Mira } from '../app';
import type { Handlers } from '../transport/router';
import type { oracleMethods } from '../../shared/api/oracle';
import { locate } from '../oracle/service';

export function oracleHandlers(mira: Mira): Pick<Handlers, keyof typeof oracleMethods> {
  return {
    'oracle/locate': ({ query, k, include_auxiliary }) => {
      const t0 = performance.now();
      const results = locate(mira.project(), query, { k, includeAuxiliary: include_auxiliary });
      return { results, took_ms: Math.round((performance.now() - t0) * 100) / 100 };
    },
  };
}
