// Lexical similarity for memory: tokens (identifiers split, light stemming, stopwords dropped), BM25 over a small corpus, and Jaccard overlap.

const STOP = new Set(
  (
    'a an and are as at be been but by can could did do does doing for from had has have having he her here hers him his how i if in into is it its ' +
    'just me more most my no nor not of off on once only or other our ours out over own same she should so some such than that the their theirs them ' +
    'then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your ' +
    'yours yourself also about again all any because before being below between both each few further above after against am let lets get got please ' +
    'want need like make use using used thing things way really one two ok okay yes'
  ).split(/\s+/),
);

/** A light suffix stemmer: enough to match "tests"/"testing"/"tested" without Porter's full rule set. */
export function stem(w: string): string {
  if (w.length <= 4) return w;
  for (const [suf, min] of [
    ['ations', 5],
    ['ation', 5],
    ['ings', 5],
    ['ing', 4],
    ['ies', 4],
    ['ers', 5],
    ['er', 5],
    ['ed', 4],
    ['es', 5],
    ['ly', 4],
    ['s', 4],
  ] as const) {
    if (w.endsWith(suf) && w.length - suf.length >= min - 1) {
      const base = w.slice(0, -suf.length);
      if (suf === 'ies') return base + 'y';
      if (suf === 's' && w.endsWith('ss')) return w;
      return base;
    }
  }
  return w;
}

/** Words of a text for matching: camelCase and snake_case split into parts (the whole identifier kept too), stemmed, stopwords out. */
export function tokens(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.match(/[A-Za-z0-9_$.#+-]+/g) ?? []) {
    const whole = raw.replace(/^[.\-_#]+|[.\-_]+$/g, '');
    if (!whole) continue;
    const parts = whole
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
      .split(/[\s_.\-$]+/)
      .map((p) => p.toLowerCase())
      .filter(Boolean);
    const lw = whole.toLowerCase();
    if (parts.length > 1 && !STOP.has(lw)) out.push(lw);
    for (const p of parts) {
      if (p.length < 2 && !/\d/.test(p)) continue;
      if (STOP.has(p)) continue;
      out.push(stem(p));
    }
  }
  return out;
}

export function termSet(text: string): Set<string> {
  return new Set(tokens(text));
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size && !b.size) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Share of the query's distinct terms found in the document (0..1): how well a memory covers what was asked. */
export function coverage(query: Set<string>, doc: Set<string>): number {
  if (!query.size) return 0;
  let n = 0;
  for (const q of query) if (doc.has(q)) n++;
  return n / query.size;
}

/**
 * BM25 scores of every document for the query, normalised to 0..1 by the best one (0 when nothing matches).
 * Memory corpora are small (hundreds of items), so the index is built on the fly.
 */
export function bm25(query: string, docs: string[], k1 = 1.2, b = 0.75): number[] {
  const q = [...new Set(tokens(query))];
  if (!q.length || !docs.length) return docs.map(() => 0);
  const toks = docs.map(tokens);
  const avg = toks.reduce((n, t) => n + t.length, 0) / toks.length || 1;
  const df = new Map<string, number>();
  for (const t of toks) for (const w of new Set(t)) df.set(w, (df.get(w) ?? 0) + 1);
  const N = docs.length;
  const raw = toks.map((t) => {
    const tf = new Map<string, number>();
    for (const w of t) tf.set(w, (tf.get(w) ?? 0) + 1);
    let s = 0;
    for (const w of q) {
      const f = tf.get(w);
      if (!f) continue;
      const n = df.get(w) ?? 0;
      const idf = Math.log(1 + (N - n + 0.5) / (n + 0.5));
      s += (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * t.length) / avg));
    }
    return s;
  });
  const max = Math.max(...raw);
  return max > 0 ? raw.map((s) => s / max) : raw;
}

/** Lexical similarity of a query to each document, mixing BM25 (rarity-aware) with plain coverage (absolute). */
export function similarity(query: string, docs: string[]): number[] {
  const qs = termSet(query);
  const b = bm25(query, docs);
  return docs.map((d, i) => 0.5 * b[i]! + 0.5 * coverage(qs, termSet(d)));
}
