// Type-ahead in lists and trees: typed letters move to the next item whose name starts with them (pure).

/** How long typed letters keep adding to one search, as in the ARIA tree pattern and VS Code's lists. */
export const TYPE_AHEAD_MS = 700;

/**
 * The index to move to for the letters typed so far, or -1 when no name matches. One letter (or the same letter
 * repeated) cycles through the names that start with it, after the current one; longer text matches from the current one on.
 */
export function typeAheadIndex(names: readonly string[], current: number, typed: string): number {
  const n = names.length;
  if (!n || !typed) return -1;
  const text = typed.toLowerCase();
  const repeated = [...text].every((c) => c === text[0]);
  const prefix = repeated ? text[0]! : text;
  const from = repeated ? current + 1 : current;
  for (let k = 0; k < n; k++) {
    const i = (((from + k) % n) + n) % n;
    if (names[i]!.toLowerCase().startsWith(prefix)) return i;
  }
  return -1;
}

/** Collects typed letters into one search while they come quickly; a pause starts a new one. */
export class TypeAhead {
  private typed = '';
  private at = -Infinity;

  /** The text searched for after this key, at time `now` (ms). */
  push(key: string, now: number): string {
    this.typed = now - this.at > TYPE_AHEAD_MS ? key : this.typed + key;
    this.at = now;
    return this.typed;
  }
}
