// `mira repair`: replace a damaged database with a fresh one that keeps the user's data (see db/repair.ts).
import path from 'node:path';
import type { Command } from 'commander';
import { repairDatabase } from '../../db/repair';
import { color, printJson } from '../output';
import { ExitSilently } from './build';
import type { CliRuntime } from '../runtime';

export function registerRepairCommands(program: Command, cli: CliRuntime): void {
  program
    .command('repair')
    .description("recover from a damaged database: keep your memory, conversations, budget and documents, rebuild the index")
    .option('--backup <file>', 'take data the damaged database cannot give from this backup (default: the newest healthy mira.db.bak-*)')
    .option('--yes', 'replace the database even if some of your data cannot be recovered')
    .action((opts: { backup?: string; yes?: boolean }, cmd: Command) => {
      const file = path.join(cli.home(cmd), 'mira.db');
      const r = repairDatabase(file, { acceptLoss: !!opts.yes, backup: opts.backup ? path.resolve(cli.cwd, opts.backup) : undefined });
      if (cli.globals(cmd).json) printJson(cli.out, r);
      else {
        const w = (s: string) => cli.out.stdout.write(`${s}\n`);
        const red = (s: string) => color(cli.out, 31, s);
        const green = (s: string) => color(cli.out, 32, s);
        if (r.healthy_before) w(`${file}: healthy, nothing to repair`);
        else {
          w(`${file}: damaged; a copy is kept at ${r.damaged_copy}`);
          for (const t of r.tables) {
            if (t.source === 'absent') continue;
            const from = t.source === 'none' ? red('lost') : `${t.rows} rows from the ${t.source === 'damaged' ? 'damaged file' : 'backup'}`;
            w(`  ${t.table.padEnd(24)} ${from}${t.unreadable ? red(`, ${t.unreadable} unreadable`) : ''}`);
          }
          if (r.backup_used) w(`backup used: ${r.backup_used}`);
          w(r.replaced ? green(`repaired. Next: ${r.next}`) : red(r.next));
        }
      }
      if (!r.healthy_before && !r.replaced) throw new ExitSilently();
    });
}
