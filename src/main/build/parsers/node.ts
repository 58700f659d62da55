// Parser for Node.js's own error reports: syntax errors (`node --check`, a module that does not compile), uncaught
// exceptions and unhandled rejections with their stacks (CommonJS paths and ESM file:// URLs), MODULE_NOT_FOUND /
// ERR_MODULE_NOT_FOUND, and process warnings. An error is located at the first stack frame inside the project.
// A script may also print its own "file:line: message" reports; the rest of the output gets the generic pass.

import type { BuildDiagnostic, DiagnosticNote, ParseContext } from '../types';
import { parseGeneric } from './generic';
import { match, splitLines, toInt } from './lines';
import { parseFrame, type JsFrame } from './stack';

// Where Node says the error was thrown: "/app/lib/x.js:5", "file:///app/src/a.mjs:3", "node:internal/.../loader:1210".
const HEADER = /^((?:file:\/\/\/?|node:)?(?:[A-Za-z]:[\\/])?[^\s:][^:]*?):(\d+)$/;
const CARET = /^\s*\^+\s*$/;
// "TypeError: x", "Error [ERR_MODULE_NOT_FOUND]: x", "UnhandledPromiseRejection: x", "AssertionError [ERR_ASSERTION]: x".
const ERROR_LINE = /^(?:Uncaught )?([A-Z][\w$]*(?:Error|Exception|Rejection)|Error)(?: \[([A-Z][A-Z0-9_]*)\])?(?::\s?(.*))?$/;
const NODE_VERSION = /^Node\.js v\d+\.\d+\.\d+\s*$/;
const WARNING = /^\(node:\d+\) (?:\[([A-Z]+\d+)\] )?(\w*Warning): (.*)$/;
// After the frames, Node prints the error's own properties: "... {", "  code: 'MODULE_NOT_FOUND',", "}".
const PROPS_OPEN = /\s\{$/;
const TOP_CODE = /^ {2}code: '([A-Za-z][\w-]*)',?$/;
const CAUSE = /^ {2}\[cause\]: (.+?)(?: \{)?$/;
const REQUIRE_STACK = /^- (.+)$/;
const IMPORTED_FROM = / imported from (.+)$/;
// A package name ("express", "@scope/pkg/sub"), not a relative or absolute path.
const BARE_MODULE = /Cannot find (?:module|package) '((?:@[\w-][\w.-]*\/)?[\w-][\w.-]*)(?:\/[^']*)?'/;

interface Block {
  header: { file: string; line: number | null; column: number | null } | null;
  message: string | null;
  code: string | null;
  frames: JsFrame[];
  requires: string[];
  cause: { message: string; frames: JsFrame[] } | null;
  /** Inside the `{ ... }` property dump after the frames. */
  props: boolean;
  /** Printed with no source excerpt: only an error if Node's closing "Node.js vX" line follows (else it was logged). */
  tentative: boolean;
  inRequireStack: boolean;
}

/** "[eval]", "[eval]-wrapper", "[stdin]": code passed on the command line, not a file of the project. */
function isEval(file: string): boolean {
  return /^\[(?:eval|stdin|worker eval)\]/.test(file);
}

function inProject(file: string, ctx: ParseContext): boolean {
  return !isEval(file) && ctx.inProject(file);
}

function flushBlock(b: Block, ctx: ParseContext): BuildDiagnostic | null {
  if (b.message === null) return null;
  const frames = b.frames.filter((f) => inProject(f.file, ctx));
  const first = frames[0] ?? null;
  let file: string | null = null;
  let line: number | null = null;
  let column: number | null = null;
  if (first) {
    ({ file, line, column } = first);
  } else if (b.header && inProject(b.header.file, ctx)) {
    ({ file, line, column } = b.header);
  } else {
    // No frame in the project (an ESM resolution error, a rejection with a plain value): the importer, if named.
    const from = IMPORTED_FROM.exec(b.message)?.[1];
    const req = b.requires.find((r) => inProject(r, ctx));
    const where = from ? ctx.path(from) : req;
    if (where && inProject(where, ctx)) file = where;
  }
  const notes: DiagnosticNote[] = [];
  for (const f of frames.slice(1)) notes.push(ctx.note(f.file, f.line, f.column, 'called from here'));
  // The require stack names the files that asked for a missing module, innermost first.
  for (const r of b.requires.slice(1)) if (inProject(r, ctx) && r !== file) notes.push(ctx.note(r, null, null, 'required from here'));
  if (b.cause) {
    const at = b.cause.frames.find((f) => inProject(f.file, ctx)) ?? null;
    notes.push(ctx.note(at?.file ?? null, at?.line ?? null, at?.column ?? null, `caused by ${b.cause.message}`));
  }
  const bare = BARE_MODULE.exec(b.message)?.[1];
  if (bare && (b.code === 'MODULE_NOT_FOUND' || b.code === 'ERR_MODULE_NOT_FOUND')) {
    notes.push(ctx.note(null, null, null, `hint: install dependencies (npm ci); if \`${bare}\` is not in package.json, add it (npm install ${bare})`));
  }
  return ctx.diag({ file, line, column, severity: 'error', code: b.code, message: b.message, notes });
}

function newBlock(): Block {
  return { header: null, message: null, code: null, frames: [], requires: [], cause: null, props: false, inRequireStack: false, tentative: false };
}

export function parseNode(text: string, ctx: ParseContext): BuildDiagnostic[] {
  const out: BuildDiagnostic[] = [];
  const lines = splitLines(text);
  let block: Block | null = null;
  // Lines that belong to Node's reports (source excerpts, frames, property dumps): not for the generic pass.
  const used = new Set<number>();

  const flush = (fatal = false) => {
    if (block && (fatal || !block.tentative)) {
      const d = flushBlock(block, ctx);
      if (d) out.push(d);
    }
    block = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trimEnd();
    if (block) used.add(i);

    if (match(NODE_VERSION, line)) {
      used.add(i);
      flush(true);
      continue;
    }

    const w = match(WARNING, line);
    if (w) {
      used.add(i);
      out.push(ctx.diag({ severity: 'warning', code: w[1] ?? null, message: `${w[2] ?? 'Warning'}: ${w[3] ?? ''}` }));
      continue;
    }

    // A header counts only with its source line and caret under it; "path:12" alone is too common to trust.
    const h = match(HEADER, line);
    if (h) {
      const caretAt = [i + 1, i + 2].find((j) => CARET.test(lines[j] ?? ''));
      if (caretAt !== undefined) {
        flush();
        const b = newBlock();
        const caret = lines[caretAt] ?? '';
        b.header = { file: ctx.path(h[1] ?? ''), line: toInt(h[2]), column: caretAt === i + 2 ? caret.indexOf('^') + 1 : null };
        block = b;
        for (let j = i; j <= caretAt; j++) used.add(j);
        i = caretAt;
        continue;
      }
    }

    if (block && block.message === null && block.header) {
      // The first non-empty line after the caret is what was thrown: an Error's "Name: message", or any value.
      if (line.trim() === '') continue;
      const e = match(ERROR_LINE, line);
      block.message = e ? line.replace(/^Uncaught /, '') : line.trim();
      if (e?.[2]) block.code = e[2];
      continue;
    }

    const e = match(ERROR_LINE, line);
    if (e && (!block || block.message !== null) && !block?.props && parseFrame(lines[i + 1] ?? '', ctx)) {
      // An error printed without a source excerpt, straight followed by its stack.
      flush();
      const b = newBlock();
      b.message = line.replace(/^Uncaught /, '');
      b.code = e[2] ?? null;
      b.tentative = true;
      block = b;
      used.add(i);
      continue;
    }

    if (!block) continue;
    const b: Block = block;

    if (b.props) {
      const c = match(TOP_CODE, line);
      if (c && !b.code) b.code = c[1] ?? null;
      const cause = match(CAUSE, line);
      if (cause) b.cause = { message: cause[1] ?? '', frames: [] };
      else if (b.cause) {
        const f = parseFrame(line.replace(PROPS_OPEN, ''), ctx);
        if (f) b.cause.frames.push(f);
      }
      if (line === '}') b.props = false;
      continue;
    }

    const f = parseFrame(line.replace(PROPS_OPEN, ''), ctx);
    if (f) {
      b.frames.push(f);
      b.inRequireStack = false;
      if (PROPS_OPEN.test(line)) b.props = true;
      continue;
    }
    if (line === 'Require stack:') {
      b.inRequireStack = true;
      continue;
    }
    const r = b.inRequireStack ? match(REQUIRE_STACK, line) : null;
    if (r) {
      b.requires.push(ctx.path(r[1] ?? ''));
      continue;
    }
    // "... 5 lines matching cause stack trace ...", "Emitted 'error' event on Server instance at:": part of the report.
    if (/^\s+\.\.\. \d+ lines? matching /.test(line) || /^Emitted '.+' event on .+ at:$/.test(line)) continue;
    if (PROPS_OPEN.test(line) && b.frames.length) {
      b.props = true;
      continue;
    }
  }
  flush();
  out.push(...parseGeneric(lines.map((l, i) => (used.has(i) ? '' : l)).join('\n'), ctx));
  return out;
}
