// Handlers for the git capability's methods: translate params, call the project's GitService, time the query.
import type { Mira } from '../app';
import type { Handlers } from '../transport/router';
import type { gitMethods } from '../../shared/api/git';
import { gitServiceFor } from '../git/stages';

export function gitHandlers(mira: Mira): Pick<Handlers, keyof typeof gitMethods> {
  const svc = () => gitServiceFor(mira.project());
  // took_ms is the query alone; a never-synced project reads its history first (once), outside the timing.
  const timed = async <T extends object>(fn: () => T): Promise<T & { took_ms: number }> => {
    await svc().ensureSynced();
    const t = performance.now();
    const r = fn();
    return { ...r, took_ms: Math.round((performance.now() - t) * 100) / 100 };
  };
  return {
    'git/cochange': ({ file, files, k }) =>
      timed(() => {
        const r = svc().cochangeFor(files?.length ? files : [file!], k);
        return { results: r.results, query: r.query, unknown: r.unknown };
      }),
    'git/experts': ({ paths, files, path, file, concept, k, bots }) =>
      timed(() => {
        if (concept && !(paths?.length || files?.length || path || file)) return svc().expertsForConcept(concept, k, { bots });
        const list = [...(paths ?? []), ...(files ?? []), ...(path ? [path] : []), ...(file ? [file] : [])];
        return svc().experts(list, k, { bots });
      }),
    'git/fixes': ({ query, text, file, files, k }) =>
      timed(() => ({ results: svc().fixes(query ?? text ?? '', [...(files ?? []), ...(file ? [file] : [])], k) })),
    'git/blame': async ({ file, line }) => {
      const t = performance.now();
      const r = await svc().blame(file, line);
      return { ...r, took_ms: Math.round((performance.now() - t) * 100) / 100 };
    },
    'git/commits': (p) => timed(() => ({ results: svc().commits({ file: p?.file, author: p?.author, limit: p?.limit, shas: p?.shas }) })),
    'git/truck-factor': (p) => timed(() => ({ results: [svc().truckFactor(p?.path ?? '')] })),
    'git/status': () => svc().status(),
    'git/sync': async (_p, ctx) => {
      const r = await svc().sync({ signal: ctx.signal });
      mira.events.emit('git/synced', { status: r.status, commits_added: r.commits_added, commits_removed: r.commits_removed });
      return r;
    },
  };
}
