// Edit parsing for the apply engine: format detection, search/replace blocks, unified-diff hunks, elision markers.

import { isBlank } from './lines';

export type EditFormat = 'search-replace' | 'udiff' | 'whole';

const SR_HEAD = /^\s*<{5,9}\s*(SEARCH|ORIGINAL)\b.*$/;
const SR_MID = /^\s*={5,9}\s*$/;
const SR_TAIL = /^\s*>{5,9}\s*(REPLACE|UPDATED|UPDATE)?\b.*$/;
const FENCE = /^\s*(```|~~~)/;
const HUNK_HEAD = /^@@\s*(?:-(\d+)(?:,(\d+))?\s+\+(\d+)(?:,(\d+))?)?\s*@@/;

export function detectFormat(lines: readonly string[]): EditFormat {
  // any SEARCH header makes it search/replace, so a malformed block is refused by the parser instead of being
  // written out as a whole file
  if (lines.some((l) => SR_HEAD.test(l))) return 'search-replace';
  // A hunk header followed by at least one diff body line; a stray '@@' in a whole file is not enough.
  for (let i = 0; i < lines.length; i++) {
    if (HUNK_HEAD.test(lines[i]!)) {
      const next = lines[i + 1];
      if (next !== undefined && /^[ +\-\\]/.test(next)) return 'udiff';
    }
  }
  return 'whole';
}

export interface SrBlock {
  search: string[];
  replace: string[];
  /** The path line written before the block, when there is one. */
  pathLine: string | null;
  /** 1-based line of the block's SEARCH marker in the edit, for messages. */
  at: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** Search/replace blocks in order; path lines and fences around them are noted or skipped. */
export function parseSearchReplace(lines: readonly string[]): Parsed<SrBlock[]> {
  const blocks: SrBlock[] = [];
  let i = 0;
  let lastText: string | null = null;
  while (i < lines.length) {
    const l = lines[i]!;
    if (SR_HEAD.test(l)) {
      const at = i + 1;
      const search: string[] = [];
      const replace: string[] = [];
      i++;
      while (i < lines.length && !SR_MID.test(lines[i]!)) {
        if (SR_HEAD.test(lines[i]!) || SR_TAIL.test(lines[i]!))
          return { ok: false, code: 'parse_error', message: `search block at edit line ${at} has no ======= divider` };
        search.push(lines[i]!);
        i++;
      }
      if (i >= lines.length)
        return { ok: false, code: 'parse_error', message: `search block at edit line ${at} is not closed` };
      i++;
      while (i < lines.length && !SR_TAIL.test(lines[i]!)) {
        if (SR_HEAD.test(lines[i]!) || SR_MID.test(lines[i]!))
          return { ok: false, code: 'parse_error', message: `replace part of block at edit line ${at} is not closed` };
        replace.push(lines[i]!);
        i++;
      }
      if (i >= lines.length)
        return { ok: false, code: 'parse_error', message: `block at edit line ${at} has no >>>>>>> REPLACE line` };
      i++;
      blocks.push({ search, replace, pathLine: lastText, at });
      lastText = null;
      continue;
    }
    if (!FENCE.test(l) && !isBlank(l)) lastText = l.trim();
    i++;
  }
  if (!blocks.length) return { ok: false, code: 'parse_error', message: 'no search/replace block found' };
  return { ok: true, value: blocks };
}

export interface Hunk {
  /** old side: context and removed lines; new side: context and added lines */
  old: string[];
  new: string[];
  /** 1-based start line on the old side as the header states it, or null for a bare `@@ @@` */
  oldStart: number | null;
  /** whether the header's counts agree with the body (evidence the numbers were written with care) */
  countsAgree: boolean;
  /** `\ No newline at end of file` after the last old / new line */
  oldNoEol: boolean;
  newNoEol: boolean;
  /** the header's file path (+++ side), when there is one */
  path: string | null;
  at: number;
}

/** Hunks of a unified diff, in order. File headers are recognised only where a hunk cannot be running, so a removed
 * line that starts with `-- ` is not mistaken for a `---` header. */
export function parseUdiff(lines: readonly string[]): Parsed<Hunk[]> {
  const hunks: Hunk[] = [];
  type Open = Hunk & { oldCount: number | null; newCount: number | null; last: ' ' | '-' | '+' | null; trailingBare: number };
  let cur: Open | null = null;
  let path: string | null = null;
  const finish = (): void => {
    if (!cur) return;
    // Trailing empty lines after a hunk are usually the gap before the next file or the end of the answer, not
    // blank context with its leading space lost: drop them unless the header's counts say they belong.
    while (cur.old.length && cur.new.length && cur.old[cur.old.length - 1] === '' && cur.new[cur.new.length - 1] === '' &&
      cur.trailingBare > 0 && !(cur.oldCount !== null && cur.oldCount === cur.old.length)) {
      cur.old.pop();
      cur.new.pop();
      cur.trailingBare--;
    }
    cur.countsAgree = cur.oldCount !== null && cur.oldCount === cur.old.length && cur.newCount === cur.new.length;
    if (cur.old.length || cur.new.length) {
      const { oldCount: _a, newCount: _b, last: _c, trailingBare: _d, ...h } = cur;
      hunks.push(h);
    }
    cur = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const m = HUNK_HEAD.exec(l);
    if (m) {
      finish();
      cur = {
        old: [], new: [], oldStart: m[1] !== undefined ? Number(m[1]) : null, countsAgree: false,
        oldNoEol: false, newNoEol: false, path, at: i + 1,
        oldCount: m[1] !== undefined ? (m[2] !== undefined ? Number(m[2]) : 1) : null,
        newCount: m[3] !== undefined ? (m[4] !== undefined ? Number(m[4]) : 1) : null,
        last: null, trailingBare: 0,
      };
      continue;
    }
    const isHeader = l.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ');
    if (isHeader && (!cur || !bodyContinues(lines, i + 2))) {
      finish();
      path = stripDiffPath((lines[i + 1] ?? '').slice(4));
      i++;
      continue;
    }
    if (!cur) continue;
    // only a fence at column 0 closes the diff: a body line always starts with ' ', '+' or '-'
    if (/^(```|~~~)/.test(l)) {
      finish();
      continue;
    }
    if (/^(diff --git |index [0-9a-f]+\.\.|new file mode|deleted file mode|similarity index|rename (from|to) )/.test(l)) {
      finish();
      continue;
    }
    if (l.startsWith('\\')) {
      if (cur.last === '-') cur.oldNoEol = true;
      else if (cur.last === '+') cur.newNoEol = true;
      else if (cur.last === ' ') {
        cur.oldNoEol = true;
        cur.newNoEol = true;
      }
      continue;
    }
    const tag = l[0];
    if (tag === '-') {
      cur.old.push(l.slice(1));
      cur.last = '-';
      cur.trailingBare = 0;
    } else if (tag === '+') {
      cur.new.push(l.slice(1));
      cur.last = '+';
      cur.trailingBare = 0;
    } else if (tag === ' ') {
      cur.old.push(l.slice(1));
      cur.new.push(l.slice(1));
      cur.last = ' ';
      cur.trailingBare = 0;
    } else if (l === '') {
      // blank context line whose leading space was stripped (editors and models both do this)
      cur.old.push('');
      cur.new.push('');
      cur.last = ' ';
      cur.trailingBare++;
    } else {
      return { ok: false, code: 'parse_error', message: `diff line ${i + 1} is not a context, '-' or '+' line: ${JSON.stringify(l.slice(0, 60))}` };
    }
  }
  finish();
  if (!hunks.length) return { ok: false, code: 'parse_error', message: 'no diff hunk found' };
  return { ok: true, value: hunks };
}

/** Whether hunk body lines follow position i (so a `---`/`+++` pair there would be content, not a header). */
function bodyContinues(lines: readonly string[], i: number): boolean {
  const l = lines[i];
  return l !== undefined && !HUNK_HEAD.test(l) && /^[ +\-]/.test(l) && !l.startsWith('--- ');
}

function stripDiffPath(p: string): string | null {
  const t = p.replace(/\t.*$/, '').trim();
  if (!t || t === '/dev/null') return null;
  return t.replace(/^[ab]\//, '');
}

/**
 * Whether a line is an elision marker: a line standing for "the lines that are already there". Models write them as
 * a bare `...`, or a comment that is only an ellipsis or is wrapped in ellipses (`// ...`, `# ... existing code ...`,
 * `/* ... *\/`, `<!-- ... -->`, `{/* ... *\/}`), or a comment that says so in words, with or without a leading
 * ellipsis (`// ... rest of the code`, `// (unchanged)`, `// existing code here`). A comment that merely starts
 * with an ellipsis (`// ... implies`, `# ... see the docs`) is prose, not a marker. Callers still check that the
 * line is not the file's own line.
 */
export function isElision(line: string, opts: { words?: boolean; bare?: boolean } = {}): boolean {
  const t = line.trim();
  if (t === '...' || t === '…' || t === '[...]' || t === '(...)') return opts.bare !== false;
  const m = /^(?:\/\/+|#+|--|;+|\/\*+|\{\s*\/\*+|<!--|%+|"{3})\s*(.*?)\s*(?:\*+\/\s*\}?|-->|"{3})?$/.exec(t);
  if (!m) return false;
  const body = (m[1] ?? '').replace(/^[*\s]+|[*\s]+$/g, '');
  if (body === '') return false;
  const ell = /^(?:\.{3}|…)/;
  if (/^(?:\.{3}|…|\[(?:\.{3}|…)\]|\((?:\.{3}|…)\))$/.test(body)) return true;
  if (ell.test(body) && /(?:\.{3}|…)$/.test(body) && body.length <= 80) return true;
  // Word-only markers (no ellipsis) are accepted only where asked (whole files): inside a search block a comment
  // such as `// rest of the tests` is far more likely the file's own text.
  if (opts.words === false && !ell.test(body)) return false;
  const words = body.replace(ell, '').replace(/(?:\.{3}|…)$/, '').trim();
  // (a bare `...` line is code in Python, so callers say when it may be a marker: `bare: false` where not)
  return words.length > 0 && ELISION_WORDS.some((re) => re.test(words));
}

// Whole comment texts that mean "unchanged lines go here"; anchored so an ordinary comment that merely mentions
// existing code is not taken for a marker.
const ELISION_WORDS: RegExp[] = [
  /^\(?\s*(?:unchanged|no changes?|same as (?:before|above|original)|omitted|elided|snip(?:ped)?|truncated)\s*\)?[.:]?$/i,
  /^\(?\s*(?:the\s+)?(?:rest|remainder)\s+(?:of\s+(?:the\s+)?(?:code|file|function|class|module|method|methods|implementation|body|component|tests?|imports?|config|object|struct|impl|enum|list|array|items?|cases?|fields?|properties|props|definitions?|exports?|routes?|handlers?)\s*)?(?:(?:is|are|remains?|stays?|left)\s+)?(?:unchanged|the same|as[- ]is|as before|untouched|omitted|here|below|\.{3}|…)?\s*\)?[.:]?$/i,
  /^\(?\s*(?:keep\s+|keeping\s+)?(?:all\s+)?(?:the\s+)?(?:existing|previous|original|other|remaining|unchanged|same)\s+(?:\w+\s+){0,2}?(?:code|lines?|content|implementation|logic|body|methods?|functions?|imports?|tests?|cases?|fields?|properties|props|definitions?|exports?|routes?|handlers?|options?|entries|items?|members?|declarations?|statements?|components?)(?:\s+(?:is|are|remains?|stays?|goes|go|left))?(?:\s+(?:unchanged|the same|as[- ]is|as before|here|untouched|omitted|below|above|\.{3}|…))*\s*\)?[.:]?$/i,
];

/** Whether a bare `...` line may be an elision marker in this file: only in code where it cannot be a line of its
 * own (so not Python, whose Ellipsis it is, nor prose, YAML or unknown files), and not where the file already has
 * such lines. */
export function bareEllipsisIsMarker(path: string, fileLines: readonly string[]): boolean {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  if (!BARE_ELLIPSIS_CODE.has(ext)) return false;
  return !fileLines.some((l) => { const t = l.trim(); return t === '...' || t === '…'; });
}

const BARE_ELLIPSIS_CODE = new Set(('js mjs cjs jsx ts tsx mts cts rs go java kt kts scala swift c h cc cpp cxx hpp hh cs ' +
  'php rb sh bash zsh lua dart vue svelte css scss less html htm xml json jsonc toml sql ex exs erl hs ml clj r jl ' +
  'pl pm m mm zig nim tf gradle groovy proto graphql').split(' '));
