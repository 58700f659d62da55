// applyEdit: applies a search/replace, unified-diff or whole-file edit to a file's text, or refuses with a reason.

import { diffSeq, unifiedDiff } from './diff';
import { markerLines, resolveElisions } from './elide';
import { editLines, isBlank, joinDoc, newLines, parseDoc, type Line } from './lines';
import {
  RUNGS, FileIndex, buildReplacement, closestCandidates, findMatches, indentKey, reindent,
  type Candidate, type Match, type Rung,
} from './match';
import { placeSymbol } from './symbol';
import { bareEllipsisIsMarker, detectFormat, isElision, parseSearchReplace, parseUdiff, type EditFormat, type Hunk } from './parse';

export type { EditFormat } from './parse';

export interface ApplyError {
  code: string;
  message: string;
  candidates?: Candidate[];
}

export type ApplyResult =
  | { applied: true; format: EditFormat; strategy: string; content: string; diff: string }
  | { applied: false; format: EditFormat | null; error: ApplyError };

export interface ApplyOptions {
  /** the file's path in its repository: names the diff, and lets path lines of multi-file edits be told apart */
  path: string;
  format?: EditFormat;
}

/** Strategies from the most to the least strict; an edit's strategy is the loosest one any of its parts needed. */
const STRATEGY_ORDER = ['exact', 'trailing-whitespace', 'relative-indent', 'blank-lines', 'elision', 'line-hint'];
// (whole-file edits report 'whole', 'whole-elided' or 'symbol': a bare snippet placed over the one declaration it rewrites)

type Step = { ok: true; lines: Line[]; strategy: string; start: number; end: number } | { ok: false; error: ApplyError };

class Refusal {
  constructor(readonly error: ApplyError) {}
}

export function applyEdit(before: string, edit: string, opts: ApplyOptions): ApplyResult {
  const el = editLines(edit);
  const format = opts.format ?? detectFormat(el);
  const doc = parseDoc(before);
  try {
    let lines: Line[];
    let strategy: string;
    let finalNewline = before === '' ? true : doc.finalNewline;
    if (format === 'search-replace') {
      const parsed = parseSearchReplace(el);
      if (!parsed.ok) return refuse(format, parsed.code, parsed.message);
      const blocks = forThisFile(parsed.value, (b) => b.pathLine, opts.path);
      lines = doc.lines;
      const used: string[] = [];
      const bare = bareEllipsisIsMarker(opts.path, doc.lines.map((l) => l.text));
      for (const b of blocks) {
        const st = applyBlock(lines, b.search, b.replace, { hint: null, elision: true, bare });
        if (!st.ok) return { applied: false, format, error: withBlock(st.error, b.at, blocks.length) };
        lines = st.lines;
        used.push(st.strategy);
      }
      strategy = loosest(used);
    } else if (format === 'udiff') {
      const parsed = parseUdiff(el);
      if (!parsed.ok) return refuse(format, parsed.code, parsed.message);
      const hunks = forThisFile(parsed.value, (h) => h.path, opts.path);
      const r = applyHunks(doc.lines, hunks, finalNewline);
      lines = r.lines;
      finalNewline = r.finalNewline;
      strategy = 'hunk-' + r.strategy;
    } else {
      const w = unwrapWhole(el, opts.path, doc.lines);
      const text = doc.lines.map((l) => l.text);
      const markers = markerLines(text, w, { bare: bareEllipsisIsMarker(opts.path, text), words: true });
      if (!markers.length) {
        const truncated = opts.format === undefined && looksTruncated(doc.lines, w);
        const placed = truncated ? placeSymbol(doc.lines, w) : null;
        if (truncated && !placed)
          return refuse(format, 'suspect_truncated',
            'the edit was taken as a whole file but lacks most of the current file and has no elision markers; ' +
            'pass format "whole" to replace the file anyway');
        if (placed) {
          // a snippet that is one whole declaration whose header occurs once in the file replaces that declaration
          lines = [...doc.lines.slice(0, placed.start), ...placed.lines, ...doc.lines.slice(placed.end)];
          strategy = 'symbol';
        } else {
          lines = keepUnchanged(doc.lines, w);
          strategy = 'whole';
        }
        if (before === '') finalNewline = edit === '' || /\n$/.test(edit);
      } else {
        if (!doc.lines.length) return refuse(format, 'elision_unanchored', 'the edit has elision markers but the file is empty');
        if (w.every((l, i) => markers.includes(i) || isBlank(l)))
          return refuse(format, 'empty_edit', 'the edit is only elision markers: it does not say what to change');
        const r = resolveElisions(doc.lines, w, markers);
        if (!r.ok) return { applied: false, format, error: { code: r.code, message: r.message, ...(r.candidates ? { candidates: r.candidates } : {}) } };
        lines = r.lines;
        strategy = 'whole-elided';
      }
    }
    const content = joinDoc(lines, doc.eol, lines.length ? finalNewline : false);
    return {
      applied: true, format, strategy, content,
      diff: unifiedDiff(before, content, { fromFile: `a/${opts.path}`, toFile: `b/${opts.path}` }),
    };
  } catch (e) {
    if (e instanceof Refusal) return { applied: false, format, error: e.error };
    // an engine bug must not write anything: report it as a refusal rather than crash the caller
    return refuse(format, 'internal_error', `apply engine error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function refuse(format: EditFormat | null, code: string, message: string, candidates?: Candidate[]): ApplyResult {
  return { applied: false, format, error: { code, message, ...(candidates && candidates.length ? { candidates } : {}) } };
}

function withBlock(e: ApplyError, at: number, n: number): ApplyError {
  return n > 1 ? { ...e, message: `block at edit line ${at}: ${e.message}` } : e;
}

function loosest(used: readonly string[]): string {
  let best = 0;
  for (const u of used) best = Math.max(best, STRATEGY_ORDER.indexOf(u));
  return STRATEGY_ORDER[best]!;
}

// ---------------------------------------------------------------------------------------------------------------
// paths

function normPath(p: string): string {
  return p.trim().replace(/^[`*'"]+|[`*'":]+$/g, '').replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^[ab]\//, '');
}

function looksLikePath(s: string): boolean {
  const t = normPath(s);
  return /^[\w.@~\-/]+$/.test(t) && /[./]/.test(t) && /\w/.test(t) && !/^\.+$/.test(t);
}

function samePath(a: string, b: string): boolean {
  const x = normPath(a);
  const y = normPath(b);
  return x === y || x.endsWith('/' + y) || y.endsWith('/' + x);
}

/**
 * The parts of a multi-file edit that are for this file. A part names its file by a path line (search/replace) or
 * a `+++` header (diff); a part without one belongs to the previous part's file. When the edit names files but
 * never this one, it is refused rather than applied to the wrong file.
 */
function forThisFile<T>(parts: readonly T[], pathOf: (p: T) => string | null, path: string): T[] {
  let cur: string | null = null;
  const tagged = parts.map((p) => {
    const named = pathOf(p);
    if (named !== null && looksLikePath(named)) cur = named;
    return { p, file: cur };
  });
  if (tagged.every((t) => t.file === null)) return [...parts];
  const mine = tagged.filter((t) => t.file === null || samePath(t.file, path));
  if (!mine.some((t) => t.file !== null)) {
    const names = [...new Set(tagged.map((t) => t.file).filter((f): f is string => f !== null))];
    throw new Refusal({ code: 'path_mismatch', message: `the edit is for ${names.join(', ')}, not ${path}` });
  }
  return mine.map((t) => t.p);
}

// ---------------------------------------------------------------------------------------------------------------
// one search/replace block (also used for diff hunks)

interface BlockOptions {
  /** the 0-based line where the block should start if the diff's line numbers can be trusted */
  hint: number | null;
  /** whether elision markers mean anything: yes in search/replace blocks, never in diff hunks (whose lines are
   * literal by definition) */
  elision: boolean;
  /** whether a bare `...` line may be a marker on the replace side (see bareEllipsisIsMarker) */
  bare: boolean;
}

function applyBlock(lines: readonly Line[], search: readonly string[], replace: readonly string[], bo: BlockOptions): Step {
  if (!search.length || search.every(isBlank)) {
    if (!lines.length || lines.every((l) => isBlank(l.text))) return { ok: true, lines: newLines(replace), strategy: 'exact', start: 0, end: replace.length };
    return { ok: false, error: { code: 'empty_search', message: 'the search part is empty, so there is no place to apply it' } };
  }
  const text = lines.map((l) => l.text);
  const fx = new FileIndex(text);
  for (const rung of RUNGS) {
    let s = search;
    let r = replace;
    if (rung === 'blank-lines') [s, r] = stripCommonBlankEdges(search, replace);
    const ms = findMatches(fx, s, rung);
    if (!ms.length) continue;
    let m = ms[0]!;
    let strategy: string = rung;
    if (ms.length > 1) {
      const hit = bo.hint !== null ? ms.find((x) => x.start === bo.hint) : undefined;
      if (!hit) return ambiguous(ms, text, rung);
      m = hit;
      strategy = 'line-hint';
    }
    return splice(lines, m, s, r, strategy, bo);
  }
  const el = bo.elision ? elisionRung(lines, fx, search, replace, bo) : null;
  if (el) return el;
  return {
    ok: false,
    error: {
      code: 'no_match',
      message: 'the search text is not in the file, even ignoring whitespace',
      candidates: closestCandidates(text, search),
    },
  };
}

function ambiguous(ms: readonly Match[], text: readonly string[], rung: Rung): Step {
  return {
    ok: false,
    error: {
      code: 'ambiguous',
      message: `the search text matches ${ms.length} places in the file (${rung}); add surrounding lines to pick one`,
      candidates: ms.slice(0, 5).map((m) => ({ line: m.start + 1, text: text.slice(m.start, m.end).join('\n') })),
    },
  };
}

function stripCommonBlankEdges(s: readonly string[], r: readonly string[]): [string[], string[]] {
  let a = 0;
  while (a < s.length && a < r.length && isBlank(s[a]!) && isBlank(r[a]!)) a++;
  let b = 0;
  while (b < s.length - a && b < r.length - a && isBlank(s[s.length - 1 - b]!) && isBlank(r[r.length - 1 - b]!)) b++;
  return [s.slice(a, s.length - b), r.slice(a, r.length - b)];
}

/** Put the replacement in place of a match. Elision markers in the replace that the search lacks stand for the
 * matched lines they sit among, and are resolved against them. */
function splice(lines: readonly Line[], m: Match, search: readonly string[], replace: readonly string[], strategy: string, bo: BlockOptions): Step {
  const inSearch = new Set(search.map((l) => l.trim()));
  const rMarks: number[] = [];
  if (bo.elision)
    replace.forEach((l, i) => {
      if (isElision(l, { words: false, bare: bo.bare }) && !inSearch.has(l.trim())) rMarks.push(i);
    });
  let repl: Line[] | null;
  if (rMarks.length) {
    if (replace.every((l, i) => rMarks.includes(i) || isBlank(l)))
      return { ok: false, error: { code: 'empty_edit', message: 'the replace part is only elision markers: it does not say what to change' } };
    const moved: string[] = [];
    for (const l of replace) {
      const t = reindent(l, m.indent);
      if (t === null) return unindentable();
      moved.push(t);
    }
    const res = resolveElisions(lines.slice(m.start, m.end), moved, rMarks);
    if (!res.ok) return { ok: false, error: { code: res.code, message: `in the replace part: ${res.message}` } };
    repl = res.lines;
    strategy = STRATEGY_ORDER.indexOf(strategy) < STRATEGY_ORDER.indexOf('elision') ? 'elision' : strategy;
  } else {
    repl = buildReplacement(lines, search, replace, m);
    if (!repl) return unindentable();
  }
  return { ok: true, lines: [...lines.slice(0, m.start), ...repl, ...lines.slice(m.end)], strategy, start: m.start, end: m.start + repl.length };
}

function unindentable(): Step {
  return { ok: false, error: { code: 'indent_mismatch', message: 'a replace line is less indented than the block it replaces, so its indentation in the file cannot be known' } };
}

/**
 * Search blocks with `...` lines: each marker stands for the file lines between the parts around it, and the replace
 * must have the same markers, meaning "keep these lines". The parts must match, in order, in exactly one way.
 */
function elisionRung(lines: readonly Line[], fx: FileIndex, search: readonly string[], replace: readonly string[], bo: BlockOptions): Step | null {
  const sParts = splitOnMarkers(search);
  if (sParts.length < 2) return null;
  const rParts = splitOnMarkers(replace);
  // a marker at either edge of both parts just says "the block goes on": drop it
  if (sParts[0]!.length === 0 && rParts[0]!.length === 0) {
    sParts.shift();
    rParts.shift();
  }
  if (sParts.length && rParts.length && sParts[sParts.length - 1]!.length === 0 && rParts[rParts.length - 1]!.length === 0) {
    sParts.pop();
    rParts.pop();
  }
  const mismatch = (message: string): Step => ({ ok: false, error: { code: 'elision_mismatch', message } });
  if (sParts.length !== rParts.length)
    return mismatch(`the search has ${sParts.length - 1} elision marker(s) but the replace has ${rParts.length - 1}; the replace must repeat each marker where the kept lines go`);
  if (sParts.some((p) => p.every(isBlank)))
    return mismatch('an elision marker starts or ends the search, or two markers have nothing between them');
  if (sParts.length === 1) {
    // only edge markers: an ordinary block
    const st = applyBlock(lines, sParts[0]!, rParts[0]!, { ...bo, elision: false });
    return st.ok ? { ...st, strategy: 'elision' } : st;
  }
  for (const rung of RUNGS) {
    const cands = sParts.map((p) => findMatches(fx, p, rung));
    if (cands.some((c) => !c.length)) continue;
    // ways[j][c]: chains (capped at 2) of parts 0..j ending at candidate c, in order and with one indentation shift
    let ways = cands[0]!.map(() => 1);
    const back: number[][] = [cands[0]!.map(() => -1)];
    for (let j = 1; j < cands.length; j++) {
      const prev = cands[j - 1]!;
      const nw: number[] = [];
      const bk: number[] = [];
      for (const c of cands[j]!) {
        let n = 0;
        let from = -1;
        prev.forEach((p, pi) => {
          if (ways[pi]! > 0 && p.end <= c.start && indentKey(p.indent) === indentKey(c.indent)) {
            n += ways[pi]!;
            from = pi;
          }
        });
        nw.push(Math.min(n, 2));
        bk.push(from);
      }
      ways = nw;
      back.push(bk);
    }
    const total = ways.reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    if (total > 1) {
      const ends = cands[cands.length - 1]!.filter((_, i) => ways[i]! > 0);
      return {
        ok: false,
        error: {
          code: 'ambiguous',
          message: `the search parts around its elision marker(s) fit the file in more than one way (${rung})`,
          candidates: ends.slice(0, 5).map((m) => ({ line: m.start + 1, text: fx.lines.slice(m.start, m.end).join('\n') })),
        },
      };
    }
    // the unique chain, from the last part back
    const chain: Match[] = [];
    let ci = ways.findIndex((w) => w > 0);
    for (let j = cands.length - 1; j >= 0; j--) {
      chain.unshift(cands[j]![ci]!);
      ci = back[j]![ci]!;
    }
    const out: Line[] = [];
    for (let j = 0; j < chain.length; j++) {
      const m = chain[j]!;
      const part = buildReplacement(lines, sParts[j]!, rParts[j]!, m);
      if (!part) return unindentable();
      out.push(...part);
      const next = chain[j + 1];
      if (next) out.push(...lines.slice(m.end, next.start));
    }
    const start = chain[0]!.start;
    const end = chain[chain.length - 1]!.end;
    return { ok: true, lines: [...lines.slice(0, start), ...out, ...lines.slice(end)], strategy: 'elision', start, end: start + out.length };
  }
  return null;
}

function splitOnMarkers(block: readonly string[]): string[][] {
  const parts: string[][] = [[]];
  let prev = false;
  for (const l of block) {
    if (isElision(l, { words: false })) {
      if (!prev) parts.push([]);
      prev = true;
    } else {
      parts[parts.length - 1]!.push(l);
      prev = false;
    }
  }
  return parts;
}

// ---------------------------------------------------------------------------------------------------------------
// unified diffs

/**
 * Hunks are found by their content (context and removed lines) with the same ladder as search blocks, one after
 * the other. Line numbers never choose a place on their own: they break a tie between equal matches only when the
 * diff's other hunks, found unambiguously, prove the numbers right (all at one offset from where they say).
 */
function applyHunks(start: readonly Line[], hunks: readonly Hunk[], finalNewline: boolean): { lines: Line[]; strategy: string; finalNewline: boolean } {
  const offsets = new Set<number>();
  let trusted = hunks.every((h) => h.oldStart !== null && h.countsAgree);
  if (trusted) {
    const fx = new FileIndex(start.map((l) => l.text));
    let unique = 0;
    for (const h of hunks) {
      if (!h.old.length) continue;
      for (const rung of RUNGS) {
        const ms = findMatches(fx, h.old, rung);
        if (!ms.length) continue;
        if (ms.length === 1) {
          offsets.add(ms[0]!.start - (h.oldStart! - 1));
          unique++;
        }
        break;
      }
    }
    trusted = unique > 0 && offsets.size === 1;
  }
  const offset = trusted ? [...offsets][0]! : 0;
  let lines: Line[] = [...start];
  let delta = 0;
  const used: string[] = [];
  for (const h of hunks) {
    if (!h.old.length) {
      // a pure insertion has no content to find; only an empty file or trusted numbers place it
      if (lines.length && !trusted)
        throw new Refusal({ code: 'no_context', message: `hunk at edit line ${h.at} adds lines without any context to place them` });
      const at = lines.length ? h.oldStart! + offset + delta : 0;
      if (at < 0 || at > lines.length) throw new Refusal({ code: 'no_context', message: `hunk at edit line ${h.at} points outside the file` });
      const wasEmpty = !lines.length;
      lines = [...lines.slice(0, at), ...newLines(h.new), ...lines.slice(at)];
      delta += h.new.length;
      used.push(wasEmpty ? 'exact' : 'line-hint');
      if (at + h.new.length === lines.length && h.newNoEol) finalNewline = false;
      else if (at + h.new.length === lines.length && wasEmpty) finalNewline = true;
      continue;
    }
    const hint = trusted ? h.oldStart! - 1 + offset + delta : null;
    const st = applyBlock(lines, h.old, h.new, { hint, elision: false, bare: false });
    if (!st.ok) throw new Refusal({ ...st.error, message: `hunk at edit line ${h.at}: ${st.error.message}` });
    const touchesEnd = st.end === st.lines.length;
    lines = st.lines;
    delta += h.new.length - h.old.length;
    used.push(st.strategy);
    if (touchesEnd) {
      if (h.newNoEol) finalNewline = false;
      else if (h.oldNoEol) finalNewline = true;
    }
  }
  return { lines, strategy: loosest(used), finalNewline };
}

// ---------------------------------------------------------------------------------------------------------------
// whole files

/** A whole file as models write it may come after its path line and inside a fence; the file is what is inside.
 * (A file that itself starts with its path or a fence keeps those lines.) */
function unwrapWhole(el: readonly string[], path: string, file: readonly Line[]): string[] {
  const open = /^\s*(```|~~~)[\w.+-]*\s*$/;
  const close = /^\s*(```|~~~)\s*$/;
  const first = file[0]?.text ?? '';
  let a = 0;
  let b = el.length;
  if (a < b && looksLikePath(el[a]!) && samePath(el[a]!, path) && el[a]!.trim() !== first.trim()) a++;
  if (a < b && open.test(el[a]!) && !open.test(first)) {
    a++;
    while (b > a && isBlank(el[b - 1]!)) b--;
    if (b > a && close.test(el[b - 1]!)) b--;
  }
  return el.slice(a, b);
}

/** A whole "file" that keeps little of a sizeable current file and is much shorter is more likely a snippet
 * written without elision markers than a rewrite; writing it would delete the rest of the file. */
function looksTruncated(file: readonly Line[], w: readonly string[]): boolean {
  const n = file.filter((l) => !isBlank(l.text)).length;
  if (n < 20) return false;
  const wn = w.filter((l) => !isBlank(l)).length;
  if (wn >= n * 0.5) return false;
  const have = new Set(file.map((l) => l.text.trim()));
  const kept = w.filter((l) => !isBlank(l) && have.has(l.trim())).length;
  return kept < n * 0.5;
}

/** The new lines, reusing the file's own line objects where a line is unchanged (keeps per-line endings). */
function keepUnchanged(file: readonly Line[], w: readonly string[]): Line[] {
  const out: Line[] = [];
  for (const op of diffSeq(file.map((l) => l.text), w)) {
    if (op.tag === 'equal') out.push(...file.slice(op.a0, op.a1));
    else if (op.tag === 'insert') out.push(...newLines(w.slice(op.b0, op.b1)));
  }
  return out;
}
