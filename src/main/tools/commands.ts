// Repeated command sequences in the project's build runs (always running codegen before the tests, say): a second, simpler kind of pattern.

export interface CommandPattern {
  /** The commands in order. */
  sequence: string[];
  support: number;
  first_seen: string;
  last_seen: string;
}

/** Runs further apart than this are not one sequence. */
const GAP_MS = 15 * 60 * 1000;

/** Pairs of different commands run one after the other (within GAP_MS) at least `minSupport` times. */
export function commandSequences(runs: { command: string; started_at: string }[], minSupport = 3): CommandPattern[] {
  const seen = new Map<string, CommandPattern>();
  for (let i = 1; i < runs.length; i++) {
    const a = runs[i - 1]!;
    const b = runs[i]!;
    if (a.command === b.command) continue;
    if (Date.parse(b.started_at) - Date.parse(a.started_at) > GAP_MS) continue;
    const key = `${a.command}\n${b.command}`;
    const p = seen.get(key);
    if (p) {
      p.support++;
      p.last_seen = b.started_at;
    } else seen.set(key, { sequence: [a.command, b.command], support: 1, first_seen: a.started_at, last_seen: b.started_at });
  }
  return [...seen.values()].filter((p) => p.support >= minSupport).sort((x, y) => y.support - x.support);
}
