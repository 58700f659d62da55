// The hotspot colour scale: dark and cool for files unlikely to need a fix, bright and hot for likely ones; grey for unranked files.
// Colour follows either the chance of a fix itself (absolute) or the file's rank within the project (percentile).
import type { TreemapNode } from '../../shared/api';

export const NEUTRAL = '#4a4d55';

/** What the colour says: the chance of a fix within a year, or the rank among the project's ranked files. */
export type ColourBy = 'absolute' | 'rank';

/** Stops of the scale, from score 0 to score 1; lightness rises with the score so it reads in greyscale and for colour-blind eyes. */
export const STOPS: readonly { at: number; colour: string }[] = [
  { at: 0, colour: '#26324a' },
  { at: 0.25, colour: '#5a3470' },
  { at: 0.5, colour: '#a63d62' },
  { at: 0.75, colour: '#e0683f' },
  { at: 1, colour: '#f8c851' },
];

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function hex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

/** The fill for a hotspot score in [0, 1] (clamped); null (not ranked: tests, docs, no history) is neutral grey. */
export function scoreColour(score: number | null): string {
  if (score === null || !Number.isFinite(score)) return NEUTRAL;
  const s = Math.min(1, Math.max(0, score));
  for (let i = 1; i < STOPS.length; i++) {
    const a = STOPS[i - 1]!;
    const b = STOPS[i]!;
    if (s <= b.at) {
      const t = (s - a.at) / (b.at - a.at);
      const ca = rgb(a.colour);
      const cb = rgb(b.colour);
      return hex([0, 1, 2].map((k) => ca[k]! + (cb[k]! - ca[k]!) * t) as [number, number, number]);
    }
  }
  return STOPS[STOPS.length - 1]!.colour;
}

/** Relative luminance (WCAG) of a #rrggbb colour. */
export function luminance(colour: string): number {
  const [r, g, b] = rgb(colour).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Text colour that stays readable on a fill: dark on the bright end of the scale, light elsewhere. */
export function textOn(fill: string): string {
  return luminance(fill) > 0.28 ? '#15161a' : '#eef0f4';
}

/** A CSS gradient of the whole scale, for the legend. */
export function scaleGradient(): string {
  return `linear-gradient(to right, ${STOPS.map((s) => `${s.colour} ${s.at * 100}%`).join(', ')})`;
}

/** "37%": a score as the chance of a fix within a year. */
export function percent(score: number | null): string {
  if (score === null) return 'not ranked';
  const p = score * 100;
  return `${p > 0 && p < 1 ? '<1' : Math.round(p)}%`;
}

/** A rank's place among `n` ranked files in [0, 1]: 1 for the top hotspot, 0 for the last one (1 when it is the only one). */
export function percentile(rank: number, n: number): number {
  if (!(n > 1)) return 1;
  return Math.min(1, Math.max(0, 1 - (rank - 1) / (n - 1)));
}

/** "top 13%", "bottom 25%": where rank `rank` of `n` falls, in words for tooltips (the half it is in, rounded up). */
export function percentileText(rank: number, n: number): string {
  if (!(n > 1)) return 'the only ranked file';
  if (rank <= n / 2) return `top ${Math.ceil((rank / n) * 100)}%`;
  return `bottom ${Math.ceil(((n - rank + 1) / n) * 100)}%`;
}

/**
 * The colouring that reads better for a set of scores: absolute when the middle 80% of them spans at least 30 points of
 * the scale (the colours then differ), else rank, so a project whose scores all sit close together (all low, say) does
 * not come out one flat colour.
 */
export function autoColourBy(scores: readonly number[]): ColourBy {
  if (scores.length < 2) return 'absolute';
  const s = [...scores].sort((a, b) => a - b);
  const q = (f: number) => s[Math.min(s.length - 1, Math.max(0, Math.round(f * (s.length - 1))))]!;
  return q(0.9) - q(0.1) >= 0.3 ? 'absolute' : 'rank';
}

const bestRanks = new WeakMap<TreemapNode, number | null>();
/** The best (lowest) rank of a file under a node, null when none is ranked. */
export function bestRank(n: TreemapNode): number | null {
  if (!n.children) return n.rank ?? null;
  let r = bestRanks.get(n);
  if (r !== undefined) return r;
  r = null;
  for (const c of n.children) {
    const x = bestRank(c);
    if (x !== null && (r === null || x < r)) r = x;
  }
  bestRanks.set(n, r);
  return r;
}

/** The fill of a node: its score (a folder: its top file's) on the scale, or its rank's percentile among `ranked` files. */
export function nodeColour(n: TreemapNode, by: ColourBy, ranked: number): string {
  if (by === 'absolute' || n.score === null) return scoreColour(n.score);
  const r = bestRank(n);
  return r === null ? scoreColour(n.score) : scoreColour(percentile(r, ranked));
}
