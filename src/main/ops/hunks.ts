// The hunks of an artifact's diff, grouped exactly as unifiedDiff groups them, and the file content with only some of them applied.
import { MiraError } from '../../shared/errors';
import { diffSeq } from '../apply';

export interface Hunk {
  index: number;
  /** The changed region, without context: lines [a0, a1) of the old text become lines [b0, b1) of the new. */
  a0: number;
  a1: number;
  b0: number;
  b1: number;
  /** As printed in the diff (context included), so the app can match hunks to the diff text. */
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
}

const CONTEXT = 3;

/** Lines as the diff sees them: CRLF read as LF, and a last line without a newline told apart from one with. */
function diffKeys(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const noEol = lines[lines.length - 1] !== '';
  if (!noEol) lines.pop();
  return lines.map((l, i) => (noEol && i === lines.length - 1 ? l + '\u0000' : l));
}

/** Lines with their own terminators, so a partial result keeps each line's ending as it was. */
function rawLines(text: string): string[] {
  return text.split(/(?<=\n)/).filter((s) => s !== '');
}

/** The hunks of before → after, in the order and with the headers `unifiedDiff` prints. */
export function computeHunks(before: string, after: string): Hunk[] {
  const ka = diffKeys(before);
  const kb = diffKeys(after);
  const changes = diffSeq(ka, kb).filter((o) => o.tag !== 'equal');
  const out: Hunk[] = [];
  let i = 0;
  while (i < changes.length) {
    let j = i;
    while (j + 1 < changes.length && changes[j + 1]!.a0 - changes[j]!.a1 <= 2 * CONTEXT) j++;
    const first = changes[i]!;
    const last = changes[j]!;
    const ca0 = Math.max(0, first.a0 - CONTEXT);
    const ca1 = Math.min(ka.length, last.a1 + CONTEXT);
    const cb0 = first.b0 - (first.a0 - ca0);
    const cb1 = last.b1 + (ca1 - last.a1);
    const range = (s: number, n: number): string => (n === 1 ? `${s + 1}` : `${n === 0 ? s : s + 1},${n}`);
    out.push({
      index: out.length,
      a0: first.a0,
      a1: last.a1,
      b0: first.b0,
      b1: last.b1,
      header: `@@ -${range(ca0, ca1 - ca0)} +${range(cb0, cb1 - cb0)} @@`,
      oldStart: ca1 - ca0 === 0 ? ca0 : ca0 + 1,
      oldLines: ca1 - ca0,
      newStart: cb1 - cb0 === 0 ? cb0 : cb0 + 1,
      newLines: cb1 - cb0,
    });
    i = j + 1;
  }
  return out;
}

/** Hunk headers as they appear in a diff's text. */
export function diffHeaders(diff: string): string[] {
  return diff.split('\n').filter((l) => l.startsWith('@@ '));
}

/**
 * The content with only the chosen hunks applied. Refuses when that is not well defined: when the hunks do not line up
 * with the diff shown to the reviewer, or when accepting every hunk would not give the proposed content (a change of
 * line endings, which no hunk carries).
 */
export function partialContent(before: string, after: string, accept: readonly boolean[], shownDiff?: string): string {
  const hunks = computeHunks(before, after);
  if (accept.length !== hunks.length) throw ambiguous(`the review covers ${accept.length} hunks but the change has ${hunks.length}`);
  if (shownDiff !== undefined) {
    const shown = diffHeaders(shownDiff);
    if (shown.length !== hunks.length || shown.some((h, i) => h !== hunks[i]!.header)) throw ambiguous('the hunks no longer line up with the diff that was reviewed');
  }
  if (accept.every(Boolean)) return after;
  if (!accept.some(Boolean)) return before;
  const a = rawLines(before);
  const b = rawLines(after);
  const build = (choose: readonly boolean[]): string => {
    let out = '';
    let pa = 0;
    hunks.forEach((h, i) => {
      out += a.slice(pa, h.a0).join('');
      out += choose[i] ? b.slice(h.b0, h.b1).join('') : a.slice(h.a0, h.a1).join('');
      pa = h.a1;
    });
    return out + a.slice(pa).join('');
  };
  if (build(hunks.map(() => true)) !== after || build(hunks.map(() => false)) !== before) {
    throw ambiguous('the change also touches line endings, which cannot be split by hunk');
  }
  return build(accept);
}

function ambiguous(why: string): MiraError {
  return new MiraError('ambiguous_hunks', `cannot apply only some hunks: ${why}`, 'accept or reject the whole file instead');
}

/** Added and removed line counts of a unified diff. */
export function diffStats(diff: string): { additions: number; deletions: number } {
  let additions = 0;
  let deletions = 0;
  for (const l of diff.split('\n')) {
    if (l.startsWith('+') && !l.startsWith('+++ ')) additions++;
    else if (l.startsWith('-') && !l.startsWith('--- ')) deletions++;
  }
  return { additions, deletions };
}
