// A deterministic force layout for the domain graph: the same domains and links always land in the same places.
export interface GraphNode {
  id: number;
  /** Drives the circle's area (the domain's file count). */
  size: number;
}

export interface GraphEdge {
  from: number;
  to: number;
  weight: number;
}

export interface NodePosition {
  id: number;
  x: number;
  y: number;
  r: number;
}

export interface GraphLayoutOptions {
  width: number;
  height: number;
  iterations?: number;
  seed?: number;
  /** Room kept free around every circle (for its label). */
  margin?: number;
  /** Room kept free below every circle for its label, inside the box. */
  labelRoom?: number;
  minRadius?: number;
  maxRadius?: number;
}

/** A small seeded generator (mulberry32): the layout's only randomness, so equal inputs give equal pictures. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fruchterman–Reingold from a circle (nodes in id order, slightly jittered by the seed): edges pull by their weight,
 * all nodes push apart, a weak gravity keeps unlinked domains near the middle. The result is scaled into the box, and
 * overlapping circles are then pushed apart. Node and edge order in the input do not matter.
 */
export function layoutGraph(nodesIn: readonly GraphNode[], edgesIn: readonly GraphEdge[], opts: GraphLayoutOptions): NodePosition[] {
  const { width, height } = opts;
  const iterations = opts.iterations ?? 300;
  const margin = opts.margin ?? 24;
  const nodes = [...nodesIn].sort((a, b) => a.id - b.id);
  const n = nodes.length;
  if (!n || width <= 0 || height <= 0) return [];
  const maxSize = Math.max(1, ...nodes.map((d) => d.size));
  const maxR = opts.maxRadius ?? Math.min(44, Math.max(8, Math.min(width, height) / Math.max(5, Math.sqrt(n) * 2.5)));
  const minR = Math.min(opts.minRadius ?? 7, maxR);
  const radius = nodes.map((d) => minR + (maxR - minR) * Math.sqrt(Math.max(0, d.size) / maxSize));
  const index = new Map(nodes.map((d, i) => [d.id, i]));
  const maxW = Math.max(0, ...edgesIn.map((e) => e.weight));
  const edges = [...edgesIn]
    .filter((e) => index.has(e.from) && index.has(e.to) && e.from !== e.to && e.weight > 0)
    .sort((a, b) => a.from - b.from || a.to - b.to)
    .map((e) => ({ a: index.get(e.from)!, b: index.get(e.to)!, w: maxW > 0 ? e.weight / maxW : 0 }));

  // Work in a unit square, then fit it to the box.
  const rand = seeded(opts.seed ?? 1);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const angle = (2 * Math.PI * i) / n;
    x[i] = n === 1 ? 0 : Math.cos(angle) * 0.5 + (rand() - 0.5) * 0.02;
    y[i] = n === 1 ? 0 : Math.sin(angle) * 0.5 + (rand() - 0.5) * 0.02;
  }
  const k = Math.sqrt(1 / n);
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  const add = (arr: Float64Array, i: number, v: number) => {
    arr[i] = arr[i]! + v;
  };
  for (let it = 0; it < iterations && n > 1; it++) {
    const temp = 0.1 * (1 - it / iterations) + 0.002;
    dx.fill(0);
    dy.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let ex = x[i]! - x[j]!;
        let ey = y[i]! - y[j]!;
        let d = Math.hypot(ex, ey);
        if (d < 1e-6) {
          // Coincident points: separate them along a fixed direction (no randomness here).
          ex = 1e-3 * (i - j);
          ey = 1e-3;
          d = Math.hypot(ex, ey);
        }
        const f = (k * k) / d;
        add(dx, i, (ex / d) * f);
        add(dy, i, (ey / d) * f);
        add(dx, j, -((ex / d) * f));
        add(dy, j, -((ey / d) * f));
      }
    }
    for (const e of edges) {
      const ex = x[e.a]! - x[e.b]!;
      const ey = y[e.a]! - y[e.b]!;
      const d = Math.max(1e-6, Math.hypot(ex, ey));
      const f = ((d * d) / k) * (0.3 + 0.7 * e.w);
      add(dx, e.a, -((ex / d) * f));
      add(dy, e.a, -((ey / d) * f));
      add(dx, e.b, (ex / d) * f);
      add(dy, e.b, (ey / d) * f);
    }
    for (let i = 0; i < n; i++) {
      add(dx, i, -(x[i]! * k * 0.8));
      add(dy, i, -(y[i]! * k * 0.8));
      const d = Math.hypot(dx[i]!, dy[i]!);
      if (d > 0) {
        const step = Math.min(d, temp);
        add(x, i, (dx[i]! / d) * step);
        add(y, i, (dy[i]! / d) * step);
      }
    }
  }

  // Fit into the box with one scale for both axes (a stretched picture would misstate the distances), centred, and no
  // more spread out than a few circle widths per unit of layout, so two or three domains are not flung into the corners.
  const pad = margin + maxR;
  const minX = Math.min(...x);
  const maxX = Math.max(...x);
  const minY = Math.min(...y);
  const maxY = Math.max(...y);
  const spanX = maxX - minX;
  const spanY = maxY - minY;
  const fits = [spanX > 1e-9 ? Math.max(0, width - 2 * pad) / spanX : Infinity, spanY > 1e-9 ? Math.max(0, height - 2 * pad) / spanY : Infinity];
  const scale = Math.min(...fits, ((4 * maxR + 120) * Math.sqrt(n)) / 1.5);
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const out: NodePosition[] = nodes.map((d, i) => ({
    id: d.id,
    x: width / 2 + (x[i]! - cx) * (Number.isFinite(scale) ? scale : 0),
    y: height / 2 + (y[i]! - cy) * (Number.isFinite(scale) ? scale : 0),
    r: radius[i]!,
  }));
  separate(out, width, height, margin, opts.labelRoom ?? 0);
  return out;
}

/** Pushes overlapping circles apart (a few passes, in a fixed order) and keeps them inside the box. */
function separate(ps: NodePosition[], width: number, height: number, margin: number, labelRoom: number): void {
  const gap = Math.min(12, margin / 2);
  for (let pass = 0; pass < 60; pass++) {
    let moved = false;
    for (let i = 0; i < ps.length; i++) {
      for (let j = i + 1; j < ps.length; j++) {
        const a = ps[i]!;
        const b = ps[j]!;
        let ex = b.x - a.x;
        let ey = b.y - a.y;
        let d = Math.hypot(ex, ey);
        const need = a.r + b.r + gap + labelRoom / 2;
        if (d >= need) continue;
        if (d < 1e-6) {
          ex = 1;
          ey = 0;
          d = 1;
        }
        const push = (need - d) / 2;
        a.x -= (ex / d) * push;
        a.y -= (ey / d) * push;
        b.x += (ex / d) * push;
        b.y += (ey / d) * push;
        moved = true;
      }
    }
    for (const p of ps) {
      p.x = Math.min(Math.max(p.x, p.r + 2), width - p.r - 2);
      p.y = Math.max(p.r + 2, Math.min(p.y, height - p.r - 2 - labelRoom));
    }
    if (!moved) break;
  }
}

export interface LabelBox {
  id: number;
  /** The label's centre and baseline. */
  x: number;
  y: number;
  /** Its width, shortened to fit the view when it had to be (`text` then ends with an ellipsis). */
  w: number;
  text: string;
}

/**
 * Where each circle's label goes, inside a width × height view: under its circle, slid sideways so it does not run off
 * either edge, cut short with an ellipsis when wider than the view, and moved above the circle (or further down) when it
 * would cover a label placed before it or another circle. `measure` gives a text's width in pixels; `lineH` is a label line's height.
 */
export function placeLabels(
  nodes: readonly (NodePosition & { text: string })[],
  view: { width: number; height: number },
  measure: (text: string) => number,
  lineH = 13,
  pad = 2,
): LabelBox[] {
  const room = Math.max(0, view.width - 2 * pad);
  const fit = (text: string): [string, number] => {
    let w = measure(text);
    if (w <= room) return [text, w];
    let t = text;
    while (t.length > 1 && w > room) {
      t = t.slice(0, -1);
      w = measure(`${t}…`);
    }
    return [`${t}…`, w];
  };
  const out: LabelBox[] = [];
  // A label's box spans [y - lineH + 3, y + 3] around its baseline y.
  const onLabel = (x: number, y: number, w: number) => out.some((o) => Math.abs(o.x - x) < (o.w + w) / 2 + 4 && Math.abs(o.y - y) < lineH);
  const onCircle = (self: number, x: number, y: number, w: number) =>
    nodes.some((c) => c.id !== self && Math.abs(c.x - x) < c.r + w / 2 && c.y + c.r > y - lineH + 3 && c.y - c.r < y + 3);
  for (const n of [...nodes].sort((a, b) => b.r - a.r || a.id - b.id)) {
    const [text, w] = fit(n.text);
    const x = Math.min(Math.max(n.x, pad + w / 2), view.width - pad - w / 2);
    const below = n.y + n.r + lineH - 1;
    const above = n.y - n.r - 4;
    const tries = [below, above, below + lineH, above - lineH, below + 2 * lineH].filter((y) => y - lineH + 3 >= 0 && y + 3 <= view.height);
    // Clear of other labels and circles if it can be, else at least of other labels.
    const y =
      tries.find((t) => !onLabel(x, t, w) && !onCircle(n.id, x, t, w)) ?? tries.find((t) => !onLabel(x, t, w)) ?? tries[0] ?? Math.min(Math.max(below, lineH), view.height - 3);
    out.push({ id: n.id, x, y, w, text });
  }
  return out.sort((a, b) => a.id - b.id);
}
