// The matching ladder: find where a block of lines sits in a file, from exact to whitespace-tolerant, never fuzzier.

import { diffSeq } from './diff';
import { isBlank, leadOf, type Line } from './lines';

/** Rungs in the order they are tried. Each later rung also tolerates what the earlier ones did. Content itself is
 * never matched approximately: a block that differs in anything but whitespace does not match, which is what
 * lets the engine refuse a wrong or stale edit instead of guessing. */
export const RUNGS = ['exact', 'trailing-whitespace', 'relative-indent', 'blank-lines'] as const;
export type Rung = (typeof RUNGS)[number];

/** How the block's indentation relates to the file's at the match: the same, or shifted by one prefix `d`. */
export type Indent = { kind: 'same' } | { kind: 'add'; d: string } | { kind: 'remove'; d: string };

export interface Match {
  /** span [start, end) of file lines that the block covers */
  start: number;
  end: number;
  /** for each block line, the file line it matched, or -1 (blank lines skipped by the blank-lines rung) */
  map: number[];
  indent: Indent;
  rung: Rung;
}

export function indentKey(i: Indent): string {
  return i.kind === 'same' ? '' : `${i.kind}:${i.d}`;
}

/** Whether line b (the block's) and a (the file's) are equal under the rung's tolerance, indentation aside. */
function keyOf(rung: Rung, s: string): string {
  if (rung === 'exact') return s;
  if (rung === 'trailing-whitespace') return s.trimEnd();
  return s.trim();
}

/** The single indentation shift that maps every non-blank block line onto its file line, or null when the lines are
 * not consistently shifted (then the block was not quoted from here, or was re-indented in a way we will not guess). */
export function indentShift(pairs: readonly [block: string, file: string][]): Indent | null {
  let ind: Indent | null = null;
  for (const [b, f] of pairs) {
    const sb = leadOf(b);
    const sf = leadOf(f);
    if (!ind) {
      if (sb === sf) ind = { kind: 'same' };
      else if (sf.endsWith(sb)) ind = { kind: 'add', d: sf.slice(0, sf.length - sb.length) };
      else if (sb.endsWith(sf)) ind = { kind: 'remove', d: sb.slice(0, sb.length - sf.length) };
      else return null;
      continue;
    }
    if (ind.kind === 'same' ? sb !== sf : ind.kind === 'add' ? sf !== ind.d + sb : sb !== ind.d + sf) return null;
  }
  return ind ?? { kind: 'same' };
}

/** A replacement line moved into the file's indentation; null when it cannot be (it is less indented than the
 * shift it should lose). */
export function reindent(line: string, ind: Indent): string | null {
  if (ind.kind === 'same' || isBlank(line)) return line;
  if (ind.kind === 'add') return ind.d + line;
  return line.startsWith(ind.d) ? line.slice(ind.d.length) : null;
}

/** Keys of the file's lines for a rung, computed once per rung and file version. */
export class FileIndex {
  private keys = new Map<Rung, string[]>();
  /** indices of the non-blank lines, and their trimmed text */
  private nb: number[] | null = null;
  constructor(readonly lines: readonly string[]) {}
  key(rung: Rung): string[] {
    let k = this.keys.get(rung);
    if (!k) {
      k = this.lines.map((l) => keyOf(rung, l));
      this.keys.set(rung, k);
    }
    return k;
  }
  nonBlank(): number[] {
    if (!this.nb) {
      this.nb = [];
      for (let i = 0; i < this.lines.length; i++) if (!isBlank(this.lines[i]!)) this.nb.push(i);
    }
    return this.nb;
  }
}

/**
 * Every place where `block` matches the file at the given rung, within file lines [lo, hi).
 * For the blank-lines rung, blank lines are skipped on both sides; the span runs from the first to the last
 * matched non-blank line (plus the block's own leading/trailing blank lines when the file has them there).
 */
export function findMatches(fx: FileIndex, block: readonly string[], rung: Rung, lo = 0, hi = fx.lines.length): Match[] {
  const out: Match[] = [];
  if (!block.length || block.every(isBlank)) return out;
  const file = fx.lines;
  if (rung !== 'blank-lines') {
    const fk = fx.key(rung);
    const bk = block.map((l) => keyOf(rung, l));
    const m = bk.length;
    for (let i = lo; i + m <= hi; i++) {
      if (fk[i] !== bk[0]) continue;
      let ok = true;
      for (let k = 1; k < m; k++) {
        if (fk[i + k] !== bk[k]) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      let indent: Indent | null = { kind: 'same' };
      if (rung === 'relative-indent') {
        const pairs: [string, string][] = [];
        for (let k = 0; k < m; k++) if (!isBlank(block[k]!)) pairs.push([block[k]!, file[i + k]!]);
        indent = indentShift(pairs);
        if (!indent) continue;
      }
      out.push({ start: i, end: i + m, map: block.map((_, k) => i + k), indent, rung });
    }
    return out;
  }
  // blank-lines rung: compare the non-blank subsequences
  const fk = fx.key(rung);
  const nb = fx.nonBlank();
  const bIdx: number[] = [];
  for (let k = 0; k < block.length; k++) if (!isBlank(block[k]!)) bIdx.push(k);
  const bk = bIdx.map((k) => keyOf(rung, block[k]!));
  const m = bk.length;
  let leadBlank = 0;
  while (leadBlank < block.length && isBlank(block[leadBlank]!)) leadBlank++;
  let trailBlank = 0;
  while (trailBlank < block.length && isBlank(block[block.length - 1 - trailBlank]!)) trailBlank++;
  // first non-blank file line at or after lo
  const j0 = lowerBound(nb, lo);
  for (let j = j0; j + m <= nb.length; j++) {
    if (nb[j + m - 1]! >= hi) break;
    if (fk[nb[j]!] !== bk[0]) continue;
    let ok = true;
    for (let k = 1; k < m; k++) {
      if (fk[nb[j + k]!] !== bk[k]) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    const pairs: [string, string][] = bIdx.map((bi, k) => [block[bi]!, file[nb[j + k]!]!]);
    const indent = indentShift(pairs);
    if (!indent) continue;
    let start = nb[j]!;
    let end = nb[j + m - 1]! + 1;
    // the block's own leading/trailing blank lines take the file's adjacent blank lines, as many as both have
    for (let n = 0; n < leadBlank && start - 1 >= lo && isBlank(file[start - 1]!); n++) start--;
    for (let n = 0; n < trailBlank && end < hi && isBlank(file[end]!); n++) end++;
    const map = block.map(() => -1);
    bIdx.forEach((bi, k) => (map[bi] = nb[j + k]!));
    out.push({ start, end, map, indent, rung });
  }
  return out;
}

function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The replacement for a matched block: the replace lines, moved into the file's indentation. They are written as
 * the edit gives them, even where matching was tolerant (a block that strips trailing whitespace means it); a
 * line the edit left unchanged keeps the file's own line ending, so mixed-ending files stay as they were.
 * Null when a replace line cannot be re-indented.
 */
export function buildReplacement(file: readonly Line[], search: readonly string[], replace: readonly string[], m: Match): Line[] | null {
  const out: Line[] = [];
  for (const op of diffSeq(search, replace)) {
    if (op.tag === 'delete') continue;
    for (let j = op.b0; j < op.b1; j++) {
      const k = op.a0 + (j - op.b0);
      const fi = op.tag === 'equal' ? (m.map[k] ?? -1) : -1;
      const t = reindent(replace[j]!, m.indent);
      if (t === null) return null;
      const eol = fi >= 0 ? file[fi]!.eol : null;
      // a last line without an ending moves inside the file; let it take the dominant one
      out.push({ text: t, eol: eol === '' ? null : eol });
    }
  }
  return out;
}

export interface Candidate {
  line: number;
  text: string;
}

/** The places most like the block (for a refusal's message): windows scored line by line on character bigrams. */
export function closestCandidates(file: readonly string[], block: readonly string[], max = 3): Candidate[] {
  const want = block.filter((l) => !isBlank(l)).map((l) => l.trim()).slice(0, 12);
  if (!want.length) return [];
  const nb: number[] = [];
  for (let i = 0; i < file.length; i++) if (!isBlank(file[i]!)) nb.push(i);
  const trimmed = nb.map((i) => file[i]!.trim());
  const grams = new Map<string, Set<string>>();
  const gramsOf = (s: string): Set<string> => {
    let g = grams.get(s);
    if (!g) {
      g = new Set<string>();
      for (let i = 0; i + 1 < s.length; i++) g.add(s.slice(i, i + 2));
      grams.set(s, g);
    }
    return g;
  };
  const sim = (a: string, b: string): number => {
    if (a === b) return 1;
    const ga = gramsOf(a);
    const gb = gramsOf(b);
    if (!ga.size || !gb.size) return 0;
    let inter = 0;
    for (const g of ga) if (gb.has(g)) inter++;
    return (2 * inter) / (ga.size + gb.size);
  };
  const scored: { j: number; score: number }[] = [];
  for (let j = 0; j < trimmed.length; j++) {
    let s = 0;
    for (let k = 0; k < want.length && j + k < trimmed.length; k++) s += sim(trimmed[j + k]!, want[k]!);
    scored.push({ j, score: s / want.length });
  }
  scored.sort((x, y) => y.score - x.score || x.j - y.j);
  const out: Candidate[] = [];
  const used = new Set<number>();
  for (const { j, score } of scored) {
    if (out.length >= max || score < 0.3) break;
    if ([...used].some((u) => Math.abs(u - j) < want.length)) continue;
    used.add(j);
    const start = nb[j]!;
    const endJ = Math.min(nb.length - 1, j + want.length - 1);
    const end = nb[endJ]! + 1;
    out.push({ line: start + 1, text: file.slice(start, end).join('\n') });
  }
  return out;
}
