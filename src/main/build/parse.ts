// Entry point for build-output parsing: cleans terminal output, detects the tool and dispatches to its parser.

import { createContext } from './context';
import { parseCargo } from './parsers/cargo';
import { parseEslint } from './parsers/eslint';
import { parseGcc } from './parsers/gcc';
import { parseGeneric } from './parsers/generic';
import { parseGo } from './parsers/go';
import { parseJavac } from './parsers/javac';
import { parseJest } from './parsers/jest';
import { missingCommandFromExit, parseMissingCommands } from './parsers/missing-command';
import { parseMypy } from './parsers/mypy';
import { parseNode } from './parsers/node';
import { parsePytest } from './parsers/pytest';
import { parsePython } from './parsers/python';
import { parseRuff } from './parsers/ruff';
import { parseTsc } from './parsers/tsc';
import { parseVitest } from './parsers/vitest';
import type { BuildDiagnostic, ParseOptions, Parser } from './types';

export type { BuildDiagnostic, ParseOptions, Severity } from './types';

/** Every parser a caller can force with `--tool T`; aliases share an implementation. */
export const PARSERS: Readonly<Record<string, Parser>> = {
  tsc: parseTsc,
  eslint: parseEslint,
  cargo: parseCargo,
  rustc: parseCargo,
  gcc: parseGcc,
  clang: parseGcc,
  go: parseGo,
  pytest: parsePytest,
  python: parsePython,
  jest: parseJest,
  vitest: parseVitest,
  javac: parseJavac,
  mypy: parseMypy,
  ruff: parseRuff,
  node: parseNode,
  generic: parseGeneric,
};

// CSI (colours, cursor moves), OSC (hyperlinks, titles) and lone two-byte escapes.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Remove ANSI escape codes and collapse `\r` progress redraws to the text that ended up on screen. */
export function stripAnsi(text: string): string {
  const noAnsi = text.replace(ANSI, '');
  if (!noAnsi.includes('\r')) return noAnsi;
  return noAnsi
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => {
      if (!line.includes('\r')) return line;
      // A carriage return rewinds the cursor: the last non-empty segment is what remained visible.
      const parts = line.split('\r').filter((p) => p !== '');
      return parts[parts.length - 1] ?? '';
    })
    .join('\n');
}

// Commands that only wrap the real tool.
const WRAPPERS = new Set(['npx', 'bunx', 'pnpx', 'sudo', 'time', 'env', 'nice', 'exec', 'command', 'xvfb-run', 'dotenv']);
const RUNNERS = new Set(['pnpm', 'yarn', 'bun', 'uv', 'poetry', 'pipenv', 'hatch', 'pdm', 'rye']);
const GENERIC_TOOLS = new Set(['shellcheck', 'yamllint', 'hadolint', 'markdownlint', 'stylelint', 'golint', 'staticcheck', 'flake8', 'pylint', 'pyflakes', 'cppcheck']);

function toolForBinary(bin: string, args: string[]): string | null {
  const name = bin.replace(/\\/g, '/').split('/').pop()?.replace(/\.(cmd|exe|js|mjs|cjs)$/, '') ?? '';
  if (name === 'tsc' || name === 'vue-tsc' || name === 'tsc-watch') return 'tsc';
  if (name === 'eslint') return 'eslint';
  if (name === 'cargo' || name === 'cargo-clippy' || name === 'clippy-driver') return 'cargo';
  if (name === 'rustc') return 'rustc';
  if (/^(gcc|g\+\+|cc|c\+\+|clang|clang\+\+|clang-cl|cl)(-\d+(\.\d+)*)?$/.test(name)) return 'gcc';
  if (/^x86_64-.*-(gcc|g\+\+)$/.test(name)) return 'gcc';
  if (name === 'go' || name === 'gotestsum') return 'go';
  if (name === 'pytest' || name === 'py.test') return 'pytest';
  if (name === 'jest') return 'jest';
  if (name === 'vitest') return 'vitest';
  if (name === 'javac' || name === 'mvn' || name === 'mvnw' || name === 'gradle' || name === 'gradlew') return 'javac';
  if (name === 'mypy' || name === 'dmypy') return 'mypy';
  if (name === 'ruff') return 'ruff';
  if (GENERIC_TOOLS.has(name)) return 'generic';
  // Node runs any script, wrappers of other tools included: `node node_modules/.bin/tsc` is tsc, and detectTool lets a
  // recognised output win over a plain `node script.js`.
  if (name === 'node' || name === 'nodejs' || name === 'tsx' || name === 'ts-node') {
    const script = args.find((a) => !a.startsWith('-'));
    return (script && /(^|[\\/])node_modules[\\/]/.test(script) && toolForBinary(script, [])) || 'node';
  }
  if (/^python(\d(\.\d+)?)?$/.test(name)) {
    const m = args.indexOf('-m');
    if (m >= 0) {
      const mod = args[m + 1] ?? '';
      return toolForBinary(mod, args.slice(m + 2)) ?? 'python';
    }
    return args.some((a) => a.endsWith('.py')) || args.length === 0 ? 'python' : null;
  }
  return null;
}

function toolFromCommand(command: string): string | null {
  // Each segment of a pipeline/compound command might be the tool; the first recognised one wins.
  for (const segment of command.split(/&&|\|\||;|\|/)) {
    const tokens = segment.trim().split(/\s+/).filter((t) => t !== '');
    let i = 0;
    while (i < tokens.length) {
      const t = tokens[i] ?? '';
      if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(t)) i++;
      else if (WRAPPERS.has(t)) i++;
      else if (RUNNERS.has(t)) i += ['run', 'exec', 'dlx', 'x'].includes(tokens[i + 1] ?? '') ? 2 : 1;
      else if (t === '--' || (t.startsWith('-') && i > 0 && WRAPPERS.has(tokens[i - 1] ?? ''))) i++;
      else break;
    }
    const bin = tokens[i];
    if (bin === undefined) continue;
    const tool = toolForBinary(bin, tokens.slice(i + 1));
    if (tool) return tool;
  }
  return null;
}

/** Detection limited to a prefix of the output: enough to recognise any tool, and bounded in cost. */
const DETECT_WINDOW = 256 * 1024;

function toolFromContent(raw: string): string {
  const text = raw.length > DETECT_WINDOW ? raw.slice(0, DETECT_WINDOW) : raw;
  if (/"reason":"compiler-(message|artifact)"|^\{"\$message_type":"diagnostic"/m.test(text)) return 'cargo';
  if (/^\s*\[\s*\{\s*"filePath"\s*:/.test(text) || /"filePath":"[^"]*","messages":\[/.test(text)) return 'eslint';
  if (/"noqa_row"\s*:/.test(text)) return 'ruff';
  if (/^\[\{"kind": ?"(error|warning|note)"/m.test(text)) return 'gcc';
  if (/^.+\(\d+,\d+\): (error|warning) TS\d+: |^.+:\d+:\d+ - (error|warning) TS\d+: |^error TS\d+: /m.test(text)) return 'tsc';
  if (/^\s*RUN\s+v\d+\.\d+|^\s*Test Files\s+\d|⎯⎯ (Failed Tests|Failed Suites|Unhandled)/m.test(text)) return 'vitest';
  if (/^\s*● .+$/m.test(text) && /^\s*(FAIL|PASS)\s+\S|^Test Suites:/m.test(text)) return 'jest';
  if (/^=+ (test session starts|FAILURES|ERRORS|short test summary info) =+$/m.test(text)) return 'pytest';
  if (/^(error|warning)(\[\w+\])?: .*\n\s*--> /m.test(text) || /^\s+Compiling \S+ v\d/m.test(text) || /^thread '.*' (\(\d+\) )?panicked at /m.test(text)) return 'cargo';
  if (/^\s*--> .+\.pyi?:\d+:\d+\s*$/m.test(text) || /^.+\.pyi?:\d+:\d+: [A-Z]{1,4}\d{2,4} /m.test(text)) return 'ruff';
  if (/^.+\.pyi?:\d+(:\d+)?: (error|note|warning): /m.test(text)) return 'mypy';
  if (/^.+\.java:\d+: (error|warning): |^\[(ERROR|WARNING)\] .+\.java:\[\d+/m.test(text)) return 'javac';
  if (/^\s*--- FAIL: |^(ok|FAIL)\s+\S+\s+[\d.]+s$|^.+\.go:\d+:\d+: /m.test(text)) return 'go';
  if (/^\s+\d+:\d+\s+(error|warning)\s+\S/m.test(text) && /^✖ \d+ problems?/m.test(text)) return 'eslint';
  if (/: line \d+, col \d+, (Error|Warning) - |\[(Error|Warning)\/[\w@/-]+\]$/m.test(text)) return 'eslint';
  if (/^.+\.(c|cc|cpp|cxx|c\+\+|h|hh|hpp|hxx|ipp|tpp|m|mm|cu|ino):\d+(:\d+)?: (fatal error|error|warning|note): /m.test(text)) return 'gcc';
  if (/^In file included from |undefined reference to `|^collect2: error:/m.test(text)) return 'gcc';
  if (/^\s*Traceback \(most recent call last\):/m.test(text) || /^\s*File ".+", line \d+\s*$/m.test(text)) return 'python';
  if (looksLikeNode(text)) return 'node';
  return 'generic';
}

/**
 * Node's crash report: it ends with "Node.js vX.Y.Z" (Node 18+); before that, "file.js:N", the source line and a
 * caret; or an error line straight followed by its first "    at" frame.
 */
function looksLikeNode(text: string): boolean {
  if (/^Node\.js v\d+\.\d+\.\d+\s*$/m.test(text)) return true;
  if (/^(?:file:\/\/)?\S+\.[cm]?[jt]sx?:\d+\n[^\n]*\n\s*\^+\s*$/m.test(text)) return true;
  return /^[A-Z]\w*(?:Error|Exception)(?: \[[A-Z_]+\])?: [^\n]*\n {4}at \S/m.test(text);
}

/** Which parser to use: the command wins when it names a known tool, else the output is sniffed. */
export function detectTool(text: string, command?: string): string {
  const fromCommand = command ? toolFromCommand(command) : null;
  if (fromCommand && fromCommand !== 'node') return fromCommand;
  const fromContent = toolFromContent(stripAnsi(text));
  // `node scripts/build.js` may well run tsc or a test runner: their output names them better than the command does.
  return fromCommand === 'node' && fromContent === 'generic' ? 'node' : fromContent;
}

// Run summaries that some tools print in diagnostic form ("error: could not compile ..."); never diagnostics.
const SUMMARY_MESSAGES = [
  /^could not compile\b/,
  /^aborting due to\b/,
  /^build failed\b/,
  /^test failed\b/,
  /^Found \d+ errors?\b/,
  /^\d+ (?:problems?|errors?|warnings?|failed|passed)\b/,
  /ld returned \d+ exit status/,
  /^linker command failed/,
];

function isSummary(d: BuildDiagnostic): boolean {
  return d.file === null && SUMMARY_MESSAGES.some((re) => re.test(d.message));
}

export function parseBuildOutput(text: string, opts: ParseOptions = {}): BuildDiagnostic[] {
  const clean = stripAnsi(text);
  const forced = opts.tool && PARSERS[opts.tool] ? opts.tool : null;
  const tool = forced ?? detectTool(clean, opts.command);
  const parser = PARSERS[tool] ?? parseGeneric;
  const ctx = createContext(tool, opts.root, opts.command);
  let out: BuildDiagnostic[];
  try {
    out = parser(clean, ctx).filter((d) => !isSummary(d));
  } catch {
    // A parser bug must never take down the caller; the generic pass still finds file:line reports.
    try {
      out = parseGeneric(clean, createContext('generic', opts.root, opts.command)).filter((d) => !isSummary(d));
    } catch {
      out = [];
    }
  }
  try {
    // A tool that is not installed fails the same way whatever the tool: "sh: 1: tsc: not found", npm's missing script.
    out.push(...parseMissingCommands(clean, ctx));
  } catch {
    /* keep what the tool's parser found */
  }
  // Exit status 127 is the shell's "command not found" even when its message was one we do not know.
  if (opts.exitCode === 127 && !out.some((d) => d.severity === 'error')) out.push(missingCommandFromExit(ctx));
  return out;
}
