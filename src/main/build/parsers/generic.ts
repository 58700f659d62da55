// Fallback parser for any tool printing "file:line[:col]: [severity:] message" lines (shellcheck -f gcc, yamllint -f parsable, ...).
// Commands that could not run at all ("sh: 1: mocha: not found") are recognised for every tool by parseBuildOutput.

import type { BuildDiagnostic, ParseContext, Severity } from '../types';
import { match, splitLines, toInt } from './lines';

// An optional drive letter keeps Windows paths ("C:\src\a.c:3:1: ...") in one piece.
const LINE = /^\s*((?:[A-Za-z]:[\\/])?[^\s:][^:]*?):(\d+)(?::(\d+))?:\s*(.*)$/;
const SEVERITY = /^\[?(fatal error|error|warning|warn|note|info|hint|remark)\]?:?\s+(.*)$/i;
const TRAILING_CODE = /\s+\[([A-Z]+\d+|-W[\w=+-]+)\]$/;

function severityOf(word: string): Severity {
  const w = word.toLowerCase();
  if (w === 'error' || w === 'fatal error') return 'error';
  if (w === 'warning' || w === 'warn') return 'warning';
  if (w === 'note' || w === 'hint') return 'note';
  return 'info';
}

/** A plausible file path: no spaces, and either a directory separator or an extension. */
function looksLikePath(p: string): boolean {
  if (/\s/.test(p) || /^\d+$/.test(p)) return false;
  if (/^[a-z]+$/i.test(p)) return false;
  return /[/\\]/.test(p) || /\.[A-Za-z0-9]{1,8}$/.test(p);
}

export function parseGeneric(text: string, ctx: ParseContext): BuildDiagnostic[] {
  const out: BuildDiagnostic[] = [];
  for (const line of splitLines(text)) {
    // zsh's "script.sh:3: command not found: tsc" is a missing command (parsers/missing-command.ts), not a finding in script.sh.
    if (line.includes('command not found')) continue;
    const m = match(LINE, line);
    if (!m) continue;
    const file = m[1] ?? '';
    if (!looksLikePath(file)) continue;
    let rest = (m[4] ?? '').trim();
    if (!rest) continue;
    // Without a severity word the line is most likely an error report (that is what such tools print).
    let severity: Severity = 'error';
    const s = SEVERITY.exec(rest);
    if (s) {
      severity = severityOf(s[1] ?? 'error');
      rest = s[2] ?? rest;
    }
    let code: string | null = null;
    const c = TRAILING_CODE.exec(rest);
    if (c) {
      code = c[1] ?? null;
      rest = rest.slice(0, c.index);
    }
    out.push(ctx.diag({ file, line: toInt(m[2]), column: toInt(m[3]), severity, code, message: rest }));
  }
  return out;
}
