// CLI commands of the git capability: cochange, experts, blame, fixes, `git status|sync|log|truck`, and `eval cochange|experts`.
import path from 'node:path';
import type { Command } from 'commander';
import { MiraError } from '../../../shared/errors';
import { evalCochange, evalExperts, type EvalResult } from '../../git/eval';
import { color, printJson, printTable } from '../output';
import { evalCommand } from './eval-command';
import type { CliRuntime } from '../runtime';

// The shared `mira eval` parent (find-or-create), so capabilities can hang their evaluations on it in any order.
export { evalCommand };

function parseK(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new MiraError('bad_usage', `--k ${v} is not a number from 1 to 1000`);
  return n;
}

function day(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '';
}

/** A path typed on the command line is relative to the current folder; the API wants it relative to the project. */
function projectPath(cli: CliRuntime, root: string, p: string): string {
  const abs = path.resolve(cli.cwd, p);
  if (abs === root) return '';
  if (abs.startsWith(root + path.sep)) return path.relative(root, abs).split(path.sep).join('/');
  return p;
}

export function registerGitCommands(program: Command, cli: CliRuntime): void {
  program
    .command('cochange [files...]')
    .description('files that change together with FILE (several files: what else changes with all of them)')
    .option('--k <n>', 'how many results', '10')
    .action(async (files: string[], opts: { k?: string }, cmd: Command) => {
      const k = parseK(opts.k);
      const root = cli.open(cmd).project().root;
      const rel = files.map((f) => projectPath(cli, root, f));
      const params = rel.length === 0 ? null : rel.length === 1 ? { file: rel[0]!, k } : { files: rel, k };
      await cli.query(cmd, 'git/cochange', params, (r) => {
        printTable(
          cli.out,
          r.results.map((x) => ({ ...x, last: day(x.last_cochange) })),
          [{ key: 'path', max: 70 }, { key: 'score' }, { key: 'support' }, { key: 'confidence' }, { key: 'last', label: 'last together' }, { key: 'source' }],
        );
        if (r.unknown.length) cli.out.stderr.write(color(cli.out, 2, `no history for ${r.unknown.join(', ')}: suggestions come from its folder and the project\n`));
      });
    });

  program
    .command('experts [paths...]')
    .description('who knows these files (or folders) best, and will likely change them next')
    .option('--k <n>', 'how many results', '10')
    .option('--no-bots', 'leave out bot authors')
    .option('--concept <name>', 'people who know a concept of the code ("database", "auth") instead of paths')
    .action(async (paths: string[], opts: { k?: string; bots: boolean; concept?: string }, cmd: Command) => {
      const k = parseK(opts.k);
      const root = cli.open(cmd).project().root;
      const rel = paths.map((p) => projectPath(cli, root, p));
      const params = opts.concept ? { concept: opts.concept, k, bots: opts.bots } : rel.length ? { paths: rel, k, bots: opts.bots } : null;
      await cli.query(cmd, 'git/experts', params, (r) => {
        cli.out.stdout.write('Likely to change it next:\n');
        printTable(
          cli.out,
          r.results.map((x) => ({ ...x, author: x.bot ? `${x.author} (bot)` : x.author })),
          [{ key: 'author', max: 30 }, { key: 'email', max: 40 }, { key: 'score' }, { key: 'why', max: 90 }],
        );
        if (r.authors.length) {
          cli.out.stdout.write('\nWrote most of it:\n');
          printTable(
            cli.out,
            r.authors.map((x) => ({ ...x, author: x.bot ? `${x.author} (bot)` : x.author, part: `${Math.round(x.share * 100)}%`, last: day(x.last_commit), status: x.active ? 'active' : 'inactive' })),
            [{ key: 'author', max: 30 }, { key: 'email', max: 40 }, { key: 'commits' }, { key: 'part', label: 'lines' }, { key: 'last', label: 'last commit' }, { key: 'status' }],
          );
        }
      });
    });

  program
    .command('blame [file]')
    .description('line authorship of FILE (cached by content)')
    .option('--line <n>', 'only this line')
    .action(async (file: string | undefined, opts: { line?: string }, cmd: Command) => {
      const line = opts.line === undefined ? undefined : Number(opts.line);
      if (line !== undefined && (!Number.isInteger(line) || line < 1)) throw new MiraError('bad_usage', `--line ${opts.line} is not a line number`);
      const root = cli.open(cmd).project().root;
      await cli.query(cmd, 'git/blame', file ? { file: projectPath(cli, root, file), line } : null, (r) => {
        printTable(
          cli.out,
          r.results.map((x) => ({ line: x.line, commit: x.commit.slice(0, 10), author: x.author, date: day(x.date), summary: x.summary })),
          [{ key: 'line' }, { key: 'commit' }, { key: 'author', max: 24 }, { key: 'date' }, { key: 'summary', max: 60 }],
        );
      });
    });

  program
    .command('fixes [text...]')
    .description('past commits that fixed errors like TEXT')
    .option('--file <path...>', 'files involved in the error (rank fixes that touched them higher)')
    .option('--k <n>', 'how many results', '10')
    .action(async (text: string[], opts: { file?: string[]; k?: string }, cmd: Command) => {
      const k = parseK(opts.k);
      const root = cli.open(cmd).project().root;
      const query = text.join(' ').trim();
      const files = (opts.file ?? []).map((f) => projectPath(cli, root, f));
      const params = query || files.length ? { query: query || undefined, files: files.length ? files : undefined, k } : null;
      await cli.query(cmd, 'git/fixes', params, (r) => {
        printTable(
          cli.out,
          r.results.map((x) => ({ commit: (x.commit ?? '(build)').slice(0, 10), date: day(x.date), score: x.score, message: x.message.split('\n')[0], files: x.files.slice(0, 3).join(' ') })),
          [{ key: 'commit' }, { key: 'date' }, { key: 'score' }, { key: 'message', max: 60 }, { key: 'files', max: 50 }],
        );
      });
    });

  const gitCmd = program.command('git').description('git history: status, sync, log, truck factor');
  gitCmd
    .command('status')
    .description('what was read from history, and what was skipped and why')
    .action(async (_o: unknown, cmd: Command) => {
      const r = await cli.open(cmd).client().call('git/status', {});
      if (cli.globals(cmd).json) return printJson(cli.out, r);
      cli.out.stdout.write(
        `status    ${r.status}${r.head ? ` at ${r.head.slice(0, 12)}${r.head_ref ? ` (${r.head_ref})` : ' (detached)'}` : ''}\n` +
          `commits   ${r.commits}  authors ${r.authors}  fixes ${r.fixes}${r.mode === 'names' ? '  (paths only: no line counts)' : ''}${r.shallow ? '  (shallow clone)' : ''}\n` +
          (r.synced_at ? `synced    ${r.synced_at}\n` : ''),
      );
      for (const x of r.reasons) cli.out.stdout.write(`  ${color(cli.out, 33, x.kind)}: ${x.detail}\n`);
    });
  gitCmd
    .command('sync')
    .description('read new commits now (mira index does this too)')
    .action(async (_o: unknown, cmd: Command) => {
      const r = await cli.open(cmd).client().call('git/sync', {});
      if (cli.globals(cmd).json) return printJson(cli.out, r);
      cli.out.stdout.write(`${r.status}: ${r.commits_added} commit(s) added, ${r.commits_removed} removed, ${r.commits_total} stored (${r.took_ms} ms)\n`);
      for (const x of r.reasons) cli.out.stdout.write(`  ${color(cli.out, 33, x.kind)}: ${x.detail}\n`);
    });
  gitCmd
    .command('log [file]')
    .description('commits, newest first (of FILE, following its renames)')
    .option('--author <who>', 'only commits by this email or name')
    .option('--limit <n>', 'how many', '20')
    .action(async (file: string | undefined, opts: { author?: string; limit?: string }, cmd: Command) => {
      const limit = parseK(opts.limit);
      const root = cli.open(cmd).project().root;
      await cli.query(cmd, 'git/commits', { file: file ? projectPath(cli, root, file) : undefined, author: opts.author, limit }, (r) => {
        printTable(
          cli.out,
          r.results.map((x) => ({ ...x, sha: x.sha.slice(0, 10), date: day(x.date) })),
          [{ key: 'sha' }, { key: 'date' }, { key: 'author', max: 24 }, { key: 'files' }, { key: 'subject', max: 70 }],
        );
      });
    });
  gitCmd
    .command('truck [folder]')
    .description('truck factor of a folder: how many key people could leave before most files are orphaned')
    .action(async (folder: string | undefined, _o: unknown, cmd: Command) => {
      const root = cli.open(cmd).project().root;
      await cli.query(cmd, 'git/truck-factor', { path: folder ? projectPath(cli, root, folder) : '' }, (r) => {
        for (const t of r.results) {
          cli.out.stdout.write(`${t.folder || '(project)'}: truck factor ${t.truck_factor} over ${t.files} file(s)\n`);
          printTable(cli.out, t.authors, [{ key: 'author', max: 30 }, { key: 'email', max: 40 }, { key: 'files' }]);
        }
      });
    });

  const ev = evalCommand(program);
  const evalAction = (task: 'cochange' | 'experts') => async (opts: { set: string; repo: string; db?: string; bots?: boolean }, cmd: Command) => {
    const g = cli.globals(cmd);
    const run = task === 'cochange' ? evalCochange : evalExperts;
    const r = await run({
      setDir: path.resolve(cli.cwd, opts.set),
      repo: path.resolve(cli.cwd, opts.repo),
      dbFile: opts.db ? path.resolve(cli.cwd, opts.db) : undefined,
      bots: opts.bots,
      log: g.json ? undefined : (m) => cli.out.stderr.write(color(cli.out, 2, m) + '\n'),
    });
    if (g.json) return printJson(cli.out, r);
    printEval(cli, r);
  };
  ev.command('cochange')
    .description('co-change recall@k / hit@k on a set (history read up to its T0), against the ROSE-style baseline')
    .requiredOption('--set <dir>', 'evaluation set folder (meta.json, cochange.jsonl)')
    .requiredOption('--repo <gitdir>', 'the repository (a bare mirror or .git folder)')
    .option('--db <file>', 'keep the ingested database in FILE (reused by later runs)')
    .action(evalAction('cochange'));
  ev.command('experts')
    .description('"who changes these files next" MRR on a set, against the most-commits and most-recent baselines')
    .requiredOption('--set <dir>', 'evaluation set folder (meta.json, experts.jsonl)')
    .requiredOption('--repo <gitdir>', 'the repository (a bare mirror or .git folder)')
    .option('--db <file>', 'keep the ingested database in FILE (reused by later runs)')
    .option('--no-bots', 'leave bot authors out of the answers')
    .action(evalAction('experts'));
}

function printEval(cli: CliRuntime, r: EvalResult): void {
  cli.out.stdout.write(`${color(cli.out, 1, `${r.set}  ${r.task}`)}  T0 ${r.t0.slice(0, 12)}  ${r.queries} questions${r.baseline_queries ? ` (baseline ${r.baseline_queries})` : ''}\n`);
  cli.out.stdout.write(`history   ${r.ingest.commits_total} commits read in ${r.ingest.took_ms} ms (${r.ingest.mode})\n`);
  const rows = Object.entries(r.metrics).map(([name, ours]) => {
    const g = r.goals.find((x) => x.name === name);
    return { metric: name, mira: ours, baseline: g?.baseline ?? r.baseline?.[name] ?? null, ratio: g?.ratio ?? null, goal: g?.goal ?? null, met: g ? (g.met ? 'yes' : 'no') : '' };
  });
  printTable(cli.out, rows, [{ key: 'metric' }, { key: 'mira' }, { key: 'baseline' }, { key: 'ratio' }, { key: 'goal' }, { key: 'met' }]);
  cli.out.stdout.write(`took      ${r.took_ms} ms\n`);
}
