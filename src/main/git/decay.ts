// Time decay of history evidence, stored epoch-normalised so that sums stay additive as commits arrive.
//
// A weight w observed at time t counts w * exp(-(ref - t) / tau) at reference time ref. We store
// w * exp((t - EPOCH) / tau) instead: adding new commits is a plain sum, and converting a stored sum to
// "decayed as of ref" is one multiplication by exp((EPOCH - ref) / tau). Ratios of stored sums need no conversion.

/** 2020-09-13: any fixed instant works; one near today's histories keeps the exponents small (|t - E| / tau < 80 for a century). */
export const EPOCH = 1_600_000_000;
const YEAR = 365 * 24 * 3600;

/** Co-change and per-file expertise: evidence loses 1/e of its weight per year. */
export const TAU_HISTORY = YEAR;
/** Who is active in the project now: a shorter memory. */
export const TAU_ACTIVITY = YEAR / 2;

export function stored(t: number, tau: number, w = 1): number {
  return w * Math.exp((t - EPOCH) / tau);
}

/** Factor that turns a stored sum into its value decayed as of `ref`. */
export function toDecayed(ref: number, tau: number): number {
  return Math.exp((EPOCH - ref) / tau);
}
