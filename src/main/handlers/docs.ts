// Handlers for documents: files inside the project are read here; files from elsewhere arrive with their content (the API never reads outside the root).
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { Mira } from '../app';
import type { CallContext } from '../transport/router';
import type { docsMethods } from '../../shared/api/docs';
import { MiraError } from '../../shared/errors';
import { docsFor, type DocInput, type DocsService } from '../docs';

type Spec = typeof docsMethods;
export type DocsHandlers = {
  [M in keyof Spec]: (params: z.output<Spec[M]['params']>, ctx: CallContext) => Promise<z.output<Spec[M]['result']>> | z.output<Spec[M]['result']>;
};

/** The documents service of this Mira (shared with the assistant's context and operations). */
export function docsService(mira: Mira): DocsService {
  return docsFor({ db: mira.db, config: mira.config, log: mira.log });
}

export function docsHandlers(mira: Mira): DocsHandlers {
  return {
    'docs/add': async ({ files }) => {
      const t0 = performance.now();
      const p = mira.project();
      const inputs: DocInput[] = files.map((f) => {
        if (f.content !== undefined || f.content_base64 !== undefined) {
          const bytes = f.content_base64 !== undefined ? Buffer.from(f.content_base64, 'base64') : Buffer.from(f.content ?? '', 'utf8');
          return { path: displayPath(p.root, f.path), bytes };
        }
        const abs = p.fs.resolve(f.path);
        let st: fs.Stats;
        try {
          st = fs.statSync(abs);
        } catch {
          throw new MiraError('not_found', `${f.path} does not exist`, 'give a path relative to the project root, or send the content');
        }
        if (!st.isFile()) throw new MiraError('bad_request', `${f.path} is not a file`);
        return { path: p.fs.relative(abs), bytes: fs.readFileSync(abs) };
      });
      const results = await docsService(mira).add(p.id, inputs);
      return { results, took_ms: Math.round(performance.now() - t0) };
    },
    'docs/list': () => ({
      results: docsService(mira)
        .list(mira.project().id)
        .map((d) => ({ id: d.id, path: d.path, title: d.title, kind: d.kind, chunks: d.chunks, bytes: d.bytes, vectors: !!d.vectors, created_at: d.created_at, updated_at: d.updated_at })),
    }),
    'docs/remove': async ({ id }) => ({ removed: await docsService(mira).remove(mira.project().id, id) }),
    'docs/search': async ({ query, k }) => {
      const t0 = performance.now();
      const hits = await docsService(mira).searchDocs(mira.project().id, query, k ?? 10);
      return {
        results: hits.map((h) => ({ id: h.document_id, chunk_id: h.chunk_id, path: h.path, title: h.title, heading: h.heading, snippet: h.snippet, score: h.score, reasons: h.reasons })),
        took_ms: Math.round(performance.now() - t0),
      };
    },
  };
}

/** A file named from outside: project-relative when it lies inside the root after all, else its absolute path with / separators. */
function displayPath(root: string, given: string): string {
  if (!path.isAbsolute(given)) return given.split(path.sep).join('/');
  const rel = path.relative(root, given);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  return given.split(path.sep).join('/');
}
