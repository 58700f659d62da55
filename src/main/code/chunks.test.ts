// Search chunks: symbol bodies and line windows, each starting and ending on a line with text.
import { describe, expect, it } from 'vitest';
import { chunkFile } from './chunks';
import type { ParsedSymbol } from './model';

function fn(name: string, start_line: number, end_line: number): ParsedSymbol {
  return {
    name,
    kind: 'function',
    qualified: name,
    parent: -1,
    start_line,
    end_line,
    signature: null,
    doc: null,
    visibility: null,
    exported: false,
    is_test: false,
    is_async: false,
    hash: name,
    facts: {} as ParsedSymbol['facts'],
  };
}

// The shape of express's lib/application.js around app.use: a function, a blank line, a doc comment, a blank line.
const TEXT = [
  'app.handle = function handle(req, res) {', // 1
  '  this.router.handle(req, res);', // 2
  '};', // 3
  '', // 4
  '/**', // 5
  ' * Proxy `Router#use()` to add middleware to the app router.', // 6
  ' */', // 7
  '', // 8
  'app.use = function use(fn) {', // 9
  '  return this;', // 10
  '};', // 11
  '', // 12
].join('\n');

describe('chunkFile', () => {
  it('starts a line window at its first line with text, not at the blank line before it', () => {
    const chunks = chunkFile(TEXT, [fn('handle', 1, 3), fn('use', 9, 11)]);
    const lines = TEXT.split('\n');
    expect(chunks.map((c) => [c.start_line, c.end_line, c.symbol])).toEqual([
      [1, 3, 0],
      [5, 7, -1],
      [9, 11, 1],
    ]);
    for (const c of chunks) {
      // The line a hit opens at is the first line of its text, and both ends have text.
      expect(lines[c.start_line - 1]).toBe(c.text.split('\n')[0]);
      expect(lines[c.start_line - 1]!.trim()).not.toBe('');
      expect(lines[c.end_line - 1]!.trim()).not.toBe('');
      expect(c.text).toBe(lines.slice(c.start_line - 1, c.end_line).join('\n'));
    }
  });

  it('trims windows of an unparsed file the same way', () => {
    const chunks = chunkFile(['', '', '# Title', '', 'Some text.', '', ''].join('\n'), []);
    expect(chunks).toEqual([{ start_line: 3, end_line: 5, symbol: -1, text: '# Title\n\nSome text.' }]);
  });
});
