// The hotspot colour scale: dark and cool for files unlikely to need a fix, bright and hot for likely ones; grey for unranked files.
export const NEUTRAL = '#4a4d55';

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
