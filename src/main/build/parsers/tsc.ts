// Parser for the TypeScript compiler (tsc), both `--pretty false` and pretty (coloured, code-framed) output.

import type { BuildDiagnostic, DiagnosticNote, ParseContext, Severity } from '../types';
import { match, splitLines, toInt } from './lines';

const PLAIN = /^(.+?)\((\d+),(\d+)\): (error|warning|message|suggestion) (TS\d+): (.*)$/;
const PRETTY = /^(.+?):(\d+):(\d+) - (error|warning|message|suggestion) (TS\d+): (.*)$/;
const GLOBAL = /^(error|warning|message) (TS\d+): (.*)$/;
// Related information in pretty mode: "  src/types.ts:4:30" on its own line.
const RELATED = /^\s+(\S.*?):(\d+):(\d+)$/;
const FRAME = /^\s*\d+\s/;
const SQUIGGLE = /^[\s~]*~[\s~]*$/;

function severityOf(word: string): Severity {
  if (word === 'error') return 'error';
  if (word === 'warning') return 'warning';
  return 'info';
}

export function parseTsc(text: string, ctx: ParseContext): BuildDiagnostic[] {
  const out: BuildDiagnostic[] = [];
  let current: BuildDiagnostic | null = null;
  // 'chain': right after a headline, indented lines continue the message chain.
  // 'body': after the blank line that ends the chain (pretty mode) — code frames and related info.
  let state: 'none' | 'chain' | 'body' = 'none';
  let note: DiagnosticNote | null = null;
  let noteHasText = false;

  const finishNote = () => {
    if (current && note) current.notes.push(note);
    note = null;
    noteHasText = false;
  };

  for (const line of splitLines(text)) {
    const head = match(PLAIN, line) ?? match(PRETTY, line);
    if (head) {
      finishNote();
      current = ctx.diag({
        file: head[1],
        line: toInt(head[2]),
        column: toInt(head[3]),
        severity: severityOf(head[4] ?? 'error'),
        code: head[5] ?? null,
        message: head[6] ?? '',
      });
      out.push(current);
      state = 'chain';
      continue;
    }
    const global = match(GLOBAL, line);
    if (global) {
      finishNote();
      current = ctx.diag({ severity: severityOf(global[1] ?? 'error'), code: global[2] ?? null, message: global[3] ?? '' });
      out.push(current);
      state = 'chain';
      continue;
    }
    if (!current) continue;
    if (state === 'chain') {
      if (line.trim() === '') {
        state = 'body';
      } else if (/^\s+\S/.test(line)) {
        current.message += '\n' + line.trimEnd();
      } else {
        // An unindented line that is no diagnostic (e.g. "Found 3 errors") ends this one.
        current = null;
        state = 'none';
      }
      continue;
    }
    if (state === 'body') {
      const rel = match(RELATED, line);
      if (rel) {
        finishNote();
        note = ctx.note(rel[1] ?? null, toInt(rel[2]), toInt(rel[3]), '');
        continue;
      }
      if (line.trim() === '') {
        if (noteHasText) finishNote();
        continue;
      }
      if (FRAME.test(line) || SQUIGGLE.test(line)) continue;
      if (/^\S/.test(line)) {
        // Summary lines ("Found 5 errors…", "Errors  Files") close the diagnostic.
        finishNote();
        current = null;
        state = 'none';
        continue;
      }
      if (note) {
        note.message = note.message ? note.message + '\n' + line.trim() : line.trim();
        noteHasText = true;
      }
    }
  }
  finishNote();
  return out;
}
