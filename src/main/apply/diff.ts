// Line diff (Myers' O((N+M)D) algorithm) and unified-diff rendering; shared by the apply engine and other features.

export type DiffOp = { tag: 'equal' | 'delete' | 'insert'; a0: number; a1: number; b0: number; b1: number };

/**
 * Shortest edit script between two sequences as runs of equal / deleted / inserted items, in order.
 * Common prefix and suffix are trimmed first, so the usual small edit of a large file costs little.
 */
export function diffSeq<T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean = Object.is): DiffOp[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && eq(a[pre]!, b[pre]!)) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && eq(a[a.length - 1 - suf]!, b[b.length - 1 - suf]!)) suf++;
  const n = a.length - pre - suf;
  const m = b.length - pre - suf;
  // Edit path inside the trimmed middle as (x, y) snakes; recorded from the end by backtracking.
  const path = myersPath(n, m, (x, y) => eq(a[pre + x]!, b[pre + y]!));
  const ops: DiffOp[] = [];
  const push = (tag: DiffOp['tag'], a0: number, a1: number, b0: number, b1: number): void => {
    if (a0 === a1 && b0 === b1) return;
    const last = ops[ops.length - 1];
    if (last && last.tag === tag && last.a1 === a0 && last.b1 === b0) {
      last.a1 = a1;
      last.b1 = b1;
    } else ops.push({ tag, a0, a1, b0, b1 });
  };
  push('equal', 0, pre, 0, pre);
  let x = 0;
  let y = 0;
  for (const [px, py] of path) {
    // each step: moves from (x, y) to (px, py) with one non-diagonal move then a diagonal run
    while (x < px || y < py) {
      if (px - x > py - y) {
        push('delete', pre + x, pre + x + 1, pre + y, pre + y);
        x++;
      } else if (py - y > px - x) {
        push('insert', pre + x, pre + x, pre + y, pre + y + 1);
        y++;
      } else {
        push('equal', pre + x, pre + x + 1, pre + y, pre + y + 1);
        x++;
        y++;
      }
    }
  }
  push('equal', pre + n, a.length, pre + m, b.length);
  return ops;
}

/** The points (x, y) the Myers path passes through after each move, from (0,0) to (n,m). */
function myersPath(n: number, m: number, eq: (x: number, y: number) => boolean): [number, number][] {
  if (n === 0 && m === 0) return [];
  const max = n + m;
  const off = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2));
    const nv = v;
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && nv[off + k - 1]! < nv[off + k + 1]!)) x = nv[off + k + 1]!;
      else x = nv[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && eq(x, y)) {
        x++;
        y++;
      }
      nv[off + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break outer;
      }
    }
    v = nv;
  }
  // Backtrack: trace[d] holds V as it was before step d, for k in [-d-1, d+1].
  const pts: [number, number][] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const vd = trace[d]!;
    const at = (k: number): number => vd[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    pts.push([x, y]);
    x = prevX;
    y = prevY;
  }
  pts.push([x, y]);
  pts.reverse();
  // the first point is the end of the initial diagonal (d = 0); keep it so the walk covers that run too
  return pts;
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
