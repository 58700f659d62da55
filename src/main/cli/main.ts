// The `mira` command line: global options, the commands, and the exit codes of CONTRACT.md (0 ok, 1 failure, 2 usage).
import { Command, CommanderError } from 'commander';
import { MiraError } from '../../shared/errors';
import { scrub } from '../log';
import { VERSION } from '../version';
import { CliRuntime } from './runtime';
import type { Out } from './output';
import { registerCoreCommands } from './commands/core';
import { registerCodeCommands } from './commands/code';
import { registerGitCommands } from './commands/git';
import { registerBuildCommands, ExitSilently } from './commands/build';
import { registerOracleCommands } from './commands/oracle';
import { registerEvalCommands } from './commands/eval';
import { registerApplyCommands } from './commands/apply';
import { registerLlmCommands } from './commands/llm';
import { registerMemoryCommands } from './commands/memory';
import { registerOpsCommands } from './commands/ops';
import { registerDocsCommands } from './commands/docs';
import { registerToolsCommands } from './commands/tools';
import { registerCodemapCommands } from './commands/codemap';
import { registerRepairCommands } from './commands/repair';

export function buildProgram(cli: CliRuntime): Command {
  const program = new Command('mira')
    .description('Mira: a local-first coding assistant that understands your code, its history, its builds and you.')
    .version(VERSION, '-V, --version')
    .option('--home <dir>', 'state folder (default $MIRA_HOME or ~/.mira)')
    .option('--project <path>', 'project folder (default: the git root containing the current folder)')
    .option('--json', 'machine-readable output on stdout')
    .option('--batch <file>', 'JSON Lines requests from FILE (or - for stdin); JSON Lines results')
    .option('--debug', 'show stack traces')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => cli.out.stdout.write(s),
      writeErr: (s) => cli.out.stderr.write(s),
    });
  registerCoreCommands(program, cli);
  registerCodeCommands(program, cli);
  registerGitCommands(program, cli);
  registerBuildCommands(program, cli);
  registerOracleCommands(program, cli);
  registerEvalCommands(program, cli);
  registerApplyCommands(program, cli);
  registerLlmCommands(program, cli);
  registerMemoryCommands(program, cli);
  registerOpsCommands(program, cli);
  registerDocsCommands(program, cli);
  registerToolsCommands(program, cli);
  registerCodemapCommands(program, cli);
  registerRepairCommands(program, cli);
  return program;
}

export async function main(argv: string[], io?: Partial<Out> & { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: NodeJS.ReadableStream & { isTTY?: boolean } }): Promise<number> {
  const json = argv.includes('--json');
  const out: Out = { json, stdout: io?.stdout ?? process.stdout, stderr: io?.stderr ?? process.stderr };
  const cli = new CliRuntime(out, io?.env ?? process.env, io?.cwd ?? process.cwd(), io?.stdin ?? process.stdin);
  const program = buildProgram(cli);
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (e instanceof ExitSilently) return 1;
    const err = MiraError.from(e);
    if (err.code === 'bad_usage') {
      out.stderr.write(`mira: ${err.message}\n`);
      return 2;
    }
    out.stderr.write(`mira: ${scrub(err.message)}\n`);
    if (err.hint) out.stderr.write(`hint: ${err.hint}\n`);
    if (debug && e instanceof Error && e.stack) out.stderr.write(scrub(e.stack) + '\n');
    return 1;
  } finally {
    cli.close();
  }
}
