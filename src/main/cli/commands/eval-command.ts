// The one `mira eval` parent command that every capability hangs its evaluation on.
import type { Command } from 'commander';

export function evalCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'eval') ?? program.command('eval').description('measure Mira on labelled sets or on the project history');
}
