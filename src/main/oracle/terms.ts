// Query and document terms for the oracle: identifiers split into sub-words, the whole compound kept too, stop words out.
import { splitIdentifier } from '../search/fts-text';

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;

/** Words that say nothing about where a change goes (commit-message filler included). */
export const STOP = new Set(
  ('the a an of to in for and or is are be on with this that it as by from at not when use used using add adds added fix fixes fixed make ' +
    'should can was were will would been has have had do does did so if but into than then also only just more most some any all no ' +
    'we you they i my our its it\'s via per new now get set')
    .split(/\s+/),
);

export function terms(text: string, max = Infinity): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IDENT)) {
    const tok = m[0];
    const subs = splitIdentifier(tok);
    for (const s of subs) out.push(s);
    if (subs.length > 1) out.push(tok.toLowerCase());
    if (out.length >= max) break;
  }
  return out;
}

/** Distinct, useful query terms in order of appearance. */
export function queryTerms(text: string, limit = 48): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of terms(text)) {
    if (t.length < 2 || STOP.has(t) || seen.has(t) || /^\d+$/.test(t)) continue;
    seen.add(t);
    out.push(t);
    if (out.length >= limit) break;
  }
  return out;
}

/** An FTS5 MATCH expression OR-ing the terms, each quoted so no term is read as syntax. */
export function matchAny(ts: string[], column?: string): string | null {
  if (!ts.length) return null;
  const inner = ts.map((t) => `"${t.replace(/"/g, '""')}"`).join(' OR ');
  return column ? `{${column}} : (${inner})` : inner;
}

/** Tests, docs, examples, fixtures and benchmarks: places a change rarely has to go first. */
export function isAuxiliaryPath(p: string): boolean {
  return /(^|\/)(tests?|__tests__|__mocks__|spec|specs|testdata|test-data|fixtures?|benches|benchmarks?|examples?|docs?|samples?)(\/|$)|[._-](test|spec|bench)\.[a-z]+$|_test\.(go|py|rs)$|(^|\/)test_[^/]+\.py$|(^|\/)(CHANGELOG|HISTORY|CHANGES|AUTHORS|CONTRIBUTORS)(\.[a-z]+)?$/i.test(
    p,
  );
}
