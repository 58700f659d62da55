// Parser for ruff's full (default), concise and json output formats.

import type { BuildDiagnostic, ParseContext } from '../types';
import { extractJson, isRecord, num, str } from './json';
import { match, splitLines, toInt } from './lines';

const CONCISE = /^(.+?):(\d+):(\d+): (?:([A-Z]+[0-9]+) )?(?:\[\*\] )?(.*)$/;
const FULL_HEAD = /^([A-Z]+[0-9]+|invalid-syntax|SyntaxError)(?:\[[^\]]*\])?:? (?:\[\*\] )?(.*)$/;
const ARROW = /^\s*--> (.+?):(\d+):(\d+)\s*$/;

function parseJson(text: string, ctx: ParseContext): BuildDiagnostic[] | null {
  const data = extractJson(text, '[');
  if (!Array.isArray(data)) return null;
  const out: BuildDiagnostic[] = [];
  for (const v of data) {
    if (!isRecord(v)) continue;
    const loc = isRecord(v.location) ? v.location : {};
    const fix = isRecord(v.fix) ? str(v.fix.message) : null;
    out.push(
      ctx.diag({
        file: str(v.filename),
        line: num(loc.row),
        column: num(loc.column),
        // ruff has no warning tier: every reported violation fails the check.
        severity: 'error',
        code: str(v.code),
        message: str(v.message) ?? '',
        notes: fix ? [ctx.note(null, null, null, 'help: ' + fix)] : [],
      }),
    );
  }
  return out;
}

export function parseRuff(text: string, ctx: ParseContext): BuildDiagnostic[] {
  if (text.includes('"noqa_row"') || /^\s*\[\s*\{\s*"cell"/.test(text)) {
    const json = parseJson(text, ctx);
    if (json) return json;
  }
  const out: BuildDiagnostic[] = [];
  // In the full format a headline ("F401 [*] `os` imported but unused") is followed by " --> file:l:c".
  let pending: { code: string | null; message: string } | null = null;
  let current: BuildDiagnostic | null = null;
  for (const line of splitLines(text)) {
    const arrow = match(ARROW, line);
    if (arrow && pending) {
      current = ctx.diag({
        file: arrow[1],
        line: toInt(arrow[2]),
        column: toInt(arrow[3]),
        severity: 'error',
        code: pending.code,
        message: pending.message,
      });
      out.push(current);
      pending = null;
      continue;
    }
    const head = match(FULL_HEAD, line);
    if (head) {
      const word = head[1] ?? '';
      const isRule = /^[A-Z]+[0-9]+$/.test(word);
      pending = { code: isRule ? word : null, message: isRule ? (head[2] ?? '') : `${word === 'invalid-syntax' ? 'SyntaxError' : word}: ${head[2] ?? ''}` };
      current = null;
      continue;
    }
    const help = /^help: (.*)$/.exec(line);
    if (help && current) {
      current.notes.push(ctx.note(null, null, null, 'help: ' + (help[1] ?? '')));
      continue;
    }
    const c = match(CONCISE, line);
    if (c && /\.(py|pyi|ipynb)$/.test(c[1] ?? '')) {
      out.push(
        ctx.diag({ file: c[1], line: toInt(c[2]), column: toInt(c[3]), severity: 'error', code: c[4] ?? null, message: c[5] ?? '' }),
      );
      pending = null;
      current = null;
    }
  }
  return out;
}
