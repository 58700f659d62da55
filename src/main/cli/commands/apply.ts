// `mira apply --file PATH --edit FILE`: apply an edit, or refuse with the reason (exit 1); `mira eval apply`.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Command } from 'commander';
import { MiraError } from '../../../shared/errors';
import { evaluateApply } from '../../apply';
import { color, printJson, printTable } from '../output';
import type { CliRuntime } from '../runtime';
import { ExitSilently } from './build';
import { evalCommand } from './eval-command';

export function registerApplyCommands(program: Command, cli: CliRuntime): void {
  program
    .command('apply')
    .description('apply an edit (search/replace blocks, a unified diff, or a whole file with elisions) to a file')
    .option('--file <path>', 'the file to edit')
    .option('--edit <file>', 'the edit (- for stdin)')
    .option('--format <f>', 'search-replace | udiff | whole (default: detected)')
    .option('--dry-run', 'show the result, write nothing')
    .action(async (opts: { file?: string; edit?: string; format?: 'search-replace' | 'udiff' | 'whole'; dryRun?: boolean }, cmd: Command) => {
      const g = cli.globals(cmd);
      const mira = cli.open(cmd);
      const client = mira.client();
      const root = mira.project().root;
      const rel = (f: string) => path.relative(root, path.resolve(cli.cwd, f)).split(path.sep).join('/');
      if (g.batch) {
        // Batch lines are always dry runs: a batch is for trying edits, not for writing many files blind.
        if (g.batch !== '-' && !fs.existsSync(path.resolve(cli.cwd, g.batch))) throw new MiraError('not_found', `batch file ${g.batch} does not exist`);
        const input = g.batch === '-' ? cli.stdin : fs.createReadStream(path.resolve(cli.cwd, g.batch));
        for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
          if (!line.trim()) continue;
          try {
            const req = JSON.parse(line) as { file: string; edit: string; format?: 'search-replace' | 'udiff' | 'whole' };
            printJson(cli.out, await client.call('apply/edit', { file: rel(req.file), edit: req.edit, format: req.format, dry_run: true }));
          } catch (e) {
            printJson(cli.out, { applied: false, error: MiraError.from(e).toJSON() });
          }
        }
        return;
      }
      if (!opts.file || !opts.edit) throw new MiraError('bad_usage', 'mira apply needs --file PATH and --edit FILE');
      const edit = opts.edit === '-' ? await readAll(cli.stdin) : readFile(path.resolve(cli.cwd, opts.edit));
      const r = await client.call('apply/edit', { file: rel(opts.file), edit, format: opts.format, dry_run: !!opts.dryRun });
      if (g.json) printJson(cli.out, r);
      else if (r.applied) cli.out.stdout.write(`${r.diff || '(no change)\n'}${color(cli.out, 32, `${r.written ? 'applied' : 'would apply'} (${r.format}, ${r.strategy})`)} ${r.path}\n`);
      else {
        cli.out.stderr.write(`mira: refused: ${r.error.message}\n`);
        for (const c of r.error.candidates ?? []) cli.out.stderr.write(`  closest at line ${c.line}: ${c.text}\n`);
      }
      if (!r.applied) throw new ExitSilently();
    });

  evalCommand(program)
    .command('apply')
    .description('apply-engine quality on a set (exact, per variant, wrong rate, refusals)')
    .requiredOption('--set <dir>', 'a folder with apply.jsonl')
    .action((opts: { set: string }, cmd: Command) => {
      const file = path.join(path.resolve(cli.cwd, opts.set), 'apply.jsonl');
      if (!fs.existsSync(file)) throw new MiraError('not_found', `${file} does not exist`);
      const m = evaluateApply(file);
      const { failures: _f, ...summary } = m as typeof m & { failures?: unknown };
      if (cli.globals(cmd).json) return printJson(cli.out, summary);
      printTable(cli.out, Object.entries(m.per_variant).map(([variant, exact]) => ({ variant, exact })), [{ key: 'variant' }, { key: 'exact' }]);
      cli.out.stdout.write(`exact ${m.exact} on ${m.apply_cases} apply cases; wrong ${m.wrong} (${m.wrong_rate}); refusal rate ${m.refusal_rate}\n`);
    });
}

function readFile(f: string): string {
  if (!fs.existsSync(f)) throw new MiraError('not_found', `${f} does not exist`);
  return fs.readFileSync(f, 'utf8');
}

async function readAll(s: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
