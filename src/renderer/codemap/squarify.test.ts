// The squarified treemap: areas proportional to sizes, no overlaps, nothing outside the bounds, squarish cells.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { squarify, type Placed, type Rect } from './squarify';

const EPS = 1e-6;

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function check(sizes: number[], bounds: Rect): Placed<number>[] {
  const placed = squarify(sizes, (s) => s, bounds);
  const positive = sizes.filter((s) => s > 0);
  expect(placed).toHaveLength(positive.length);
  const total = positive.reduce((a, b) => a + b, 0);
  const area = bounds.w * bounds.h;
  for (const p of placed) {
    // Within bounds.
    expect(p.x).toBeGreaterThanOrEqual(bounds.x - EPS);
    expect(p.y).toBeGreaterThanOrEqual(bounds.y - EPS);
    expect(p.x + p.w).toBeLessThanOrEqual(bounds.x + bounds.w + EPS * area);
    expect(p.y + p.h).toBeLessThanOrEqual(bounds.y + bounds.h + EPS * area);
    expect(p.w).toBeGreaterThanOrEqual(-EPS);
    expect(p.h).toBeGreaterThanOrEqual(-EPS);
    // Area proportional to size.
    expect(p.w * p.h).toBeCloseTo((p.item / total) * area, 4);
  }
  // No overlap between any two cells, and together they fill the bounds.
  for (let i = 0; i < placed.length; i++) for (let j = i + 1; j < placed.length; j++) expect(overlap(placed[i]!, placed[j]!)).toBeLessThan(1e-6 * area);
  if (placed.length) expect(placed.reduce((n, p) => n + p.w * p.h, 0)).toBeCloseTo(area, 4);
  return placed;
}

describe('squarify', () => {
  it('lays out the paper’s example with proportional areas, no overlap, inside the bounds', () => {
    const placed = check([6, 6, 4, 3, 2, 2, 1], { x: 0, y: 0, w: 6, h: 4 });
    // Largest first.
    expect(placed.map((p) => p.item)).toEqual([6, 6, 4, 3, 2, 2, 1]);
    // The first row of the paper's figure: the two 6s stacked in a 3-wide column on the left.
    expect(placed[0]).toMatchObject({ x: 0, y: 0, w: 3, h: 2 });
    expect(placed[1]).toMatchObject({ x: 0, y: 2, w: 3, h: 2 });
  });

  it('keeps cells squarish (better than slicing) on many equal sizes', () => {
    const placed = check(Array.from({ length: 16 }, () => 1), { x: 10, y: 20, w: 400, h: 400 });
    for (const p of placed) expect(Math.max(p.w / p.h, p.h / p.w)).toBeLessThan(2.01);
  });

  it('skips empty and invalid sizes, and returns nothing for an empty box', () => {
    expect(squarify([0, -3, Number.NaN, 5], (s) => s, { x: 0, y: 0, w: 10, h: 10 }).map((p) => p.item)).toEqual([5]);
    expect(squarify([1, 2], (s) => s, { x: 0, y: 0, w: 0, h: 10 })).toEqual([]);
    expect(squarify([], (s: number) => s, { x: 0, y: 0, w: 10, h: 10 })).toEqual([]);
  });

  it('one item fills the bounds', () => {
    expect(squarify(['a'], () => 3, { x: 1, y: 2, w: 30, h: 7 })).toEqual([{ item: 'a', x: 1, y: 2, w: 30, h: 7 }]);
  });

  it('holds for arbitrary sizes and boxes (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 60 }),
        fc.record({ x: fc.integer({ min: -50, max: 50 }), y: fc.integer({ min: -50, max: 50 }), w: fc.integer({ min: 1, max: 2000 }), h: fc.integer({ min: 1, max: 2000 }) }),
        (sizes, bounds) => {
          check(sizes, bounds);
        },
      ),
      { numRuns: 200 },
    );
  });
});
