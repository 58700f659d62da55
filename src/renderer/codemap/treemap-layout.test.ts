// The nested treemap: folders open as frames with their files inside, small or deep ones stay solid, zoom trails.
import { describe, expect, it } from 'vitest';
import type { TreemapNode } from '../../shared/api';
import { initialZoom, layoutTreemap, trail } from './treemap-layout';

const file = (path: string, size: number, score: number | null = null): TreemapNode => ({ name: path.split('/').pop()!, path, size, score, complexity: 1 });
const folder = (path: string, children: TreemapNode[]): TreemapNode => ({
  name: path.split('/').pop() || '.',
  path,
  size: children.reduce((n, c) => n + c.size, 0),
  score: null,
  complexity: 0,
  children,
});

const tree = folder('', [folder('src', [folder('src/report', [file('src/report/a.ts', 30, 0.5), file('src/report/b.ts', 10)]), file('src/cart.ts', 60, 0.3), file('src/math.ts', 20)])]);

describe('layoutTreemap', () => {
  it('puts every file inside its folder’s frame, below the title strip', () => {
    const src = trail(tree, 'src').at(-1)!;
    const cells = layoutTreemap(src, 600, 300);
    const report = cells.find((c) => c.node.path === 'src/report')!;
    expect(report).toMatchObject({ kind: 'folder', open: true, depth: 1 });
    for (const p of ['src/report/a.ts', 'src/report/b.ts']) {
      const c = cells.find((x) => x.node.path === p)!;
      expect(c.depth).toBe(2);
      expect(c.x).toBeGreaterThanOrEqual(report.x);
      expect(c.y).toBeGreaterThanOrEqual(report.y + 17 - 1e-9);
      expect(c.x + c.w).toBeLessThanOrEqual(report.x + report.w + 1e-9);
      expect(c.y + c.h).toBeLessThanOrEqual(report.y + report.h + 1e-9);
    }
    // Parents come before their children (drawing and focus order).
    expect(cells.findIndex((c) => c.node.path === 'src/report')).toBeLessThan(cells.findIndex((c) => c.node.path === 'src/report/a.ts'));
    // Top-level cells tile the box.
    expect(cells.filter((c) => c.depth === 1).reduce((n, c) => n + c.w * c.h, 0)).toBeCloseTo(600 * 300, 6);
  });

  it('leaves a folder solid when it is too small or too deep to open', () => {
    const cells = layoutTreemap(tree, 40, 30);
    expect(cells).toHaveLength(1);
    expect(cells[0]).toMatchObject({ kind: 'folder', open: false });
    const shallow = layoutTreemap(tree, 800, 600, { maxDepth: 1, header: 17, pad: 2, minOpen: { w: 10, h: 10 } });
    expect(shallow.map((c) => c.node.path)).toEqual(['src']);
  });
});

describe('zoom helpers', () => {
  it('trail lists the folders down to the zoomed one, or just the root for an unknown path', () => {
    expect(trail(tree, 'src/report').map((n) => n.path)).toEqual(['', 'src', 'src/report']);
    expect(trail(tree, '').map((n) => n.path)).toEqual(['']);
    expect(trail(tree, 'lib/gone').map((n) => n.path)).toEqual(['']);
    expect(trail(tree, 'src/cart.ts').map((n) => n.path)).toEqual(['']);
  });

  it('initialZoom skips a root that holds a single folder', () => {
    expect(initialZoom(tree)).toBe('src');
    expect(initialZoom(folder('', [file('a.ts', 1), folder('src', [file('src/b.ts', 1)])]))).toBe('');
  });
});
