// Runs a build or test command in a pseudo-terminal, streams its output, then parses and records what it reported.
import { execFileSync } from 'node:child_process';
import { controlledEnv, loadPty, signalGroup } from '../terminal/sessions';
import type { Db } from '../db/open';
import { MiraError } from '../../shared/errors';
import { parseBuildOutput, detectTool, stripAnsi } from './parse';
import { BuildStore, type RunStatus, type ResolvedError } from './store';
import { commandScope } from './fingerprint';
import type { BuildDiagnostic } from './types';

export interface RunOptions {
  /** argv: one element means a shell command line, several mean a program and its arguments. */
  command: string[];
  trigger?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  cols?: number;
  rows?: number;
  onStart?: (runId: number) => void;
  onData?: (data: string) => void;
}

export interface RunOutcome {
  run_id: number;
  command: string;
  status: RunStatus;
  exit_code: number | null;
  duration_ms: number;
  tool: string | null;
  errors: BuildDiagnostic[];
  error_count: number;
  warning_count: number;
  resolved: ResolvedError[];
}

const MAX_OUTPUT = 32 * 1024 * 1024;
const TAIL = 64 * 1024;

export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function headSha(root: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

export class BuildRunner {
  private readonly active = new Map<number, () => void>();
  /** Runs not yet recorded, so shutting down can wait for them to be stored as cancelled. */
  private readonly pending = new Set<Promise<unknown>>();
  readonly store: BuildStore;

  constructor(db: Db, projectId: number, private readonly root: string) {
    this.store = new BuildStore(db, projectId, root);
    try {
      this.store.closeOrphanedRuns();
    } catch {
      // A read-only or busy database: the runs stay as they are until the next open.
    }
  }

  cancel(runId: number): boolean {
    const stop = this.active.get(runId);
    if (!stop) return false;
    stop();
    return true;
  }

  /** Cancels every run and waits (up to `timeoutMs`) until they are recorded; used when the process shuts down. */
  async shutdown(timeoutMs = 2000): Promise<void> {
    for (const cancel of [...this.active.values()]) cancel();
    if (!this.pending.size) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.pending]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  }

  async run(opts: RunOptions): Promise<RunOutcome> {
    const p = this.execute(opts);
    this.pending.add(p);
    try {
      return await p;
    } finally {
      this.pending.delete(p);
    }
  }

  private async execute(opts: RunOptions): Promise<RunOutcome> {
    if (!opts.command.length || !opts.command[0]) throw new MiraError('bad_usage', 'no command given', 'mira build run -- CMD ARGS...');
    const commandLine = opts.command.length === 1 ? opts.command[0]! : opts.command.map(shellQuote).join(' ');
    const [file, args] = opts.command.length === 1 ? [process.platform === 'win32' ? 'cmd.exe' : '/bin/sh', process.platform === 'win32' ? ['/c', commandLine] : ['-c', commandLine]] : [opts.command[0]!, opts.command.slice(1)];
    const runId = this.store.startRun({ command: commandLine, scope: commandScope(commandLine), cwd: this.root, trigger: opts.trigger ?? 'user', head_sha: headSha(this.root) });
    opts.onStart?.(runId);
    const started = performance.now();
    let output = '';
    let truncated = false;
    let status: RunStatus = 'done';
    let exitCode: number | null = null;
    try {
      const pty = loadPty();
      const child = pty.spawn(file, args, { name: 'xterm-256color', cols: opts.cols ?? 120, rows: opts.rows ?? 40, cwd: this.root, env: controlledEnv({ MIRA_BUILD: '1' }) });
      exitCode = await new Promise<number | null>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        let killTimer: NodeJS.Timeout | undefined;
        const stop = (why: RunStatus) => {
          if (status === 'done') status = why;
          // The whole process group: `npm test` is a shell running npm running node, and all of them must stop.
          signalGroup(child.pid, 'SIGTERM');
          // A tool that ignores SIGTERM is killed for good shortly after.
          killTimer ??= setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 2000);
          killTimer.unref();
        };
        this.active.set(runId, () => stop('cancelled'));
        if (opts.timeoutMs) timer = setTimeout(() => stop('timeout'), opts.timeoutMs);
        const onAbort = () => stop('cancelled');
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        if (opts.signal?.aborted) onAbort();
        child.onData((d) => {
          opts.onData?.(d);
          if (output.length < MAX_OUTPUT) output += d;
          else truncated = true;
        });
        child.onExit(({ exitCode: code }) => {
          if (timer) clearTimeout(timer);
          if (killTimer) clearTimeout(killTimer);
          opts.signal?.removeEventListener('abort', onAbort);
          resolve(code);
        });
      });
    } catch (e) {
      status = 'failed_to_start';
      output += `\n${(e as Error).message}\n`;
    } finally {
      this.active.delete(runId);
    }
    const duration = Math.round(performance.now() - started);
    const plain = stripAnsi(output);
    const tool = detectTool(plain, commandLine) ?? null;
    const diagnostics = parseBuildOutput(output, { command: commandLine, root: this.root, exitCode: status === 'done' ? exitCode : null });
    const recorded = this.store.finishRun(runId, {
      status,
      exit_code: exitCode,
      duration_ms: duration,
      output_tail: (truncated ? '[output truncated]\n' : '') + plain.slice(-TAIL),
      tool,
      diagnostics,
    });
    return {
      run_id: runId,
      command: commandLine,
      status,
      exit_code: exitCode,
      duration_ms: duration,
      tool,
      errors: diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning'),
      error_count: recorded.errors,
      warning_count: recorded.warnings,
      resolved: recorded.resolved,
    };
  }
}
