// The tool-synthesis metrics of shared/eval/toolsynth_baseline.py, ported line for line (path F1, line F1, exact created set).

/** Python's str.splitlines() boundaries, so line counts agree with the reference scorer. */
const SPLITLINES = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
/** Python's str.strip() whitespace set (str.isspace). */
const PY_WS = '\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const STRIP = new RegExp(`^[${PY_WS}]+|[${PY_WS}]+$`, 'g');

export function pyStrip(s: string): string {
  return s.replace(STRIP, '');
}

export function pySplitLines(text: string): string[] {
  if (!text) return [];
  const parts = text.split(SPLITLINES);
  // splitlines() drops the empty string after a final line break
  if (parts.length && parts[parts.length - 1] === '' && SPLITLINES.test(text.slice(-2))) parts.pop();
  return parts;
}

export type Bag = Map<string, number>;

/** The multiset of non-blank stripped lines. */
export function lineBag(text: string | null | undefined, into: Bag = new Map()): Bag {
  for (const l of pySplitLines(text ?? '')) {
    const s = pyStrip(l);
    if (s) into.set(s, (into.get(s) ?? 0) + 1);
  }
  return into;
}

export function bagSize(b: Bag): number {
  let n = 0;
  for (const v of b.values()) n += v;
  return n;
}

/** F1 of two multisets (0 when nothing matches). */
export function bagF1(pred: Bag, gold: Bag): number {
  let tp = 0;
  for (const [k, v] of pred) tp += Math.min(v, gold.get(k) ?? 0);
  if (!tp) return 0;
  const p = tp / bagSize(pred);
  const r = tp / bagSize(gold);
  return (2 * p * r) / (p + r);
}

export interface PredictedFile {
  path: string;
  action: string;
  content?: string | null;
}

export interface Score {
  created_exact: number;
  path_f1: number;
  line_f1: number;
}

/**
 * Scores predicted files against what a commit did: `created` paths with their gold contents, and the `modified`
 * registry paths. Same definitions as score() in toolsynth_baseline.py.
 */
export function scoreFiles(files: PredictedFile[], created: { path: string; content: string | null }[], modified: string[]): Score {
  const createdPred = new Map<string, string>();
  for (const f of files) if (f.action === 'create') createdPred.set(f.path, f.content ?? '');
  const paths = new Set(files.map((f) => f.path));
  const goldPaths = new Set([...created.map((c) => c.path), ...modified]);
  let tp = 0;
  for (const p of paths) if (goldPaths.has(p)) tp++;
  const pred: Bag = new Map();
  const gold: Bag = new Map();
  for (const c of created) {
    lineBag(c.content, gold);
    if (createdPred.has(c.path)) lineBag(createdPred.get(c.path), pred);
  }
  const lf = pred.size || gold.size ? bagF1(pred, gold) : created.every((c) => createdPred.has(c.path)) ? 1 : 0;
  const createdSet = new Set(created.map((c) => c.path));
  const exact = createdPred.size === createdSet.size && [...createdPred.keys()].every((p) => createdSet.has(p));
  return { created_exact: exact ? 1 : 0, path_f1: tp ? (2 * tp) / (paths.size + goldPaths.size) : 0, line_f1: lf };
}

export function meanScores(scores: Score[]): Score | null {
  if (!scores.length) return null;
  const m = (k: keyof Score) => Math.round((scores.reduce((a, s) => a + s[k], 0) / scores.length) * 10000) / 10000;
  return { created_exact: m('created_exact'), path_f1: m('path_f1'), line_f1: m('line_f1') };
}
