// Unit tests of applyEdit: each format, each rung of the matching ladder, line endings, and every refusal.

import { describe, expect, it } from 'vitest';
import { applyEdit, type ApplyResult } from './apply';
import { isElision, detectFormat } from './parse';
import { editLines } from './lines';

const FILE = `import { readFile } from 'node:fs/promises';

export class Store {
  constructor(path) {
    this.path = path;
    this.items = [];
  }

  async load() {
    const raw = await readFile(this.path, 'utf8');
    this.items = JSON.parse(raw);
    return this.items;
  }

  add(item) {
    this.items.push(item);
    return this.items.length;
  }
}
`;
const ADDED = FILE.replace('    return this.items.length;\n', '    return this;\n');
const P = { path: 'src/store.js' };

const sr = (search: string, replace: string): string =>
  `<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n`;

function applied(r: ApplyResult): Extract<ApplyResult, { applied: true }> {
  if (!r.applied) throw new Error(`refused: ${r.error.code}: ${r.error.message}`);
  return r;
}
function refused(r: ApplyResult): Extract<ApplyResult, { applied: false }> {
  if (r.applied) throw new Error(`applied with ${r.strategy}`);
  return r;
}

describe('format detection', () => {
  it('tells search/replace, unified diff and whole file apart', () => {
    expect(detectFormat(editLines(sr('a\n', 'b\n')))).toBe('search-replace');
    expect(detectFormat(editLines('@@ @@\n-a\n+b\n'))).toBe('udiff');
    expect(detectFormat(editLines('--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n'))).toBe('udiff');
    expect(detectFormat(editLines('const a = 1;\n// @@ not a hunk\n'))).toBe('whole');
  });
  it('uses the given format over detection', () => {
    const r = applyEdit('x\n', sr('x\n', 'y\n'), { path: 'f', format: 'whole' });
    expect(applied(r).format).toBe('whole');
  });
});

describe('search/replace ladder', () => {
  it('exact, with path line and fence', () => {
    const edit = 'src/store.js\n```js\n' + sr('    return this.items.length;\n', '    return this;\n') + '```\n';
    const r = applied(applyEdit(FILE, edit, P));
    expect(r.content).toBe(ADDED);
    expect(r.strategy).toBe('exact');
    expect(r.format).toBe('search-replace');
    expect(r.diff).toContain('-    return this.items.length;\n+    return this;');
  });

  it('trailing whitespace', () => {
    const r = applied(applyEdit(FILE, sr('  add(item) { \n    this.items.push(item);\t\n    return this.items.length;\n', '  add(item) {\n    this.items.push(item);\n    return this;\n'), P));
    expect(r.content).toBe(ADDED);
    expect(r.strategy).toBe('trailing-whitespace');
  });

  it('relative indentation: block quoted at column 0 gets the file indentation back', () => {
    const r = applied(applyEdit(FILE, sr('add(item) {\n  this.items.push(item);\n  return this.items.length;\n', 'add(item) {\n  if (!item) {\n    return 0;\n  }\n  this.items.push(item);\n  return this;\n'), P));
    expect(r.strategy).toBe('relative-indent');
    expect(r.content).toBe(FILE.replace('  add(item) {\n    this.items.push(item);\n    return this.items.length;\n',
      '  add(item) {\n    if (!item) {\n      return 0;\n    }\n    this.items.push(item);\n    return this;\n'));
  });

  it('relative indentation: block quoted deeper than the file loses the extra indentation', () => {
    const r = applied(applyEdit(FILE, sr('        return this.items.length;\n', '        return this;\n'), P));
    expect(r.strategy).toBe('relative-indent');
    expect(r.content).toBe(ADDED);
  });

  it('blank-line differences', () => {
    const r = applied(applyEdit(FILE, sr('    this.items = [];\n  }\n  async load() {\n', '    this.items = [];\n  }\n\n  async load(enc) {\n'), P));
    expect(r.strategy).toBe('blank-lines');
    expect(r.content).toBe(FILE.replace('  async load() {', '  async load(enc) {'));
  });

  it('elision inside the search: the marker keeps the lines it stands for', () => {
    const edit = sr('  constructor(path) {\n    // ...\n  async load() {\n    const raw = await readFile(this.path, \'utf8\');\n',
      '  constructor(path) {\n    // ...\n  async load() {\n    const raw = await readFile(this.path, \'latin1\');\n');
    const r = applied(applyEdit(FILE, edit, P));
    expect(r.strategy).toBe('elision');
    expect(r.content).toBe(FILE.replace("'utf8'", "'latin1'"));
  });

  it('elision in the search needs the same marker in the replace', () => {
    const edit = sr('  constructor(path) {\n    ...\n  async load() {\n', '  constructor(path) {\n  async load() {\n');
    expect(refused(applyEdit(FILE, edit, P)).error.code).toBe('elision_mismatch');
  });

  it('elision only in the replace stands for the matched lines it sits among', () => {
    const edit = sr('  async load() {\n    const raw = await readFile(this.path, \'utf8\');\n    this.items = JSON.parse(raw);\n    return this.items;\n  }\n',
      '  async load() {\n    const raw = await readFile(this.path, \'utf8\');\n    // ... existing code ...\n    return this.items;\n  }\n\n  get size() {\n    return this.items.length;\n  }\n');
    const r = applied(applyEdit(FILE, edit, P));
    expect(r.content).toBe(FILE.replace('    return this.items;\n  }\n', '    return this.items;\n  }\n\n  get size() {\n    return this.items.length;\n  }\n'));
    expect(r.strategy).toBe('elision');
  });

  it('refuses a replace-side marker beside a changed line (replaced or inserted? unknowable)', () => {
    const edit = sr('  async load() {\n    const raw = await readFile(this.path, \'utf8\');\n    this.items = JSON.parse(raw);\n    return this.items;\n  }\n',
      '  async load() {\n    // ... existing code ...\n    return this.items.slice();\n  }\n');
    expect(refused(applyEdit(FILE, edit, P)).error.code).toBe('elision_unanchored');
  });

  it('a literal `...` line (a Python stub body) matches literally before any elision reading', () => {
    const py = 'class A:\n    def f(self):\n        ...\n\n    def g(self):\n        return 1\n';
    const r = applied(applyEdit(py, sr('    def f(self):\n        ...\n', '    def f(self):\n        return 0\n'), { path: 'a.py' }));
    expect(r.content).toBe(py.replace('        ...\n', '        return 0\n'));
    expect(r.strategy).toBe('exact');
  });

  it('blocks apply in order, each to the file as the previous ones left it', () => {
    const dup = 'a()\nx = 1\nb()\nx = 1\n';
    const edit = sr('a()\nx = 1\n', 'a()\nx = 2\n') + sr('x = 1\n', 'x = 3\n');
    expect(applied(applyEdit(dup, edit, { path: 'f.py' })).content).toBe('a()\nx = 2\nb()\nx = 3\n');
  });

  it('an empty search creates the content of an empty file', () => {
    expect(applied(applyEdit('', sr('', 'hello\n'), { path: 'new.txt' })).content).toBe('hello\n');
    expect(refused(applyEdit('x\n', sr('', 'hello\n'), { path: 'f.txt' })).error.code).toBe('empty_search');
  });
});

describe('refusals', () => {
  it('refuses a search that is nowhere, with the closest candidate lines', () => {
    const r = refused(applyEdit(FILE, sr('  add(entry) {\n    this.items.push(entry);\n', '  add(entry) {\n'), P));
    expect(r.error.code).toBe('no_match');
    expect(r.error.candidates?.[0]?.line).toBe(15);
    expect(r.error.candidates?.[0]?.text).toContain('add(item)');
  });

  it('refuses a search that matches more than one place, listing them', () => {
    const dup = 'function a() {\n  return null;\n}\n\nfunction b() {\n  return null;\n}\n';
    const r = refused(applyEdit(dup, sr('  return null;\n}\n', '  return 0;\n}\n'), { path: 'd.js' }));
    expect(r.error.code).toBe('ambiguous');
    expect(r.error.candidates?.map((c) => c.line)).toEqual([2, 6]);
  });

  it('refuses when a tolerant rung finds several places, even if none is exact', () => {
    const f = 'if (a) {\n  go();\n}\nif (b) {\n    go();\n}\n';
    expect(refused(applyEdit(f, sr('go();\n', 'stop();\n'), { path: 'x.js' })).error.code).toBe('ambiguous');
  });

  it('refuses an edit for another file', () => {
    const edit = 'src/other.js\n' + sr('    return this.items.length;\n', '    return 0;\n');
    expect(refused(applyEdit(FILE, edit, P)).error.code).toBe('path_mismatch');
  });

  it('applies only the blocks for this file from a multi-file edit', () => {
    const edit = 'src/other.js\n' + sr('x\n', 'y\n') + '\nsrc/store.js\n' + sr('    return this.items.length;\n', '    return this;\n');
    expect(applied(applyEdit(FILE, edit, P)).content).toBe(ADDED);
  });

  it('refuses a malformed block', () => {
    expect(refused(applyEdit(FILE, '<<<<<<< SEARCH\nfoo\n=======\nbar\n', P)).error.code).toBe('parse_error');
    // without its divider it is still a (broken) search/replace edit, never a whole file to write
    expect(refused(applyEdit('x\n', '<<<<<<< SEARCH\nx\n>>>>>>> REPLACE\n', { path: 'f' })).error.code).toBe('parse_error');
  });

  it('a refusal never changes anything it returns', () => {
    const r = applyEdit(FILE, sr('nothing like this\n', 'x\n'), P);
    expect(r.applied).toBe(false);
    expect('content' in r).toBe(false);
  });
});

describe('unified diffs', () => {
  it('finds hunks by content when the line numbers are wrong', () => {
    const edit = '--- a/src/store.js\n+++ b/src/store.js\n@@ -60,6 +60,6 @@\n   add(item) {\n     this.items.push(item);\n-    return this.items.length;\n+    return this;\n   }\n }\n';
    const r = applied(applyEdit(FILE, edit, P));
    expect(r.content).toBe(ADDED);
    expect(r.strategy).toBe('hunk-exact');
    expect(r.format).toBe('udiff');
  });

  it('takes bare @@ @@ headers and no file headers', () => {
    const edit = '@@ @@\n   constructor(path) {\n-    this.path = path;\n+    this.path = String(path);\n     this.items = [];\n';
    expect(applied(applyEdit(FILE, edit, P)).content).toBe(FILE.replace('this.path = path;', 'this.path = String(path);'));
  });

  it('a removed line starting with "-- " is content, not a file header', () => {
    const sql = 'select 1;\n-- old note\nselect 2;\n';
    const edit = '@@ @@\n select 1;\n--- old note\n+++ new note\n select 2;\n';
    expect(applied(applyEdit(sql, edit, { path: 'q.sql' })).content).toBe('select 1;\n++ new note\nselect 2;\n');
  });

  it('uses line numbers only to break a tie, and only when other hunks prove them right', () => {
    const dup = 'function a() {\n  if (!ready) {\n    return null;\n  }\n}\n\nfunction b() {\n  if (!ready) {\n    return null;\n  }\n}\n';
    const hunk2 = '@@ -8,3 +8,3 @@\n   if (!ready) {\n-    return null;\n+    return 0;\n   }\n';
    const withProof = '@@ -1,1 +1,1 @@\n-function a() {\n+function first() {\n' + hunk2;
    const r = applied(applyEdit(dup, withProof, { path: 'd.js' }));
    expect(r.strategy).toBe('hunk-line-hint');
    expect(r.content).toBe('function first() {\n  if (!ready) {\n    return null;\n  }\n}\n\nfunction b() {\n  if (!ready) {\n    return 0;\n  }\n}\n');
    // alone, the ambiguous hunk is refused even though its number points at the right place
    expect(refused(applyEdit(dup, hunk2, { path: 'd.js' })).error.code).toBe('ambiguous');
    // and numbers that other hunks contradict are not trusted
    const contradicted = '@@ -30,1 +30,1 @@\n-function a() {\n+function first() {\n' + hunk2;
    expect(refused(applyEdit(dup, contradicted, { path: 'd.js' })).error.code).toBe('ambiguous');
  });

  it('honours "\\ No newline at end of file" both ways', () => {
    const add = '@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n';
    expect(applied(applyEdit('a\nb', add, { path: 'f' })).content).toBe('a\nb\n');
    const drop = '@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n';
    expect(applied(applyEdit('a\nb\n', drop, { path: 'f' })).content).toBe('a\nb');
  });

  it('refuses a hunk whose context is not in the file', () => {
    const edit = '@@ @@\n   remove(item) {\n-    return 1;\n+    return 2;\n';
    const r = refused(applyEdit(FILE, edit, P));
    expect(r.error.code).toBe('no_match');
    expect(r.error.message).toContain('hunk at edit line 1');
  });
});

describe('whole files with elisions', () => {
  it('resolves markers against the current file', () => {
    const edit = '// ... existing code ...\n  add(item) {\n    this.items.push(item);\n    return this;\n  }\n}\n';
    const r = applied(applyEdit(FILE, edit, P));
    expect(r.content).toBe(ADDED);
    expect(r.strategy).toBe('whole-elided');
  });

  it('understands the wordings models use', () => {
    for (const m of ['// ... existing code ...', '// ... rest of the code unchanged ...', '/* ... */', '// (unchanged)', '// rest of the file unchanged']) {
      const edit = "import { readFile } from 'node:fs/promises';\nimport { join } from 'node:path';\n\nexport class Store {\n" + m + '\n';
      const r = applied(applyEdit(FILE, edit, P));
      expect(r.content).toBe(FILE.replace("promises';\n", "promises';\nimport { join } from 'node:path';\n"));
    }
  });

  it('does not take prose comments or code for markers', () => {
    for (const s of ['// ... implies', 'foo(...args);', '// Loading...', '// keep existing behaviour for old clients', '#include <x>'])
      expect(isElision(s)).toBe(false);
    for (const s of ['...', '# ...', '<!-- ... -->', '{/* ... */}', '// ... other methods ...', '// existing code here'])
      expect(isElision(s)).toBe(true);
  });

  it('refuses a marker whose neighbouring lines are not in the file', () => {
    const edit = '// ... existing code ...\nfunction helper() {\n  return 42;\n}\n// ... existing code ...\n';
    expect(refused(applyEdit(FILE, edit, P)).error.code).toBe('elision_unanchored');
  });

  it('refuses an edit made only of markers', () => {
    expect(refused(applyEdit(FILE, '// ... existing code ...\n', P)).error.code).toBe('empty_edit');
  });

  it('refuses a marker-less snippet taken for a whole file, unless the format is given', () => {
    const big = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n') + '\n';
    expect(refused(applyEdit(big, 'line 3\nline 4 changed\n', { path: 'f.txt' })).error.code).toBe('suspect_truncated');
    expect(applied(applyEdit(big, 'line 3\n', { path: 'f.txt', format: 'whole' })).content).toBe('line 3\n');
  });

  it('a whole file without markers replaces the file', () => {
    const r = applied(applyEdit('a\nb\n', 'a\nc\n', { path: 'f.txt' }));
    expect(r.content).toBe('a\nc\n');
    expect(r.strategy).toBe('whole');
  });
});

describe('line endings and final newline', () => {
  const crlf = (s: string): string => s.replace(/\n/g, '\r\n');

  it('keeps CRLF for search/replace, diffs and whole files', () => {
    expect(applied(applyEdit(crlf(FILE), sr('    return this.items.length;\n', '    return this;\n'), P)).content).toBe(crlf(ADDED));
    const diff = crlf('@@ @@\n     this.items.push(item);\n-    return this.items.length;\n+    return this;\n');
    expect(applied(applyEdit(crlf(FILE), diff, P)).content).toBe(crlf(ADDED));
    const whole = '// ... existing code ...\n  add(item) {\n    this.items.push(item);\n    return this;\n  }\n}\n';
    expect(applied(applyEdit(crlf(FILE), whole, P)).content).toBe(crlf(ADDED));
  });

  it('keeps each line ending of a mixed file where lines are untouched', () => {
    const mixed = 'a\r\nb\nc\r\nd\r\n';
    expect(applied(applyEdit(mixed, sr('b\nc\n', 'b\nC\n'), { path: 'f' })).content).toBe('a\r\nb\nC\r\nd\r\n');
  });

  it('keeps a missing final newline, also when lines are added at the end', () => {
    const f = 'a = 1\nb = 2';
    expect(applied(applyEdit(f, sr('b = 2\n', 'b = 3\nc = 4\n'), { path: 'f.py' })).content).toBe('a = 1\nb = 3\nc = 4');
    expect(applied(applyEdit('x = 1\n', sr('x = 1\n', 'x = 2\n'), { path: 'f.py' })).content).toBe('x = 2\n');
    expect(applied(applyEdit('x = 1', '@@ @@\n-x = 1\n+x = 2\n', { path: 'f.py' })).content).toBe('x = 2');
  });
});
