// Colour by rank within the project (percentile) as well as by the chance of a fix, and which one reads better.
import { describe, expect, it } from 'vitest';
import type { TreemapNode } from '../../shared/api';
import { autoColourBy, bestRank, luminance, nodeColour, percentile, percentileText, scoreColour, NEUTRAL } from './colour';

describe('percentile', () => {
  it('puts the top hotspot at 1 and the last ranked file at 0', () => {
    expect(percentile(1, 8)).toBe(1);
    expect(percentile(8, 8)).toBe(0);
    expect(percentile(3, 5)).toBe(0.5);
    expect(percentile(1, 1)).toBe(1);
    expect(percentile(9, 8)).toBe(0);
  });

  it('says where a rank falls in words', () => {
    expect(percentileText(1, 8)).toBe('top 13%');
    expect(percentileText(8, 8)).toBe('bottom 13%');
    expect(percentileText(1, 100)).toBe('top 1%');
    expect(percentileText(1, 1)).toBe('the only ranked file');
  });
});

describe('autoColourBy', () => {
  it('colours by the chance of a fix when the scores spread over the scale', () => {
    expect(autoColourBy([0.29, 0.35, 0.42, 0.44, 0.68, 0.77, 0.77, 0.89])).toBe('absolute');
    expect(autoColourBy([0.5])).toBe('absolute');
    expect(autoColourBy([])).toBe('absolute');
  });

  it('colours by rank when the scores sit close together (all low, or all high)', () => {
    expect(autoColourBy([0.01, 0.02, 0.03, 0.05, 0.06, 0.08, 0.11, 0.12])).toBe('rank');
    expect(autoColourBy([0.8, 0.82, 0.85, 0.86, 0.9])).toBe('rank');
    // One outlier does not make a flat picture read well.
    expect(autoColourBy([0.02, 0.02, 0.03, 0.03, 0.04, 0.04, 0.05, 0.05, 0.06, 0.95])).toBe('rank');
  });
});

describe('nodeColour', () => {
  const f = (path: string, score: number | null, rank?: number): TreemapNode => ({ name: path, path, size: 1, score, complexity: 1, ...(rank ? { rank } : {}) });
  const low = [f('a', 0.05, 1), f('b', 0.03, 2), f('c', 0.01, 3)];
  const dir: TreemapNode = { name: 'd', path: 'd', size: 3, score: 0.05, complexity: 3, children: [low[1]!, low[2]!, f('t', null)] };

  it('absolute: all-low scores come out dark; by rank they span the scale', () => {
    const abs = low.map((n) => luminance(nodeColour(n, 'absolute', 3)));
    const rank = low.map((n) => luminance(nodeColour(n, 'rank', 3)));
    expect(Math.max(...abs) - Math.min(...abs)).toBeLessThan(0.01);
    expect(nodeColour(low[0]!, 'rank', 3)).toBe(scoreColour(1));
    expect(nodeColour(low[2]!, 'rank', 3)).toBe(scoreColour(0));
    expect(rank[0]! - rank[2]!).toBeGreaterThan(0.3);
  });

  it('a folder takes its best-ranked file; unranked stays grey either way', () => {
    expect(bestRank(dir)).toBe(2);
    expect(nodeColour(dir, 'rank', 3)).toBe(scoreColour(0.5));
    expect(nodeColour(f('t', null), 'rank', 3)).toBe(NEUTRAL);
    expect(nodeColour(f('t', null), 'absolute', 3)).toBe(NEUTRAL);
  });
});
