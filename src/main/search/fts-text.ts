// Text preparation for full-text search: identifiers split into words (camelCase, snake_case), path tokens, safe MATCH queries.

const IDENT = /[A-Za-z_$][A-Za-z0-9_$]*/g;

/** `getHTTPResponse2x` → get, http, response2x; `snake_case_x` → snake, case, x. Lowercase. */
export function splitIdentifier(id: string): string[] {
  const out: string[] = [];
  for (const part of id.split(/[_$\-.\s/\\:]+/)) {
    if (!part) continue;
    const words = part.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+[0-9]*|[0-9]+[a-z]*|[A-Z]+[0-9]*/g);
    if (!words) continue;
    for (const w of words) out.push(w.toLowerCase());
  }
  return out;
}

/** Whether an identifier splits into more than one word (only those need their parts indexed). */
function isCompound(id: string): boolean {
  return /[a-z0-9][A-Z]|[A-Z]{2}[a-z]|[A-Za-z][_$][A-Za-z]/.test(id);
}

/**
 * The text to index for a chunk: the text itself (the tokenizer splits on punctuation, so `snake_case` is already two
 * words) followed by the words of each distinct camelCase identifier, so `parseConfig` is found by `parse` and `config`.
 */
export function expandText(text: string, maxExtra = 4000): string {
  const seen = new Set<string>();
  const extra: string[] = [];
  let size = 0;
  for (const m of text.matchAll(IDENT)) {
    const id = m[0];
    if (id.length < 4 || seen.has(id) || !isCompound(id)) continue;
    seen.add(id);
    const words = splitIdentifier(id).join(' ');
    extra.push(words);
    size += words.length + 1;
    if (size > maxExtra) break;
  }
  return extra.length ? `${text}\n${extra.join('\n')}` : text;
}

/** Names column: the names as written and their words. */
export function nameText(names: (string | null | undefined)[]): string {
  const out: string[] = [];
  for (const n of names) {
    if (!n) continue;
    out.push(n.replace(/[.:]+/g, ' '));
    const words = splitIdentifier(n);
    if (words.length > 1) {
      out.push(words.join(' '));
      // Adjacent words joined, so an acronym split apart (`createETagGenerator` → e, tag) is still found as `etag`.
      for (let i = 0; i + 1 < words.length; i++) if (words[i]!.length <= 2 || words[i + 1]!.length <= 2) out.push(words[i]! + words[i + 1]!);
    }
  }
  return out.join(' ');
}

/** `src/main/parsePool.ts` → `src main parsePool ts parse pool`. */
export function pathText(p: string): string {
  const parts = p.split(/[/\\]/);
  const out: string[] = [];
  for (const part of parts) {
    out.push(part.replace(/[._-]+/g, ' '));
    const words = splitIdentifier(part.replace(/\.[^.]+$/, ''));
    if (words.length > 1) out.push(words.join(' '));
  }
  return out.join(' ');
}

/** A free-text query's tokens as written, and their lowercase words (identifiers split). */
export function queryTerms(query: string): { raw: string[]; words: string[] } {
  const raw: string[] = [];
  const words: string[] = [];
  for (const m of query.matchAll(/[\p{L}\p{N}_$]+/gu)) {
    const w = m[0];
    if (w.length < 2 && !/\d/.test(w)) continue;
    if (!raw.includes(w)) raw.push(w);
    const parts = splitIdentifier(w);
    for (const part of parts.length ? parts : [w.toLowerCase()]) if ((part.length >= 2 || /\d/.test(part)) && !words.includes(part)) words.push(part);
  }
  return { raw, words };
}

const STOP = new Set(['the', 'a', 'an', 'of', 'to', 'in', 'for', 'and', 'or', 'is', 'are', 'on', 'with', 'by', 'it', 'be', 'as', 'at', 'this', 'that', 'from', 'how', 'what', 'where', 'which', 'do', 'does', 'we', 'i', 'not']);

/**
 * FTS5 MATCH expressions for a query: every term quoted (so no user text is read as query syntax). `all` requires
 * every useful word (fast, precise); `any` ORs the words and phrases so bm25 ranks chunks matching more of them higher.
 * Returns null when nothing searchable is left.
 */
export function matchExpressions(query: string, column?: 'names' | 'path' | 'body', tooCommon?: (word: string) => boolean): { all: string | null; any: string } | null {
  const { raw, words } = queryTerms(query);
  const q = (s: string) => `"${s.replace(/"/g, '')}"`;
  // A word in most chunks ranks nothing and costs a scan of them all: dropped, unless nothing else is left.
  const kept = words.filter((w) => !STOP.has(w));
  const useful = tooCommon ? kept.filter((w) => !tooCommon(w)) : kept;
  const chosen = useful.length ? useful : kept;
  const any = new Set<string>();
  for (const w of chosen) any.add(q(w));
  for (const w of raw) {
    const parts = splitIdentifier(w);
    if (parts.length > 1) {
      any.add(q(parts.join(' ')));
      continue;
    }
    // A prefix of a common word matches nearly everything: only rarer words of some length get one.
    const bare = w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
    if (bare.length >= 4 && !STOP.has(bare) && !(tooCommon && tooCommon(bare))) any.add(`${q(bare)}*`);
  }
  if (!any.size) return null;
  const wrap = (e: string) => (column ? `{${column}} : (${e})` : e);
  const all = chosen.length > 1 ? wrap(chosen.map((w) => (w.length >= 4 && !tooCommon?.(w) ? `(${q(w)} OR ${q(w)}*)` : q(w))).join(' AND ')) : null;
  return { all, any: wrap([...any].join(' OR ')) };
}

/** The OR form alone (kept for callers that want one expression). */
export function matchExpression(query: string, column?: 'names' | 'path' | 'body', tooCommon?: (word: string) => boolean): string | null {
  return matchExpressions(query, column, tooCommon)?.any ?? null;
}
