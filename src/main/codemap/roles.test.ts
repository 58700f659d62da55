// Which code files the code map ranks (product source) and what the others are, counted per role.
import { describe, expect, it } from 'vitest';
import { isSourcePath } from './paths';
import { fileRole } from './roles';

describe('fileRole', () => {
  it('is source exactly where hotspots rank', () => {
    for (const p of ['lib/response.js', 'index.js', 'src/a/b.ts', 'test/app.js', 'examples/mvc/index.js', 'docs/x.py', 'types/a.d.ts', 'lib/a.test.js'])
      expect(fileRole(p) === 'source').toBe(isSourcePath(p));
  });

  it('names what the left-out files are: the outermost telling folder first, then the name', () => {
    expect(fileRole('test/acceptance/auth.js')).toBe('test');
    expect(fileRole('test/fixtures/x.js')).toBe('test');
    expect(fileRole('examples/app/test/x.js')).toBe('example');
    expect(fileRole('fixtures/a.ts')).toBe('fixture');
    expect(fileRole('docs/conf.py')).toBe('docs');
    expect(fileRole('benchmarks/run.js')).toBe('bench');
    expect(fileRole('vendor/lib.js')).toBe('vendor');
    expect(fileRole('src/cart.spec.ts')).toBe('test');
    expect(fileRole('pkg/cart_test.go')).toBe('test');
    expect(fileRole('types/index.d.ts')).toBe('generated');
    expect(fileRole('scripts/build.sh')).toBe('other');
  });
});
