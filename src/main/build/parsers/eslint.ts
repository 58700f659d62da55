// Parser for ESLint output in the stylish (default), compact, unix and json formats.

import type { BuildDiagnostic, ParseContext, Severity } from '../types';
import { extractJson, isRecord, num, str } from './json';
import { match, splitLines, toInt } from './lines';

// Stylish: "  6:11  error  Expected '===' and instead saw '=='  eqeqeq" under a file header line.
const STYLISH = /^\s+(\d+):(\d+)\s+(error|warning)\s+(.*?)(?:\s{2,}([@\w][\w@/.-]*))?\s*$/;
const COMPACT = /^(.+?): line (\d+), col (\d+), (Error|Warning) - (.*)$/;
const UNIX = /^(.+?):(\d+):(\d+): (.*) \[(Error|Warning)(?:\/([^\]]+))?\]$/;
const RULE = /^[@\w][\w@/.-]*$/;

function sev(word: string): Severity {
  return word.toLowerCase() === 'error' ? 'error' : 'warning';
}

function parseJson(text: string, ctx: ParseContext): BuildDiagnostic[] | null {
  const data = extractJson(text, '[');
  if (!Array.isArray(data)) return null;
  const out: BuildDiagnostic[] = [];
  for (const file of data) {
    if (!isRecord(file) || !Array.isArray(file.messages)) continue;
    const filePath = str(file.filePath);
    for (const m of file.messages) {
      if (!isRecord(m)) continue;
      out.push(
        ctx.diag({
          file: filePath,
          line: num(m.line),
          column: num(m.column),
          // severity 2 is error; fatal parse errors are always errors.
          severity: m.severity === 2 || m.fatal === true ? 'error' : 'warning',
          code: str(m.ruleId),
          message: str(m.message) ?? '',
        }),
      );
    }
  }
  return out;
}

export function parseEslint(text: string, ctx: ParseContext): BuildDiagnostic[] {
  if (/^\s*\[\s*(\{\s*"filePath"|\])/m.test(text.slice(0, 10000)) || text.includes('"filePath":')) {
    const json = parseJson(text, ctx);
    if (json) return json;
  }
  const out: BuildDiagnostic[] = [];
  let file: string | null = null;
  for (const line of splitLines(text)) {
    const st = match(STYLISH, line);
    if (st && file !== null) {
      out.push(
        ctx.diag({
          file,
          line: toInt(st[1]),
          column: toInt(st[2]),
          severity: sev(st[3] ?? 'error'),
          code: st[5] ?? null,
          message: st[4] ?? '',
        }),
      );
      continue;
    }
    const cp = match(COMPACT, line);
    if (cp) {
      let message = cp[5] ?? '';
      let code: string | null = null;
      const rule = /^(.*) \(([^()]+)\)$/.exec(message);
      if (rule && RULE.test(rule[2] ?? '')) {
        message = rule[1] ?? message;
        code = rule[2] ?? null;
      }
      out.push(ctx.diag({ file: cp[1], line: toInt(cp[2]), column: toInt(cp[3]), severity: sev(cp[4] ?? ''), code, message }));
      continue;
    }
    const ux = match(UNIX, line);
    if (ux) {
      out.push(
        ctx.diag({ file: ux[1], line: toInt(ux[2]), column: toInt(ux[3]), severity: sev(ux[5] ?? ''), code: ux[6] ?? null, message: ux[4] ?? '' }),
      );
      continue;
    }
    // Stylish file headers are unindented, non-summary lines; anything else unindented resets.
    if (/^\S/.test(line) && !/^[✖✔]/.test(line) && !/^\d+ problems?/.test(line)) {
      file = line.trim();
    } else if (line.trim() === '' || /^[✖✔]/.test(line)) {
      file = line.trim() === '' ? file : null;
    }
  }
  return out;
}
