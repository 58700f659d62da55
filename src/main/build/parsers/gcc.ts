// Parser for gcc/g++/clang: notes, include chains and template-instantiation chains are attached to the
// diagnostic they belong to; also linker errors and `-fdiagnostics-format=json`.

import type { BuildDiagnostic, DiagnosticNote, ParseContext, Severity } from '../types';
import { isRecord, num, str } from './json';
import { match, splitLines, toInt } from './lines';

const HEAD = /^(.+?):(\d+)(?::(\d+))?: (fatal error|error|warning|note|remark|sorry, unimplemented): (.*)$/;
// Driver-level messages without a location: "gcc: error: foo.c: No such file or directory".
const DRIVER = /^(?:\S*\/)?(?:gcc|g\+\+|cc|c\+\+|clang|clang\+\+|cc1|cc1plus)(?:-\d+)?: (fatal error|error|warning): (.*)$/;
const INCLUDED = /^(In file included|\s+) from (.+?):(\d+)(?::(\d+))?[,:]$/;
// "main.cpp:13:24:   required from here", "x.h:5:3:   recursively required from ...", "in 'constexpr' expansion of".
const REQUIRED = /^(.+?):(\d+)(?::(\d+))?:\s+((?:recursively )?required (?:from|by) .*|in .*expansion of .*)$/;
// "container.hpp: In instantiation of '...':" — the other "X: In function 'main':" headers are just context.
const INSTANTIATION = /^(.+?): (In instantiation of .*):$/;
const LINKER_REF = /^(.+?):\(\.[\w.$]*\+0x[0-9a-f]+\): (.*)$/;
const LINKER_MSG = /^(?:\S*\/)?ld(?:\.\w+)?: (?!.*: in function)(cannot find .*|.*undefined reference to .*|.*multiple definition of .*)$/;
const FLAG = /\s\[(-W[\w=+-]+|-f[\w-]+|enabled by default)\]$/;
const SUMMARY = /^(collect2: error: ld returned|clang(?:\+\+)?: error: linker command failed|compilation terminated\.|cc1(?:plus)?: (?:some )?warnings being treated as errors|\d+ (?:errors?|warnings?) generated\.)/;

function severityOf(word: string): Severity {
  if (word === 'note') return 'note';
  if (word === 'warning') return 'warning';
  if (word === 'remark') return 'info';
  return 'error';
}

function splitFlag(message: string): { message: string; code: string | null } {
  const m = FLAG.exec(message);
  if (!m || m[1] === 'enabled by default') return { message: m ? message.slice(0, m.index) : message, code: null };
  return { message: message.slice(0, m.index), code: m[1] ?? null };
}

function parseJson(text: string, ctx: ParseContext): BuildDiagnostic[] {
  const out: BuildDiagnostic[] = [];
  // One JSON array per translation unit, each on its own line.
  for (const raw of splitLines(text)) {
    const t = raw.trim();
    if (!t.startsWith('[')) continue;
    let data: unknown;
    try {
      data = JSON.parse(t);
    } catch {
      continue;
    }
    if (!Array.isArray(data)) continue;
    let last: BuildDiagnostic | null = null;
    const loc = (d: Record<string, unknown>) => {
      const locs = Array.isArray(d.locations) ? d.locations.filter(isRecord) : [];
      const caret = locs[0] && isRecord(locs[0].caret) ? locs[0].caret : null;
      return caret ? { file: str(caret.file), line: num(caret.line), column: num(caret.column) } : { file: null, line: null, column: null };
    };
    for (const d of data) {
      if (!isRecord(d)) continue;
      const kind = str(d.kind) ?? 'error';
      const l = loc(d);
      // gcc 12 emits "declared here" notes as top-level entries after their error, not as children.
      if (kind === 'note' && last) {
        last.notes.push(ctx.note(l.file, l.line, l.column, str(d.message) ?? ''));
        continue;
      }
      const notes: DiagnosticNote[] = [];
      const children = Array.isArray(d.children) ? d.children.filter(isRecord) : [];
      for (const c of children) {
        const cl = loc(c);
        notes.push(ctx.note(cl.file, cl.line, cl.column, str(c.message) ?? ''));
      }
      const diag = ctx.diag({ ...l, severity: severityOf(kind), code: str(d.option), message: str(d.message) ?? '', notes });
      out.push(diag);
      last = diag;
    }
  }
  return out;
}

export function parseGcc(text: string, ctx: ParseContext): BuildDiagnostic[] {
  if (/^\s*\[\{"kind"/m.test(text.slice(0, 4096))) {
    const json = parseJson(text, ctx);
    if (json.length) return json;
  }
  const out: BuildDiagnostic[] = [];
  let current: BuildDiagnostic | null = null;
  // Include chains and instantiation context come *before* the diagnostic they explain.
  let pending: DiagnosticNote[] = [];
  let linkFile: string | null = null;

  for (const line of splitLines(text)) {
    if (SUMMARY.test(line)) {
      continue;
    }
    const inc = match(INCLUDED, line);
    if (inc) {
      pending.push(ctx.note(inc[2] ?? null, toInt(inc[3]), toInt(inc[4]), 'included from here'));
      continue;
    }
    const inst = match(INSTANTIATION, line);
    if (inst) {
      pending.push(ctx.note(inst[1] ?? null, null, null, inst[2] ?? ''));
      continue;
    }
    const req = match(REQUIRED, line);
    if (req) {
      pending.push(ctx.note(req[1] ?? null, toInt(req[2]), toInt(req[3]), req[4] ?? ''));
      continue;
    }
    const h = match(HEAD, line);
    if (h) {
      const severity = severityOf(h[4] ?? 'error');
      const { message, code } = splitFlag(h[5] ?? '');
      if (severity === 'note' && current) {
        current.notes.push(...pending, ctx.note(h[1] ?? null, toInt(h[2]), toInt(h[3]), message.trim()));
        pending = [];
        continue;
      }
      current = ctx.diag({
        file: h[1],
        line: toInt(h[2]),
        column: toInt(h[3]),
        // -Werror=foo turns the warning into an error while keeping the flag in brackets.
        severity: code?.startsWith('-Werror') ? 'error' : severity,
        code,
        message,
        notes: pending,
      });
      pending = [];
      out.push(current);
      continue;
    }
    const drv = match(DRIVER, line);
    if (drv) {
      current = ctx.diag({ severity: severityOf(drv[1] ?? 'error'), message: drv[2] ?? '' });
      out.push(current);
      continue;
    }
    // "/usr/bin/ld: /tmp/cc.o: in function `main':" names the object; the next line names the source.
    const inFn = /^(?:\S*\/)?ld(?:\.\w+)?: (.+?): in function/.exec(line);
    if (inFn) {
      linkFile = inFn[1] ?? null;
      continue;
    }
    const lref = match(LINKER_REF, line);
    if (lref) {
      current = ctx.diag({ file: lref[1], severity: 'error', message: lref[2] ?? '' });
      out.push(current);
      continue;
    }
    const lmsg = match(LINKER_MSG, line);
    if (lmsg) {
      current = ctx.diag({ file: linkFile && !linkFile.startsWith('/tmp/') ? linkFile : null, severity: 'error', message: lmsg[1] ?? '' });
      out.push(current);
    }
  }
  return out;
}
