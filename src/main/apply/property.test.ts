// Property tests of the apply engine: whatever it applies is right, and it applies what is unambiguous.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdit } from './apply';
import { unifiedDiff } from './diff';

// Small alphabets make duplicate lines (and so ambiguous edits) common, which is the point.
const dupLines = fc.array(fc.constantFrom('a()', '  b()', '}', '', '  return x', 'c = 1'), { minLength: 1, maxLength: 25 });
const text = (ls: readonly string[], finalNewline: boolean): string => ls.join('\n') + (finalNewline && ls.length ? '\n' : '');
const uniqueLines = (n: number): string[] => Array.from({ length: n }, (_, i) => `line_${i} = ${i * 7}`);

describe('never wrong', () => {
  it('a unified diff of before -> after applies to exactly `after`, or is refused', () => {
    fc.assert(
      fc.property(dupLines, dupLines, fc.boolean(), fc.boolean(), (a, b, na, nb) => {
        const before = text(a, na);
        const after = text(b, nb);
        const r = applyEdit(before, unifiedDiff(before, after), { path: 'f.js', format: 'udiff' });
        if (r.applied) expect(r.content).toBe(after);
      }),
      { numRuns: 500 },
    );
  });

  it('a search/replace block whose search occurs more than once is refused', () => {
    fc.assert(
      fc.property(dupLines, fc.nat(), fc.nat(3), (a, p, w) => {
        const lines = [...a, ...a];
        const start = p % a.length;
        const search = a.slice(start, Math.min(a.length, start + w + 1));
        if (search.every((l) => l.trim() === '')) return;
        const edit = `<<<<<<< SEARCH\n${search.join('\n')}\n=======\nCHANGED\n>>>>>>> REPLACE\n`;
        const r = applyEdit(text(lines, true), edit, { path: 'f.js' });
        expect(r.applied).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('applies what is unambiguous', () => {
  it('a diff between texts of distinct lines always applies, with wrong or missing line numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom('del', 'ins', 'mod')), { maxLength: 4 }), fc.integer({ min: -30, max: 30 }), (n, changes, shift) => {
        const a = uniqueLines(n);
        const b = [...a];
        for (const [p, kind] of changes) {
          const i = p % Math.max(1, b.length);
          if (kind === 'del' && b.length > 1) b.splice(i, 1);
          else if (kind === 'ins') b.splice(i, 0, `new_${p}()`);
          else if (b[i] !== undefined) b[i] = `${b[i]} // changed ${p}`;
        }
        const before = text(a, true);
        const after = text(b, true);
        const diff = unifiedDiff(before, after);
        const shifted = diff.replace(/^@@ -(\d+)/gm, (_, x: string) => `@@ -${Math.max(1, Number(x) + shift)}`);
        const bare = diff.replace(/^@@ .* @@$/gm, '@@ @@');
        for (const edit of [diff, shifted, bare]) {
          const r = applyEdit(before, edit, { path: 'f.txt' });
          if (before === after) continue;
          expect(r.applied ? r.content : r.error).toBe(after);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a unique block quoted at any indentation, with trailing spaces or CRLF, applies exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 30 }), fc.nat(), fc.integer({ min: 1, max: 4 }), fc.constantFrom('', '  ', '\t'), fc.boolean(), fc.boolean(),
        (n, p, w, indent, trailing, crlf) => {
          const a = uniqueLines(n).map((l, i) => (i % 3 === 1 ? `    ${l}` : l));
          const start = p % (n - 1);
          const end = Math.min(n, start + w);
          const block = a.slice(start, end);
          const repl = [...block.slice(0, -1), `${block[block.length - 1]} + 1`];
          const q = (ls: string[]): string => ls.map((l) => indent + l + (trailing ? ' ' : '')).join('\n') + '\n';
          const edit = `<<<<<<< SEARCH\n${q(block)}=======\n${repl.map((l) => indent + l).join('\n')}\n>>>>>>> REPLACE\n`;
          const expected = [...a.slice(0, start), ...repl, ...a.slice(end)];
          const eol = crlf ? '\r\n' : '\n';
          const r = applyEdit(a.join(eol) + eol, edit, { path: 'f.txt' });
          expect(r.applied ? r.content : r.error).toBe(expected.join(eol) + eol);
        }),
      { numRuns: 300 },
    );
  });
});
