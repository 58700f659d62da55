// Token-based clone detection: hashed windows of normalised tokens (identifiers and literals collapsed), thinned by
// winnowing, then matched across the project.

/** A selected window: its hash and the lines (0-based rows) it spans. */
export interface Fingerprint {
  hash: number;
  start: number;
  end: number;
}

/** Tokens per window: about five lines of code, as copy-paste detectors use (jscpd's default is 50). */
export const WINDOW_TOKENS = 50;
/** Winnowing window: any shared run of WINDOW_TOKENS + WINNOW - 1 tokens is guaranteed to share a fingerprint. */
export const WINNOW = 16;
/** Windows spanning fewer lines are left out: one long line of data is not a clone worth reporting. */
const MIN_WINDOW_LINES = 3;

const ids = new Map<string, number>();
/** A small stable number per token kind (identifiers and literals are `I` and `L`). */
export function tokenId(kind: string): number {
  let id = ids.get(kind);
  if (id === undefined) {
    // Hash of the kind, not an insertion counter: workers and runs must give the same ids.
    id = fnv(kind);
    ids.set(kind, id);
  }
  return id;
}

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const BASE = 0x01000193;

/** Winnowed fingerprints of a token stream (Schleimer et al. 2003): the smallest hash of every WINNOW windows. */
export function fingerprints(tokens: number[], rows: number[], k = WINDOW_TOKENS, w = WINNOW): Fingerprint[] {
  const n = tokens.length - k + 1;
  if (n <= 0) return [];
  let pow = 1;
  for (let i = 0; i < k - 1; i++) pow = Math.imul(pow, BASE);
  const hashes = new Uint32Array(n);
  let h = 0;
  for (let i = 0; i < k; i++) h = (Math.imul(h, BASE) + tokens[i]!) | 0;
  hashes[0] = h >>> 0;
  for (let i = 1; i < n; i++) {
    h = (Math.imul(h - Math.imul(tokens[i - 1]!, pow), BASE) + tokens[i + k - 1]!) | 0;
    hashes[i] = h >>> 0;
  }
  const out: Fingerprint[] = [];
  let last = -1;
  const pick = (i: number) => {
    if (i === last) return;
    last = i;
    const start = rows[i]!;
    const end = rows[i + k - 1]!;
    if (end - start + 1 >= MIN_WINDOW_LINES) out.push({ hash: hashes[i]!, start, end });
  };
  if (n <= w) {
    pick(argminRight(hashes, 0, n));
    return out;
  }
  for (let s = 0; s + w <= n; s++) pick(argminRight(hashes, s, s + w));
  return out;
}

function argminRight(a: Uint32Array, from: number, to: number): number {
  let best = from;
  for (let i = from + 1; i < to; i++) if (a[i]! <= a[best]!) best = i;
  return best;
}

/** Packs fingerprints for storage (three int32 per fingerprint). */
export function packFingerprints(fps: Fingerprint[]): Buffer {
  const a = new Int32Array(fps.length * 3);
  fps.forEach((f, i) => {
    a[i * 3] = f.hash | 0;
    a[i * 3 + 1] = f.start;
    a[i * 3 + 2] = f.end;
  });
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

export function unpackFingerprints(buf: Buffer | null | undefined): Fingerprint[] {
  if (!buf || buf.byteLength < 12) return [];
  const a = new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength - (buf.byteLength % 12)));
  const out: Fingerprint[] = [];
  for (let i = 0; i + 2 < a.length; i += 3) out.push({ hash: a[i]! >>> 0, start: a[i + 1]!, end: a[i + 2]! });
  return out;
}

export interface ClonePartner {
  path: string;
  /** Lines of this file (1-based, inclusive) that also appear there. */
  lines: [number, number];
  other_lines: [number, number];
}

export interface FileClones {
  duplicated_lines: number;
  partners: ClonePartner[];
}

/**
 * Matches fingerprints across files: a window that occurs elsewhere (another file, or a non-overlapping place in the
 * same file) marks its lines as duplicated. Hashes shared by very many places are boilerplate (license headers,
 * generated tables) and are skipped.
 */
export function detectClones(files: Map<string, Fingerprint[]>, opts: { maxOccurrences?: number; maxPartners?: number } = {}): Map<string, FileClones> {
  const maxOcc = opts.maxOccurrences ?? 50;
  const maxPartners = opts.maxPartners ?? 5;
  const byHash = new Map<number, { path: string; fp: Fingerprint }[]>();
  for (const [path, fps] of files) {
    for (const fp of fps) {
      let list = byHash.get(fp.hash);
      if (!list) byHash.set(fp.hash, (list = []));
      if (list.length <= maxOcc) list.push({ path, fp });
    }
  }
  const dupRows = new Map<string, Set<number>>();
  const pairs = new Map<string, Map<string, { a0: number; a1: number; b0: number; b1: number }>>();
  for (const list of byHash.values()) {
    if (list.length < 2 || list.length > maxOcc) continue;
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      for (let j = 0; j < list.length; j++) {
        if (i === j) continue;
        const b = list[j]!;
        if (a.path === b.path && a.fp.start <= b.fp.end && b.fp.start <= a.fp.end) continue;
        let rows = dupRows.get(a.path);
        if (!rows) dupRows.set(a.path, (rows = new Set()));
        for (let r = a.fp.start; r <= a.fp.end; r++) rows.add(r);
        // A copy inside the same file is listed once, from its first occurrence to its second.
        if (a.path === b.path && a.fp.start > b.fp.start) continue;
        let byOther = pairs.get(a.path);
        if (!byOther) pairs.set(a.path, (byOther = new Map()));
        const cur = byOther.get(b.path);
        if (!cur) byOther.set(b.path, { a0: a.fp.start, a1: a.fp.end, b0: b.fp.start, b1: b.fp.end });
        else {
          cur.a0 = Math.min(cur.a0, a.fp.start);
          cur.a1 = Math.max(cur.a1, a.fp.end);
          cur.b0 = Math.min(cur.b0, b.fp.start);
          cur.b1 = Math.max(cur.b1, b.fp.end);
        }
      }
    }
  }
  const out = new Map<string, FileClones>();
  for (const [path, rows] of dupRows) {
    const partners = [...(pairs.get(path) ?? new Map()).entries()]
      .map(([other, r]) => ({ path: other, lines: [r.a0 + 1, r.a1 + 1] as [number, number], other_lines: [r.b0 + 1, r.b1 + 1] as [number, number], span: r.a1 - r.a0 }))
      .sort((x, y) => y.span - x.span || x.path.localeCompare(y.path))
      .slice(0, maxPartners)
      .map(({ span: _span, ...p }) => p);
    out.set(path, { duplicated_lines: rows.size, partners });
  }
  return out;
}
