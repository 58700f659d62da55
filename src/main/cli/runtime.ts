// What every CLI command shares: global options, opening Mira once, batch mode, and error reporting.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Command } from 'commander';
import { createMira, type Mira } from '../app';
import { defaultHome, loadConfig } from '../config';
import { MiraError } from '../../shared/errors';
import type { MethodName, Params, Result } from '../../shared/api';
import { printJson, type Out } from './output';

export interface GlobalOptions {
  home?: string;
  project?: string;
  json?: boolean;
  batch?: string;
  debug?: boolean;
}

export class CliRuntime {
  private mira: Mira | null = null;
  constructor(
    readonly out: Out,
    readonly env: NodeJS.ProcessEnv,
    readonly cwd: string,
    /** Where `-` inputs come from (build parse, --batch -, apply --edit -): the process's stdin unless given. */
    readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
  ) {}

  globals(cmd: Command): GlobalOptions {
    return cmd.optsWithGlobals() as GlobalOptions;
  }

  /** The home folder the command works on (--home, MIRA_HOME or the default). */
  home(cmd: Command): string {
    const g = this.globals(cmd);
    return g.home ? path.resolve(this.cwd, g.home) : defaultHome(this.env);
  }

  /** Opens Mira for the command; `projectPath` (a positional PATH) wins over --project. */
  open(cmd: Command, opts: { projectPath?: string; needProject?: boolean } = {}): Mira {
    if (this.mira) return this.mira;
    const g = this.globals(cmd);
    const home = g.home ? path.resolve(this.cwd, g.home) : defaultHome(this.env);
    const config = loadConfig(home, this.env);
    const needProject = opts.needProject ?? true;
    let project: string | undefined;
    if (opts.projectPath ?? g.project) project = path.resolve(this.cwd, (opts.projectPath ?? g.project)!);
    else if (needProject) project = gitRoot(this.cwd) ?? this.cwd;
    if (project && !fs.existsSync(project)) {
      throw new MiraError('not_found', `project folder ${project} does not exist`, 'pass an existing folder with --project PATH');
    }
    this.mira = createMira({ config, mode: 'cli', project });
    return this.mira;
  }

  close(): void {
    this.mira?.close();
    this.mira = null;
  }

  /**
   * Runs a query command: one call from the command's own arguments, or with --batch one call per JSON line,
   * answered as JSON Lines in order. Errors in one line answer that line and do not stop the batch.
   */
  async query<M extends MethodName>(cmd: Command, method: M, params: Params<M> | null, print: (r: Result<M>) => void): Promise<void> {
    const g = this.globals(cmd);
    const mira = this.open(cmd);
    const client = mira.client();
    if (g.batch) {
      if (g.batch !== '-' && !fs.existsSync(path.resolve(this.cwd, g.batch))) throw new MiraError('not_found', `batch file ${g.batch} does not exist`);
      const input = g.batch === '-' ? this.stdin : fs.createReadStream(path.resolve(this.cwd, g.batch));
      const rl = readline.createInterface({ input, crlfDelay: Infinity });
      for await (const line of rl) {
        if (!line.trim()) continue;
        let p: unknown;
        try {
          p = JSON.parse(line);
        } catch {
          printJson(this.out, { error: { code: 'bad_request', message: 'line is not valid JSON' } });
          continue;
        }
        try {
          printJson(this.out, await client.call(method, p as never));
        } catch (e) {
          printJson(this.out, { error: MiraError.from(e).toJSON() });
        }
      }
      return;
    }
    if (params === null) throw new MiraError('bad_usage', `${cmd.name()} needs an argument (or --batch FILE)`);
    const r = await client.call(method, params as never);
    if (g.json) printJson(this.out, r);
    else print(r as Result<M>);
  }
}

export function gitRoot(cwd: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}
