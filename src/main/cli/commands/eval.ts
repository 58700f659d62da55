// `mira eval ...`: measure Mira on labelled sets or on the project's own history.
import type { Command } from 'commander';
import { MiraError } from '../../../shared/errors';
import { evalLocateHistory, runLocateSet } from '../../eval/locate';
import { evalWorkDir } from '../../eval/checkout';
import { printJson, printTable } from '../output';
import { evalCommand } from './eval-command';
import type { CliRuntime } from '../runtime';


export function registerEvalCommands(program: Command, cli: CliRuntime): void {
  evalCommand(program)
    .command('locate')
    .description('localisation quality (hit@k, recall@k, MRR): on a set (--set DIR --repo GIT_DIR) or a time split of this project')
    .option('--set <dir>', 'a set folder with meta.json and localize.jsonl')
    .option('--repo <gitdir>', 'the repository of the set (a bare mirror works)')
    .option('--work <dir>', 'where checkouts and the evaluation home live (default: a temp folder)')
    .option('--queries <n>', 'time split: how many of the newest commits to ask about', '100')
    .option('--no-calibrate', 'use the default weights instead of calibrating on history before T0')
    .action(async (opts: { set?: string; repo?: string; work?: string; queries: string; calibrate: boolean }, cmd: Command) => {
      const json = !!cli.globals(cmd).json;
      let r;
      if (opts.set) {
        if (!opts.repo) throw new MiraError('bad_usage', '--set needs --repo GIT_DIR');
        r = await runLocateSet({ setDir: opts.set, repo: opts.repo, workDir: evalWorkDir(opts.work), calibrate: opts.calibrate, onProgress: (m) => !json && cli.out.stderr.write(`${m}…\n`) });
      } else {
        const mira = cli.open(cmd);
        r = evalLocateHistory(mira.project(), Number(opts.queries));
      }
      if (json) return printJson(cli.out, r);
      const rows = (['mira', 'text_only'] as const).map((k) => ({ ranker: k, ...r[k] }));
      printTable(cli.out, rows, [{ key: 'ranker' }, { key: 'hit@1' }, { key: 'hit@5' }, { key: 'recall@5' }, { key: 'hit@10' }, { key: 'recall@10' }, { key: 'mrr' }]);
      cli.out.stdout.write(`${r.queries} questions, locate p50 ${r.p50_ms} ms, p95 ${r.p95_ms} ms\n`);
    });
}
