// `mira tools detect|list|run|apply|reject|history` and `mira eval tools --set DIR --repo GIT_DIR`.
import path from 'node:path';
import type { Command } from 'commander';
import { MiraError } from '../../../shared/errors';
import type { MethodName, Params, Result } from '../../../shared/api';
import { evalToolSet } from '../../tools/eval';
import { color, printJson, printTable, ProgressBar } from '../output';
import type { CliRuntime } from '../runtime';

/** The tools methods are typed by src/shared/api/tools.ts; until that file is in the API index they are called by name. */
const M = (name: string) => name as MethodName;

interface DetectOut {
  results: { name: string; version: number; support: number; validation: { cases: number; path_f1: number; line_f1: number }; templates: string[]; registries: string[]; event: string; params: { name: string; required: boolean }[] }[];
  patterns: { files: number; commands: number };
  commits: { mined: number; new: number };
  took_ms: number;
}
interface ListOut {
  results: { name: string; version: number; status: string; runs: number; accepted: number; success_rate: number | null; validation: { path_f1: number; line_f1: number }; description: string }[];
}
interface RunOut {
  tool: string;
  version: number;
  execution_id: number;
  files: { path: string; action: string; content: string; diff: string }[];
  applied: boolean;
  took_ms: number;
}
interface HistoryOut {
  name: string;
  versions: { version: number; status: string; created_at: string; validation: { cases: number; path_f1: number; line_f1: number }; description: string }[];
  evolution: { from_version: number | null; to_version: number | null; event: string; reason: string; commit: string | null; created_at: string }[];
  executions: { id: number; version: number; params: Record<string, string>; files: string[]; status: string; outcome: string | null; created_at: string }[];
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

function parseParams(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new MiraError('bad_usage', `--param ${kv} is not KEY=VALUE`);
    out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

function colorDiff(cli: CliRuntime, diff: string): string {
  return diff
    .split('\n')
    .map((l) => (l.startsWith('+') && !l.startsWith('+++') ? color(cli.out, 32, l) : l.startsWith('-') && !l.startsWith('---') ? color(cli.out, 31, l) : l.startsWith('@@') ? color(cli.out, 36, l) : l))
    .join('\n');
}

export function registerToolsCommands(program: Command, cli: CliRuntime): void {
  const tools = program.command('tools').description('tools learned from the project history: detect, list, run in a sandbox');

  tools
    .command('detect')
    .description('mine the history for repeated changes and synthesize a validated tool for each')
    .option('--limit <n>', 'at most this many shapes')
    .action(async (opts: { limit?: string }, cmd: Command) => {
      const g = cli.globals(cmd);
      const mira = cli.open(cmd);
      const limit = opts.limit ? Number(opts.limit) : undefined;
      if (limit !== undefined && !(limit >= 1)) throw new MiraError('bad_usage', `--limit ${opts.limit} is not a positive number`);
      const bar = new ProgressBar(cli.out);
      const off = mira.events.subscribe((ev, data) => {
        if (ev === 'tools/progress') bar.update('tools', (data as { done: number }).done, (data as { total: number }).total);
      });
      let r: DetectOut;
      try {
        r = (await mira.client().call(M('tools/detect'), { limit } as never)) as unknown as DetectOut;
      } finally {
        off();
        bar.done();
      }
      if (g.json) return printJson(cli.out, r);
      printTable(
        cli.out,
        r.results.map((t) => ({
          name: t.name,
          v: t.version,
          support: t.support,
          path_f1: t.validation.path_f1,
          line_f1: t.validation.line_f1,
          creates: t.templates.join(' '),
          registers: t.registries.join(' '),
          event: t.event,
        })),
        [{ key: 'name', max: 32 }, { key: 'v' }, { key: 'support' }, { key: 'path_f1' }, { key: 'line_f1' }, { key: 'creates', max: 70 }, { key: 'registers', max: 40 }, { key: 'event' }],
      );
      cli.out.stdout.write(`${r.results.length} validated tools from ${r.patterns.files} shapes; ${r.commits.mined} commits mined (${r.commits.new} new) in ${r.took_ms} ms\n`);
    });

  tools
    .command('list')
    .description('the stored tools, their version, runs and success rate')
    .option('--all', 'include retired tools and tools that did not pass validation')
    .action(async (opts: { all?: boolean }, cmd: Command) => {
      await cli.query(cmd, M('tools/list'), { all: !!opts.all } as never, (res: Result<MethodName>) => {
        const r = res as unknown as ListOut;
        printTable(
          cli.out,
          r.results.map((t) => ({ name: t.name, version: t.version, status: t.status, runs: t.runs, accepted: t.accepted, success_rate: t.success_rate, path_f1: t.validation.path_f1, line_f1: t.validation.line_f1, description: t.description })),
          [{ key: 'name', max: 32 }, { key: 'version' }, { key: 'status' }, { key: 'runs' }, { key: 'accepted' }, { key: 'success_rate' }, { key: 'path_f1' }, { key: 'line_f1' }, { key: 'description', max: 80 }],
        );
      });
    });

  tools
    .command('run [name]')
    .description('run a tool in its sandbox against a scratch copy and show the change (nothing changes without --apply)')
    .option('--param <key=value>', 'a parameter (repeatable); every tool needs name=...', collect, [] as string[])
    .option('--apply', 'write the change to the project')
    .action(async (name: string | undefined, opts: { param: string[]; apply?: boolean }, cmd: Command) => {
      const g = cli.globals(cmd);
      const params = name ? ({ tool: name, params: parseParams(opts.param), apply: !!opts.apply } as Params<MethodName>) : null;
      if (!name && !g.batch) throw new MiraError('bad_usage', 'mira tools run NAME --param name=VALUE (or --batch FILE)');
      await cli.query(cmd, M('tools/run'), params, (res: Result<MethodName>) => {
        const r = res as unknown as RunOut;
        for (const f of r.files) {
          cli.out.stdout.write(color(cli.out, 1, `${f.action} ${f.path}`) + '\n');
          cli.out.stdout.write(colorDiff(cli, f.diff));
        }
        cli.out.stdout.write(
          r.applied
            ? `applied ${r.files.length} file${r.files.length === 1 ? '' : 's'} (tool ${r.tool} v${r.version}, ${r.took_ms} ms)\n`
            : `nothing written: run again with --apply, or \`mira tools apply ${r.execution_id}\` (tool ${r.tool} v${r.version}, ${r.took_ms} ms)\n`,
        );
      });
    });

  tools
    .command('apply <execution>')
    .description('apply a change a tool run proposed (refused if its files changed since)')
    .action(async (execution: string, _opts: unknown, cmd: Command) => {
      const g = cli.globals(cmd);
      const id = Number(execution);
      if (!Number.isInteger(id)) throw new MiraError('bad_usage', `${execution} is not a tool run id`);
      const r = (await cli.open(cmd).client().call(M('tools/apply'), { execution_id: id } as never)) as unknown as { files: string[] };
      if (g.json) return printJson(cli.out, r);
      cli.out.stdout.write(`applied: ${r.files.join(', ')}\n`);
    });

  tools
    .command('reject <execution>')
    .description('record that a proposed change was not wanted (it counts against the tool)')
    .action(async (execution: string, _opts: unknown, cmd: Command) => {
      const g = cli.globals(cmd);
      const id = Number(execution);
      if (!Number.isInteger(id)) throw new MiraError('bad_usage', `${execution} is not a tool run id`);
      const r = await cli.open(cmd).client().call(M('tools/reject'), { execution_id: id } as never);
      if (g.json) return printJson(cli.out, r);
      cli.out.stdout.write(`rejected tool run ${id}\n`);
    });

  tools
    .command('history <name>')
    .description("a tool's versions, why each exists, and its runs")
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      await cli.query(cmd, M('tools/history'), { tool: name } as never, (res: Result<MethodName>) => {
        const r = res as unknown as HistoryOut;
        printTable(
          cli.out,
          r.versions.map((v) => ({ version: v.version, status: v.status, created: v.created_at.slice(0, 19), cases: v.validation.cases, path_f1: v.validation.path_f1, line_f1: v.validation.line_f1 })),
          [{ key: 'version' }, { key: 'status' }, { key: 'created' }, { key: 'cases' }, { key: 'path_f1' }, { key: 'line_f1' }],
        );
        for (const e of r.evolution) cli.out.stdout.write(`${e.created_at.slice(0, 19)}  ${e.event}${e.to_version !== null ? ` v${e.to_version}` : ''}: ${e.reason}\n`);
        if (r.executions.length) {
          cli.out.stdout.write('\n');
          printTable(
            cli.out,
            r.executions.map((x) => ({ run: x.id, version: x.version, name: x.params.name ?? '', status: x.status, outcome: x.outcome ?? '', files: x.files.join(' '), at: x.created_at.slice(0, 19) })),
            [{ key: 'run' }, { key: 'version' }, { key: 'name' }, { key: 'status' }, { key: 'outcome' }, { key: 'files', max: 80 }, { key: 'at' }],
          );
        }
      });
    });

  const evalCmd = program.commands.find((c) => c.name() === 'eval') ?? program.command('eval').description('measure Mira on evaluation sets');
  evalCmd
    .command('tools')
    .description('detect tools at the set\'s T0 and score the matching tool on each later commit of toolsynth.jsonl')
    .requiredOption('--set <dir>', 'a set folder with meta.json (t0) and toolsynth.jsonl')
    .requiredOption('--repo <gitdir>', "the repository's git dir (a bare mirror works)")
    .option('--cases', 'print every case (with --json: keep per_case in the output)')
    .action(async (opts: { set: string; repo: string; cases?: boolean }, cmd: Command) => {
      const g = cli.globals(cmd);
      const bar = new ProgressBar(cli.out);
      let r;
      try {
        r = await evalToolSet({ setDir: path.resolve(cli.cwd, opts.set), repo: { gitDir: path.resolve(cli.cwd, opts.repo) }, onProgress: (stage, d, n) => bar.update(stage, d, n) });
      } finally {
        bar.done();
      }
      if (g.json) {
        const { per_case, tool_list, ...rest } = r;
        return printJson(cli.out, opts.cases ? { ...rest, per_case, tool_list } : rest);
      }
      const row = (label: string, s: { created_exact: number; path_f1: number; line_f1: number } | null | undefined) => ({ method: label, created_exact: s?.created_exact ?? null, path_f1: s?.path_f1 ?? null, line_f1: s?.line_f1 ?? null });
      printTable(cli.out, [row('mira', r.metrics), row('copy_last', r.baselines?.copy_last), row('copy_template', r.baselines?.copy_template)], [{ key: 'method' }, { key: 'created_exact' }, { key: 'path_f1' }, { key: 'line_f1' }]);
      cli.out.stdout.write(`${r.set}: ${r.cases} cases, ${r.validated}/${r.tools} tools validated, detection ${r.detect_ms} ms, total ${r.took_ms} ms\n`);
      if (r.goals) cli.out.stdout.write(`goals: ${Object.entries(r.goals).map(([k, v]) => `${k}=${v === null ? 'n/a' : v ? 'yes' : 'NO'}`).join(' ')}\n`);
      if (opts.cases) for (const c of r.per_case) cli.out.stdout.write(`${c.name.padEnd(32)} ${String(c.tool ?? '-').padEnd(28)} exact=${c.score.created_exact} path=${c.score.path_f1.toFixed(3)} line=${c.score.line_f1.toFixed(3)}${c.error ? ` (${c.error})` : ''}\n`);
    });
}
