// CLI commands of personal memory: `mira memory list|set KEY VALUE|forget KEY`, plus profile, patterns, reasoning and recall.
import type { Command } from 'commander';
import type { memoryMethods } from '../../../shared/api/memory';
import { MiraError } from '../../../shared/errors';
import { color, printTable } from '../output';
import type { CliRuntime } from '../runtime';
import { typedApi } from './llm';

const api = typedApi<typeof memoryMethods>();

export function registerMemoryCommands(program: Command, cli: CliRuntime): void {
  const memory = program
    .command('memory')
    .description("the user's profile, facts and learned patterns: list, set KEY VALUE, forget KEY")
    .action(async (_opts: unknown, cmd: Command) => list(cli, cmd, {}));

  memory
    .command('list')
    .description('profile entries, facts and learned patterns')
    .option('--kind <kind>', 'all, facts, profile or patterns', 'all')
    .option('--query <text>', 'only entries whose key or value contains TEXT')
    .action(async (opts: { kind: string; query?: string }, cmd: Command) => {
      if (!['all', 'facts', 'profile', 'patterns'].includes(opts.kind)) throw new MiraError('bad_usage', `--kind ${opts.kind} is not one of all, facts, profile, patterns`);
      await list(cli, cmd, { kind: opts.kind as 'all', query: opts.query });
    });

  memory
    .command('set [key] [value...]')
    .description('remember KEY = VALUE (profile keys: preferences.*, coding_style.*, tech_stack.*, communication_style.*, identity.*); a new value replaces the old')
    .option('--scope <scope>', 'global (default) or project')
    .action(async (key: string | undefined, value: string[], opts: { scope?: string }, cmd: Command) => {
      if (opts.scope !== undefined && opts.scope !== 'global' && opts.scope !== 'project') throw new MiraError('bad_usage', `--scope ${opts.scope} is not global or project`);
      const g = cli.globals(cmd);
      if (!g.batch && (!key || !value.length)) throw new MiraError('bad_usage', 'usage: mira memory set KEY VALUE');
      cli.open(cmd, { needProject: opts.scope === 'project' });
      await api.query(cli, cmd, 'memory/set', key ? { key, value: value.join(' '), scope: opts.scope as 'global' | 'project' | undefined } : null, (r) => {
        const was = r.previous_value !== null ? color(cli.out, 2, ` (was ${r.previous_value})`) : '';
        cli.out.stdout.write(`${r.action} ${r.key} = ${r.value}${was}\n`);
      });
    });

  memory
    .command('forget [key]')
    .description('forget KEY (a profile category alone forgets the whole category; KEY.* forgets everything under it)')
    .action(async (key: string | undefined, _opts: unknown, cmd: Command) => {
      if (!cli.globals(cmd).batch && !key) throw new MiraError('bad_usage', 'usage: mira memory forget KEY');
      cli.open(cmd, { needProject: false });
      await api.query(cli, cmd, 'memory/forget', key ? { key } : null, (r) => {
        cli.out.stdout.write(r.forgotten ? `forgot ${r.key} (${r.forgotten} ${r.forgotten === 1 ? 'entry' : 'entries'})\n` : `nothing stored under ${r.key}\n`);
      });
    });

  memory
    .command('profile')
    .description('the profile by category')
    .action(async (_opts: unknown, cmd: Command) => {
      cli.open(cmd, { needProject: false });
      await api.query(cli, cmd, 'memory/profile', {}, (r) => {
        const rows = Object.entries(r).flatMap(([category, entries]) => Object.entries(entries).map(([key, value]) => ({ category, key, value })));
        printTable(cli.out, rows, [{ key: 'category' }, { key: 'key' }, { key: 'value', max: 80 }]);
      });
    });

  memory
    .command('patterns')
    .description('learned patterns (observed habits) with their confidence')
    .option('--all', 'include retired patterns')
    .action(async (opts: { all?: boolean }, cmd: Command) => {
      cli.open(cmd);
      await api.query(cli, cmd, 'memory/patterns', { include_retired: !!opts.all }, (r) =>
        printTable(cli.out, r.results, [{ key: 'id' }, { key: 'pattern', max: 60 }, { key: 'applies_when', label: 'when', max: 40 }, { key: 'confidence' }, { key: 'status' }]),
      );
    });

  memory
    .command('reasoning [query...]')
    .description('reasoning patterns (recipes that worked); with QUERY, the ones matching a task')
    .option('--all', 'include deprecated patterns')
    .action(async (words: string[], opts: { all?: boolean }, cmd: Command) => {
      cli.open(cmd);
      const query = words.join(' ').trim() || undefined;
      await api.query(cli, cmd, 'memory/reasoning', { query, include_deprecated: !!opts.all }, (r) =>
        printTable(
          cli.out,
          r.results.map((p) => ({ ...p, steps: p.steps.length, rate: p.success_rate })),
          [{ key: 'id' }, { key: 'name', max: 50 }, { key: 'steps' }, { key: 'uses' }, { key: 'rate' }, { key: 'status' }, ...(query ? [{ key: 'score' }] : [])],
        ),
      );
    });

  memory
    .command('recall [query...]')
    .description('the memories that would be recalled for QUERY, best first')
    .option('--k <n>', 'how many', '12')
    .action(async (words: string[], opts: { k: string }, cmd: Command) => {
      const k = Number(opts.k);
      if (!Number.isInteger(k) || k < 1 || k > 100) throw new MiraError('bad_usage', `--k ${opts.k} is not a count (1-100)`);
      cli.open(cmd);
      const query = words.join(' ').trim();
      await api.query(cli, cmd, 'memory/recall', query ? { query, k } : null, (r) =>
        printTable(cli.out, r.results, [{ key: 'kind' }, { key: 'text', max: 70 }, { key: 'score' }, { key: 'reasons', max: 40 }]),
      );
    });
}

async function list(cli: CliRuntime, cmd: Command, p: { kind?: 'all' | 'facts' | 'profile' | 'patterns'; query?: string }): Promise<void> {
  cli.open(cmd);
  await api.query(cli, cmd, 'memory/list', p, (r) => {
    printTable(
      cli.out,
      r.results.map((e) => ({ key: e.key, value: e.value, scope: e.scope, confidence: e.confidence, source: e.source })),
      [{ key: 'key', max: 40 }, { key: 'value', max: 60 }, { key: 'scope' }, { key: 'confidence' }, { key: 'source' }],
    );
    if (r.patterns.length) {
      cli.out.stdout.write('\n' + color(cli.out, 1, 'learned patterns') + '\n');
      printTable(cli.out, r.patterns, [{ key: 'id' }, { key: 'pattern', max: 60 }, { key: 'applies_when', label: 'when', max: 30 }, { key: 'confidence' }]);
    }
  });
}
