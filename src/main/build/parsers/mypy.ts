// Parser for mypy output, including --pretty (soft-wrapped messages with source excerpts) and --show-column-numbers.

import type { BuildDiagnostic, ParseContext, Severity } from '../types';
import { match, splitLines, toInt } from './lines';

// --show-error-end adds ":endline:endcol" which we skip.
const HEAD = /^(.+?):(\d+)(?::(\d+))?(?::\d+:\d+)?: (error|warning|note): (.*)$/;
const CODE = /\s*\[([a-z0-9-]+)\]\s*$/;
const SUMMARY = /^(Found \d+ errors? in \d+ files?|Success: no issues found|Found \d+ errors?)/;

function finish(d: BuildDiagnostic): void {
  const m = CODE.exec(d.message);
  if (m) {
    d.code = m[1] ?? null;
    d.message = d.message.slice(0, m.index).trimEnd();
  }
}

export function parseMypy(text: string, ctx: ParseContext): BuildDiagnostic[] {
  const out: BuildDiagnostic[] = [];
  let current: BuildDiagnostic | null = null;
  // The last error/warning, so that notes on the same line attach to it instead of standing alone.
  let anchor: BuildDiagnostic | null = null;
  for (const line of splitLines(text)) {
    const h = match(HEAD, line);
    if (h) {
      if (current) finish(current);
      const file = ctx.path(h[1] ?? '');
      const lineNo = toInt(h[2]);
      const severity: Severity = h[4] === 'error' ? 'error' : h[4] === 'warning' ? 'warning' : 'note';
      const message = h[5] ?? '';
      if (severity === 'note' && anchor && anchor.file === file && anchor.line === lineNo) {
        anchor.notes.push(ctx.note(file, lineNo, toInt(h[3]), message));
        current = null;
        continue;
      }
      current = ctx.diag({ file, line: lineNo, column: toInt(h[3]), severity, message });
      out.push(current);
      if (severity !== 'note') anchor = current;
      continue;
    }
    if (SUMMARY.test(line)) {
      if (current) finish(current);
      current = null;
      continue;
    }
    // --pretty wraps long messages; continuation lines are indented by less than the 4-space source excerpt.
    if (current && /^\s{0,3}\S/.test(line)) {
      current.message += ' ' + line.trim();
      continue;
    }
    if (current && line.trim() !== '') {
      // Source excerpt or caret line: the message is complete.
      finish(current);
      current = null;
    }
  }
  if (current) finish(current);
  return out;
}
