import { describe, expect, it } from 'vitest';
import { limitLabelPlacement } from './components/SpendChart';

describe('limitLabelPlacement', () => {
  const days = (costs: number[]) => costs.map((cost_usd) => ({ cost_usd }));

  it("puts the limit label away from today's tall bar, inside the chart", () => {
    // the UX audit: 29 empty days, then today at $0.04 over a $0.01 limit; the label sat on today's bar at the right edge
    const at = limitLabelPlacement(days([...Array(29).fill(0), 0.04]), 80, 44, 372);
    expect(at).toEqual({ x: 47, y: 76, anchor: 'start' });
  });

  it('goes right when the early days are the tall ones, and below the line near the top', () => {
    expect(limitLabelPlacement(days([0.05, 0.04, 0, 0, 0, 0]), 8, 44, 372)).toEqual({ x: 369, y: 19, anchor: 'end' });
  });
});
