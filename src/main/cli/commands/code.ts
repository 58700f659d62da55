// CLI commands of the code capability.
import type { Command } from 'commander';
import type { CliRuntime } from '../runtime';

export function registerCodeCommands(program: Command, cli: CliRuntime): void {
  void program;
  void cli;
}
