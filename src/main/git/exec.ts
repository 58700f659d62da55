// Runs the `git` binary for a project folder or a bare git dir: captured output for small calls, a byte stream for `git log`.
import { execFile, spawn } from 'node:child_process';

/** Where git runs: a work tree (`root`), or a git dir with no work tree (`gitDir`, e.g. a bare mirror). */
export interface GitTarget {
  root?: string;
  gitDir?: string;
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

// Never prompt, never take the index lock, never fetch missing objects from a promisor remote (git >= 2.44 honours it).
const GIT_ENV: Record<string, string> = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_OPTIONAL_LOCKS: '0',
  GIT_NO_LAZY_FETCH: '1',
  GIT_PAGER: 'cat',
  LC_ALL: 'C',
};

/** Global options first: paths unquoted, log output in UTF-8, and the git dir when there is no work tree. */
export function gitArgs(target: GitTarget, args: string[]): string[] {
  const pre = ['-c', 'core.quotepath=off', '-c', 'i18n.logOutputEncoding=UTF-8', '-c', 'log.showSignature=false'];
  if (target.gitDir) pre.push('--git-dir', target.gitDir);
  return [...pre, ...args];
}

function cwdOf(target: GitTarget): string | undefined {
  // A bare dir is run from inside itself so that no stray .mailmap or config of the caller's folder applies.
  return target.root ?? target.gitDir;
}

// Set by git for hooks and aliases; inherited, they would point every call at that repository instead of ours.
const REPO_VARS = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_COMMON_DIR', 'GIT_NAMESPACE', 'GIT_PREFIX'];

export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...GIT_ENV };
  for (const k of REPO_VARS) delete env[k];
  return env;
}

/** Runs git and captures its output; never throws for a non-zero exit (callers decide what a failure means). */
export function git(target: GitTarget, args: string[], opts: { input?: string | Buffer; timeoutMs?: number; maxBuffer?: number } = {}): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = execFile(
      'git',
      gitArgs(target, args),
      { cwd: cwdOf(target), env: gitEnv(), maxBuffer: opts.maxBuffer ?? 256 * 1024 * 1024, timeout: opts.timeoutMs ?? 120_000, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
          resolve({ code: 127, stdout: '', stderr: 'git is not installed (or not on PATH)' });
          return;
        }
        // A non-zero exit carries its status in `code`; a timeout or a signal has none.
        const status = (err as { code?: unknown } | null)?.code;
        const code = !err ? 0 : typeof status === 'number' ? status : 1;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) || (err ? err.message : '') });
      },
    );
    // A git that exits before reading its input must not take the process down with EPIPE.
    child.stdin?.on('error', () => {});
    child.stdin?.end(opts.input);
  });
}

/**
 * Streams git's stdout to `onData` as it arrives (git log of a large history is hundreds of MB we never hold at once).
 * Resolves with the exit code and stderr; a failing `onData` kills git and rejects.
 */
export function gitStream(target: GitTarget, args: string[], onData: (chunk: Buffer) => void, opts: { signal?: AbortSignal } = {}): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', gitArgs(target, args), { cwd: cwdOf(target), env: gitEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let failed: unknown = null;
    const onAbort = () => child.kill('SIGTERM');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      if (failed) return;
      try {
        onData(chunk);
      } catch (e) {
        failed = e;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += c.toString('utf8');
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (e.code === 'ENOENT') resolve({ code: 127, stderr: 'git is not installed (or not on PATH)' });
      else reject(e);
    });
    child.on('close', (code, sig) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (failed) reject(failed);
      else resolve({ code: code ?? (sig ? 143 : 1), stderr });
    });
  });
}

/** The first line of git's complaint, for a reason people can read. */
export function firstLine(stderr: string): string {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  return (line ?? 'git failed').replace(/^(fatal|error):\s*/, '').slice(0, 300);
}
