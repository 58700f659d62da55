// What the hotspot map leaves out: files per role, the source-only tree, and why a folder has no ranked files.
import { describe, expect, it } from 'vitest';
import type { CodeCoverage, TreemapNode } from '../../shared/api';
import { leftOutList, noHotspotsText, roleCounts, sourceOnly } from './coverage';

type Role = TreemapNode['role'];
const file = (path: string, size: number, score: number | null, role?: Role, rank?: number): TreemapNode => ({
  name: path.split('/').pop()!,
  path,
  size,
  score,
  complexity: size / 10,
  ...(rank ? { rank } : {}),
  ...(role ? { role } : {}),
});
const folder = (path: string, children: TreemapNode[]): TreemapNode => ({
  name: path.split('/').pop() || '.',
  path,
  size: children.reduce((n, c) => n + c.size, 0),
  score: children.reduce<number | null>((m, c) => (c.score !== null && (m === null || c.score > m) ? c.score : m), null),
  complexity: children.reduce((n, c) => n + c.complexity, 0),
  children,
});

// Like express: a small lib/ of ranked source, a big test/ and examples/ that are not ranked.
const tree = folder('', [
  folder('test', [file('test/app.js', 900, null, 'test'), folder('test/acceptance', [file('test/acceptance/a.js', 300, null, 'test')]), file('test/support/fixture.js', 50, null, 'fixture')]),
  folder('lib', [file('lib/response.js', 100, 0.9, undefined, 1), file('lib/view.js', 40, 0.4, undefined, 2)]),
  folder('examples', [file('examples/mvc.js', 200, null, 'example')]),
  file('index.js', 10, 0.3, undefined, 3),
  file('new.js', 5, null),
]);
const coverage = (over: Partial<CodeCoverage> = {}): CodeCoverage => ({ roles: roleCounts(tree), ranked: 3, commits: 6158, ...over });

describe('roleCounts and leftOutList', () => {
  it('counts files per role, a file without a role being source', () => {
    expect(roleCounts(tree)).toEqual({ test: 2, fixture: 1, source: 4, example: 1 });
    expect(roleCounts(tree.children![1]!)).toEqual({ source: 2 });
  });

  it('names the left-out roles, largest first', () => {
    expect(leftOutList(roleCounts(tree))).toBe('2 tests, 1 example and 1 fixture');
    expect(leftOutList({ test: 91, example: 43, source: 8 })).toBe('91 tests and 43 examples');
    expect(leftOutList({ docs: 1 })).toBe('1 docs file');
    expect(leftOutList({ source: 3 })).toBe('');
  });
});

describe('sourceOnly', () => {
  it('drops tests, examples and fixtures, and folders left empty; sums sizes again', () => {
    const s = sourceOnly(tree);
    expect(s.children!.map((c) => c.path)).toEqual(['lib', 'index.js', 'new.js']);
    expect(s.size).toBe(155);
    expect(s.score).toBe(0.9);
    // A source file not scored yet stays (it is what hotspots rank).
    expect(roleCounts(s)).toEqual({ source: 4 });
    // The same objects where nothing was dropped, and the same answer for the same tree.
    expect(s.children![0]).toBe(tree.children![1]);
    expect(sourceOnly(tree)).toBe(s);
    expect(sourceOnly(tree.children![1]!)).toBe(tree.children![1]);
  });

  it('keeps an empty root when nothing is source', () => {
    const only = folder('', [file('test/a.js', 5, null, 'test')]);
    expect(sourceOnly(only).children).toEqual([]);
  });
});

describe('noHotspotsText', () => {
  const at = (p: string) => (p ? tree.children!.find((c) => c.path === p)! : tree);

  it('a folder of tests says that tests are not ranked, not that history is missing', () => {
    const t = noHotspotsText(at('test'), coverage());
    expect(t).toMatch(/^No ranked files in test\. Its 3 files are 2 tests and 1 fixture: hotspots rank the product's source files only/);
    expect(t).not.toMatch(/first commits|history/);
    expect(noHotspotsText(at('examples'), coverage())).toMatch(/Its one file is an example/);
    expect(noHotspotsText(folder('spec', [file('spec/a.js', 1, null, 'test'), file('spec/b.js', 1, null, 'test')]), coverage())).toMatch(/All its 2 files are tests/);
  });

  it('without history, or before any scoring, says so', () => {
    const src = folder('src', [file('src/a.ts', 10, null)]);
    expect(noHotspotsText(src, coverage({ ranked: 0, commits: 0 }))).toMatch(/no git history/);
    expect(noHotspotsText(src, coverage({ ranked: 0, commits: 12 }))).toMatch(/not been computed\. Index the project again/);
    expect(noHotspotsText(src, coverage())).toMatch(/its 1 source file was added after the last scoring/);
  });

  it('an empty or unknown folder has no code files', () => {
    expect(noHotspotsText(null, coverage())).toBe('No code files with metrics in the project.');
    expect(noHotspotsText(folder('empty', []), coverage())).toBe('No code files with metrics in empty.');
  });
});
