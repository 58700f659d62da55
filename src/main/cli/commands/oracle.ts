// `mira locate TASK`: the files a task needs, with the reasons each was chosen.
import type { Command } from 'commander';
import { color } from '../output';
import type { CliRuntime } from '../runtime';

export function registerOracleCommands(program: Command, cli: CliRuntime): void {
  program
    .command('locate [task...]')
    .description('the files most relevant to a task described in words, with reasons')
    .option('--k <n>', 'how many files', '10')
    .option('--include-auxiliary', 'rank tests, docs and examples like source files')
    .action(async (task: string[], opts: { k: string; includeAuxiliary?: boolean }, cmd: Command) => {
      const query = task.join(' ').trim();
      await cli.query(cmd, 'oracle/locate', query ? { query, k: Number(opts.k), include_auxiliary: opts.includeAuxiliary } : null, (r) => {
        if (!r.results.length) cli.out.stdout.write(color(cli.out, 2, '(nothing found)') + '\n');
        r.results.forEach((x, i) => {
          const syms = x.symbols?.length ? `  ${color(cli.out, 36, x.symbols.map((s) => `${s.name}:${s.line}`).join(' '))}` : '';
          cli.out.stdout.write(`${String(i + 1).padStart(2)}. ${color(cli.out, 1, x.path)}  ${x.score.toFixed(3)}${syms}\n`);
          for (const reason of x.reasons.slice(0, 3)) cli.out.stdout.write(`      ${color(cli.out, 2, reason.source.padEnd(9))} ${reason.detail}\n`);
        });
        cli.out.stdout.write(color(cli.out, 2, `${r.took_ms} ms`) + '\n');
      });
    });
}
