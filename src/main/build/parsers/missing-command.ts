// Recognises a command that could not be run at all: the shell's "not found" (sh/dash, bash, zsh), npm's missing
// script or package, and a bare exit status 127. Each becomes one error with a hint saying what to install.

import type { BuildDiagnostic, ParseContext } from '../types';
import { match, splitLines } from './lines';

export const COMMAND_NOT_FOUND = 'command_not_found';
export const MISSING_SCRIPT = 'missing_script';

// The shell or script that complains: "sh", "/bin/bash", "./ci.sh", "scripts/test".
const SHELL = String.raw`(?:\S*sh|\S+\.\w+|\.{0,2}\/\S*|\S+\/\S+)`;
// dash: "sh: 1: mocha: not found", "./ci.sh: 3: tsc: not found".
const DASH = new RegExp(String.raw`^${SHELL}: \d+: (\S+): not found$`);
// bash: "bash: tsc: command not found", "./ci.sh: line 3: tsc: command not found".
const BASH = new RegExp(String.raw`^${SHELL}: (?:line \d+: )?(\S+): command not found$`);
// zsh: "zsh: command not found: mocha", "ci.sh:3: command not found: tsc".
const ZSH = /^(?:\S+?:(?:\d+:)? )?command not found: (\S+)$/;
// npm 7+ ("npm error" since npm 10, "npm ERR!" before).
const NPM_SCRIPT = /^npm (?:error|ERR!) Missing script: "(.+)"$/;
const NPX_MISSING = /^npm (?:error|ERR!) npx canceled due to missing packages and no YES option: \[(.*)\]$/;
const NPM_NO_EXECUTABLE = /^npm (?:error|ERR!) could not determine executable to run$/;
// The banner npm prints before running a package script: "> app@1.0.0 test".
const NPM_BANNER = /^> \S+@\S+ \S+$/m;

// Commands that live in node_modules/.bin once the project's dependencies are installed.
const NODE_TOOLS = new Set(
  'mocha jest vitest tsc tsx ts-node eslint prettier webpack webpack-cli vite next nuxt nodemon rollup esbuild babel ava tap nyc c8 karma gulp grunt lerna nx turbo electron electron-builder electron-vite react-scripts playwright cypress jasmine standard xo stylelint svelte-kit astro remix parcel husky lint-staged concurrently cross-env rimraf npm-run-all run-s run-p'.split(' '),
);
const PYTHON_TOOLS = new Set('pytest py.test mypy ruff black flake8 pylint isort tox nox poetry pdm hatch uv pip pip3 coverage'.split(' '));

/** What to do about a command that was not found; Node tools depend on where they were called from. */
export function missingCommandHint(name: string, nodeContext: boolean): string {
  const bare = name.replace(/^.*\//, '');
  if (NODE_TOOLS.has(bare) || (nodeContext && !PYTHON_TOOLS.has(bare))) {
    return `install dependencies (npm ci), so \`${bare}\` is in node_modules/.bin; add it to devDependencies if it is not there`;
  }
  if (PYTHON_TOOLS.has(bare)) return `install it into the project's environment (pip install ${bare}), or activate the virtualenv`;
  return `install \`${bare}\`, or check that it is on PATH`;
}

function nodeContext(text: string, ctx: ParseContext): boolean {
  return NPM_BANNER.test(text) || /^(?:npm|npx|yarn|pnpm|bun|bunx|pnpx)\b/.test((ctx.command ?? '').trim());
}

export function parseMissingCommands(text: string, ctx: ParseContext): BuildDiagnostic[] {
  const out: BuildDiagnostic[] = [];
  const seen = new Set<string>();
  let node: boolean | null = null;
  const isNode = () => (node ??= nodeContext(text, ctx));
  const add = (code: string, message: string, hint: string) => {
    if (seen.has(message)) return;
    seen.add(message);
    out.push(ctx.diag({ severity: 'error', code, message, notes: [ctx.note(null, null, null, `hint: ${hint}`)] }));
  };
  for (const raw of splitLines(text)) {
    const line = raw.trimEnd();
    if (!line.includes('not found') && !line.startsWith('npm ')) continue;
    const m = match(DASH, line) ?? match(BASH, line) ?? match(ZSH, line);
    if (m) {
      const name = m[1] ?? '';
      add(COMMAND_NOT_FOUND, `${name}: command not found`, missingCommandHint(name, isNode()));
      continue;
    }
    const s = match(NPM_SCRIPT, line);
    if (s) {
      add(MISSING_SCRIPT, `npm: missing script "${s[1] ?? ''}"`, 'add it to "scripts" in package.json, or run `npm run` to list the scripts there are');
      continue;
    }
    const x = match(NPX_MISSING, line);
    if (x) {
      const pkgs = [...(x[1] ?? '').matchAll(/"([^"]+)"/g)].map((p) => (p[1] ?? '').replace(/(.)@[^@]*$/, '$1'));
      const name = pkgs[0] ?? 'package';
      add(COMMAND_NOT_FOUND, `${pkgs.join(', ') || name}: command not found (npx)`, missingCommandHint(name, true));
      continue;
    }
    if (match(NPM_NO_EXECUTABLE, line)) add(COMMAND_NOT_FOUND, 'npx: could not determine executable to run', missingCommandHint('npx', true));
  }
  return out;
}

/** Exit status 127 is the shell's "command not found"; used when the output said nothing we recognise. */
export function missingCommandFromExit(ctx: ParseContext): BuildDiagnostic {
  return ctx.diag({
    severity: 'error',
    code: COMMAND_NOT_FOUND,
    message: 'command not found (exit 127)',
    notes: [ctx.note(null, null, null, 'hint: a program the command runs is not installed or not on PATH; for a Node project, install dependencies (npm ci)')],
  });
}
