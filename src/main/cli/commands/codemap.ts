// CLI commands of the code map: `mira quality [FILE]`, `mira hotspots`, `mira domains`, `mira trend FILE`, and
// `mira eval hotspots` (ranking quality against later fixes, next to the classic baselines).
import path from 'node:path';
import type { Command } from 'commander';
import type { z } from 'zod';
import type { MethodName } from '../../../shared/api';
import type { codemapMethods } from '../../../shared/api/codemap';
import { MiraError } from '../../../shared/errors';
import { runHotspotEval } from '../../codemap/eval';
import { evalWorkDir } from '../../eval/checkout';
import { color, printJson, printTable } from '../output';
import { evalCommand } from './eval-command';
import type { CliRuntime } from '../runtime';

function parseK(v: string | undefined, max = 10_000): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new MiraError('bad_usage', `--k ${v} is not a number from 1 to ${max}`);
  return n;
}

type Methods = typeof codemapMethods;

/** `cli.query` typed by the code map's own method table (the same check once the methods are in the shared API). */
function query<M extends keyof Methods>(cli: CliRuntime, cmd: Command, method: M, params: z.input<Methods[M]['params']>, print: (r: z.output<Methods[M]['result']>) => void): Promise<void> {
  return cli.query(cmd, method as unknown as MethodName, params as never, print as never);
}

const SORTS = ['complexity', 'cognitive', 'lines', 'nesting', 'fan_in', 'fan_out', 'duplication'] as const;

/** A path typed on the command line is relative to the current folder; the API wants it relative to the project. */
function projectPath(cli: CliRuntime, root: string, p: string): string {
  const abs = path.resolve(cli.cwd, p);
  if (abs === root) return '';
  if (abs.startsWith(root + path.sep)) return path.relative(root, abs).split(path.sep).join('/');
  return p.split(path.sep).join('/');
}

export function registerCodemapCommands(program: Command, cli: CliRuntime): void {
  program
    .command('quality [file]')
    .description('quality metrics, worst first: the files of the project, or the functions of FILE')
    .option('--k <n>', 'how many rows')
    .option('--sort <key>', `order by ${SORTS.join(', ')}`, 'complexity')
    .action(async (file: string | undefined, opts: { k?: string; sort: string }, cmd: Command) => {
      const k = parseK(opts.k);
      if (!(SORTS as readonly string[]).includes(opts.sort)) throw new MiraError('bad_usage', `--sort ${opts.sort}: use one of ${SORTS.join(', ')}`);
      const sort = opts.sort as (typeof SORTS)[number];
      const root = cli.open(cmd).project().root;
      const rel = file ? projectPath(cli, root, file) : undefined;
      await query(cli, cmd, 'codemap/quality', { file: rel, k, sort }, (r) => {
        const rows = r.results.map((x) => ({
          ...x,
          where: rel ? `${x.symbol ?? '(file)'}:${x.line}` : x.path,
          worst: x.symbol ?? '',
          tests: x.tested === null ? '' : x.tested ? 'yes' : 'no',
        }));
        printTable(cli.out, rows, [
          { key: 'where', label: rel ? 'function' : 'file', max: 60 },
          ...(rel ? [] : [{ key: 'worst', label: 'most complex', max: 32 }]),
          { key: 'complexity' },
          { key: 'cognitive' },
          { key: 'lines' },
          { key: 'nesting' },
          { key: 'params' },
          { key: 'fan_in', label: 'in' },
          { key: 'fan_out', label: 'out' },
          { key: 'duplicated_lines', label: 'dup' },
          { key: 'tests' },
        ]);
        cli.out.stdout.write(color(cli.out, 2, `${r.took_ms} ms`) + '\n');
      });
    });

  program
    .command('hotspots [path]')
    .description('files most likely to need a fix soon, with the reasons (PATH: only a file or folder)')
    .option('--k <n>', 'how many files', '10')
    .action(async (p: string | undefined, opts: { k?: string }, cmd: Command) => {
      const k = parseK(opts.k);
      const root = cli.open(cmd).project().root;
      await query(cli, cmd, 'codemap/hotspots', { k, path: p ? projectPath(cli, root, p) : undefined }, (r) => {
        if (!r.results.length) cli.out.stdout.write(color(cli.out, 2, '(no hotspots: run mira index first)') + '\n');
        for (const x of r.results) {
          cli.out.stdout.write(`${String(x.rank).padStart(3)}. ${color(cli.out, 1, x.path)}  ${Math.round(x.score * 100)}%  churn ${x.churn}, complexity ${x.complexity}\n`);
          for (const reason of x.reasons) cli.out.stdout.write(`       ${color(cli.out, 2, '·')} ${reason}\n`);
          if (x.symbols.length) cli.out.stdout.write(`       ${color(cli.out, 36, x.symbols.map((s) => `${s.name}:${s.line} (cognitive ${s.cognitive})`).join(', '))}\n`);
        }
        cli.out.stdout.write(color(cli.out, 2, `${r.took_ms} ms${r.model ? `, weights ${r.model.source === 'calibrated' ? 'calibrated on this project' : 'from the prior'}` : ''}`) + '\n');
      });
    });

  program
    .command('domains')
    .description("the project's files clustered into named domains (imports, calls, co-change, shared concepts)")
    .option('--no-files', 'leave out the file lists')
    .action(async (opts: { files: boolean }, cmd: Command) => {
      await query(cli, cmd, 'codemap/domains', { files: opts.files }, (r) => {
        printTable(
          cli.out,
          r.results.map((d) => ({ ...d, files: d.size, concepts: d.concepts.slice(0, 3).join(', '), folders: d.folders.join(', ') })),
          [{ key: 'id' }, { key: 'name', max: 40 }, { key: 'files' }, { key: 'cohesion' }, { key: 'concepts', max: 40 }, { key: 'folders', max: 50 }],
        );
        const names = new Map(r.results.map((d) => [d.id, d.name]));
        const top = r.edges.slice(0, 8);
        if (top.length) {
          cli.out.stdout.write(color(cli.out, 1, '\nstrongest links between domains') + '\n');
          for (const e of top) cli.out.stdout.write(`  ${names.get(e.from)} ↔ ${names.get(e.to)}  ${e.weight.toFixed(1)}\n`);
        }
        cli.out.stdout.write(color(cli.out, 2, `${r.took_ms} ms`) + '\n');
      });
    });

  program
    .command('trend <file>')
    .description("a file's lines, complexity and churn over its history")
    .option('--no-measure', 'estimate complexity from line counts instead of parsing old versions')
    .action(async (file: string, opts: { measure: boolean }, cmd: Command) => {
      const root = cli.open(cmd).project().root;
      await query(cli, cmd, 'codemap/trend', { path: projectPath(cli, root, file), measure: opts.measure }, (r) => {
        printTable(
          cli.out,
          r.points.slice(-30).map((p) => ({ date: p.date.slice(0, 10), commit: p.sha.slice(0, 10), lines: p.lines, complexity: p.complexity, measured: p.measured ? 'yes' : '', added: p.added, deleted: p.deleted, fix: p.fix ? 'fix' : '' })),
          [{ key: 'date' }, { key: 'commit' }, { key: 'lines' }, { key: 'complexity' }, { key: 'measured' }, { key: 'added' }, { key: 'deleted' }, { key: 'fix' }],
        );
      });
    });

  evalCommand(program)
    .command('hotspots')
    .description('hotspot ranking vs files fixed in the year after T0 (ROC AUC, P@10), with the baselines of hotspots.py')
    .option('--repo <gitdir>', 'the repository (a bare mirror works)')
    .option('--t0 <sha>', 'the cut-off commit')
    .option('--set <dir>', 'a set folder whose meta.json gives t0')
    .option('--work <dir>', 'where checkouts and the evaluation home live (default: a temp folder)')
    .action(async (opts: { repo?: string; t0?: string; set?: string; work?: string }, cmd: Command) => {
      const json = !!cli.globals(cmd).json;
      if (!opts.repo) throw new MiraError('bad_usage', 'eval hotspots needs --repo GIT_DIR');
      if (!opts.t0 && !opts.set) throw new MiraError('bad_usage', 'eval hotspots needs --t0 SHA or --set DIR');
      const r = await runHotspotEval({
        repo: path.resolve(cli.cwd, opts.repo),
        t0: opts.t0,
        setDir: opts.set ? path.resolve(cli.cwd, opts.set) : undefined,
        workDir: evalWorkDir(opts.work),
        onProgress: (m) => !json && cli.out.stderr.write(`${m}…\n`),
      });
      if (json) return printJson(cli.out, r);
      const rows = [{ ranker: 'mira', ...r.mira }, ...Object.entries(r.baselines).map(([k, v]) => ({ ranker: k, ...v }))];
      printTable(cli.out, rows, [{ key: 'ranker' }, { key: 'auc' }, { key: 'p@10' }, { key: 'recall@10' }, { key: 'p@20' }, { key: 'recall@20' }]);
      cli.out.stdout.write(
        `${r.files} files, ${r.defect_files} fixed in the year after ${r.t0.slice(0, 10)}; best baseline ${r.best_baseline.name} ${r.best_baseline.auc}, Mira ${r.delta_auc >= 0 ? '+' : ''}${r.delta_auc}` +
          `${r.model ? `; weights: ${r.model.source}` : ''}; index ${Math.round(r.index_ms / 1000)} s\n`,
      );
    });
}
