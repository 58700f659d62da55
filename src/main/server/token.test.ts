// The serve token lives in the Mira home (0600) so a restarted `mira serve` accepts the pages already open; two real
// serve processes on one home share it, --new-token replaces it, MIRA_SERVE_TOKEN overrides it, and no log holds it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';
import { packagePath } from '../db/open';
import { serveToken, TOKEN_FILE } from './token';
import { runCli } from '../../../test/helpers/cli';

const posix = process.platform !== 'win32';

describe('serveToken', () => {
  it('makes one token per home, stores it 0600, reuses it, rotates it on request, and lets the environment win', () => {
    const home = tempDir('mira-token-home-');
    const a = serveToken(home);
    expect(a.source).toBe('new');
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const file = path.join(home, TOKEN_FILE);
    if (posix) expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(serveToken(home)).toEqual({ token: a.token, source: 'file' });
    // A widened file is tightened before use.
    if (posix) {
      fs.chmodSync(file, 0o644);
      expect(serveToken(home).token).toBe(a.token);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    }
    const b = serveToken(home, { rotate: true });
    expect(b.source).toBe('new');
    expect(b.token).not.toBe(a.token);
    expect(serveToken(home, { env: 'from-the-environment' })).toEqual({ token: 'from-the-environment', source: 'env' });
    expect(serveToken(home).token).toBe(b.token); // the environment's token is never stored
    // A damaged file is replaced, not trusted.
    fs.writeFileSync(file, 'short\n');
    expect(serveToken(home).source).toBe('new');
  });
});

let child: ChildProcess | null = null;
let repo: TestRepo | null = null;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  repo?.cleanup();
  child = null;
  repo = null;
});

interface Serve {
  url: URL;
  out: () => string;
  err: () => string;
  stop(): Promise<void>;
}

async function serve(home: string, root: string, opts: { port?: number; args?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<Serve> {
  const proc = spawn(
    process.execPath,
    [packagePath('bin', 'mira.mjs'), 'serve', '--port', String(opts.port ?? 0), '--json', '--home', home, '--project', root, ...(opts.args ?? [])],
    { cwd: root, env: { ...process.env, SHELL: '/bin/bash', MIRA_HOME: '', MIRA_SERVE_TOKEN: '', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child = proc;
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d));
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 60 s; stderr:\n${err}`)), 60_000);
    proc.stdout!.on('data', () => {
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.slice(0, out.indexOf('\n')));
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mira serve exited with ${code}; stderr:\n${err}`));
    });
  });
  return {
    url: new URL((JSON.parse(first) as { url: string }).url),
    out: () => out,
    err: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

/** Whether the server at `host` accepts a WebSocket with this token: 'open', or 'refused'. */
function tryToken(host: string, token: string): Promise<'open' | 'refused'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://${host}/api?token=${encodeURIComponent(token)}`);
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('error', () => resolve('refused'));
  });
}

function logsOf(home: string): string {
  const dir = path.join(home, 'logs');
  if (!fs.existsSync(dir)) return '';
  return fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
}

describe.skipIf(!posix)('mira serve restarted on the same home (real processes)', () => {
  it('makes a new token for each run unless told to keep one', async () => {
    repo = createRepo();
    repo.write('README.md', '# token\n');
    repo.commit('init');
    const home = tempDir('mira-serve-token-home-');
    const a = await serve(home, repo.root);
    const ta = a.url.searchParams.get('token') ?? '';
    await a.stop();
    const b = await serve(home, repo.root, { port: Number(a.url.port) });
    const tb = b.url.searchParams.get('token') ?? '';
    expect(tb.length).toBeGreaterThanOrEqual(24);
    expect(tb).not.toBe(ta);
    expect(await tryToken(b.url.host, ta)).toBe('refused');
    await b.stop();
    expect(fs.existsSync(path.join(home, TOKEN_FILE))).toBe(false);
    // Replacing a kept token only makes sense when one is kept.
    const bad = await runCli(['--home', home, '--project', repo.root, 'serve', '--new-token']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--new-token replaces the kept token: use it with --keep-token/);
  }, 120_000);

  it('with --keep-token accepts the same token again, keeps it 0600 in the home, never logs it, and --new-token replaces it', async () => {
    repo = createRepo();
    repo.write('README.md', '# token\n');
    repo.commit('init');
    const home = tempDir('mira-serve-token-home-');

    const first = await serve(home, repo.root, { args: ['--keep-token'] });
    const token = first.url.searchParams.get('token') ?? '';
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(await tryToken(first.url.host, token)).toBe('open');
    const file = path.join(home, TOKEN_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(token);
    await first.stop();

    // Same home, same port: the page's old address (and token) works again.
    const second = await serve(home, repo.root, { port: Number(first.url.port), args: ['--keep-token'] });
    expect(second.url.searchParams.get('token')).toBe(token);
    expect(second.url.port).toBe(first.url.port);
    expect(await tryToken(second.url.host, token)).toBe('open');
    expect(await tryToken(second.url.host, `${token}x`)).toBe('refused');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    await second.stop();

    // Rotated: the old token is refused, the new one is stored.
    const third = await serve(home, repo.root, { args: ['--keep-token', '--new-token'] });
    const fresh = third.url.searchParams.get('token') ?? '';
    expect(fresh).not.toBe(token);
    expect(await tryToken(third.url.host, token)).toBe('refused');
    expect(await tryToken(third.url.host, fresh)).toBe('open');
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(fresh);
    await third.stop();

    // MIRA_SERVE_TOKEN still wins, and is not written to the home.
    const fourth = await serve(home, repo.root, { env: { MIRA_SERVE_TOKEN: 'environment-token-0123456789abcdef' } });
    expect(fourth.url.searchParams.get('token')).toBe('environment-token-0123456789abcdef');
    expect(await tryToken(fourth.url.host, fresh)).toBe('refused');
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(fresh);
    const stderr = [first.err(), second.err(), third.err(), fourth.err()].join('\n');
    await fourth.stop();

    const logs = logsOf(home);
    expect(logs.length).toBeGreaterThan(0);
    for (const t of [token, fresh, 'environment-token-0123456789abcdef']) {
      expect(logs).not.toContain(t);
      expect(stderr).not.toContain(t);
    }
  }, 180_000);
});
