// `mira do TASK` (an operation: plan, tools, proposed edits, --apply, --verify), `mira ops ...` to follow, review, resume and apply them, and `mira undo OPERATION`.
import type { Command } from 'commander';
import type { z } from 'zod';
import type { ArtifactInfo, OperationView, opsEvents, opsMethods } from '../../../shared/api/ops';
import type { MiraClient } from '../../../shared/client';
import { MiraError } from '../../../shared/errors';
import { color, printJson, printTable, type Out } from '../output';
import type { CliRuntime } from '../runtime';
import { ExitSilently } from './build';
import { typedApi } from './llm';

const api = typedApi<typeof opsMethods>();
const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high'] as const;

function onEvent<E extends keyof typeof opsEvents>(client: MiraClient, event: E, cb: (data: z.output<(typeof opsEvents)[E]>) => void): () => void {
  return client.transport.subscribe((name, data) => {
    if (name === event) cb(data as z.output<(typeof opsEvents)[E]>);
  });
}

function intArg(v: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new MiraError('bad_usage', `${flag} ${v} is not a whole number from ${min} to ${max}`);
  return n;
}

function idArg(v: string, what = 'operation'): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new MiraError('bad_usage', `${v} is not ${what === 'operation' ? 'an operation' : `an ${what}`} id`);
  return n;
}

function money(n: number): string {
  return n !== 0 && Math.abs(n) < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}

/** Colours a diff for a terminal (plain when not a TTY). */
function printDiff(out: Out, diff: string): void {
  for (const line of diff.replace(/\n$/, '').split('\n')) {
    const c = line.startsWith('+++') || line.startsWith('---') ? 1 : line.startsWith('+') ? 32 : line.startsWith('-') ? 31 : line.startsWith('@@') ? 36 : 0;
    out.stdout.write(`${c ? color(out, c, line) : line}\n`);
  }
}

function artifactLine(a: ArtifactInfo): string {
  return `${a.path}  ${a.status}${a.creates ? ' (new file)' : ''}  +${a.additions} -${a.deletions}${a.hunks.length > 1 ? `  ${a.hunks.length} hunks` : ''}`;
}

export function printOperation(out: Out, v: OperationView, opts: { diffs?: boolean; steps?: boolean } = {}): void {
  const w = out.stdout;
  const statusColor = v.status === 'done' ? 32 : v.status === 'failed' || v.status === 'cancelled' ? 31 : 33;
  w.write(`${color(out, 1, `operation ${v.operation_id}`)}  ${color(out, statusColor, v.status)}${v.interrupted ? color(out, 33, ' (interrupted)') : ''}${v.reverted ? ' (undone)' : ''}  ${money(v.cost_usd)}  ${v.llm_calls} model turns, ${v.tool_calls} tool calls\n`);
  w.write(`task: ${v.task}\n`);
  if (opts.steps) {
    for (const s of v.steps) w.write(`  ${String(s.ord).padStart(3)} ${s.kind.padEnd(7)} ${s.status === 'ok' ? '' : `[${s.status}] `}${s.detail || s.name}\n`);
  }
  if (v.artifacts.length) {
    w.write(`\n${color(out, 1, 'changes')}\n`);
    for (const a of v.artifacts) {
      w.write(`  [${a.id}] ${artifactLine(a)}\n`);
      if (opts.diffs !== false) printDiff(out, a.diff);
    }
  }
  if (v.verification) {
    const ver = v.verification;
    w.write(`\n${color(out, 1, 'verification')}  ${ver.command}: ${ver.passed ? color(out, 32, 'passed') : color(out, 31, 'failed')}${ver.exit_code !== null ? ` (exit ${ver.exit_code})` : ''}`);
    w.write(`${ver.rounds > 1 ? `, ${ver.rounds} rounds` : ''}${ver.resolved.length ? `, ${ver.resolved.length} error${ver.resolved.length === 1 ? '' : 's'} resolved` : ''}\n`);
    for (const e of ver.errors.slice(0, 10)) w.write(`  ${e.file ?? ''}${e.line ? `:${e.line}` : ''} ${e.message}\n`);
  }
  if (v.summary) w.write(`\n${v.summary.trim()}\n`);
  if (v.status === 'awaiting_review') w.write(color(out, 2, `\nreview: mira ops review ${v.operation_id} ARTIFACT accept|reject [--hunks N,...]; apply: mira ops apply ${v.operation_id}; drop: mira ops discard ${v.operation_id}\n`));
  else if (v.status === 'done' && v.artifacts.some((a) => a.status === 'applied')) w.write(color(out, 2, `\nundo: mira undo ${v.operation_id}\n`));
}

/** Prints the result, and turns a failed or cancelled operation into exit 1 with one line on stderr. */
function finish(cli: CliRuntime, json: boolean, v: OperationView): void {
  if (json) printJson(cli.out, v);
  else printOperation(cli.out, v);
  if (v.status === 'failed' || v.status === 'cancelled') {
    cli.out.stderr.write(`mira: operation ${v.operation_id} ${v.status}${v.error ? `: ${v.error.message}` : ''}\n`);
    if (v.error?.hint) cli.out.stderr.write(`hint: ${v.error.hint}\n`);
    throw new ExitSilently();
  }
}

/** Follows a running operation: steps on stderr for people (nothing in --json mode); Ctrl-C cancels it. */
async function follow(cli: CliRuntime, client: MiraClient, json: boolean, run: () => Promise<OperationView>): Promise<OperationView> {
  let opId: number | null = null;
  const offs: (() => void)[] = [];
  if (!json) {
    offs.push(
      onEvent(client, 'ops/step', (e) => {
        if (opId !== null && e.operation_id !== opId) return;
        const s = e.step;
        const mark = s.status === 'ok' ? color(cli.out, 2, '·') : color(cli.out, 33, '!');
        cli.out.stderr.write(`${mark} ${s.kind.padEnd(7)} ${s.detail || s.name}${s.cost_usd ? color(cli.out, 2, `  ${money(s.cost_usd)}`) : ''}\n`);
      }),
    );
  }
  let cancelling = false;
  // The first Ctrl-C cancels the operation cleanly (nothing more is written); a second one leaves at once.
  const onSigint = () => {
    if (cancelling || opId === null) process.exit(130);
    cancelling = true;
    cli.out.stderr.write('\ncancelling… (Ctrl-C again to quit at once)\n');
    void api.call(client, 'ops/cancel', { operation_id: opId }).catch(() => {});
  };
  offs.push(onEvent(client, 'ops/status', (e) => void (opId ??= e.operation_id)));
  process.on('SIGINT', onSigint);
  try {
    return await run();
  } finally {
    process.off('SIGINT', onSigint);
    for (const off of offs) off();
  }
}

export function registerOpsCommands(program: Command, cli: CliRuntime): void {
  program
    .command('do [task...]')
    .description('an operation: the assistant plans, gathers context, calls tools and proposes edits (needs a configured LLM)')
    .option('--apply', 'apply the proposed edits without waiting for a review')
    .option('--verify <cmd>', 'after applying, run this build or test command (default: testCommand in config.json)')
    .option('--no-verify', 'do not run any verification')
    .option('--max-steps <n>', 'model turns allowed', undefined)
    .option('--max-rounds <n>', 'verify-and-fix rounds allowed', undefined)
    .option('--model <name>', 'chat model for this operation')
    .option('--effort <level>', `reasoning effort: ${EFFORTS.join(', ')}`)
    .option('--yes', 'allow tools with side effects (such as build_run) without asking')
    .action(async (words: string[], opts: { apply?: boolean; verify?: string | boolean; maxSteps?: string; maxRounds?: string; model?: string; effort?: string; yes?: boolean }, cmd: Command) => {
      const g = cli.globals(cmd);
      const task = words.join(' ').trim();
      if (!task) throw new MiraError('bad_usage', 'usage: mira do TASK [--apply] [--verify CMD]');
      if (opts.effort !== undefined && !(EFFORTS as readonly string[]).includes(opts.effort)) throw new MiraError('bad_usage', `--effort ${opts.effort} is not one of ${EFFORTS.join(', ')}`);
      const maxSteps = intArg(opts.maxSteps, '--max-steps', 1, 100);
      const maxRounds = intArg(opts.maxRounds, '--max-rounds', 1, 10);
      const mira = cli.open(cmd);
      const client = mira.client();
      const json = !!g.json;
      let view: OperationView;
      try {
        view = await follow(cli, client, json, () =>
          api.call(client, 'ops/start', {
            task,
            apply: !!opts.apply,
            verify: typeof opts.verify === 'string' ? opts.verify : undefined,
            no_verify: opts.verify === false,
            max_steps: maxSteps,
            max_rounds: maxRounds,
            model: opts.model,
            effort: opts.effort as (typeof EFFORTS)[number] | undefined,
            confirm: opts.yes ? 'allow' : 'deny',
            wait: true,
          }),
        );
      } catch (e) {
        const err = MiraError.from(e);
        // A script reading --json gets the error as the one document, as well as the line on stderr.
        if (json) printJson(cli.out, { error: err.toJSON() });
        cli.out.stderr.write(`mira: ${err.message}\n`);
        if (err.hint) cli.out.stderr.write(`hint: ${err.hint}\n`);
        throw new ExitSilently();
      }
      finish(cli, json, view);
    });

  program
    .command('undo <operation>')
    .description("put back the files an operation wrote (refused if they changed since, unless --force)")
    .option('--force', 'overwrite changes made after the operation')
    .action(async (idArgText: string, opts: { force?: boolean }, cmd: Command) => undo(cli, cmd, idArg(idArgText), !!opts.force));

  const ops = program.command('ops').description('operations: list, show, review, apply, resume, discard, cancel, undo');

  ops
    .command('list')
    .description('operations of the project, newest first')
    .option('--status <s>', 'only this status')
    .option('--interrupted', 'only interrupted operations (resume or discard them)')
    .option('--limit <n>', 'how many', '30')
    .action(async (opts: { status?: string; interrupted?: boolean; limit: string }, cmd: Command) => {
      const limit = intArg(opts.limit, '--limit', 1, 500);
      const mira = cli.open(cmd);
      const r = await api.call(mira.client(), 'ops/list', { limit, status: opts.status as OperationView['status'] | undefined, interrupted: opts.interrupted ? true : undefined });
      if (cli.globals(cmd).json) return printJson(cli.out, r);
      printTable(
        cli.out,
        r.results.map((o) => ({ id: o.operation_id, status: o.interrupted ? `${o.status} (interrupted)` : o.status, task: o.task, changes: o.artifacts, cost: money(o.cost_usd), created: o.created_at.slice(0, 16) })),
        [{ key: 'id' }, { key: 'status' }, { key: 'task', max: 50 }, { key: 'changes' }, { key: 'cost' }, { key: 'created' }],
      );
    });

  ops
    .command('show <operation>')
    .description('an operation: its plan, steps, changes with diffs, verification')
    .action(async (idText: string, _opts: unknown, cmd: Command) => {
      const mira = cli.open(cmd);
      const v = await api.call(mira.client(), 'ops/get', { operation_id: idArg(idText) });
      if (cli.globals(cmd).json) return printJson(cli.out, v);
      if (v.plan) cli.out.stdout.write(`${color(cli.out, 1, 'plan')}\n${v.plan.trim()}\n\n`);
      printOperation(cli.out, v, { steps: true });
    });

  ops
    .command('review <operation> <artifact> <decision>')
    .description('accept or reject a change (a whole file, or --hunks N,M of it)')
    .option('--hunks <list>', 'hunk numbers (0-based, comma-separated)')
    .action(async (idText: string, artText: string, decision: string, opts: { hunks?: string }, cmd: Command) => {
      if (decision !== 'accept' && decision !== 'reject') throw new MiraError('bad_usage', `decision ${decision} is not accept or reject`);
      const hunks = opts.hunks?.split(',').map((h) => intArg(h.trim(), '--hunks', 0, 100_000)!);
      const mira = cli.open(cmd);
      const a = await api.call(mira.client(), 'ops/review', { operation_id: idArg(idText), artifact_id: idArg(artText, 'artifact'), decision, hunks });
      if (cli.globals(cmd).json) return printJson(cli.out, a);
      cli.out.stdout.write(`${artifactLine(a)}\n`);
      for (const h of a.hunks) cli.out.stdout.write(`  hunk ${h.index} ${h.header} ${h.state}\n`);
    });

  ops
    .command('apply <operation>')
    .description('apply a reviewed operation (hunks not rejected, or --only-accepted), then verify')
    .option('--verify <cmd>', 'the verification command (default: the operation\'s, or testCommand)')
    .option('--no-verify', 'do not verify')
    .option('--only-accepted', 'apply only hunks accepted explicitly')
    .action(async (idText: string, opts: { verify?: string | boolean; onlyAccepted?: boolean }, cmd: Command) => {
      const mira = cli.open(cmd);
      const client = mira.client();
      const json = !!cli.globals(cmd).json;
      const v = await follow(cli, client, json, () =>
        api.call(client, 'ops/apply', {
          operation_id: idArg(idText),
          verify: typeof opts.verify === 'string' ? opts.verify : undefined,
          no_verify: opts.verify === false,
          only_accepted: !!opts.onlyAccepted,
          wait: true,
        }),
      );
      finish(cli, json, v);
    });

  ops
    .command('resume <operation>')
    .description('continue an interrupted operation (or one stopped by the budget or the step limit)')
    .option('--max-steps <n>', 'raise the model turns allowed')
    .action(async (idText: string, opts: { maxSteps?: string }, cmd: Command) => {
      const mira = cli.open(cmd);
      const client = mira.client();
      const json = !!cli.globals(cmd).json;
      const v = await follow(cli, client, json, () => api.call(client, 'ops/resume', { operation_id: idArg(idText), max_steps: intArg(opts.maxSteps, '--max-steps', 1, 100), wait: true }));
      finish(cli, json, v);
    });

  ops
    .command('discard <operation>')
    .description('drop an operation that waits for review, was interrupted or failed; nothing is written')
    .action(async (idText: string, _opts: unknown, cmd: Command) => {
      const mira = cli.open(cmd);
      const v = await api.call(mira.client(), 'ops/discard', { operation_id: idArg(idText) });
      if (cli.globals(cmd).json) return printJson(cli.out, v);
      cli.out.stdout.write(`operation ${v.operation_id} discarded\n`);
    });

  ops
    .command('cancel <operation>')
    .description('stop a running operation')
    .action(async (idText: string, _opts: unknown, cmd: Command) => {
      const mira = cli.open(cmd);
      const v = await api.call(mira.client(), 'ops/cancel', { operation_id: idArg(idText) });
      if (cli.globals(cmd).json) return printJson(cli.out, v);
      cli.out.stdout.write(`operation ${v.operation_id}: ${v.status}\n`);
    });

  ops
    .command('undo <operation>')
    .description('same as mira undo OPERATION')
    .option('--force', 'overwrite changes made after the operation')
    .action(async (idText: string, opts: { force?: boolean }, cmd: Command) => undo(cli, cmd, idArg(idText), !!opts.force));
}

async function undo(cli: CliRuntime, cmd: Command, id: number, force: boolean): Promise<void> {
  const mira = cli.open(cmd);
  const r = await api.call(mira.client(), 'ops/undo', { operation_id: id, force });
  if (cli.globals(cmd).json) return printJson(cli.out, r);
  for (const f of r.restored) cli.out.stdout.write(`${f.action} ${f.path}\n`);
}
