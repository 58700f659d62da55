// CLI commands of the git capability.
import type { Command } from 'commander';
import type { CliRuntime } from '../runtime';

export function registerGitCommands(program: Command, cli: CliRuntime): void {
  void program;
  void cli;
}
