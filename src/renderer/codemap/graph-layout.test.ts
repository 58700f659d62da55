// The domain graph layout: deterministic, inside the box, circles apart, linked domains closer than unlinked ones.
import { describe, expect, it } from 'vitest';
import { layoutGraph, placeLabels, seeded, type GraphEdge, type GraphNode, type LabelBox } from './graph-layout';

const nodes: GraphNode[] = [
  { id: 1, size: 40 },
  { id: 2, size: 12 },
  { id: 3, size: 7 },
  { id: 4, size: 3 },
  { id: 5, size: 20 },
  { id: 6, size: 1 },
];
const edges: GraphEdge[] = [
  { from: 1, to: 2, weight: 9 },
  { from: 2, to: 3, weight: 4 },
  { from: 1, to: 5, weight: 6 },
  { from: 3, to: 4, weight: 1 },
];
const box = { width: 640, height: 260 };

describe('layoutGraph', () => {
  it('gives the same positions for the same graph, whatever the input order', () => {
    const a = layoutGraph(nodes, edges, box);
    const b = layoutGraph(nodes, edges, box);
    const c = layoutGraph([...nodes].reverse(), [...edges].reverse(), box);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(a.map((p) => p.id)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const p of a) expect(Number.isFinite(p.x) && Number.isFinite(p.y) && Number.isFinite(p.r)).toBe(true);
  });

  it('keeps circles inside the box and apart from each other; bigger domains get bigger circles', () => {
    const ps = layoutGraph(nodes, edges, box);
    for (const p of ps) {
      expect(p.x - p.r).toBeGreaterThanOrEqual(0);
      expect(p.y - p.r).toBeGreaterThanOrEqual(0);
      expect(p.x + p.r).toBeLessThanOrEqual(box.width);
      expect(p.y + p.r).toBeLessThanOrEqual(box.height);
    }
    for (let i = 0; i < ps.length; i++)
      for (let j = i + 1; j < ps.length; j++) expect(Math.hypot(ps[i]!.x - ps[j]!.x, ps[i]!.y - ps[j]!.y)).toBeGreaterThan(ps[i]!.r + ps[j]!.r);
    const r = new Map(ps.map((p) => [p.id, p.r]));
    expect(r.get(1)!).toBeGreaterThan(r.get(2)!);
    expect(r.get(2)!).toBeGreaterThan(r.get(6)!);
  });

  it('keeps room for the labels under the circles', () => {
    for (const p of layoutGraph(nodes, edges, { ...box, labelRoom: 16 })) expect(p.y + p.r + 16).toBeLessThanOrEqual(box.height);
  });

  it('draws linked domains closer together than unlinked ones', () => {
    const ps = layoutGraph(nodes, edges, { width: 600, height: 600 });
    const at = new Map(ps.map((p) => [p.id, p]));
    const dist = (a: number, b: number) => Math.hypot(at.get(a)!.x - at.get(b)!.x, at.get(a)!.y - at.get(b)!.y);
    const linked = edges.map((e) => dist(e.from, e.to));
    const unlinked: number[] = [];
    for (const a of nodes) for (const b of nodes) if (a.id < b.id && !edges.some((e) => (e.from === a.id && e.to === b.id) || (e.from === b.id && e.to === a.id))) unlinked.push(dist(a.id, b.id));
    const mean = (xs: number[]) => xs.reduce((n, x) => n + x, 0) / xs.length;
    expect(mean(linked)).toBeLessThan(mean(unlinked));
  });

  it('centres a single domain and handles empty input, unknown ids and self links', () => {
    expect(layoutGraph([{ id: 7, size: 3 }], [{ from: 7, to: 7, weight: 2 }, { from: 7, to: 99, weight: 1 }], box)).toEqual([{ id: 7, x: 320, y: 130, r: expect.any(Number) }]);
    expect(layoutGraph([], [], box)).toEqual([]);
    expect(layoutGraph(nodes, edges, { width: 0, height: 100 })).toEqual([]);
  });

  it('the seed changes the picture only slightly and deterministically', () => {
    expect(seeded(3)()).toBe(seeded(3)());
    expect(layoutGraph(nodes, edges, { ...box, seed: 2 })).toEqual(layoutGraph(nodes, edges, { ...box, seed: 2 }));
  });
});

describe('placeLabels', () => {
  const measure = (t: string) => t.length * 7;
  const view = { width: 160, height: 200 };

  it('keeps every label inside the view, sliding it off the edges', () => {
    const ls = placeLabels(
      [
        { id: 1, x: 20, y: 100, r: 18, text: 'application (logging)' },
        { id: 2, x: 140, y: 60, r: 20, text: 'express (events)' },
      ],
      view,
      measure,
    );
    for (const l of ls) {
      expect(l.x - l.w / 2).toBeGreaterThanOrEqual(0);
      expect(l.x + l.w / 2).toBeLessThanOrEqual(view.width);
      expect(l.y - 13).toBeGreaterThanOrEqual(0);
      expect(l.y).toBeLessThanOrEqual(view.height);
    }
    expect(ls.map((l) => l.text)).toEqual(['application (logging)', 'express (events)']);
  });

  it('shortens a label wider than the view, with an ellipsis', () => {
    const [l] = placeLabels([{ id: 1, x: 50, y: 50, r: 10, text: 'a very long domain name (with concept)' }], { width: 100, height: 100 }, measure);
    expect(l!.text.endsWith('…')).toBe(true);
    expect(l!.w).toBeLessThanOrEqual(96);
  });

  it('moves a label that would cover another one', () => {
    const ls = placeLabels(
      [
        { id: 1, x: 60, y: 80, r: 20, text: 'first domain' },
        { id: 2, x: 90, y: 80, r: 10, text: 'second one' },
      ],
      view,
      measure,
    );
    const [a, b] = ls as [LabelBox, LabelBox];
    const overlapX = Math.abs(a.x - b.x) < (a.w + b.w) / 2;
    const overlapY = Math.abs(a.y - b.y) < 13;
    expect(overlapX && overlapY).toBe(false);
  });
});

describe('placeLabels and circles', () => {
  it('moves a label off another domain’s circle when there is room', () => {
    const ls = placeLabels(
      [
        { id: 1, x: 100, y: 60, r: 30, text: 'payment_processing' },
        { id: 2, x: 60, y: 110, r: 25, text: 'notification' },
      ],
      { width: 200, height: 200 },
      (t) => t.length * 7,
    );
    const a = ls.find((l) => l.id === 1)!;
    // Under circle 1 it would run over circle 2, so it goes above circle 1.
    expect(a.y).toBeLessThan(60 - 30);
  });
});
