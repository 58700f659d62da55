// The chat's Markdown parser: blocks, inline spans, streamed (unclosed) fences, and that nothing becomes HTML or an unsafe link.
import { describe, expect, it } from 'vitest';
import { parseFenceInfo, parseInline, parseMarkdown, pathMentionedIn } from './markdown';

describe('parseMarkdown', () => {
  it('reads headings, paragraphs, lists, quotes, rules and fenced code', () => {
    const blocks = parseMarkdown(['# Title', '', 'Some **bold** and *em* text.', '', '- one', '- two', '  continued', '', '1. first', '2. second', '', '> quoted', '', '---', '', '```ts src/a.ts', 'const a = 1;', '```'].join('\n'));
    expect(blocks.map((b) => b.t)).toEqual(['h', 'p', 'list', 'list', 'quote', 'hr', 'code']);
    expect(blocks[0]).toEqual({ t: 'h', level: 1, c: [{ t: 'text', v: 'Title' }] });
    const ul = blocks[2] as Extract<(typeof blocks)[number], { t: 'list' }>;
    expect(ul.ordered).toBe(false);
    expect(ul.items).toHaveLength(2);
    expect(ul.items[1]).toEqual([{ t: 'p', c: [{ t: 'text', v: 'two\ncontinued' }] }]);
    const ol = blocks[3] as Extract<(typeof blocks)[number], { t: 'list' }>;
    expect(ol.ordered).toBe(true);
    expect(blocks[6]).toEqual({ t: 'code', lang: 'ts', path: 'src/a.ts', text: 'const a = 1;', closed: true });
  });

  it('keeps an unterminated fence open (a streamed answer cut mid-block)', () => {
    const blocks = parseMarkdown('Here:\n\n```python\ndef f():\n    return 1');
    expect(blocks[1]).toEqual({ t: 'code', lang: 'python', path: null, text: 'def f():\n    return 1', closed: false });
  });

  it('keeps HTML as text', () => {
    const blocks = parseMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)>');
    expect(blocks).toEqual([{ t: 'p', c: [{ t: 'text', v: '<script>alert(1)</script> <img src=x onerror=alert(1)>' }] }]);
  });

  it('reads a table with alignment', () => {
    const blocks = parseMarkdown('| a | b |\n|:--|--:|\n| `x|y` | 2 |');
    expect(blocks[0]).toMatchObject({ t: 'table', align: ['left', 'right'], head: [[{ t: 'text', v: 'a' }], [{ t: 'text', v: 'b' }]] });
    const t = blocks[0] as Extract<(typeof blocks)[number], { t: 'table' }>;
    expect(t.rows[0]![0]).toEqual([{ t: 'code', v: 'x|y' }]);
  });
});

describe('parseInline', () => {
  it('parses code spans first, so their stars stay literal', () => {
    expect(parseInline('use `a*b*c` here')).toEqual([{ t: 'text', v: 'use ' }, { t: 'code', v: 'a*b*c' }, { t: 'text', v: ' here' }]);
  });

  it('leaves snake_case alone and escapes with a backslash', () => {
    expect(parseInline('my_var_name and \\*not em\\*')).toEqual([{ t: 'text', v: 'my_var_name and *not em*' }]);
  });

  it('keeps only http, https and mailto links', () => {
    expect(parseInline('[ok](https://example.com)')).toEqual([{ t: 'link', href: 'https://example.com', c: [{ t: 'text', v: 'ok' }] }]);
    expect(parseInline('[bad](javascript:alert(1))')).toEqual([{ t: 'text', v: 'bad' }, { t: 'text', v: ')' }]);
    expect(parseInline('<https://x.org/a>')).toEqual([{ t: 'link', href: 'https://x.org/a', c: [{ t: 'text', v: 'https://x.org/a' }] }]);
  });

  it('nests strong and emphasis', () => {
    expect(parseInline('**bold *and em***')).toEqual([{ t: 'strong', c: [{ t: 'text', v: 'bold ' }, { t: 'em', c: [{ t: 'text', v: 'and em' }] }] }]);
  });
});

describe('fence info and path hints', () => {
  it('finds the target file in the fence info', () => {
    expect(parseFenceInfo('ts')).toEqual({ lang: 'ts', path: null });
    expect(parseFenceInfo('typescript:src/cart.ts')).toEqual({ lang: 'typescript', path: 'src/cart.ts' });
    expect(parseFenceInfo('ts path=src/cart.ts')).toEqual({ lang: 'ts', path: 'src/cart.ts' });
    expect(parseFenceInfo('src/cart.ts')).toEqual({ lang: '', path: 'src/cart.ts' });
  });

  it('finds a path named in the paragraph before a code block', () => {
    const [p] = parseMarkdown('Change `src/math.ts` like this:');
    expect(pathMentionedIn(p)).toBe('src/math.ts');
    expect(pathMentionedIn(parseMarkdown('Use `add()` here')[0])).toBeNull();
  });
});
