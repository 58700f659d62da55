// Line diff (Myers' O((N+M)D) algorithm) and unified-diff rendering; shared by the apply engine and other features.

export type DiffOp = { tag: 'equal' | 'delete' | 'insert'; a0: number; a1: number; b0: number; b1: number };

/**
 * Shortest edit script between two sequences as runs of equal / deleted / inserted items, in order.
 * Myers' algorithm in linear space (the middle-snake bisection), after trimming the common prefix and suffix, so the
 * usual small edit of a large file costs little. A subproblem whose edit distance passes `maxCost` is given up as
 * "delete all, insert all": still a correct script, just not the shortest, and bounded in time on huge rewrites.
 */
export function diffSeq<T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean = Object.is, maxCost = 4096): DiffOp[] {
  const ops: DiffOp[] = [];
  const push = (tag: DiffOp['tag'], a0: number, a1: number, b0: number, b1: number): void => {
    if (a0 === a1 && b0 === b1) return;
    const last = ops[ops.length - 1];
    if (last && last.tag === tag && last.a1 === a0 && last.b1 === b0) {
      last.a1 = a1;
      last.b1 = b1;
    } else ops.push({ tag, a0, a1, b0, b1 });
  };
  const solve = (a0: number, a1: number, b0: number, b1: number): void => {
    // common prefix and suffix
    let p = 0;
    while (a0 + p < a1 && b0 + p < b1 && eq(a[a0 + p]!, b[b0 + p]!)) p++;
    push('equal', a0, a0 + p, b0, b0 + p);
    a0 += p;
    b0 += p;
    let q = 0;
    while (a1 - q > a0 && b1 - q > b0 && eq(a[a1 - 1 - q]!, b[b1 - 1 - q]!)) q++;
    const sa1 = a1 - q;
    const sb1 = b1 - q;
    if (a0 === sa1) push('insert', a0, a0, b0, sb1);
    else if (b0 === sb1) push('delete', a0, sa1, b0, b0);
    else {
      const split = bisect(a, b, a0, sa1, b0, sb1, eq, maxCost);
      // a split must make progress on both sides, or the recursion would not end
      if (split && (split[0] > a0 || split[1] > b0) && (split[0] < sa1 || split[1] < sb1)) {
        solve(a0, split[0], b0, split[1]);
        solve(split[0], sa1, split[1], sb1);
      } else {
        push('delete', a0, sa1, b0, b0);
        push('insert', sa1, sa1, b0, sb1);
      }
    }
    push('equal', sa1, a1, sb1, b1);
  };
  solve(0, a.length, 0, b.length);
  return normalize(ops);
}

/** One change region as one delete followed by one insert (the order unified diffs print), whatever order the
 * bisection found its pieces in. */
function normalize(ops: readonly DiffOp[]): DiffOp[] {
  const out: DiffOp[] = [];
  let i = 0;
  while (i < ops.length) {
    const op = ops[i]!;
    if (op.tag === 'equal') {
      out.push(op);
      i++;
      continue;
    }
    let j = i;
    while (j < ops.length && ops[j]!.tag !== 'equal') j++;
    const a0 = op.a0;
    const b0 = op.b0;
    const a1 = ops[j - 1]!.a1;
    const b1 = ops[j - 1]!.b1;
    if (a1 > a0) out.push({ tag: 'delete', a0, a1, b0, b1: b0 });
    if (b1 > b0) out.push({ tag: 'insert', a0: a1, a1, b0, b1 });
    i = j;
  }
  return out;
}

/**
 * The middle snake of a[a0:a1] vs b[b0:b1] (both non-empty, no common prefix/suffix): a point (x, y) that a
 * shortest edit path passes through, found by running the forward and reverse searches until they meet.
 * Null when the distance exceeds maxCost or nothing is common.
 */
function bisect<T>(a: readonly T[], b: readonly T[], a0: number, a1: number, b0: number, b1: number,
  eq: (x: T, y: T) => boolean, maxCost: number): [number, number] | null {
  const n = a1 - a0;
  const m = b1 - b0;
  const maxD = Math.min(Math.ceil((n + m) / 2), maxCost);
  const off = maxD + 1;
  const size = 2 * maxD + 3;
  const v1 = new Int32Array(size).fill(-1);
  const v2 = new Int32Array(size).fill(-1);
  v1[off + 1] = 0;
  v2[off + 1] = 0;
  const delta = n - m;
  const front = delta % 2 !== 0;
  let k1start = 0;
  let k1end = 0;
  let k2start = 0;
  let k2end = 0;
  for (let d = 0; d < maxD; d++) {
    for (let k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
      const i1 = off + k1;
      let x1 = k1 === -d || (k1 !== d && v1[i1 - 1]! < v1[i1 + 1]!) ? v1[i1 + 1]! : v1[i1 - 1]! + 1;
      let y1 = x1 - k1;
      while (x1 < n && y1 < m && eq(a[a0 + x1]!, b[b0 + y1]!)) {
        x1++;
        y1++;
      }
      v1[i1] = x1;
      if (x1 > n) k1end += 2;
      else if (y1 > m) k1start += 2;
      else if (front) {
        const i2 = off + delta - k1;
        if (i2 >= 0 && i2 < size && v2[i2]! !== -1 && x1 >= n - v2[i2]!) return [a0 + x1, b0 + y1];
      }
    }
    for (let k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
      const i2 = off + k2;
      let x2 = k2 === -d || (k2 !== d && v2[i2 - 1]! < v2[i2 + 1]!) ? v2[i2 + 1]! : v2[i2 - 1]! + 1;
      let y2 = x2 - k2;
      while (x2 < n && y2 < m && eq(a[a1 - 1 - x2]!, b[b1 - 1 - y2]!)) {
        x2++;
        y2++;
      }
      v2[i2] = x2;
      if (x2 > n) k2end += 2;
      else if (y2 > m) k2start += 2;
      else if (!front) {
        const i1 = off + delta - k2;
        if (i1 >= 0 && i1 < size && v1[i1]! !== -1) {
          const x1 = v1[i1]!;
          const y1 = off + x1 - i1;
          if (x1 >= n - x2) return [a0 + x1, b0 + y1];
        }
      }
    }
  }
  return null;
}

/** Lines of a text for diffing: line endings dropped, and a missing final newline remembered. */
function splitForDiff(text: string): { lines: string[]; noEol: boolean } {
  if (text === '') return { lines: [], noEol: false };
  const t = text.replace(/\r\n/g, '\n');
  const lines = t.split('\n');
  const noEol = lines[lines.length - 1] !== '';
  if (!noEol) lines.pop();
  return { lines, noEol };
}

export interface UnifiedDiffOptions {
  fromFile?: string;
  toFile?: string;
  context?: number;
}

/** A unified diff of before -> after ('' when equal), with `\ No newline at end of file` where it applies. */
export function unifiedDiff(before: string, after: string, opts: UnifiedDiffOptions = {}): string {
  if (before === after) return '';
  const ctx = opts.context ?? 3;
  const A = splitForDiff(before);
  const B = splitForDiff(after);
  // The last line counts as different when only its final newline changed.
  const ka = A.lines.map((l, i) => (A.noEol && i === A.lines.length - 1 ? l + '\u0000' : l));
  const kb = B.lines.map((l, i) => (B.noEol && i === B.lines.length - 1 ? l + '\u0000' : l));
  const ops = diffSeq(ka, kb);
  if (ops.every((o) => o.tag === 'equal')) {
    // only line endings differ (CRLF <-> LF): say so rather than print an empty diff
    return `--- ${opts.fromFile ?? 'a'}\n+++ ${opts.toFile ?? 'b'}\n# line endings changed\n`;
  }
  const out: string[] = [`--- ${opts.fromFile ?? 'a'}`, `+++ ${opts.toFile ?? 'b'}`];
  // group changes whose gap is at most 2*ctx equal lines into one hunk
  const changes = ops.filter((o) => o.tag !== 'equal');
  let i = 0;
  while (i < changes.length) {
    let j = i;
    while (j + 1 < changes.length && changes[j + 1]!.a0 - changes[j]!.a1 <= 2 * ctx) j++;
    const first = changes[i]!;
    const last = changes[j]!;
    const a0 = Math.max(0, first.a0 - ctx);
    const a1 = Math.min(ka.length, last.a1 + ctx);
    const b0 = first.b0 - (first.a0 - a0);
    const b1 = last.b1 + (a1 - last.a1);
    const body: string[] = [];
    const line = (prefix: string, text: string, noEol: boolean): void => {
      body.push(prefix + text);
      if (noEol) body.push('\\ No newline at end of file');
    };
    let pa = a0;
    let pb = b0;
    for (let c = i; c <= j; c++) {
      const ch = changes[c]!;
      for (; pa < ch.a0; pa++, pb++) line(' ', A.lines[pa]!, A.noEol && pa === A.lines.length - 1);
      for (let x = ch.a0; x < ch.a1; x++) line('-', A.lines[x]!, A.noEol && x === A.lines.length - 1);
      for (let y = ch.b0; y < ch.b1; y++) line('+', B.lines[y]!, B.noEol && y === B.lines.length - 1);
      pa = ch.a1;
      pb = ch.b1;
    }
    for (; pa < a1; pa++, pb++) line(' ', A.lines[pa]!, A.noEol && pa === A.lines.length - 1);
    const range = (s: number, n: number): string => (n === 1 ? `${s + 1}` : `${n === 0 ? s : s + 1},${n}`);
    out.push(`@@ -${range(a0, a1 - a0)} +${range(b0, b1 - b0)} @@`, ...body);
    i = j + 1;
  }
  return out.join('\n') + '\n';
}
