// Tests historical fixes: spotting fix commits, extracting error text, ranking by text, codes and files, recordFix.
import { afterEach, describe, expect, it } from 'vitest';
import { createRepo } from '../../../test/helpers/git-repo';
import { classifyFix, extractErrorText, indexTerms, recordFix, searchFixes } from './fixes';
import { GitService } from './service';
import { change, openTestDb } from './testkit';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('fix detection', () => {
  it('recognises keywords, closing references and reverts, not pull-request numbers', () => {
    expect(classifyFix('Fix crash when the list is empty', '')).toMatchObject({ kind: 'keyword' });
    expect(classifyFix('Handle empty lists', 'Closes #123')).toMatchObject({ kind: 'issue', issueRefs: ['#123'] });
    expect(classifyFix('Make parser strict', 'resolves PROJ-42')).toMatchObject({ kind: 'issue', issueRefs: ['PROJ-42'] });
    expect(classifyFix('Revert "Add cache"', 'This reverts commit abcdef1234567.')).toMatchObject({ kind: 'revert', revertsSha: 'abcdef1234567' });
    expect(classifyFix('feat: add streaming API (#4521)', '')).toBeNull();
    expect(classifyFix('Add test fixtures', '')).toBeNull();
    expect(classifyFix('Improve debug output', '')).toBeNull();
  });

  it('extracts error codes, quoted messages and error lines', () => {
    const text = 'Fix TS2345 in parser\n\nThe build failed with "Cannot read properties of undefined (reading \'x\')".\nAlso ERR_INVALID_ARG_TYPE and a TypeError.\nUnrelated line.';
    const e = extractErrorText(text);
    expect(e).toContain('TS2345');
    expect(e).toContain('ERR_INVALID_ARG_TYPE');
    expect(e).toContain('TypeError');
    expect(e).toContain("Cannot read properties of undefined (reading 'x')");
    expect(e).not.toContain('Unrelated line');
  });

  it('splits identifiers for the index', () => {
    expect(indexTerms('res.sendFile ERR_HTTP')).toEqual(['res', 'send', 'file', 'sendfile', 'err', 'http', 'errhttp']);
  });
});

describe('fix search', () => {
  it('ranks past fixes by error text, error codes and files', async () => {
    const r = createRepo();
    const t = openTestDb();
    cleanups.push(() => r.cleanup(), () => t.close());
    change(r, { 'src/parser.ts': '1\n' }, 'Fix TypeError: cannot read property "token" of undefined in parser');
    change(r, { 'src/net/http.ts': '1\n' }, 'fix: socket hang up (ECONNRESET) when the server closes early');
    change(r, { 'src/parser.ts': '2\n', 'src/lexer.ts': '1\n' }, 'Fix off-by-one in lexer columns');
    change(r, { 'docs/readme.md': '1\n' }, 'Add docs');
    const pid = t.projectId(r.root);
    const svc = new GitService(t.db, pid, { root: r.root });
    const rep = await svc.sync();
    expect(rep.fixes_added).toBe(3);

    const byText = svc.fixes("TypeError: Cannot read properties of undefined (reading 'token')");
    expect(byText[0]!.message).toMatch(/cannot read property "token"/);
    expect(byText[0]).toMatchObject({ kind: 'keyword', files: ['src/parser.ts'] });
    expect(byText[0]!.commit).toMatch(/^[0-9a-f]{40}$/);

    const byCode = svc.fixes('Error: read ECONNRESET');
    expect(byCode[0]!.files).toEqual(['src/net/http.ts']);
    expect(byCode[0]!.reasons.join(' ')).toMatch(/ECONNRESET/);

    const byFile = svc.fixes('wrong column numbers', ['src/lexer.ts']);
    expect(byFile[0]!.message).toMatch(/off-by-one/);
    expect(byFile[0]!.reasons).toContain('same file');
    expect(svc.fixes('Add docs')).toEqual([]);
  });

  it('records resolved build errors as fixes that later searches find', () => {
    const t = openTestDb();
    cleanups.push(() => t.close());
    const pid = t.projectId(t.dir);
    const id = recordFix(t.db, pid, { message: 'Resolved build error', files: ['./src/app.ts'], errorText: "src/app.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'." });
    expect(id).toBeGreaterThan(0);
    const res = searchFixes(t.db, pid, { text: "error TS2322: Type 'string' is not assignable to type 'number'", k: 5 });
    expect(res[0]).toMatchObject({ kind: 'build', commit: null, files: ['src/app.ts'] });
    expect(res[0]!.reasons.join(' ')).toMatch(/TS2322/);
    // Another project's fixes stay out.
    const other = t.projectId(`${t.dir}/other`);
    expect(searchFixes(t.db, other, { text: 'TS2322' })).toEqual([]);
  });
});
