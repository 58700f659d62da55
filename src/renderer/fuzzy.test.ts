// Quick-open ranking: subsequence matching, file-name matches first.
import { describe, expect, it } from 'vitest';
import { fuzzyScore } from './fuzzy';

describe('fuzzyScore', () => {
  it('matches subsequences case-insensitively and rejects the rest', () => {
    expect(fuzzyScore('hlo', 'src/Hello.ts')).not.toBeNull();
    expect(fuzzyScore('xyz', 'src/hello.ts')).toBeNull();
    expect(fuzzyScore('', 'anything')).toBe(0);
  });

  it('ranks file-name and consecutive matches above scattered ones', () => {
    const files = ['src/main/app.ts', 'src/renderer/App.tsx', 'docs/a-p-p.md', 'apps/x/readme.md'];
    const ranked = files
      .map((f) => ({ f, s: fuzzyScore('app', f) }))
      .filter((r) => r.s !== null)
      .sort((a, b) => b.s! - a.s!)
      .map((r) => r.f);
    expect(ranked.slice(0, 2).sort()).toEqual(['src/main/app.ts', 'src/renderer/App.tsx']);
    expect(ranked).toHaveLength(4);
  });
});
