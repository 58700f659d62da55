// Trend chart data: quiet months filled in, round axis tops; and the hotspot colour scale's ends.
import { describe, expect, it } from 'vitest';
import { luminance, NEUTRAL, scoreColour, STOPS } from './colour';
import { monthRange, niceTop } from './trend-data';

const m = (month: string, commits = 1) => ({ month, commits, added: 1, deleted: 0, fixes: 0 });

describe('monthRange', () => {
  it('fills the months without commits, across a year end, in order', () => {
    expect(monthRange([m('2024-02'), m('2023-11', 3)]).map((x) => `${x.month}:${x.commits}`)).toEqual(['2023-11:3', '2023-12:0', '2024-01:0', '2024-02:1']);
    expect(monthRange([])).toEqual([]);
    expect(monthRange([m('2024-05')])).toHaveLength(1);
  });
});

describe('niceTop', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 10, 11, 180, 501].map(niceTop)).toEqual([1, 1, 5, 10, 10, 20, 200, 1000]);
  });
});

describe('scoreColour', () => {
  it('is grey for unranked files and grows lighter with the score', () => {
    expect(scoreColour(null)).toBe(NEUTRAL);
    expect(scoreColour(0)).toBe(STOPS[0]!.colour);
    expect(scoreColour(1)).toBe(STOPS[STOPS.length - 1]!.colour);
    expect(scoreColour(7)).toBe(STOPS[STOPS.length - 1]!.colour);
    const l = [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1].map((s) => luminance(scoreColour(s)));
    for (let i = 1; i < l.length; i++) expect(l[i]!).toBeGreaterThan(l[i - 1]!);
  });
});
