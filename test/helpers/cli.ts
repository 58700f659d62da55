// Runs the `mira` CLI in-process with captured stdout and stderr.
import { PassThrough } from 'node:stream';
import { main } from '../../src/main/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string } = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  // Its own stdin, ended: a command reading `-` gets the given text (or nothing), never the test runner's stdin.
  const stdin = new PassThrough();
  stdin.end(opts.stdin ?? '');
  const code = await main(args, { stdout, stderr, env: opts.env ?? {}, cwd: opts.cwd ?? process.cwd(), stdin });
  return { code, stdout: out, stderr: err };
}
