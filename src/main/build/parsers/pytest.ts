// Parser for pytest reports: failures and errors (long/short/line/native tracebacks), collection errors and
// the warnings summary; each failure points at the innermost traceback frame inside the project.

import type { BuildDiagnostic, ParseContext } from '../types';
import { match, splitLines, toInt } from './lines';
import { EXCEPTION, pickFrame, type Frame } from './python';

const SECTION = /^={3,} (.+?) ={3,}$/;
const ENTRY = /^_{3,} (.+?) _{3,}$/;
const LOCATION = /^(\S[^:]*?\.pyi?|<[^>]+>):(\d+): ?(.*)$/;
const NATIVE_FRAME = /^\s*File "(.+?)", line (\d+)/;
const E_LINE = /^E {1,}(.*)$/;
const WARN = /^\s+(\S.*?):(\d+): (\w*Warning): (.*)$/;
const SUMMARY_LINE = /^(FAILED|ERROR) (\S+?)(?: - (.*))?$/;

interface Entry {
  title: string;
  frames: Frame[];
  eLines: string[];
  plain: string[];
}

function testName(title: string): { name: string | null; collecting: string | null } {
  const col = /^ERROR collecting (.+)$/.exec(title);
  if (col) return { name: null, collecting: col[1] ?? null };
  const setup = /^ERROR at (?:setup|teardown) of (.+)$/.exec(title);
  return { name: setup ? (setup[1] ?? title) : title, collecting: null };
}

function pickMessage(eLines: string[], plain: string[]): string {
  const trimmed = eLines.map((l) => l.trim()).filter((l) => l !== '');
  const exc = trimmed.find((l) => EXCEPTION.test(l));
  if (exc) return exc;
  if (trimmed[0]) return trimmed[0];
  // --tb=native prints a normal traceback whose last unindented line is the exception.
  const nat = plain.filter((l) => /^\S/.test(l) && EXCEPTION.test(l.trim()));
  return nat[nat.length - 1]?.trim() ?? '';
}

export function parsePytest(text: string, ctx: ParseContext): BuildDiagnostic[] {
  const out: BuildDiagnostic[] = [];
  const seen = new Set<string>();
  let section = '';
  let entry: Entry | null = null;
  // --tb=line reports carry no test name; the short summary lists the same failures in the same order.
  const unnamed: { diag: BuildDiagnostic; raw: string }[] = [];
  // Entries without any location (e.g. --tb=line setup errors) get their file from the summary.
  const fileless = new Map<string, BuildDiagnostic>();

  const flush = () => {
    if (!entry) return;
    const { name, collecting } = testName(entry.title);
    const frames = [...entry.frames];
    // A SyntaxError raised while importing names the real location inside the E lines.
    for (const l of entry.eLines) {
      const f = NATIVE_FRAME.exec(l);
      if (f) frames.push({ file: ctx.path(f[1] ?? ''), line: toInt(f[2]) });
    }
    const frame = pickFrame(frames, ctx);
    const msg = pickMessage(entry.eLines, entry.plain);
    const d = ctx.diag({
      file: frame?.file ?? collecting,
      line: frame?.line ?? null,
      severity: 'error',
      message: name ? `${name}: ${msg}` : msg,
    });
    out.push(d);
    if (d.file === null && name) fileless.set(name, d);
    seen.add(name ?? collecting ?? '');
    entry = null;
  };

  for (const line of splitLines(text)) {
    const sec = match(SECTION, line);
    if (sec) {
      flush();
      section = (sec[1] ?? '').toLowerCase();
      continue;
    }
    const inFailures = section === 'failures' || section === 'errors';
    if (inFailures) {
      const en = match(ENTRY, line);
      if (en) {
        flush();
        entry = { title: (en[1] ?? '').trim(), frames: [], eLines: [], plain: [] };
        continue;
      }
      if (!entry) {
        // --tb=line: "/abs/tests/test_x.py:6: AssertionError: assert 6 == 7" with no entry headers.
        const lineMode = match(LOCATION, line);
        if (lineMode) {
          const raw = lineMode[3] ?? '';
          const diag = ctx.diag({ file: lineMode[1], line: toInt(lineMode[2]), severity: 'error', message: raw });
          out.push(diag);
          unnamed.push({ diag, raw });
        }
        continue;
      }
      const e = match(E_LINE, line);
      if (e) {
        entry.eLines.push(e[1] ?? '');
        continue;
      }
      const loc = match(LOCATION, line);
      if (loc) {
        entry.frames.push({ file: ctx.path(loc[1] ?? ''), line: toInt(loc[2]) });
        continue;
      }
      const nat = match(NATIVE_FRAME, line);
      if (nat) {
        entry.frames.push({ file: ctx.path(nat[1] ?? ''), line: toInt(nat[2]) });
        continue;
      }
      entry.plain.push(line);
      continue;
    }
    if (section === 'warnings summary') {
      const w = match(WARN, line);
      if (w) out.push(ctx.diag({ file: w[1], line: toInt(w[2]), severity: 'warning', message: `${w[3] ?? ''}: ${w[4] ?? ''}` }));
      continue;
    }
    if (section === 'short test summary info') {
      // Only used when no detailed report was printed for the test (e.g. --tb=no).
      const s = match(SUMMARY_LINE, line);
      if (!s) continue;
      const nodeid = s[2] ?? '';
      const parts = nodeid.split('::');
      const file = parts[0] ?? nodeid;
      const name = parts.length > 1 ? parts.slice(1).join('.') : null;
      const msgText = s[3] ?? '';
      if (name) {
        const noFile = fileless.get(name) ?? fileless.get(parts[parts.length - 1] ?? '');
        if (noFile && noFile.file === null) noFile.file = ctx.path(file);
        // Summary messages are cut with "..." when long, so compare by prefix.
        const prefix = msgText.replace(/\.\.\.$/, '');
        const i = unnamed.findIndex((u) => u.raw.startsWith(prefix));
        const hit = i >= 0 ? unnamed.splice(i, 1)[0] : undefined;
        if (hit) {
          hit.diag.message = `${name}: ${hit.raw}`;
          seen.add(name);
          continue;
        }
      }
      if (seen.has(name ?? file) || (name && seen.has(parts[parts.length - 1] ?? ''))) continue;
      seen.add(name ?? file);
      const msg = s[3] ?? (s[1] === 'ERROR' ? 'error' : 'failed');
      out.push(ctx.diag({ file, severity: 'error', message: name ? `${name}: ${msg}` : msg }));
    }
  }
  flush();
  return out;
}
