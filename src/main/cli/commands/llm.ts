// CLI commands of the LLM capability: `mira ask` (streamed answer) and `mira budget` / `mira budget set`.
import readline from 'node:readline';
import type { Command } from 'commander';
import type { z } from 'zod';
import type { MethodSpec } from '../../../shared/api/define';
import type { AskResult, BudgetResult, llmEvents, llmMethods } from '../../../shared/api/llm';
import type { MiraClient } from '../../../shared/client';
import { MiraError } from '../../../shared/errors';
import { color, printJson, printTable, type Out } from '../output';
import type { CliRuntime } from '../runtime';

/**
 * `cli.query` and `client.call` typed by a capability's own method map, so these commands compile whether or not the
 * map is already merged into src/shared/api/index.ts (the casts are the only place that knowledge is bridged).
 */
export function typedApi<Map extends Record<string, MethodSpec>>() {
  return {
    query<M extends keyof Map & string>(cli: CliRuntime, cmd: Command, method: M, params: z.input<Map[M]['params']> | null, print: (r: z.output<Map[M]['result']>) => void): Promise<void> {
      return cli.query(cmd, method as never, params as never, print as never);
    },
    call<M extends keyof Map & string>(client: MiraClient, method: M, params: z.input<Map[M]['params']>): Promise<z.output<Map[M]['result']>> {
      return client.transport.request(method, params) as Promise<z.output<Map[M]['result']>>;
    },
  };
}

const api = typedApi<typeof llmMethods>();

function onEvent<E extends keyof typeof llmEvents>(client: MiraClient, event: E, cb: (data: z.output<(typeof llmEvents)[E]>) => void): () => void {
  return client.transport.subscribe((name, data) => {
    if (name === event) cb(data as z.output<(typeof llmEvents)[E]>);
  });
}

const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high'] as const;
type AskEffort = (typeof EFFORTS)[number];

function money(n: number): string {
  return n !== 0 && Math.abs(n) < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}

function usdArg(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v.replace(/^\$/, ''));
  if (!Number.isFinite(n) || n < 0) throw new MiraError('bad_usage', `${flag} ${v} is not an amount in USD (a number ≥ 0)`);
  return n;
}

export function printBudget(out: Out, r: BudgetResult): void {
  const bar = (spent: number, limit: number) => {
    const w = 24;
    const frac = limit > 0 ? Math.min(1, spent / limit) : spent > 0 ? 1 : 0;
    return '█'.repeat(Math.round(frac * w)).padEnd(w, '░');
  };
  const w = out.stdout;
  w.write(`${color(out, 1, 'today')}      ${bar(r.daily_spend_usd, r.daily_limit_usd)}  ${money(r.daily_spend_usd)} of ${money(r.daily_limit_usd)}\n`);
  w.write(`${color(out, 1, 'this month')} ${bar(r.monthly_spend_usd, r.monthly_limit_usd)}  ${money(r.monthly_spend_usd)} of ${money(r.monthly_limit_usd)}\n`);
  if (r.reserved_usd > 0) w.write(`in flight  ${money(r.reserved_usd)}\n`);
  w.write(`calls      ${r.calls} this month (${r.calls_today} today, ${r.failures} failed)\n`);
  w.write(`cache      ${(r.cache_hit_rate * 100).toFixed(1)}% hit rate over ${r.cache_lookups} lookups, saved ${money(r.saved_usd)} this month\n`);
  w.write(`model      ${r.model} (effort ${r.effort})${r.configured ? '' : color(out, 33, '  not configured: set OPENAI_API_KEY')}\n`);
  const recent = r.days.filter((d) => d.calls > 0).slice(-7);
  if (recent.length) {
    w.write('\n');
    printTable(
      out,
      recent.map((d) => ({ day: d.day, spend: money(d.cost_usd), calls: d.calls, cached: d.cache_hits, saved: money(d.saved_usd) })),
      [{ key: 'day' }, { key: 'spend' }, { key: 'calls' }, { key: 'cached' }, { key: 'saved' }],
    );
  }
}

export function registerLlmCommands(program: Command, cli: CliRuntime): void {
  const budget = program
    .command('budget')
    .description('spend and limits (`mira budget set --daily N --monthly N` changes the limits)')
    .option('--days <n>', 'days of history in the spend series', '30')
    .action(async (opts: { days: string }, cmd: Command) => {
      const days = Number(opts.days);
      if (!Number.isInteger(days) || days < 1 || days > 366) throw new MiraError('bad_usage', `--days ${opts.days} is not a number of days (1-366)`);
      cli.open(cmd, { needProject: false });
      await api.query(cli, cmd, 'llm/budget', { days }, (r) => printBudget(cli.out, r));
    });

  budget
    .command('set')
    .description('change the spending limits (saved in config.json)')
    .option('--daily <usd>', 'daily limit in USD')
    .option('--monthly <usd>', 'monthly limit in USD')
    .action(async (opts: { daily?: string; monthly?: string }, cmd: Command) => {
      const daily = usdArg(opts.daily, '--daily');
      const monthly = usdArg(opts.monthly, '--monthly');
      if (daily === undefined && monthly === undefined) throw new MiraError('bad_usage', 'give --daily N, --monthly N or both');
      const mira = cli.open(cmd, { needProject: false });
      const r = await api.call(mira.client(), 'llm/setLimits', { daily_usd: daily, monthly_usd: monthly });
      if (cli.globals(cmd).json) return printJson(cli.out, r);
      cli.out.stdout.write(`limits: ${money(r.daily_limit_usd)} a day, ${money(r.monthly_limit_usd)} a month\n`);
      for (const v of r.overridden_by_env) cli.out.stderr.write(color(cli.out, 33, `note: ${v} is set in the environment and overrides config.json in later runs\n`));
      // A limit below what is already spent refuses every call until the period ends: say so.
      const b = await api.call(mira.client(), 'llm/budget', { days: 1 });
      if (b.daily_spend_usd > r.daily_limit_usd)
        cli.out.stderr.write(color(cli.out, 33, `warning: ${money(b.daily_spend_usd)} is already spent today, above the new daily limit: every call is refused until tomorrow\n`));
      if (b.monthly_spend_usd > r.monthly_limit_usd)
        cli.out.stderr.write(color(cli.out, 33, `warning: ${money(b.monthly_spend_usd)} is already spent this month, above the new monthly limit: every call is refused until next month\n`));
    });

  program
    .command('ask [question...]')
    .description('ask the assistant; the answer is grounded in the project and your memory (needs a configured LLM)')
    .option('--conversation <id>', 'continue a conversation')
    .option('--model <name>', 'chat model for this question')
    .option('--effort <level>', `reasoning effort: ${EFFORTS.join(', ')}`)
    .option('--no-cache', 'do not read or write the answer cache')
    .option('--no-tools', "do not let the model call Mira's tools")
    .option('--yes', 'allow tools with side effects (such as build_run) without asking')
    .action(async (words: string[], opts: { conversation?: string; model?: string; effort?: string; cache: boolean; tools: boolean; yes?: boolean }, cmd: Command) => {
      const g = cli.globals(cmd);
      if (opts.effort !== undefined && !(EFFORTS as readonly string[]).includes(opts.effort)) throw new MiraError('bad_usage', `--effort ${opts.effort} is not one of ${EFFORTS.join(', ')}`);
      const conversation = opts.conversation === undefined ? undefined : Number(opts.conversation);
      if (conversation !== undefined && (!Number.isInteger(conversation) || conversation < 1)) throw new MiraError('bad_usage', `--conversation ${opts.conversation} is not a conversation id`);
      const question = words.join(' ').trim();
      if (!question && !g.batch) throw new MiraError('bad_usage', 'usage: mira ask QUESTION (or --batch FILE)');
      const mira = cli.open(cmd);
      const client = mira.client();
      const interactive = !g.json && !g.batch && !!cli.stdin.isTTY && !!cli.out.stderr.isTTY;
      const confirm = opts.yes ? 'allow' : interactive ? 'ask' : 'deny';
      const offs: (() => void)[] = [];
      let streamed = false;
      if (!g.json && !g.batch) {
        offs.push(
          onEvent(client, 'chat/delta', (d) => {
            streamed = true;
            cli.out.stdout.write(d.delta);
          }),
        );
      }
      if (confirm === 'ask') {
        offs.push(
          onEvent(client, 'chat/confirm', (d) => {
            void askYesNo(cli.out, `\nallow ${d.tool} ${JSON.stringify(d.args)}? [y/N] `).then((allow) => api.call(client, 'chat/confirm', { request_id: d.request_id, allow }));
          }),
        );
      }
      try {
        await api.query(
          cli,
          cmd,
          'llm/ask',
          question ? { question, conversation_id: conversation, model: opts.model, effort: opts.effort as AskEffort | undefined, cache: opts.cache, tools: opts.tools, confirm } : null,
          (r: AskResult) => {
            if (!streamed) cli.out.stdout.write(r.answer);
            cli.out.stdout.write('\n');
            const bits = [`${r.context.length} context items`, money(r.cost_usd), `conversation ${r.conversation_id}`];
            if (r.cached) bits.push('from cache');
            if (r.stopped) bits.push('stopped');
            cli.out.stderr.write(color(cli.out, 2, bits.join(' · ')) + '\n');
          },
        );
      } finally {
        for (const off of offs) off();
      }
    });
}

function askYesNo(out: Out, question: string): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: out.stderr });
    rl.question(question, (a) => {
      rl.close();
      resolve(/^y(es)?$/i.test(a.trim()));
    });
  });
}
