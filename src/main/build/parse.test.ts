// Tests for the build-output parsers against fixtures captured from the real tools, plus detection,
// ANSI stripping, path normalisation, note attachment and robustness on garbage input.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalizePath } from './context';
import { detectTool, parseBuildOutput, PARSERS, stripAnsi } from './parse';
import type { BuildDiagnostic, Severity } from './types';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/build', import.meta.url));

interface ExpectedDiag {
  file: string | null;
  line: number | null;
  column: number | null;
  severity: Severity;
  code: string | null;
  message: string;
  notes?: { file: string | null; line: number | null }[];
}

interface Fixture {
  tool: string;
  name: string;
  text: string;
  command: string;
  root: string;
  expected: ExpectedDiag[];
}

function loadFixtures(): Fixture[] {
  const out: Fixture[] = [];
  // One folder per tool; loose files (the README) are skipped.
  const dirs = readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  for (const dir of dirs.sort()) {
    for (const f of readdirSync(path.join(FIXTURES, dir)).sort()) {
      if (!f.endsWith('.expected.json')) continue;
      const name = f.slice(0, -'.expected.json'.length);
      const spec = JSON.parse(readFileSync(path.join(FIXTURES, dir, f), 'utf8')) as {
        tool: string;
        command: string;
        root: string;
        diagnostics: ExpectedDiag[];
      };
      out.push({
        tool: dir,
        name,
        text: readFileSync(path.join(FIXTURES, dir, `${name}.txt`), 'utf8'),
        command: spec.command,
        root: spec.root,
        expected: spec.diagnostics,
      });
    }
  }
  return out;
}

/** Message comparison ignores whitespace layout, typographic quotes and a trailing period (stylish drops it). */
function normMessage(m: string): string {
  return m
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\.$/, '');
}

function key(d: { file: string | null; line: number | null; severity: Severity; message: string }): string {
  return JSON.stringify([d.file, d.line, d.severity, normMessage(d.message)]);
}

interface Comparison {
  matched: [ExpectedDiag, BuildDiagnostic][];
  missing: ExpectedDiag[];
  extra: BuildDiagnostic[];
}

function compare(expected: ExpectedDiag[], actual: BuildDiagnostic[]): Comparison {
  const pool = [...actual];
  const matched: [ExpectedDiag, BuildDiagnostic][] = [];
  const missing: ExpectedDiag[] = [];
  for (const e of expected) {
    const i = pool.findIndex((a) => key(a) === key(e));
    const hit = i >= 0 ? pool.splice(i, 1)[0] : undefined;
    if (hit) matched.push([e, hit]);
    else missing.push(e);
  }
  return { matched, missing, extra: pool };
}

function noteKeys(notes: { file: string | null; line: number | null }[]): string[] {
  return notes.map((n) => `${n.file}:${n.line}`).sort();
}

const fixtures = loadFixtures();
const results = fixtures.map((fx) => {
  const actual = parseBuildOutput(fx.text, { command: fx.command, root: fx.root });
  return { fx, actual, cmp: compare(fx.expected, actual) };
});

function score(rs: typeof results): { precision: number; recall: number } {
  let tp = 0;
  let nA = 0;
  let nE = 0;
  for (const r of rs) {
    tp += r.cmp.matched.length;
    nA += r.actual.length;
    nE += r.fx.expected.length;
  }
  return { precision: nA ? tp / nA : 1, recall: nE ? tp / nE : 1 };
}

describe('fixtures captured from real tools', () => {
  it('has a healthy number of fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
  });

  for (const r of results) {
    it(`${r.fx.tool}/${r.fx.name}`, () => {
      // Show what differs, not just a number, when a fixture regresses.
      const diff = {
        missing: r.cmp.missing.map((d) => `${d.file}:${d.line} ${d.severity} ${d.message}`),
        extra: r.cmp.extra.map((d) => `${d.file}:${d.line} ${d.severity} ${d.message}`),
      };
      expect(diff).toEqual({ missing: [], extra: [] });
      for (const [e, a] of r.cmp.matched) {
        expect({ column: a.column, code: a.code }).toEqual({ column: e.column, code: e.code });
        if (e.notes) expect(noteKeys(a.notes)).toEqual(noteKeys(e.notes));
        expect(a.tool).toBe(detectTool(r.fx.text, r.fx.command));
      }
    });
  }

  it('reaches precision and recall >= 0.95 over all fixtures', () => {
    const { precision, recall } = score(results);
    console.log(`overall precision=${precision.toFixed(3)} recall=${recall.toFixed(3)}`);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  const tools = [...new Set(fixtures.map((f) => f.tool))];
  for (const tool of tools) {
    it(`reaches precision and recall >= 0.9 for ${tool}`, () => {
      const { precision, recall } = score(results.filter((r) => r.fx.tool === tool));
      console.log(`${tool}: precision=${precision.toFixed(3)} recall=${recall.toFixed(3)}`);
      expect(precision).toBeGreaterThanOrEqual(0.9);
      expect(recall).toBeGreaterThanOrEqual(0.9);
    });
  }
});

describe('detectTool', () => {
  it('detects the tool from the command', () => {
    expect(detectTool('', 'npx tsc --noEmit')).toBe('tsc');
    expect(detectTool('', 'pnpm exec eslint .')).toBe('eslint');
    expect(detectTool('', 'cargo build --release')).toBe('cargo');
    expect(detectTool('', 'RUST_BACKTRACE=1 cargo test')).toBe('cargo');
    expect(detectTool('', 'g++ -std=c++17 main.cpp')).toBe('gcc');
    expect(detectTool('', 'clang-15 -c x.c')).toBe('gcc');
    expect(detectTool('', 'go test ./...')).toBe('go');
    expect(detectTool('', 'python -m pytest -q')).toBe('pytest');
    expect(detectTool('', 'uv run mypy src')).toBe('mypy');
    expect(detectTool('', 'python3 manage.py migrate')).toBe('python');
    expect(detectTool('', 'npx vitest run')).toBe('vitest');
    expect(detectTool('', 'yarn jest --ci')).toBe('jest');
    expect(detectTool('', 'javac Main.java')).toBe('javac');
    expect(detectTool('', 'ruff check .')).toBe('ruff');
    expect(detectTool('', 'cd app && npx tsc -p .')).toBe('tsc');
    expect(detectTool('', 'node --check src/broken.js')).toBe('node');
    expect(detectTool('', 'node node_modules/.bin/tsc -p .')).toBe('tsc');
    expect(detectTool('', 'node --experimental-vm-modules node_modules/jest/bin/jest.js')).toBe('jest');
  });

  it('lets a recognised output win over a plain `node script.js`, which may wrap any tool', () => {
    const tscOut = readFileSync(path.join(FIXTURES, 'tsc/tsc-chain.txt'), 'utf8');
    expect(detectTool(tscOut, 'node scripts/build.js')).toBe('tsc');
    expect(detectTool('all good\n', 'node scripts/build.js')).toBe('node');
    // `npm test` names no tool: Node's crash report is recognised from the output.
    const crash = readFileSync(path.join(FIXTURES, 'node/node-uncaught.txt'), 'utf8');
    expect(detectTool(crash, 'npm test')).toBe('node');
  });

  it('falls back to the output when the command is opaque (npm test, make)', () => {
    const vitestOut = readFileSync(path.join(FIXTURES, 'vitest/vitest-basic.txt'), 'utf8');
    expect(detectTool(vitestOut, 'npm test')).toBe('vitest');
    const jestOut = readFileSync(path.join(FIXTURES, 'jest/jest-basic.txt'), 'utf8');
    expect(detectTool(jestOut, 'npm test')).toBe('jest');
    const makeOut = readFileSync(path.join(FIXTURES, 'gcc/gcc-include.txt'), 'utf8');
    expect(detectTool(makeOut, 'make -k')).toBe('gcc');
  });

  it('detects every fixture from its content alone', () => {
    const aliases: Record<string, string> = { rustc: 'cargo' };
    for (const fx of fixtures) {
      if (fx.tool === 'generic') continue;
      expect({ fixture: fx.name, tool: detectTool(fx.text) }).toEqual({ fixture: fx.name, tool: aliases[fx.tool] ?? fx.tool });
    }
  });

  it('exposes every parser for forcing with --tool', () => {
    for (const t of ['tsc', 'eslint', 'cargo', 'rustc', 'gcc', 'go', 'pytest', 'python', 'jest', 'vitest', 'javac', 'mypy', 'ruff', 'node', 'generic']) {
      expect(typeof PARSERS[t]).toBe('function');
    }
    const out = parseBuildOutput('src/a.ts:3:4: error: boom', { tool: 'generic' });
    expect(out).toHaveLength(1);
    expect(out[0]?.tool).toBe('generic');
  });
});

describe('stripAnsi', () => {
  it('removes colour codes, OSC hyperlinks and carriage-return progress', () => {
    expect(stripAnsi('\x1b[1m\x1b[91merror\x1b[0m: bad')).toBe('error: bad');
    expect(stripAnsi('\x1b]8;;file:///x.ts\x07x.ts\x1b]8;;\x07:1:2')).toBe('x.ts:1:2');
    expect(stripAnsi('Compiling 10%\rCompiling 50%\rdone\nnext')).toBe('done\nnext');
    expect(stripAnsi('a\r\nb\r\n')).toBe('a\nb\n');
  });

  it('parses coloured output the same as plain output', () => {
    const plain = parseBuildOutput(readFileSync(path.join(FIXTURES, 'cargo/cargo-borrow.txt'), 'utf8'), {
      command: 'cargo build',
      root: '/tmp/mira-fx/cargo-borrow',
    });
    const color = parseBuildOutput(readFileSync(path.join(FIXTURES, 'cargo/cargo-color.txt'), 'utf8'), {
      command: 'cargo build --color always',
      root: '/tmp/mira-fx/cargo-color',
    });
    expect(color).toEqual(plain);
  });
});

describe('path normalisation', () => {
  it('makes paths inside the root relative and keeps outside paths absolute', () => {
    expect(normalizePath('/repo/src/a.ts', '/repo')).toBe('src/a.ts');
    expect(normalizePath('/repo/src/a.ts', '/repo/')).toBe('src/a.ts');
    expect(normalizePath('/repository/a.ts', '/repo')).toBe('/repository/a.ts');
    expect(normalizePath('/usr/include/stdio.h', '/repo')).toBe('/usr/include/stdio.h');
    expect(normalizePath('./src/../lib/x.c', '/repo')).toBe('lib/x.c');
    expect(normalizePath('C:\\work\\app\\src\\main.ts', 'C:/work/app')).toBe('src/main.ts');
    expect(normalizePath('c:\\Work\\App\\x.ts', 'C:\\work\\app')).toBe('x.ts');
    expect(normalizePath('file:///repo/src/x.ts', '/repo')).toBe('src/x.ts');
  });

  it('normalises the paths of parsed diagnostics', () => {
    const out = parseBuildOutput('/home/me/proj/src/x.c:3:1: error: oops\n/usr/include/y.h:1:1: warning: hmm\n', {
      command: 'gcc -c src/x.c',
      root: '/home/me/proj',
    });
    expect(out.map((d) => d.file)).toEqual(['src/x.c', '/usr/include/y.h']);
    const win = parseBuildOutput('C:\\proj\\src\\app.ts(3,5): error TS2322: nope.', { command: 'tsc', root: 'C:\\proj' });
    expect(win[0]?.file).toBe('src/app.ts');
    const generic = parseBuildOutput('C:\\proj\\lint\\a.sh:3:1: warning: quote this', { tool: 'generic', root: 'C:\\proj' });
    expect(generic[0]).toMatchObject({ file: 'lint/a.sh', line: 3, column: 1, severity: 'warning' });
  });
});

describe('multi-line diagnostics', () => {
  it('keeps a tsc message chain as one diagnostic', () => {
    const text = [
      "src/a.ts(5,7): error TS2322: Type 'X' is not assignable to type 'Y'.",
      "  Types of property 'id' are incompatible.",
      "    Type 'number' is not assignable to type 'string'.",
      "src/a.ts(9,1): error TS2304: Cannot find name 'z'.",
    ].join('\n');
    const out = parseBuildOutput(text, { command: 'tsc' });
    expect(out).toHaveLength(2);
    expect(out[0]?.message.split('\n')).toHaveLength(3);
  });

  it('attaches gcc notes and include chains to the error they explain', () => {
    const text = [
      'In file included from src/main.c:2:',
      'include/a.h:5:5: error: unknown type name ‘foo_t’',
      '    5 | foo_t x;',
      '      | ^~~~~',
      'include/a.h:3:1: note: previous declaration here',
      'src/main.c:9:1: warning: unused variable ‘y’ [-Wunused-variable]',
    ].join('\n');
    const out = parseBuildOutput(text, { command: 'gcc -c src/main.c' });
    expect(out).toHaveLength(2);
    expect(out[0]?.notes.map((n) => `${n.file}:${n.line}`)).toEqual(['src/main.c:2', 'include/a.h:3']);
    expect(out[1]).toMatchObject({ severity: 'warning', code: '-Wunused-variable', notes: [] });
  });

  it('attaches rustc labels, notes and help to the main error', () => {
    const fx = results.find((r) => r.fx.name === 'cargo-borrow');
    const cfg = fx?.actual.find((d) => d.message === 'borrow of moved value: `cfg`');
    expect(cfg?.notes.map((n) => n.message)).toEqual(
      expect.arrayContaining(['value moved here', expect.stringMatching(/^note: consider changing this parameter type/)]),
    );
  });

  it('does not report summary lines as diagnostics', () => {
    const summaries = [
      'Found 3 errors in 2 files.',
      'error: could not compile `demo` (bin "demo") due to 2 previous errors',
      '1 failed, 2 passed in 0.1s',
      'collect2: error: ld returned 1 exit status',
      '✖ 9 problems (5 errors, 4 warnings)',
    ];
    for (const tool of Object.keys(PARSERS)) {
      for (const s of summaries) {
        expect({ tool, s, out: parseBuildOutput(s, { tool }) }).toEqual({ tool, s, out: [] });
      }
    }
  });
});

describe('node and missing commands', () => {
  it('reports an error logged with its stack (handled) only when Node then crashed', () => {
    const logged = 'Error: retrying fetch\n    at fetchAll (/repo/src/net.js:4:11)\nlistening on 3000\n';
    expect(parseBuildOutput(logged, { command: 'node src/server.js', root: '/repo' })).toEqual([]);
    const fatal = `${logged}\nNode.js v20.20.2\n`;
    expect(parseBuildOutput(fatal, { command: 'node src/server.js', root: '/repo' })).toEqual([
      expect.objectContaining({ tool: 'node', file: 'src/net.js', line: 4, column: 11, message: 'Error: retrying fetch' }),
    ]);
  });

  it('keeps the "file:line: message" reports a node script prints itself, next to a crash', () => {
    const crash = readFileSync(path.join(FIXTURES, 'node/node-esm.txt'), 'utf8');
    const text = `src/check.mjs:4:3: error: add(2, 3) returned -1, expected 5\n${crash}`;
    const out = parseBuildOutput(text, { command: 'node src/main.mjs', root: '/tmp/mira-fx/node-esm' });
    expect(out.map((d) => [d.tool, d.file, d.line, d.message])).toEqual([
      ['node', 'src/math.mjs', 3, 'RangeError: cannot divide 1 by zero'],
      ['node', 'src/check.mjs', 4, 'add(2, 3) returned -1, expected 5'],
    ]);
  });

  it('locates an error at the first project frame, skipping node:internal and node_modules', () => {
    const fx = results.find((r) => r.fx.name === 'node-uncaught');
    expect(fx?.actual[0]).toMatchObject({ file: 'lib/config.js', line: 5, column: 21 });
    expect(fx?.actual[0]?.notes.map((n) => n.file)).not.toContain(expect.stringContaining('node_modules'));
  });

  it('hints at installing dependencies when a package (not a relative path) is missing', () => {
    const text = [
      "node:internal/modules/cjs/loader:1210",
      "  throw err;",
      "  ^",
      "",
      "Error: Cannot find module 'express'",
      "Require stack:",
      "- /repo/app.js",
      "    at Object.<anonymous> (/repo/app.js:1:17) {",
      "  code: 'MODULE_NOT_FOUND',",
      "  requireStack: [ '/repo/app.js' ]",
      "}",
      "",
      "Node.js v20.20.2",
    ].join('\n');
    const [d] = parseBuildOutput(text, { command: 'node app.js', root: '/repo' });
    expect(d).toMatchObject({ file: 'app.js', line: 1, code: 'MODULE_NOT_FOUND' });
    expect(d?.notes.map((n) => n.message)).toEqual([expect.stringMatching(/^hint: install dependencies \(npm ci\)/)]);
    const relative = results.find((r) => r.fx.name === 'node-module-not-found')?.actual[0];
    expect(relative?.notes.some((n) => n.message.startsWith('hint:'))).toBe(false);
  });

  it('recognises a missing command whatever the tool, in the shells\' own words', () => {
    const out = parseBuildOutput('\n> app@1.0.0 build\n> tsc -p .\n\nsh: 1: tsc: not found\n', { command: 'npm run build' });
    expect(out).toEqual([expect.objectContaining({ tool: 'generic', code: 'command_not_found', message: 'tsc: command not found', file: null })]);
    expect(out[0]?.notes[0]?.message).toMatch(/^hint: install dependencies \(npm ci\)/);
    // A tool's own parser is chosen from the command; the missing tool is still reported.
    expect(parseBuildOutput('sh: 1: tsc: not found\n', { command: 'npx tsc --noEmit' })).toEqual([
      expect.objectContaining({ tool: 'tsc', code: 'command_not_found', message: 'tsc: command not found' }),
    ]);
    // zsh words it the other way round ("zsh: command not found: NAME"), also from a script ("ci.sh:3: ...").
    expect(parseBuildOutput('zsh: command not found: pytest\nci.sh:3: command not found: mypy\n', {}).map((d) => [d.file, d.message, d.notes[0]?.message])).toEqual([
      [null, 'pytest: command not found', expect.stringMatching(/^hint: install it into the project's environment/)],
      [null, 'mypy: command not found', expect.stringMatching(/^hint: install it into the project's environment/)],
    ]);
    // Text that merely says "not found" is no missing command.
    expect(parseBuildOutput('Error: 404: page: not found\nGET /x not found\n', {})).toEqual([]);
  });

  it('falls back to exit status 127 when the shell\'s message is not recognised', () => {
    const out = parseBuildOutput('some-shell> mocha? no such program\n', { command: 'npm test', exitCode: 127 });
    expect(out).toEqual([expect.objectContaining({ code: 'command_not_found', message: 'command not found (exit 127)', severity: 'error' })]);
    expect(parseBuildOutput('some-shell> mocha? no such program\n', { command: 'npm test', exitCode: 1 })).toEqual([]);
    // When the output named the missing command, 127 adds nothing.
    expect(parseBuildOutput('sh: 1: mocha: not found\n', { command: 'npm test', exitCode: 127 })).toHaveLength(1);
  });
});

describe('robustness', () => {
  // A small deterministic PRNG so failures reproduce.
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }
  const alphabet = ['a', 'Z', '0', '9', ':', '(', ')', ',', ' ', '\n', '\r', '\t', '\x1b', '[', ']', '^', '~', '|', '-', '>', '=', '"', '{', '}', '/', '.', '●', '⎯', '❯', 'error', 'warning', 'note', '.ts', '.c', '.py', '.rs', '.go', 'TS2322', '--> ', 'File "', '", line ', 'E   ', 'FAIL ', '--- FAIL: ', '\u0000', '\uffff', '\ud800'];

  it('never throws on random garbage for any tool', () => {
    const rand = rng(42);
    for (let n = 0; n < 300; n++) {
      let s = '';
      const len = Math.floor(rand() * 400);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rand() * alphabet.length)] ?? '';
      for (const tool of [undefined, ...Object.keys(PARSERS)]) {
        expect(() => parseBuildOutput(s, { tool, root: '/r' })).not.toThrow();
      }
    }
  });

  it('handles binary-ish bytes', () => {
    const rand = rng(7);
    const bytes = Buffer.from(Array.from({ length: 200_000 }, () => Math.floor(rand() * 256)));
    const text = bytes.toString('latin1');
    const t0 = performance.now();
    for (const tool of [undefined, ...Object.keys(PARSERS)]) parseBuildOutput(text, { tool });
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('stays fast on long lines built to make the line regexes backtrack', () => {
    const pieces = ['  1:1 error ', 'a  ', 'src/a.c:1:', ' - error TS1: ', '(1,1): ', '\tx.go:1 ', 'E   ', '❯ a ', ' at (', 'File "x", line 1', '|  ^^^ ', '--> a:1:1', ' [-W', '.py:1: error: '];
    const lines = pieces.flatMap((p) => {
      const run = p.repeat(Math.ceil(7900 / p.length)).slice(0, 7990);
      return [('  1:1 error ' + run).slice(0, 7990), run];
    });
    const text = lines.join('\n').repeat(3);
    const t0 = performance.now();
    for (const tool of [undefined, ...Object.keys(PARSERS)]) parseBuildOutput(text, { tool });
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('returns quickly on huge input', () => {
    const line = 'src/a.ts(1,1): error TS2322: x\n';
    const big = line.repeat(50_000) + 'x'.repeat(2_000_000) + ':1:'.repeat(100_000);
    const t0 = performance.now();
    const out = parseBuildOutput(big, { command: 'tsc' });
    expect(out.length).toBe(50_000);
    for (const tool of Object.keys(PARSERS)) parseBuildOutput(big, { tool });
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});
