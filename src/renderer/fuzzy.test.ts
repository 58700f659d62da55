// Quick-open ranking: in-order letters with reasonable gaps, word starts, file-name matches first; weak matches dropped.
import { describe, expect, it } from 'vitest';
import { fuzzyScore } from './fuzzy';

const rank = (q: string, files: string[]) =>
  files
    .map((f) => ({ f, s: fuzzyScore(q, f) }))
    .filter((r) => r.s !== null)
    .sort((a, b) => b.s! - a.s! || a.f.localeCompare(b.f))
    .map((r) => r.f);

describe('fuzzyScore', () => {
  it('matches in-order letters case-insensitively and rejects the rest', () => {
    expect(fuzzyScore('hlo', 'src/Hello.ts')).not.toBeNull();
    expect(fuzzyScore('xyz', 'src/hello.ts')).toBeNull();
    expect(fuzzyScore('olh', 'src/hello.ts')).toBeNull();
    expect(fuzzyScore('', 'anything')).toBe(0);
  });

  it('ranks file-name and consecutive matches above scattered ones', () => {
    const ranked = rank('app', ['src/main/app.ts', 'src/renderer/App.tsx', 'docs/a-p-p.md', 'apps/x/readme.md']);
    expect(ranked.slice(0, 2).sort()).toEqual(['src/main/app.ts', 'src/renderer/App.tsx']);
    expect(ranked).toHaveLength(4);
  });

  it('drops letters scattered across words and folders', () => {
    // d-e from "default", l mid-word, m and e from "name": not what anyone typing "delme" means
    expect(fuzzyScore('delme', 'test/fixtures/default_layout/name.tmpl')).toBeNull();
    expect(fuzzyScore('delme', 'src/delme.ts')).not.toBeNull();
    expect(fuzzyScore('huge', 'src/hooks/use-graph.ts')).toBeNull();
    expect(rank('huge.txt', ['.editorconfig', 'fixtures/huge.txt', 'HISTORY.md'])).toEqual(['fixtures/huge.txt']);
  });

  it('keeps abbreviations by word starts, camel case and folders', () => {
    expect(fuzzyScore('qo', 'src/renderer/components/QuickOpen.tsx')).not.toBeNull();
    expect(fuzzyScore('srmain', 'src/main/app.ts')).not.toBeNull();
    expect(fuzzyScore('ello', 'src/hello.ts')).not.toBeNull();
    expect(rank('qopen', ['src/renderer/components/QuickOpen.tsx', 'src/quiet/other/pen.ts'])[0]).toBe('src/renderer/components/QuickOpen.tsx');
  });

  it('prefers a contiguous match in the file name over the same letters spread over folders', () => {
    expect(rank('index', ['src/in/dex/x.ts', 'lib/index.js'])[0]).toBe('lib/index.js');
    expect(rank('cart', ['src/cart.ts', 'src/checkout/art.ts'])[0]).toBe('src/cart.ts');
  });
});
