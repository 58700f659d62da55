// JavaScript stack-frame parsing shared by the jest and vitest parsers.

import type { ParseContext } from '../types';
import { toInt } from './lines';

export interface JsFrame {
  file: string;
  line: number | null;
  column: number | null;
}

// "    at fn (src/cart.js:6:39)", "    at src/cart.js:6:39", "    at async Promise.all (index 0)".
const AT = /^\s+at (?:.*? \()?(?:file:\/\/)?(.+?):(\d+):(\d+)\)?$/;
// Vitest: " ❯ Queue.pop src/queue.ts:6:32", " ❯ Timeout.fail [as _onTimeout] src/t.ts:6:9" or " ❯ src/q.test.ts:14:14".
const ARROW = /^\s*❯ (?:.* )?(?:file:\/\/)?(\S+?):(\d+):(\d+)$/;

export function parseFrame(line: string, ctx: ParseContext): JsFrame | null {
  if (line.length > 2000) return null;
  const m = AT.exec(line) ?? ARROW.exec(line);
  if (!m) return null;
  return { file: ctx.path(m[1] ?? ''), line: toInt(m[2]), column: toInt(m[3]) };
}

/** The innermost frame in project code: stacks print innermost first. */
export function firstProjectFrame(frames: JsFrame[], ctx: ParseContext): JsFrame | null {
  return frames.find((f) => ctx.inProject(f.file)) ?? null;
}
