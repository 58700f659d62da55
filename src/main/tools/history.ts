// Reads the history tool synthesis needs from `git`: per commit the files it added and modified (with blob ids) and the folders it created; blobs through one `git cat-file --batch`.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { MiraError } from '../../shared/errors';

/** Where git runs: a work tree, or a git dir without one (a bare mirror). */
export interface RepoRef {
  root?: string;
  gitDir?: string;
}

export interface AddedFile {
  path: string;
  blob: string;
}

export interface ModifiedFile {
  path: string;
  old: string;
  new: string;
}

/** One non-merge commit that added at least one file, as tool mining sees it. */
export interface MinedCommit {
  sha: string;
  parent: string | null;
  /** Commit time, unix seconds. */
  time: number;
  added: AddedFile[];
  modified: ModifiedFile[];
  /** Folders this commit created (absent from its parent). */
  newDirs: string[];
  /** Files changed in all (blobs only), to skip bulk commits. */
  changed: number;
}

/** Commits touching more files than this are imports, reformatting or vendoring: not a repeated change. */
export const MAX_CHANGED = 40;

const GIT_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat', LC_ALL: 'C' };

export function gitArgv(repo: RepoRef, args: string[]): string[] {
  const pre = ['-c', 'core.quotepath=off', '-c', 'i18n.logOutputEncoding=UTF-8', '-c', 'log.showSignature=false'];
  if (repo.gitDir) pre.push('--git-dir', repo.gitDir);
  return [...pre, ...args];
}

function spawnGit(repo: RepoRef, args: string[]): ChildProcessWithoutNullStreams {
  return spawn('git', gitArgv(repo, args), { cwd: repo.root ?? repo.gitDir, env: { ...process.env, ...GIT_ENV } });
}

/** Runs git to completion and returns stdout; throws a MiraError saying what failed. */
export function gitText(repo: RepoRef, args: string[], opts: { allowFail?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(repo, args);
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', (e) => reject(new MiraError('internal', `cannot run git: ${e.message}`, 'install git and make sure it is on PATH')));
    child.on('close', (code) => {
      if (code === 0 || opts.allowFail) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new MiraError('not_a_git_repo', `git ${args[0]} failed: ${err.trim().split('\n')[0] ?? ''}`, 'tool synthesis reads the project history: run it inside a git repository'));
    });
  });
}

const BINARY = /\.(png|jpe?g|gif|ico|webp|bmp|pdf|woff2?|ttf|otf|eot|zip|gz|tgz|jar|exe|dll|so|wasm|mp[34]|wav)$/i;
export function isBinaryPath(p: string): boolean {
  return BINARY.test(p);
}

/**
 * Streams `git log` over `range` (e.g. ['HEAD'] or ['HEAD', '^OLD']) and yields the commits that added files, newest
 * first. `-t` lists tree entries too, which is how folders created by a commit are seen without asking git per folder.
 * Exact moves (an added blob equal to a deleted one) are not additions, as in toolsynth_build.py.
 */
export async function* mineCommits(repo: RepoRef, range: string[]): AsyncGenerator<MinedCommit> {
  const child = spawnGit(repo, ['log', '--no-merges', '--no-renames', '-t', '--raw', '--no-abbrev', '-z', '--format=%x1e%H %P %ct', ...range, '--']);
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const closed = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  child.on('error', () => undefined);
  let buf = '';
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of child.stdout) {
    buf += decoder.decode(chunk as Buffer, { stream: true });
    let end = buf.indexOf('\x1e', 1);
    while (end > 0) {
      const c = parseRecord(buf.slice(0, end));
      if (c) yield c;
      buf = buf.slice(end);
      end = buf.indexOf('\x1e', 1);
    }
  }
  buf += decoder.decode();
  if (buf.startsWith('\x1e')) {
    const c = parseRecord(buf);
    if (c) yield c;
  }
  const code = await closed;
  if (code !== 0 && !/does not have any commits/.test(err)) {
    throw new MiraError('not_a_git_repo', `git log failed: ${err.trim().split('\n')[0] ?? ''}`, 'tool synthesis reads the project history: run it inside a git repository with commits');
  }
}

function parseRecord(rec: string): MinedCommit | null {
  const nul = rec.indexOf('\0');
  const header = (nul >= 0 ? rec.slice(1, nul) : rec.slice(1)).trim();
  const [sha, ...rest] = header.split(' ');
  if (!sha) return null;
  const time = Number(rest.pop() ?? 0);
  const parent = rest[0] ?? null;
  const fields = nul >= 0 ? rec.slice(nul + 1).replace(/^\n/, '').split('\0') : [];
  const added = new Map<string, string>();
  const gone = new Set<string>();
  const modified: ModifiedFile[] = [];
  const newDirs: string[] = [];
  let changed = 0;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const meta = fields[i]!;
    const path = fields[i + 1]!;
    if (!meta.startsWith(':')) continue;
    const [, newMode, oldBlob, newBlob, status] = meta.slice(1).split(' ');
    const oldMode = meta.slice(1).split(' ')[0];
    const isTree = newMode === '040000' || (status === 'D' && oldMode === '040000');
    if (isTree) {
      if (status === 'A') newDirs.push(path);
      continue;
    }
    changed++;
    if (status === 'A') added.set(path, newBlob!);
    else if (status === 'D') gone.add(oldBlob!);
    else modified.push({ path, old: oldBlob!, new: newBlob! });
  }
  const adds = [...added].filter(([, b]) => !gone.has(b)).map(([path, blob]) => ({ path, blob }));
  if (!adds.length) return null;
  adds.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { sha, parent, time, added: adds, modified, newDirs, changed };
}

/** Reads objects through one long-lived `git cat-file --batch`: blobs by id, or `rev:path`. Requests are queued in order. */
export class ObjectReader {
  private child: ChildProcessWithoutNullStreams | null = null;
  private buf: Buffer = Buffer.alloc(0);
  private readonly queue: { resolve: (v: { id: string; body: Buffer } | null) => void; reject: (e: Error) => void }[] = [];
  private readonly cache = new Map<string, Promise<string | null>>();
  private failed: Error | null = null;
  private pending: string[] = [];

  constructor(private readonly repo: RepoRef, private readonly maxBytes = 2_000_000) {}

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawnGit(this.repo, ['cat-file', '--batch']);
    child.stdout.on('data', (c: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, c]) : c;
      this.drain();
    });
    child.on('error', (e) => this.fail(e));
    child.on('close', () => this.fail(new Error('git cat-file ended')));
    child.stdin.on('error', () => undefined);
    this.child = child;
    return child;
  }

  private fail(e: Error): void {
    this.failed = e;
    for (const q of this.queue.splice(0)) q.reject(e);
    this.child = null;
  }

  private drain(): void {
    for (;;) {
      const q = this.queue[0];
      if (!q) return;
      const nl = this.buf.indexOf(10);
      if (nl < 0) return;
      const header = this.buf.subarray(0, nl).toString('utf8');
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.buf = this.buf.subarray(nl + 1);
        this.queue.shift();
        q.resolve(null);
        continue;
      }
      const [id, , sizeText] = header.split(' ');
      const size = Number(sizeText);
      if (this.buf.length < nl + 1 + size + 1) return;
      const body = this.buf.subarray(nl + 1, nl + 1 + size);
      this.buf = this.buf.subarray(nl + 1 + size + 1);
      this.queue.shift();
      q.resolve({ id: id!, body });
    }
  }

  /** The raw object (a blob's bytes, a tree's entries), or null when it does not exist. */
  async raw(spec: string): Promise<Buffer | null> {
    return (await this.object(spec))?.body ?? null;
  }

  /** The object's id and bytes, or null when it does not exist. */
  object(spec: string): Promise<{ id: string; body: Buffer } | null> {
    if (this.failed) return Promise.reject(this.failed);
    if (/[\n]/.test(spec)) return Promise.resolve(null);
    const child = this.start();
    return new Promise((resolve, reject) => {
      this.queue.push({ resolve, reject });
      // requests made in the same tick go out in one write (one syscall for a whole batch)
      this.pending.push(spec);
      if (this.pending.length === 1) {
        process.nextTick(() => {
          const batch = this.pending.splice(0);
          if (batch.length) child.stdin.write(batch.join('\n') + '\n');
        });
      }
    });
  }

  /** A text file's content (UTF-8), or null when absent, binary or larger than the limit. Cached. */
  text(spec: string): Promise<string | null> {
    let p = this.cache.get(spec);
    if (!p) {
      p = this.raw(spec).then((b) => {
        if (!b || b.length > this.maxBytes || b.subarray(0, 8000).includes(0)) return null;
        return b.toString('utf8');
      });
      this.cache.set(spec, p);
      if (this.cache.size > 20_000) this.cache.delete(this.cache.keys().next().value!);
    }
    return p;
  }

  close(): void {
    const c = this.child;
    this.child = null;
    if (c) {
      c.removeAllListeners('close');
      c.stdin.end();
      c.kill();
    }
  }
}

/** Resolves a revision to a full sha (null when it does not exist, e.g. an empty repository). */
export async function resolveRev(repo: RepoRef, rev: string): Promise<string | null> {
  const out = await gitText(repo, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { allowFail: true });
  return out.trim() || null;
}
