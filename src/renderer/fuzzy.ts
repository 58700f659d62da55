// Fuzzy matching of file paths for quick open: pure, so it is unit-tested without a DOM.

/** Greedy subsequence match of q in p starting at `from`; null when q is not a subsequence of p[from..]. */
function greedy(q: string, p: string, from: number, nameStart: number): number | null {
  let score = 0;
  let pi = from;
  let prev = -2;
  for (const ch of q) {
    const at = p.indexOf(ch, pi);
    if (at < 0) return null;
    score += at === prev + 1 ? 5 : 1;
    if (at >= nameStart) score += 2;
    const before = p[at - 1];
    if (at === 0 || at === nameStart || before === '/' || before === '.' || before === '_' || before === '-') score += 3;
    prev = at;
    pi = at + 1;
  }
  return score;
}

/**
 * Subsequence match, scored so that matches in the file name and consecutive letters rank first. The file name is
 * tried on its own too: a greedy scan of the whole path would spend the query's letters on folder names first.
 */
export function fuzzyScore(query: string, path: string): number | null {
  if (!query) return 0;
  const q = query.toLowerCase();
  const p = path.toLowerCase();
  const nameStart = p.lastIndexOf('/') + 1;
  const whole = greedy(q, p, 0, nameStart);
  if (whole === null) return null;
  const inName = nameStart > 0 ? greedy(q, p, nameStart, nameStart) : null;
  return Math.max(whole, inName ?? whole) - p.length * 0.01;
}
