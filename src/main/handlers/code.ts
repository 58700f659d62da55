// Handlers for the code capability's methods: each times itself in-process and reports took_ms.
import type { Mira } from '../app';
import type { Handlers } from '../transport/router';
import type { codeMethods } from '../../shared/api/code';
import { codeQueriesOf, searchServiceOf } from '../code/services';
import type { SymbolRow } from '../code/queries';

const ms = (started: number) => Math.round((performance.now() - started) * 100) / 100;
const matched = (symbols: SymbolRow[]) => symbols.map((s) => ({ name: s.qualified_name, path: s.path, line: s.start_line }));
const symbolOut = (s: SymbolRow) => ({
  name: s.name,
  qualified_name: s.qualified_name,
  kind: s.kind,
  path: s.path,
  start_line: s.start_line,
  end_line: s.end_line,
  parent: s.parent,
  signature: s.signature,
  visibility: s.visibility,
  language: s.language,
});

export function codeHandlers(mira: Mira): Pick<Handlers, keyof typeof codeMethods> {
  return {
    'code/search': async ({ query, k, language, concept }) => {
      const t = performance.now();
      const results = await searchServiceOf(mira.project()).search(query, { k, language, concept });
      return { results, took_ms: ms(t) };
    },
    'code/symbols': (p) => {
      const t = performance.now();
      const proj = mira.project();
      const rows = codeQueriesOf(proj).symbols(proj.id, p ?? {});
      return { results: rows.map(symbolOut), took_ms: ms(t) };
    },
    'code/callers': ({ symbol, min_confidence }) => {
      const t = performance.now();
      const proj = mira.project();
      const r = codeQueriesOf(proj).callers(proj.id, symbol, min_confidence);
      return { results: r.results, symbols: matched(r.symbols), took_ms: ms(t) };
    },
    'code/callees': ({ symbol, min_confidence, include_unresolved }) => {
      const t = performance.now();
      const proj = mira.project();
      const r = codeQueriesOf(proj).callees(proj.id, symbol, min_confidence, include_unresolved);
      return { results: r.results, symbols: matched(r.symbols), took_ms: ms(t) };
    },
    'code/impact': ({ symbol, depth, min_confidence }) => {
      const t = performance.now();
      const proj = mira.project();
      const r = codeQueriesOf(proj).impact(proj.id, symbol, depth, min_confidence);
      return { results: r.results, symbols: matched(r.symbols), took_ms: ms(t) };
    },
    'code/concepts': ({ concept, k }) => {
      const t = performance.now();
      const proj = mira.project();
      const q = codeQueriesOf(proj);
      const results = concept ? q.conceptMembers(proj.id, concept, k) : q.conceptSizes(proj.id);
      return { concept: concept ?? null, results, took_ms: ms(t) };
    },
    'code/patterns': ({ pattern }) => {
      const t = performance.now();
      const proj = mira.project();
      return { results: codeQueriesOf(proj).patterns(proj.id, pattern), took_ms: ms(t) };
    },
    'code/symbolAt': ({ path, line }) => {
      const t = performance.now();
      const proj = mira.project();
      const s = codeQueriesOf(proj).symbolAt(proj.id, path, line);
      return { symbol: s ? symbolOut(s) : null, took_ms: ms(t) };
    },
  };
}
