// Parser for Jest reports: each "● suite › test" failure (and "Test suite failed to run") becomes one error
// located at the innermost stack frame inside the project.

import type { BuildDiagnostic, ParseContext } from '../types';
import { match, splitLines } from './lines';
import { firstProjectFrame, parseFrame, type JsFrame } from './stack';

const SUITE = /^\s*(FAIL|PASS)\s+(\S.*?)(?:\s+\([\d.]+ m?s\))?$/;
const BULLET = /^\s*● (.+)$/;
const CODE_FRAME = /^\s*>?\s*\d+ \|/;
const END = /^(Test Suites:|Tests:|Snapshots:|Time:|Ran all test suites|Summary of all failing tests)/;

interface Block {
  title: string;
  suite: string | null;
  body: string[];
  frames: JsFrame[];
}

export function parseJest(text: string, ctx: ParseContext): BuildDiagnostic[] {
  const out: BuildDiagnostic[] = [];
  const seen = new Set<string>();
  let suite: string | null = null;
  let block: Block | null = null;

  const flush = () => {
    if (!block) return;
    const b: Block = block;
    block = null;
    // "Console" blocks (console.log output) are printed with the same bullet but are not failures.
    if (/^Console$/.test(b.title)) return;
    const first = b.body.map((l) => l.trim()).find((l) => l !== '' && !CODE_FRAME.test(l)) ?? '';
    const frame = firstProjectFrame(b.frames, ctx);
    const d = ctx.diag({
      file: frame?.file ?? b.suite,
      line: frame?.line ?? null,
      column: frame?.column ?? null,
      severity: 'error',
      message: first ? `${b.title}: ${first}` : b.title,
    });
    // Jest repeats every failure under "Summary of all failing tests" when several suites ran.
    const key = `${d.file}:${d.line}:${d.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(d);
  };

  for (const line of splitLines(text)) {
    const s = match(SUITE, line);
    if (s) {
      flush();
      suite = s[1] === 'FAIL' ? ctx.path(s[2] ?? '') : null;
      continue;
    }
    const b = match(BULLET, line);
    if (b) {
      flush();
      block = { title: (b[1] ?? '').trim(), suite, body: [], frames: [] };
      continue;
    }
    if (END.test(line)) {
      flush();
      continue;
    }
    if (!block) continue;
    const f = parseFrame(line, ctx);
    if (f) {
      block.frames.push(f);
      continue;
    }
    block.body.push(line);
  }
  flush();
  return out;
}
