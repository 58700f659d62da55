// Parser for Vitest reports: "FAIL file > suite > test" sections, failed suites and unhandled errors,
// located at the innermost stack frame inside the project.

import type { BuildDiagnostic, ParseContext } from '../types';
import { match, splitLines } from './lines';
import { firstProjectFrame, parseFrame, type JsFrame } from './stack';

const FAIL = /^\s*FAIL\s+(\S+?)(?: \[ .*? \])?(?: > (.*))?$/;
const SEPARATOR = /^⎯{2,}/;
const SECTION = /⎯+ (Failed Tests|Failed Suites|Unhandled Errors?|Unhandled Rejection|Uncaught Exception)[^⎯]*⎯+/;
const CODE_FRAME = /^\s*\d+\|/;
const ERROR_LINE = /^(\w*(?:Error|Exception)|Error)(?:: |$)/;
const END = /^\s*(Test Files|Tests|Start at|Duration)\s/;

interface Block {
  title: string | null;
  file: string;
  body: string[];
  frames: JsFrame[];
}

export function parseVitest(text: string, ctx: ParseContext): BuildDiagnostic[] {
  const out: BuildDiagnostic[] = [];
  const seen = new Set<string>();
  let block: Block | null = null;
  let section = '';

  const flush = () => {
    if (!block) return;
    const b: Block = block;
    block = null;
    const first = b.body.map((l) => l.trim()).find((l) => l !== '' && !CODE_FRAME.test(l)) ?? '';
    const frame = firstProjectFrame(b.frames, ctx);
    const message = b.title ? (first ? `${b.title}: ${first}` : b.title) : first;
    const d = ctx.diag({
      file: frame?.file ?? (b.file || null),
      line: frame?.line ?? null,
      column: frame?.column ?? null,
      severity: 'error',
      message,
    });
    const key = `${d.file}:${d.line}:${d.message}`;
    if (seen.has(key) || message === '') return;
    seen.add(key);
    out.push(d);
  };

  for (const line of splitLines(text)) {
    const sec = match(SECTION, line);
    if (sec) {
      flush();
      section = (sec[1] ?? '').toLowerCase();
      continue;
    }
    if (SEPARATOR.test(line)) {
      flush();
      // "⎯⎯ Uncaught Exception ⎯⎯" sub-headers inside "Unhandled Errors" keep that section going.
      if (/Uncaught|Unhandled/.test(line) && !section.startsWith('unhandled')) section = 'unhandled';
      continue;
    }
    if (END.test(line)) {
      flush();
      section = '';
      continue;
    }
    const f = match(FAIL, line);
    if (f && (section !== '' || f[2])) {
      flush();
      const title = f[2] ? f[2].split(' > ').map((s) => s.trim()).join(' > ') : null;
      block = { title, file: ctx.path(f[1] ?? ''), body: [], frames: [] };
      continue;
    }
    if ((section.startsWith('unhandled') || section.startsWith('uncaught')) && !block && ERROR_LINE.test(line)) {
      block = { title: null, file: '', body: [line], frames: [] };
      continue;
    }
    if (!block) continue;
    const fr = parseFrame(line, ctx);
    if (fr) {
      block.frames.push(fr);
      continue;
    }
    block.body.push(line);
  }
  flush();
  return out;
}
