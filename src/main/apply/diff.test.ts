// Tests of the Myers line diff and unified-diff rendering, with property checks against a plain LCS.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffSeq, unifiedDiff } from './diff';

/** Length of a longest common subsequence, by the textbook dynamic programme (the oracle). */
function lcs(a: readonly string[], b: readonly string[]): number {
  const dp: number[] = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let prev = 0;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = a[i - 1] === b[j - 1] ? prev + 1 : Math.max(dp[j]!, dp[j - 1]!);
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

const lineArr = fc.array(fc.constantFrom('a', 'b', 'c', 'd', '', '}'), { maxLength: 30 });

describe('diffSeq', () => {
  it('covers both sequences in order and keeps a longest common subsequence', () => {
    fc.assert(
      fc.property(lineArr, lineArr, (a, b) => {
        const ops = diffSeq(a, b);
        let ai = 0;
        let bi = 0;
        const rebuilt: string[] = [];
        let equal = 0;
        for (const op of ops) {
          expect(op.a0).toBe(ai);
          expect(op.b0).toBe(bi);
          if (op.tag === 'equal') {
            expect(a.slice(op.a0, op.a1)).toEqual(b.slice(op.b0, op.b1));
            rebuilt.push(...a.slice(op.a0, op.a1));
            equal += op.a1 - op.a0;
          } else if (op.tag === 'insert') {
            expect(op.a1).toBe(op.a0);
            rebuilt.push(...b.slice(op.b0, op.b1));
          } else {
            expect(op.b1).toBe(op.b0);
          }
          ai = op.a1;
          bi = op.b1;
        }
        // within a change region the delete comes first
        ops.forEach((op, k) => {
          if (op.tag === 'insert') expect(ops[k + 1]?.tag ?? 'end').not.toBe('delete');
          if (op.tag !== 'equal') expect(ops[k + 1]?.tag ?? 'end').not.toBe(op.tag);
        });
        expect(ai).toBe(a.length);
        expect(bi).toBe(b.length);
        expect(rebuilt).toEqual(b);
        expect(equal).toBe(lcs(a, b));
      }),
      { numRuns: 300 },
    );
  });

  it('handles empty inputs', () => {
    expect(diffSeq([], [])).toEqual([]);
    expect(diffSeq(['x'], [])).toEqual([{ tag: 'delete', a0: 0, a1: 1, b0: 0, b1: 0 }]);
    expect(diffSeq([], ['x'])).toEqual([{ tag: 'insert', a0: 0, a1: 0, b0: 0, b1: 1 }]);
  });
});

describe('unifiedDiff', () => {
  it('renders hunks with context and correct ranges', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n') + '\n';
    const b = a.replace('5\n', 'five\n');
    expect(unifiedDiff(a, b, { fromFile: 'a/f', toFile: 'b/f' })).toBe(
      '--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n',
    );
  });

  it('is empty for equal texts and marks a missing final newline', () => {
    expect(unifiedDiff('x\n', 'x\n')).toBe('');
    expect(unifiedDiff('x\n', 'x')).toContain('-x\n+x\n\\ No newline at end of file\n');
  });

  it('uses 0-based start for empty ranges', () => {
    expect(unifiedDiff('', 'a\n')).toContain('@@ -0,0 +1 @@\n+a\n');
  });
});
