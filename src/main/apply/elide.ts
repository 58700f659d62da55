// Resolves elision markers (`// ... existing code ...`) in a whole-file edit against the current file's lines.

import { isBlank, type Line } from './lines';
import { isElision } from './parse';
import type { Candidate } from './match';

export type Resolved =
  | { ok: true; lines: Line[]; markers: number }
  | { ok: false; code: string; message: string; candidates?: Candidate[] };

type Tier = (s: string) => string;
// Anchors are looked up exactly first; the looser tiers are only tried when the exact one finds nothing.
const TIERS: Tier[] = [(s) => s, (s) => s.trimEnd(), (s) => s.trim()];

/**
 * Indices of the edit's lines that are elision markers. A marker-like line that also stands in the file with the
 * same neighbours is the file's own line (a Python `...` body, a real `// ...` comment), not a marker.
 */
export function markerLines(base: readonly string[], edit: readonly string[], opts: { bare: boolean; words: boolean }): number[] {
  const out: number[] = [];
  let literal: Map<string, number[]> | null = null;
  for (let i = 0; i < edit.length; i++) {
    if (!isElision(edit[i]!, opts)) continue;
    if (!literal) {
      literal = new Map();
      base.forEach((l, k) => {
        const t = l.trim();
        if (isElision(l)) literal!.set(t, [...(literal!.get(t) ?? []), k]);
      });
    }
    const at = literal.get(edit[i]!.trim());
    if (at && at.some((k) => sameNeighbours(base, k, edit, i))) continue;
    out.push(i);
  }
  return out;
}

function sameNeighbours(base: readonly string[], k: number, edit: readonly string[], i: number): boolean {
  // a neighbour in the edit that is itself marker-like says nothing about this line, so it is not compared
  const near = (ls: readonly string[], x: number, step: number, skipMarkers: boolean): string | null | undefined => {
    for (let y = x + step; y >= 0 && y < ls.length; y += step) {
      if (isBlank(ls[y]!)) continue;
      if (skipMarkers && isElision(ls[y]!)) return undefined;
      return ls[y]!.trim();
    }
    return null;
  };
  const same = (step: number): boolean => {
    const e = near(edit, i, step, true);
    return e === undefined || e === near(base, k, step, false);
  };
  return same(-1) && same(1);
}

/** An anchor must say something: a single short line such as `}` matching once after the previous marker is a
 * coincidence, not evidence, unless it is the only such line in the whole file. Two or more lines that match in one
 * place only are (the lines beside a marker are the file's own lines). */
function substantial(lines: readonly string[], base: readonly string[]): boolean {
  const nb = lines.filter((l) => !isBlank(l));
  if (!nb.length) return false;
  if (lines.length >= 2) return true;
  const t = nb[0]!.trim();
  if (t.length >= 8 && /[A-Za-z0-9_]/.test(t)) return true;
  let n = 0;
  for (const b of base) if (b.trim() === t && ++n > 1) return false;
  return true;
}

type Anchor = { kind: 'found'; pos: number; len: number } | { kind: 'none' } | { kind: 'ambiguous'; at: number[]; len: number };

/**
 * Where the lines just before a marker end in the file: the longest suffix of `seg` found in `base` (ending at
 * some e, starting at or after lo). Candidates are narrowed as the suffix grows; the answer must be unique.
 */
function anchorEnd(base: readonly string[], seg: readonly string[], lo: number): Anchor {
  for (const tier of TIERS) {
    const bk = base.map(tier);
    const sk = seg.map(tier);
    const last = sk[sk.length - 1]!;
    let cands: number[] = [];
    for (let e = lo + 1; e <= base.length; e++) if (bk[e - 1] === last) cands.push(e);
    if (!cands.length) continue;
    let L = 1;
    while (L < sk.length) {
      const want = sk[sk.length - 1 - L]!;
      const next = cands.filter((e) => e - L - 1 >= lo && bk[e - L - 1] === want);
      if (!next.length) break;
      cands = next;
      L++;
    }
    if (cands.length > 1) return { kind: 'ambiguous', at: cands.map((e) => e - L), len: L };
    if (!substantial(seg.slice(seg.length - L), base)) return { kind: 'ambiguous', at: cands.map((e) => e - L), len: L };
    return { kind: 'found', pos: cands[0]!, len: L };
  }
  return { kind: 'none' };
}

/** Where the lines just after a marker start in the file (the longest prefix of `seg` found at or after lo). */
function anchorStart(base: readonly string[], seg: readonly string[], lo: number): Anchor {
  for (const tier of TIERS) {
    const bk = base.map(tier);
    const sk = seg.map(tier);
    let cands: number[] = [];
    for (let s = lo; s < base.length; s++) if (bk[s] === sk[0]) cands.push(s);
    if (!cands.length) continue;
    let L = 1;
    while (L < sk.length) {
      const want = sk[L]!;
      const next = cands.filter((s) => s + L < base.length && bk[s + L] === want);
      if (!next.length) break;
      cands = next;
      L++;
    }
    if (cands.length > 1 || !substantial(seg.slice(0, L), base)) return { kind: 'ambiguous', at: cands, len: L };
    return { kind: 'found', pos: cands[0]!, len: L };
  }
  return { kind: 'none' };
}

/**
 * Replace each marker of `edit` by the run of `base` lines it stands for. A marker stands for the lines between the
 * file position where the edit's lines before it end and the position where the lines after it start; both
 * positions must be found, in order, and be unique, or the edit is refused. A marker first in the edit stands for
 * the file's start, one last for its end.
 */
export function resolveElisions(base: readonly Line[], edit: readonly string[], markers: readonly number[]): Resolved {
  const btext = base.map((l) => l.text);
  // segments between markers; adjacent markers are one marker
  const segs: string[][] = [[]];
  let prevMarker = false;
  const mset = new Set(markers);
  for (let i = 0; i < edit.length; i++) {
    if (mset.has(i)) {
      if (!prevMarker) segs.push([]);
      prevMarker = true;
    } else {
      segs[segs.length - 1]!.push(edit[i]!);
      prevMarker = false;
    }
  }
  const k = segs.length - 1; // number of markers
  const ranges: [number, number][] = [];
  let lo = 0;
  for (let i = 0; i < k; i++) {
    const before = segs[i]!;
    const after = segs[i + 1]!;
    let p: number;
    if (!before.length) {
      if (i > 0) return { ok: false, code: 'elision_unanchored', message: 'two elision markers with nothing between them' };
      p = 0;
    } else {
      const a = anchorEnd(btext, before, lo);
      if (a.kind !== 'found') return anchorFailure(a, base, before.slice(-3), i, 'before');
      p = a.pos;
    }
    let q: number;
    if (!after.length) {
      q = base.length;
    } else {
      const a = anchorStart(btext, after, p);
      if (a.kind !== 'found') return anchorFailure(a, base, after.slice(0, 3), i, 'after');
      q = a.pos;
    }
    if (q < p) return { ok: false, code: 'elision_unanchored', message: `elision marker ${i + 1}: the lines after it come before the lines before it` };
    ranges.push([p, q]);
    lo = q;
  }
  const out: Line[] = [];
  for (let i = 0; i <= k; i++) {
    for (const t of segs[i]!) out.push({ text: t, eol: null });
    const r = ranges[i];
    if (r) for (let x = r[0]; x < r[1]; x++) out.push(base[x]!);
  }
  return { ok: true, lines: out, markers: k };
}

function anchorFailure(a: Anchor, base: readonly Line[], shown: readonly string[], i: number, side: string): Resolved {
  const where = `the lines ${side} elision marker ${i + 1}`;
  if (a.kind === 'ambiguous')
    return {
      ok: false, code: 'elision_ambiguous', message: `${where} match ${a.at.length > 1 ? `${a.at.length} places` : 'too little to be sure'} in the file`,
      candidates: a.at.slice(0, 5).map((s) => ({ line: s + 1, text: base.slice(s, s + Math.max(1, a.len)).map((l) => l.text).join('\n') })),
    };
  return { ok: false, code: 'elision_unanchored', message: `${where} (${JSON.stringify(shown.join('\n').slice(0, 80))}) are not in the file` };
}
