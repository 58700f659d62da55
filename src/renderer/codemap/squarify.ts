// Squarified treemap layout (Bruls, Huizing and van Wijk, 2000): rectangles with areas proportional to sizes, as close to square as it can.
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Placed<T> extends Rect {
  item: T;
}

/**
 * Lays `items` out inside `bounds`, each with an area proportional to `size(item)`. Items of size 0 (or less, or not a
 * number) get no rectangle. The result is in descending size order (ties keep their input order), and the rectangles
 * tile `bounds` exactly: no overlap, no gap, nothing outside.
 */
export function squarify<T>(items: readonly T[], size: (item: T) => number, bounds: Rect): Placed<T>[] {
  const sized = items
    .map((item, i) => ({ item, i, v: size(item) }))
    .filter((s) => Number.isFinite(s.v) && s.v > 0)
    .sort((a, b) => b.v - a.v || a.i - b.i);
  const total = sized.reduce((n, s) => n + s.v, 0);
  if (!sized.length || bounds.w <= 0 || bounds.h <= 0) return [];
  const scale = (bounds.w * bounds.h) / total;
  const areas = sized.map((s) => s.v * scale);
  const out: Placed<T>[] = [];
  let free: Rect = { ...bounds };

  let start = 0;
  while (start < areas.length) {
    const side = Math.min(free.w, free.h);
    // Grow the row while that does not make its worst aspect ratio worse.
    let end = start + 1;
    let rowSum = areas[start]!;
    let best = worst(areas[start]!, areas[start]!, rowSum, side);
    while (end < areas.length) {
      const a = areas[end]!;
      // Sorted descending: the row's largest is its first, its smallest the one being added.
      const next = worst(areas[start]!, a, rowSum + a, side);
      if (next > best) break;
      best = next;
      rowSum += a;
      end++;
    }
    const last = end === areas.length;
    free = placeRow(sized.slice(start, end).map((s) => s.item), areas.slice(start, end), rowSum, free, last, out);
    start = end;
  }
  return out;
}

/** The worst aspect ratio in a row of total area `sum` laid along a side of length `side`. */
function worst(max: number, min: number, sum: number, side: number): number {
  const s2 = sum * sum;
  const w2 = side * side;
  return Math.max((w2 * max) / s2, s2 / (w2 * min));
}

/** Places one row along the shorter side of `free` and returns what is left of it. The last row takes all that is left. */
function placeRow<T>(items: T[], areas: number[], sum: number, free: Rect, last: boolean, out: Placed<T>[]): Rect {
  if (free.w >= free.h) {
    // A column on the left, as wide as the row's area needs.
    const width = last ? free.w : Math.min(free.w, sum / free.h);
    let y = free.y;
    items.forEach((item, k) => {
      const end = k === items.length - 1 ? free.y + free.h : Math.min(free.y + free.h, y + areas[k]! / width);
      out.push({ item, x: free.x, y, w: width, h: end - y });
      y = end;
    });
    return { x: free.x + width, y: free.y, w: free.w - width, h: free.h };
  }
  // A row along the top.
  const height = last ? free.h : Math.min(free.h, sum / free.w);
  let x = free.x;
  items.forEach((item, k) => {
    const end = k === items.length - 1 ? free.x + free.w : Math.min(free.x + free.w, x + areas[k]! / height);
    out.push({ item, x, y: free.y, w: end - x, h: height });
    x = end;
  });
  return { x: free.x, y: free.y + height, w: free.w, h: free.h - height };
}
