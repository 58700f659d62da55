// Trend chart data: quiet months filled in, round axis tops; and the hotspot colour scale's ends.
import { describe, expect, it } from 'vitest';
import { luminance, NEUTRAL, scoreColour, STOPS } from './colour';
import { axisLabelIndices, fixMarks, monthRange, niceTop } from './trend-data';

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

describe('axisLabelIndices', () => {
  it('never lets two labels overlap, keeps the first and the last, for any width', () => {
    for (const count of [1, 2, 3, 7, 12, 60, 176, 181, 600])
      for (const step of [0.7, 1.3, 2.9, 4, 9.5, 17, 33, 80]) {
        const picked = axisLabelIndices(count, step, 46, 8);
        expect(picked[0]).toBe(0);
        for (let i = 1; i < picked.length; i++) expect((picked[i]! - picked[i - 1]!) * step).toBeGreaterThanOrEqual(46 + 8 - 1e-9);
        // The last month is labelled whenever two labels fit at all.
        if ((count - 1) * step >= 54) expect(picked[picked.length - 1]).toBe(count - 1);
      }
  });

  it('labels every month when there is room, and none for no months', () => {
    expect(axisLabelIndices(5, 80, 46)).toEqual([0, 1, 2, 3, 4]);
    expect(axisLabelIndices(0, 10, 46)).toEqual([]);
    // 2011-10 to 2026-06 on a 700 px chart: the last label takes the place of one that would touch it.
    const picked = axisLabelIndices(177, 700 / 177, 46);
    expect(picked.at(-1)).toBe(176);
    expect(picked.at(-2)).toBeLessThanOrEqual(176 - Math.ceil(54 / (700 / 177)));
  });
});

describe('fixMarks', () => {
  const months = Array.from({ length: 40 }, (_, i) => ({ month: `m${i}`, commits: 1, added: 1, deleted: 0, fixes: [0, 1, 2, 3, 30, 31, 39].includes(i) ? 1 + (i % 2) : 0 }));

  it('gathers fixes into markers at least minPx apart, with every fix counted once', () => {
    for (const step of [1, 3, 5, 9, 18, 40]) {
      const marks = fixMarks(months, step, 18);
      expect(marks.reduce((n, m) => n + m.fixes, 0)).toBe(months.reduce((n, m) => n + m.fixes, 0));
      for (let i = 1; i < marks.length; i++) expect((marks[i]!.at - marks[i - 1]!.at) * step).toBeGreaterThanOrEqual(18);
      for (const m of marks) expect(m.from).toBeLessThanOrEqual(m.to);
    }
  });

  it('one marker per month with a fix when months are wide', () => {
    expect(fixMarks(months, 20).map((m) => [m.from, m.fixes])).toEqual([
      [0, 1],
      [1, 2],
      [2, 1],
      [3, 2],
      [30, 1],
      [31, 2],
      [39, 2],
    ]);
    // Narrow months: the first four months' six fixes become one marker.
    expect(fixMarks(months, 4.5, 18)[0]).toEqual({ from: 0, to: 3, at: 1.5, fixes: 6 });
  });
});
