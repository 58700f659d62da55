// Parser for the Go toolchain: `go build`/`go vet` compile errors and `go test` failures (t.Error logs and panics).

import type { BuildDiagnostic, ParseContext } from '../types';
import { match, splitLines, toInt } from './lines';

const COMPILE = /^(?:vet: )?(\S.*?\.go):(\d+)(?::(\d+))?: (.*)$/;
const FAIL_HEAD = /^(\s*)--- FAIL: (\S+) \([\d.]+s\)$/;
const LOG = /^\s+([\w.-]+\.go):(\d+): (.*)$/;
const PKG_RESULT = /^(ok|FAIL|\?)\s+(\S+)(?:\s+(.*))?$/;
const PKG_HEADER = /^# (\S+)(?: \[(\S+)\])?$/;
const FRAME = /^\t(\S+\.go):(\d+)(?: \+0x[0-9a-f]+)?$/;
// `go test -v` announces tests and prints their logs *before* the verdict line.
const RUN = /^=== (RUN|CONT|PAUSE|NAME)\s+(\S+)$/;
const VERDICT = /^\s*--- (PASS|SKIP): (\S+) /;

interface TestDiag {
  diag: BuildDiagnostic;
  /** Set for t.Log-style locations, which Go prints as a bare file name relative to the package dir. */
  bare: boolean;
}

/**
 * `go test` prints log locations as "calc_test.go:7", relative to the package directory. We only know
 * import paths, so the module path is inferred: the shortest listed package that prefixes all others.
 */
function moduleOf(pkgs: Set<string>): string | null {
  const list = [...pkgs];
  let best: string | null = null;
  for (const p of list) {
    if (list.every((q) => q === p || q.startsWith(p + '/'))) {
      if (best === null || p.length < best.length) best = p;
    }
  }
  return best;
}

export function parseGo(text: string, ctx: ParseContext): BuildDiagnostic[] {
  const out: BuildDiagnostic[] = [];
  const pkgs = new Set<string>();
  // Test diagnostics of the package whose output we are reading; flushed at its ok/FAIL line.
  let pendingTests: TestDiag[] = [];
  const resolved: { pkg: string | null; items: TestDiag[] }[] = [];
  const failStack: { indent: number; name: string; hasDiag: boolean }[] = [];
  let currentCompile: BuildDiagnostic | null = null;
  let lastLog: BuildDiagnostic | null = null;
  let inPanic: { message: string; test: string } | null = null;
  // -v mode: logs are held per test until its --- FAIL (kept) or --- PASS/SKIP (dropped).
  let verbose = false;
  let running: string | null = null;
  const held = new Map<string, TestDiag[]>();
  const lines = splitLines(text);

  const currentTest = () => failStack[failStack.length - 1];

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const ph = match(PKG_HEADER, line);
    if (ph) {
      pkgs.add(ph[1] ?? '');
      currentCompile = null;
      continue;
    }
    const run = match(RUN, line);
    if (run) {
      verbose = true;
      if (run[1] !== 'PAUSE') running = run[2] ?? null;
      lastLog = null;
      continue;
    }
    const verdict = match(VERDICT, line);
    if (verdict) {
      held.delete(verdict[2] ?? '');
      lastLog = null;
      continue;
    }
    const fh = match(FAIL_HEAD, line);
    if (fh) {
      const name = fh[2] ?? '';
      const kept = held.get(name);
      if (kept) {
        pendingTests.push(...kept);
        held.delete(name);
      }
      const indent = (fh[1] ?? '').length;
      while (failStack.length && (failStack[failStack.length - 1]?.indent ?? 0) >= indent) failStack.pop();
      failStack.push({ indent, name: fh[2] ?? '', hasDiag: false });
      lastLog = null;
      currentCompile = null;
      continue;
    }
    const res = match(PKG_RESULT, line);
    // "ok  pkg 0.01s", "FAIL pkg [build failed]", "?   pkg [no test files]" close a package's output.
    if (res && !/\.go:\d+/.test(line)) {
      const pkg = res[2] ?? '';
      pkgs.add(pkg);
      if (pendingTests.length) resolved.push({ pkg, items: pendingTests });
      pendingTests = [];
      failStack.length = 0;
      lastLog = null;
      inPanic = null;
      currentCompile = null;
      continue;
    }
    const panic = /^panic: (.*?)(?: \[recovered\])?$/.exec(line);
    if (panic && !inPanic) {
      inPanic = { message: 'panic: ' + (panic[1] ?? ''), test: currentTest()?.name ?? running ?? '' };
      continue;
    }
    if (inPanic) {
      const fr = match(FRAME, line);
      if (fr) {
        const file = ctx.path(fr[1] ?? '');
        // Goroutine traces list the innermost call first, so the first project frame is where it blew up.
        if (ctx.inProject(file)) {
          const diag = ctx.diag({
            file,
            line: toInt(fr[2]),
            severity: 'error',
            message: inPanic.test ? `${inPanic.test}: ${inPanic.message}` : inPanic.message,
          });
          pendingTests.push({ diag, bare: false });
          const t = currentTest();
          if (t) t.hasDiag = true;
          inPanic = { message: '', test: '' };
        }
      }
      continue;
    }
    const log = match(LOG, line);
    if (log && verbose && running) {
      const diag = ctx.diag({ file: log[1], line: toInt(log[2]), severity: 'error', message: `${running}: ${log[3] ?? ''}` });
      const list = held.get(running) ?? [];
      list.push({ diag, bare: true });
      held.set(running, list);
      lastLog = diag;
      continue;
    }
    if (log && failStack.length) {
      const t = currentTest();
      const diag = ctx.diag({
        file: log[1],
        line: toInt(log[2]),
        severity: 'error',
        message: t ? `${t.name}: ${log[3] ?? ''}` : (log[3] ?? ''),
      });
      pendingTests.push({ diag, bare: true });
      if (t) t.hasDiag = true;
      lastLog = diag;
      continue;
    }
    if (lastLog && /^\s{8,}\S/.test(line)) {
      // Multi-line t.Errorf output is indented one level deeper than its first line.
      lastLog.message += '\n' + line.trim();
      continue;
    }
    const c = match(COMPILE, line);
    if (c) {
      currentCompile = ctx.diag({ file: c[1], line: toInt(c[2]), column: toInt(c[3]), severity: 'error', message: c[4] ?? '' });
      out.push(currentCompile);
      continue;
    }
    if (currentCompile && /^\t\S/.test(line)) {
      // "have (int)\n\twant (string)" style continuation of a type error.
      currentCompile.message += '\n' + line.trim();
      continue;
    }
    currentCompile = null;
  }
  if (pendingTests.length) resolved.push({ pkg: null, items: pendingTests });

  const mod = moduleOf(pkgs);
  for (const group of resolved) {
    let dir: string | null = null;
    if (group.pkg && mod !== null && (group.pkg === mod || group.pkg.startsWith(mod + '/'))) {
      dir = group.pkg === mod ? '' : group.pkg.slice(mod.length + 1);
    }
    for (const item of group.items) {
      if (item.bare && dir && item.diag.file && !item.diag.file.includes('/')) item.diag.file = `${dir}/${item.diag.file}`;
      out.push(item.diag);
    }
  }
  return out;
}
