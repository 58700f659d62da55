// Fuzzy matching of file paths for quick open: pure, so it is unit-tested without a DOM.

/** How far (in characters of the same path segment) a letter may follow the previous one without starting a word. */
const MAX_GAP = 3;
/** A match must average at least this score per query letter; scattered letters score less and are dropped. */
const MIN_PER_LETTER = 2;

/** Where words start: the path's start, after / . _ - or a space, and an upper-case letter after a lower-case one. */
function wordStarts(original: string): boolean[] {
  const out: boolean[] = [];
  for (let i = 0; i < original.length; i++) {
    const before = original[i - 1];
    const ch = original[i]!;
    out.push(i === 0 || before === '/' || before === '.' || before === '_' || before === '-' || before === ' ' || (ch !== ch.toLowerCase() && before !== undefined && before === before.toLowerCase() && before !== before.toUpperCase()));
  }
  return out;
}

/**
 * Scores `query` against `path`, or null when it does not match. The query's letters must appear in order; each must
 * follow the previous one directly, start a word (a folder, a file name, a part after . _ - or a capital), or come
 * within a few letters of the previous one in the same path segment. So "delme" finds "src/delme.ts" but not
 * "test/fixtures/default_layout/name.tmpl". Contiguous letters, word starts and letters in the file name score more,
 * long paths slightly less, and matches that average too little per letter are dropped.
 */
export function fuzzyScore(query: string, path: string): number | null {
  if (!query) return 0;
  const q = query.toLowerCase();
  const p = path.toLowerCase();
  // cheap reject: not even a subsequence
  let k = 0;
  for (let i = 0; i < p.length && k < q.length; i++) if (p[i] === q[k]) k++;
  if (k < q.length) return null;
  const starts = wordStarts(path);
  const nameStart = p.lastIndexOf('/') + 1;
  // best[qi][pos]: the best score for q[qi..] when q[qi] is placed at pos (memoized search over the allowed steps)
  const memo = new Map<number, number | null>();
  const letterScore = (at: number, prev: number): number => {
    let s = 0;
    if (at === prev + 1) s += 5;
    else if (starts[at]) s += 4;
    else s += 1 - 0.5 * (at - prev - 1);
    if (at === nameStart) s += 3;
    if (at >= nameStart) s += 2;
    return s;
  };
  const allowed = (at: number, prev: number): boolean => {
    if (at === prev + 1 || starts[at]) return true;
    return at - prev - 1 <= MAX_GAP && !p.slice(prev + 1, at).includes('/');
  };
  const best = (qi: number, at: number): number | null => {
    const key = qi * (p.length + 1) + at;
    if (memo.has(key)) return memo.get(key)!;
    let result: number | null = null;
    if (qi === q.length - 1) result = 0;
    else {
      const ch = q[qi + 1]!;
      for (let next = p.indexOf(ch, at + 1); next >= 0; next = p.indexOf(ch, next + 1)) {
        if (!allowed(next, at)) continue;
        const rest = best(qi + 1, next);
        if (rest === null) continue;
        const s = letterScore(next, at) + rest;
        if (result === null || s > result) result = s;
      }
    }
    memo.set(key, result);
    return result;
  };
  let top: number | null = null;
  for (let first = p.indexOf(q[0]!); first >= 0; first = p.indexOf(q[0]!, first + 1)) {
    // the first letter starts a word, or the query is found contiguously from inside one
    const rest = best(0, first);
    if (rest === null) continue;
    const s = (starts[first] ? 4 : 0) + (first === nameStart ? 3 : 0) + (first >= nameStart ? 2 : 0) + rest;
    if (!starts[first] && !p.startsWith(q, first)) continue;
    if (top === null || s > top) top = s;
  }
  if (top === null || top < MIN_PER_LETTER * q.length) return null;
  return top - p.length * 0.01;
}
