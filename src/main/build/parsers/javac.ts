// Parser for javac diagnostics (plain javac, Gradle) and Maven's "[ERROR] File.java:[l,c] msg" form.

import type { BuildDiagnostic, ParseContext, Severity } from '../types';
import { match, splitLines, toInt } from './lines';

const HEAD = /^(.+?\.java):(\d+): (error|warning|note): (.*)$/i;
const MAVEN = /^\[(ERROR|WARNING)\] (.+?\.java):\[(\d+)(?:,(\d+))?\] (.*)$/;
const GLOBAL = /^(error|warning): (.*)$/;
const CARET = /^(\s*)\^\s*$/;

export function parseJavac(text: string, ctx: ParseContext): BuildDiagnostic[] {
  const out: BuildDiagnostic[] = [];
  const lines = splitLines(text);
  let current: BuildDiagnostic | null = null;
  // After a headline javac prints the source line, then a caret line, then indented details.
  let sawCaret = false;
  let sourceSeen = false;
  for (const line of lines) {
    const h = match(HEAD, line);
    if (h) {
      const word = (h[3] ?? '').toLowerCase();
      const severity: Severity = word === 'error' ? 'error' : word === 'warning' ? 'warning' : 'note';
      let message = h[4] ?? '';
      let code: string | null = null;
      // -Xlint warnings carry their category in brackets: "[rawtypes] found raw type".
      const lint = /^\[([\w-]+)\] (.*)$/.exec(message);
      if (lint) {
        code = lint[1] ?? null;
        message = lint[2] ?? message;
      }
      current = ctx.diag({ file: h[1], line: toInt(h[2]), severity, code, message });
      out.push(current);
      sawCaret = false;
      sourceSeen = false;
      continue;
    }
    const mv = match(MAVEN, line);
    if (mv) {
      current = null;
      out.push(
        ctx.diag({
          file: mv[2],
          line: toInt(mv[3]),
          column: toInt(mv[4]),
          severity: mv[1] === 'ERROR' ? 'error' : 'warning',
          message: mv[5] ?? '',
        }),
      );
      continue;
    }
    const g = match(GLOBAL, line);
    if (g) {
      current = ctx.diag({ severity: g[1] === 'error' ? 'error' : 'warning', message: g[2] ?? '' });
      out.push(current);
      sawCaret = true;
      continue;
    }
    if (!current) continue;
    const caret = CARET.exec(line);
    if (!sawCaret && caret) {
      current.column = (caret[1] ?? '').length + 1;
      sawCaret = true;
      continue;
    }
    if (!sawCaret && !sourceSeen) {
      sourceSeen = true;
      continue;
    }
    if (sawCaret && /^\s+\S/.test(line)) {
      current.message += '\n' + line.trimEnd();
      continue;
    }
    // "5 errors", "Note: ..." and other unindented lines end the diagnostic.
    current = null;
  }
  return out;
}
