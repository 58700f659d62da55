// Parser for rustc/cargo: human output (with labels, notes and help attached to the main diagnostic),
// `--message-format=json` / `--error-format=json`, and `cargo test` panics.

import type { BuildDiagnostic, DiagnosticNote, ParseContext, Severity } from '../types';
import { isRecord, num, str } from './json';
import { match, splitLines, toInt } from './lines';

const HEAD = /^(error|warning|note|help|failure-note)(?:\[([A-Za-z0-9_:-]+)\])?: (.*)$/;
const ARROW = /^\s*(?:-->|::: ) ?(.+?):(\d+):(\d+)\s*$/;
const GUTTER = /^\s*(\d+)?\s*\|(.*)$/;
// Suggestions rendered as a diff: "1 - fn check(v: &Vec<i32>)" / "1 + fn check(v: &[i32])".
const DIFF = /^\s*(\d+)\s+[-+~] /;
const EQ_NOTE = /^\s*= (note|help|warning): ?(.*)$/;
const PANIC = /^thread '([^']*)'(?: \(\d+\))? panicked at (?:'(.*)', )?(.+?):(\d+):(\d+):?$/;

// Lines cargo/rustc print that look like diagnostics but only summarise the run.
const SUMMARY = [
  /^aborting due to/,
  /^could not compile/,
  /^`[^`]+` \(.+\) generated \d+ warnings?/,
  /^build failed/,
  /^test failed, to rerun/,
  /^Some errors have detailed explanations/,
  /^For more information about (this|an) error/,
  /^\d+ warnings? emitted/,
  /^(\d+ )?previous errors?/,
];

function severityOf(level: string): Severity {
  if (level === 'error' || level.startsWith('error')) return 'error';
  if (level === 'warning') return 'warning';
  if (level === 'note' || level === 'help' || level === 'failure-note') return 'note';
  return 'info';
}

// ---------- JSON ----------

function spanLoc(span: Record<string, unknown>): { file: string | null; line: number | null; column: number | null } {
  return { file: str(span.file_name), line: num(span.line_start), column: num(span.column_start) };
}

function fromJsonMessage(m: Record<string, unknown>, ctx: ParseContext): BuildDiagnostic | null {
  const level = str(m.level) ?? '';
  const message = str(m.message) ?? '';
  if (level === 'failure-note' || SUMMARY.some((re) => re.test(message))) return null;
  const spans = Array.isArray(m.spans) ? m.spans.filter(isRecord) : [];
  const primary = spans.find((s) => s.is_primary === true) ?? spans[0];
  const notes: DiagnosticNote[] = [];
  for (const s of spans) {
    const label = str(s.label);
    if (s === primary || !label) continue;
    const loc = spanLoc(s);
    notes.push(ctx.note(loc.file, loc.line, loc.column, label));
  }
  const children = Array.isArray(m.children) ? m.children.filter(isRecord) : [];
  for (const c of children) {
    const cs = Array.isArray(c.spans) ? c.spans.filter(isRecord) : [];
    const cp = cs.find((s) => s.is_primary === true) ?? cs[0];
    const loc = cp ? spanLoc(cp) : { file: null, line: null, column: null };
    notes.push(ctx.note(loc.file, loc.line, loc.column, `${str(c.level) ?? 'note'}: ${str(c.message) ?? ''}`));
  }
  const loc = primary ? spanLoc(primary) : { file: null, line: null, column: null };
  const code = isRecord(m.code) ? str(m.code.code) : null;
  return ctx.diag({ ...loc, severity: severityOf(level), code, message, notes });
}

function parseJsonLines(text: string, ctx: ParseContext): BuildDiagnostic[] {
  const out: BuildDiagnostic[] = [];
  for (const line of splitLines(text)) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      continue;
    }
    if (!isRecord(v)) continue;
    // cargo wraps rustc's diagnostic in {"reason":"compiler-message","message":{...}}; rustc alone prints it bare.
    const m = v.reason === 'compiler-message' && isRecord(v.message) ? v.message : typeof v.message === 'string' && 'level' in v ? v : null;
    if (!m) continue;
    const d = fromJsonMessage(m, ctx);
    if (d) out.push(d);
  }
  return out;
}

// ---------- human ----------

interface Block {
  diag: BuildDiagnostic;
  /** The sub-diagnostic (note:/help: with its own snippet) currently being read, if any. */
  child: DiagnosticNote | null;
  file: string | null;
  lastLine: number | null;
}

/** Remove marker runs (^^^, ---, ~~~, +++) and vertical connector pipes, leaving label text. */
function labelsOf(content: string): { text: string; primary: boolean; column: number } | null {
  const m = /^([\s|^~+\-_/\\]*)(.*)$/.exec(content);
  if (!m) return null;
  const lead = m[1] ?? '';
  const text = (m[2] ?? '').trim();
  if (!text) return null;
  // The label belongs to the marker run immediately before it; a text with no marker on its
  // line hangs off an earlier secondary span via the vertical "|" layout.
  const lastRun = /([\^\-~]+)[\s]*$/.exec(lead);
  const primary = lastRun !== null && (lastRun[1] ?? '').includes('^');
  // The snippet's content starts with one separator space, so an index into it is a 1-based column.
  const column = lastRun ? lastRun.index : lead.length;
  return { text, primary, column };
}

function parseHuman(text: string, ctx: ParseContext): BuildDiagnostic[] {
  const out: BuildDiagnostic[] = [];
  let block: Block | null = null;
  let eqNote: DiagnosticNote | null = null;
  const lines = splitLines(text);

  const closeChild = () => {
    if (block?.child) block.diag.notes.push(block.child);
    if (block) block.child = null;
  };
  const close = () => {
    closeChild();
    // Human output names the lint only in the "#[warn(lint)] on by default" note of its first occurrence.
    if (block && block.diag.code === null) {
      for (const n of block.diag.notes) {
        const lint = /#\[(?:warn|deny|forbid)\(([\w:]+)\)\]/.exec(n.message);
        if (lint) {
          block.diag.code = lint[1] ?? null;
          break;
        }
      }
    }
    block = null;
    eqNote = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const panic = match(PANIC, line);
    if (panic) {
      close();
      const msgLines: string[] = [];
      if (panic[2]) msgLines.push(panic[2]);
      // Since Rust 1.73 the panic message follows on the next lines.
      for (let j = i + 1; j < lines.length; j++) {
        const next = lines[j] ?? '';
        if (next.trim() === '' || /^(note: |stack backtrace:|thread '|---- |failures:)/.test(next)) break;
        msgLines.push(next.trimEnd());
        i = j;
      }
      out.push(
        ctx.diag({
          file: panic[3],
          line: toInt(panic[4]),
          column: toInt(panic[5]),
          severity: 'error',
          message: `${panic[1] ?? ''}: ${msgLines.join('\n')}`,
        }),
      );
      continue;
    }
    const head = match(HEAD, line);
    if (head) {
      const level = head[1] ?? 'error';
      const message = head[3] ?? '';
      if (SUMMARY.some((re) => re.test(message))) {
        close();
        continue;
      }
      if ((level === 'note' || level === 'help') && block) {
        // A sub-diagnostic of the current error: it may carry its own --> location and snippet.
        closeChild();
        eqNote = null;
        block.child = ctx.note(null, null, null, `${level}: ${message}`);
        continue;
      }
      if (level === 'note' || level === 'help' || level === 'failure-note') {
        // Stray notes (e.g. "note: run with RUST_BACKTRACE=1") are not diagnostics of their own.
        close();
        continue;
      }
      close();
      const diag = ctx.diag({ severity: severityOf(level), code: head[2] ?? null, message });
      out.push(diag);
      block = { diag, child: null, file: null, lastLine: null };
      continue;
    }
    if (!block) continue;
    const b: Block = block;
    if (line.trim() === '') {
      close();
      continue;
    }
    const arrow = match(ARROW, line);
    if (arrow) {
      const file = ctx.path(arrow[1] ?? '');
      const ln = toInt(arrow[2]);
      const col = toInt(arrow[3]);
      if (b.child) {
        if (b.child.file === null) {
          b.child.file = file;
          b.child.line = ln;
          b.child.column = col;
        }
      } else if (b.diag.file === null) {
        b.diag.file = file;
        b.diag.line = ln;
        b.diag.column = col;
      }
      b.file = file;
      continue;
    }
    const eq = match(EQ_NOTE, line);
    if (eq) {
      eqNote = ctx.note(null, null, null, `${eq[1] ?? 'note'}: ${eq[2] ?? ''}`);
      b.diag.notes.push(eqNote);
      continue;
    }
    const diff = match(DIFF, line);
    if (diff) {
      if (b.child && b.child.file === null) {
        b.child.file = b.file ?? b.diag.file;
        b.child.line = toInt(diff[1]);
      }
      continue;
    }
    const g = match(GUTTER, line);
    if (g) {
      eqNote = null;
      const num = toInt(g[1]);
      if (num !== null) {
        b.lastLine = num;
        // A help with a suggestion but no --> of its own points into the snippet it shows.
        if (b.child && b.child.file === null) {
          b.child.file = b.file ?? b.diag.file;
          b.child.line = num;
        }
        continue;
      }
      // Labels inside a child's snippet belong to the child, not to the main diagnostic.
      if (b.child) continue;
      const label = labelsOf(g[2] ?? '');
      if (!label) continue;
      // Primary labels restate the headline; inline help ("^^^ help: prefix it with _") is worth keeping.
      if (label.primary && !label.text.startsWith('help:')) continue;
      b.diag.notes.push(ctx.note(b.file ?? b.diag.file, b.lastLine, label.column, label.text));
      continue;
    }
    if (/^\s*\.\.\.\s*$/.test(line)) continue;
    // Wrapped continuation of an "= note:" line.
    if (eqNote && /^\s+\S/.test(line)) {
      eqNote.message += '\n' + line.trim();
      continue;
    }
    if (/^\S/.test(line)) close();
  }
  close();
  return out;
}

export function parseCargo(text: string, ctx: ParseContext): BuildDiagnostic[] {
  const json = /"reason":"compiler-message"|"\$message_type":"diagnostic"/.test(text) ? parseJsonLines(text, ctx) : [];
  // JSON mode still prints human text (test panics, "could not compile"); JSON lines never match the
  // human patterns because they start with "{", so the two passes cannot double count.
  return [...json, ...parseHuman(text, ctx)];
}
