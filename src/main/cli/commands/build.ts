// `mira build run -- CMD...` and `mira build parse [FILE]`.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { MiraError } from '../../../shared/errors';
import { parseBuildOutput } from '../../build/parse';
import { color, printJson, printTable } from '../output';
import type { CliRuntime } from '../runtime';

export function registerBuildCommands(program: Command, cli: CliRuntime): void {
  const build = program.command('build').description('run builds and tests, parse their errors');

  build
    .command('run')
    .description('run a build or test command in a pseudo-terminal and record its errors')
    .argument('<command...>', 'the command and its arguments (after --)')
    .option('--timeout <seconds>', 'stop the command after this many seconds')
    .action(async (command: string[], opts: { timeout?: string }, cmd: Command) => {
      const json = !!cli.globals(cmd).json;
      const mira = cli.open(cmd);
      const timeout = opts.timeout ? Number(opts.timeout) : undefined;
      if (timeout !== undefined && !(timeout > 0)) throw new MiraError('bad_usage', `--timeout ${opts.timeout} is not a positive number of seconds`);
      // Live output goes to stdout for people, to stderr under --json so stdout stays one JSON document.
      const live = json ? cli.out.stderr : cli.out.stdout;
      const off = mira.events.subscribe((ev, data) => {
        if (ev === 'build/output') live.write((data as { data: string }).data);
      });
      const ac = new AbortController();
      const onSig = () => ac.abort();
      process.once('SIGINT', onSig);
      let r;
      try {
        r = await mira.client().call('build/run', { command, timeout_ms: timeout ? timeout * 1000 : undefined, trigger: 'cli' });
      } finally {
        off();
        process.off('SIGINT', onSig);
      }
      if (json) {
        printJson(cli.out, r);
      } else {
        cli.out.stdout.write('\n');
        printTable(
          cli.out,
          r.errors.map((e) => ({ where: e.file ? `${e.file}:${e.line ?? ''}${e.column ? ':' + e.column : ''}` : '', severity: e.severity, code: e.code ?? '', message: e.message })),
          [{ key: 'where', max: 50 }, { key: 'severity' }, { key: 'code' }, { key: 'message', max: 100 }],
        );
        const verdict = r.status !== 'done' ? color(cli.out, 33, r.status) : r.exit_code === 0 ? color(cli.out, 32, 'passed') : color(cli.out, 31, `failed (exit ${r.exit_code})`);
        cli.out.stdout.write(`run ${r.run_id}: ${verdict} in ${r.duration_ms} ms, ${r.error_count} errors, ${r.warning_count} warnings${r.resolved.length ? `, ${r.resolved.length} resolved` : ''}\n`);
      }
      if (r.status !== 'done' || r.exit_code !== 0) throw new ExitSilently();
    });

  build
    .command('parse [file]')
    .description('parse build output from FILE or stdin (stores nothing)')
    .option('--tool <tool>', 'force a parser (tsc, eslint, cargo, gcc, go, pytest, python, jest, vitest, javac, mypy, ruff, node, generic)')
    .option('--command <cmd>', 'the command that produced the output (helps detection)')
    .action(async (file: string | undefined, opts: { tool?: string; command?: string }, cmd: Command) => {
      const g = cli.globals(cmd);
      let text: string;
      if (file && file !== '-') {
        const abs = path.resolve(cli.cwd, file);
        if (!fs.existsSync(abs)) throw new MiraError('not_found', `${file} does not exist`);
        text = fs.readFileSync(abs, 'utf8');
      } else {
        text = await readStdin(cli.stdin);
      }
      const root = g.project ? path.resolve(cli.cwd, g.project) : cli.cwd;
      const errors = parseBuildOutput(text, { tool: opts.tool, command: opts.command, root });
      if (g.json) return printJson(cli.out, { errors });
      printTable(
        cli.out,
        errors.map((e) => ({ tool: e.tool, where: e.file ? `${e.file}:${e.line ?? ''}` : '', severity: e.severity, code: e.code ?? '', message: e.message })),
        [{ key: 'tool' }, { key: 'where', max: 50 }, { key: 'severity' }, { key: 'code' }, { key: 'message', max: 100 }],
      );
    });
}

/** The build itself failed: its output already said why, so the CLI exits 1 without another message. */
export class ExitSilently extends Error {
  constructor() {
    super('');
    this.name = 'ExitSilently';
  }
}

async function readStdin(stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string> {
  if (stdin.isTTY) throw new MiraError('bad_usage', 'no FILE given and stdin is a terminal', 'mira build parse FILE, or pipe output into it');
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
