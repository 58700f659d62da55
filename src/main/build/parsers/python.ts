// Parser for plain Python tracebacks (including chained exceptions and SyntaxErrors) and printed warnings.

import type { BuildDiagnostic, DiagnosticNote, ParseContext } from '../types';
import { match, splitLines, toInt } from './lines';

const TB_START = /^\s*Traceback \(most recent call last\):\s*$/;
const FRAME = /^\s*File "(.+?)", line (\d+)(?:, in (.*))?$/;
const CHAIN = /^(During handling of the above exception, another exception occurred:|The above exception was the direct cause of the following exception:)$/;
const WARNING = /^(\S.*?):(\d+): (\w*Warning): (.*)$/;
/** An exception line: "ValueError: x", "json.decoder.JSONDecodeError: ...", or a bare "KeyboardInterrupt". */
export const EXCEPTION = /^([A-Za-z_][\w.]*(?:Error|Exception|Warning|Exit|Interrupt|Failure|Failed|Iteration|Timeout|Fault)|[A-Za-z_][\w.]*\.[A-Z]\w*)(?::\s?(.*))?$/;

export interface Frame {
  file: string;
  line: number | null;
}

interface Traceback {
  frames: Frame[];
  exception: string;
}

/** Pick the innermost frame inside the project (falling back to the innermost frame at all). */
export function pickFrame(frames: Frame[], ctx: ParseContext): Frame | null {
  for (let i = frames.length - 1; i >= 0; i--) {
    const f = frames[i];
    if (f && ctx.inProject(f.file)) return f;
  }
  return frames[frames.length - 1] ?? null;
}

function toDiag(chain: Traceback[], ctx: ParseContext): BuildDiagnostic | null {
  const last = chain[chain.length - 1];
  if (!last) return null;
  const chosen = pickFrame(last.frames, ctx);
  const notes: DiagnosticNote[] = [];
  for (const f of last.frames) {
    if (f !== chosen && ctx.inProject(f.file)) notes.push(ctx.note(f.file, f.line, null, 'called from here'));
  }
  // Earlier exceptions in a chain ("direct cause", "during handling") explain the final one.
  for (const tb of chain.slice(0, -1)) {
    const f = pickFrame(tb.frames, ctx);
    notes.push(ctx.note(f?.file ?? null, f?.line ?? null, null, tb.exception || 'exception'));
  }
  return ctx.diag({
    file: chosen?.file ?? null,
    line: chosen?.line ?? null,
    severity: 'error',
    message: last.exception || 'Traceback',
    notes,
  });
}

export function parsePython(text: string, ctx: ParseContext): BuildDiagnostic[] {
  const out: BuildDiagnostic[] = [];
  const lines = splitLines(text);
  let chain: Traceback[] = [];
  let tb: Traceback | null = null;
  // Set right after a chain separator, so the next "Traceback" continues the same diagnostic.
  let chained = false;

  const flush = () => {
    const d = toDiag(chain, ctx);
    if (d) out.push(d);
    chain = [];
    tb = null;
  };

  for (const line of lines) {
    if (match(TB_START, line)) {
      if (!chained && chain.length) flush();
      chained = false;
      tb = { frames: [], exception: '' };
      chain.push(tb);
      continue;
    }
    const fr = match(FRAME, line);
    if (fr) {
      // A SyntaxError at top level prints a bare `File "x", line N` with no Traceback header.
      if (!tb || tb.exception) {
        if (!chained && chain.length) flush();
        chained = false;
        tb = { frames: [], exception: '' };
        chain.push(tb);
      }
      tb.frames.push({ file: ctx.path(fr[1] ?? ''), line: toInt(fr[2]) });
      continue;
    }
    if (match(CHAIN, line)) {
      chained = true;
      continue;
    }
    const w = match(WARNING, line);
    if (w && !tb) {
      out.push(ctx.diag({ file: w[1], line: toInt(w[2]), severity: 'warning', message: `${w[3] ?? ''}: ${w[4] ?? ''}` }));
      continue;
    }
    if (tb && !tb.exception && tb.frames.length && /^\S/.test(line)) {
      // The first unindented line after the frames is the exception.
      tb.exception = line.trim();
      continue;
    }
    if (tb && tb.exception && line.trim() === '') {
      tb = null;
    }
  }
  if (chain.length) flush();
  return out;
}
