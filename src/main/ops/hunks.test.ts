// Hunks of an artifact: the same grouping and headers as the printed diff, partial application per hunk, and refusals when a split is ill-defined.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../apply';
import { computeHunks, diffHeaders, diffStats, partialContent } from './hunks';

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';

describe('hunks', () => {
  const before = lines(40, (i) => `line ${i}`);
  const after = before.replace('line 3\n', 'line three\n').replace('line 30\n', 'line thirty\nline 30.5\n');

  it('groups changes like unifiedDiff and prints the same headers', () => {
    const hunks = computeHunks(before, after);
    expect(hunks).toHaveLength(2);
    expect(hunks.map((h) => h.header)).toEqual(diffHeaders(unifiedDiff(before, after)));
    expect(hunks[0]).toMatchObject({ a0: 3, a1: 4, b0: 3, b1: 4 });
  });

  it('applies only the accepted hunks', () => {
    const diff = unifiedDiff(before, after);
    const first = partialContent(before, after, [true, false], diff);
    expect(first).toContain('line three\n');
    expect(first).toContain('line 30\n');
    expect(first).not.toContain('thirty');
    const second = partialContent(before, after, [false, true], diff);
    expect(second).toContain('line 3\n');
    expect(second).toContain('line thirty\nline 30.5\n');
    expect(partialContent(before, after, [true, true], diff)).toBe(after);
    expect(partialContent(before, after, [false, false], diff)).toBe(before);
  });

  it('keeps each line its own ending (CRLF files stay CRLF)', () => {
    const b = 'a\r\nb\r\nc\r\nd\r\ne\r\nf\r\ng\r\nh\r\ni\r\nj\r\n';
    const a = b.replace('b\r\n', 'B\r\n').replace('j\r\n', 'J\r\n');
    expect(computeHunks(b, a)).toHaveLength(2);
    expect(partialContent(b, a, [true, false])).toBe(b.replace('b\r\n', 'B\r\n'));
  });

  it('refuses a split it cannot make: line-ending changes, a count that does not match, a diff that moved', () => {
    const b = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n';
    const a = b.replace('b\n', 'B\n').replace('k\n', 'K\n').replace(/\n/g, '\r\n');
    expect(() => partialContent(b, a, computeHunks(b, a).map((_, i) => i === 0))).toThrow(expect.objectContaining({ code: 'ambiguous_hunks' }));
    expect(() => partialContent(before, after, [true])).toThrow(expect.objectContaining({ code: 'ambiguous_hunks' }));
    expect(() => partialContent(before, after, [true, false], '@@ -1 +1 @@\n')).toThrow(expect.objectContaining({ code: 'ambiguous_hunks' }));
  });

  it('handles a last line without a newline', () => {
    const b = 'x\ny\nz';
    const a = 'X\ny\nz\nw\n';
    const hunks = computeHunks(b, a);
    expect(hunks.map((h) => h.header)).toEqual(diffHeaders(unifiedDiff(b, a)));
    expect(partialContent(b, a, hunks.map(() => true))).toBe(a);
  });

  it('property: any choice of hunks gives a text whose own diff has only the chosen changes', () => {
    const fileArb = fc.array(fc.constantFrom('a', 'b', 'c', 'd', '', '  x', 'y;'), { minLength: 0, maxLength: 40 });
    fc.assert(
      fc.property(fileArb, fileArb, fc.array(fc.boolean(), { maxLength: 20 }), fc.boolean(), (x, y, picks, eol) => {
        const b = x.join('\n') + (eol && x.length ? '\n' : '');
        const a = y.join('\n') + (y.length ? '\n' : '');
        const hunks = computeHunks(b, a);
        expect(hunks.map((h) => h.header)).toEqual(diffHeaders(unifiedDiff(b, a)));
        const choose = hunks.map((_, i) => picks[i] ?? false);
        const out = partialContent(b, a, choose);
        if (choose.every(Boolean)) expect(out).toBe(a);
        if (!choose.some(Boolean)) expect(out).toBe(b);
        // Every accepted hunk's new lines are in the result; the result never has more changes than the whole edit.
        const whole = diffStats(unifiedDiff(b, a));
        const part = diffStats(unifiedDiff(b, out));
        expect(part.additions).toBeLessThanOrEqual(whole.additions);
        expect(part.deletions).toBeLessThanOrEqual(whole.deletions);
      }),
      { numRuns: 300 },
    );
  });
});
