// Runs a tool program in a separate `node` under the permission model, in a scratch folder holding only the files it needs, with a time and a memory limit.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MiraError } from '../../shared/errors';

export interface SandboxLimits {
  /** Wall-clock limit; the process is killed past it. */
  timeoutMs?: number;
  /** V8 heap limit (--max-old-space-size). */
  memoryMb?: number;
  /** Largest total size of the files the tool may leave behind. */
  maxOutputBytes?: number;
}

export const DEFAULT_LIMITS: Required<SandboxLimits> = { timeoutMs: 5_000, memoryMb: 128, maxOutputBytes: 20 * 1024 * 1024 };

export interface SandboxRun {
  /** Files the tool created (relative path -> content). */
  created: Map<string, string>;
  /** Seeded files the tool changed (relative path -> new content). */
  modified: Map<string, string>;
  durationMs: number;
}

/** The `node` to run tools with; inside Electron the app binary acts as node. */
function nodeCommand(): { cmd: string; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = {};
  if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  return { cmd: process.execPath, env };
}

/**
 * Runs `program` (an .mjs text) as `node tool.mjs WORK PARAMS` where WORK is a fresh folder seeded with `files`.
 * The tool may read WORK and its own file, write WORK, and nothing else: no child processes, no worker threads.
 * Its environment is empty, so no key or token of the user reaches it.
 */
export async function runInSandbox(program: string, params: Record<string, string>, files: Map<string, string>, limits: SandboxLimits = {}, label = 'tool'): Promise<SandboxRun> {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mira-tool-')));
  const work = path.join(base, 'work');
  const toolFile = path.join(base, 'tool.mjs');
  try {
    fs.mkdirSync(work);
    fs.writeFileSync(toolFile, program);
    for (const [rel, content] of files) {
      const abs = safeJoin(work, rel);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, content);
    }
    const { cmd, env } = nodeCommand();
    const args = [
      permissionFlag(),
      `--allow-fs-read=${work}`,
      `--allow-fs-read=${toolFile}`,
      `--allow-fs-write=${work}`,
      `--max-old-space-size=${lim.memoryMb}`,
      '--no-warnings',
      toolFile,
      work,
      JSON.stringify(params),
    ];
    const t0 = performance.now();
    const r = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; timedOut: boolean }>((resolve, reject) => {
      const child = spawn(cmd, args, { cwd: work, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      let timedOut = false;
      child.stderr.on('data', (c: Buffer) => {
        if (stderr.length < 64 * 1024) stderr += c.toString();
      });
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, lim.timeoutMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(new MiraError('internal', `cannot start node to run ${label}: ${e.message}`));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stderr, timedOut });
      });
    });
    const durationMs = performance.now() - t0;
    if (r.timedOut) {
      throw new MiraError('timeout', `${label} ran longer than ${lim.timeoutMs} ms and was stopped`, 'a generator should finish in well under a second: the tool is broken; run `mira tools detect` to re-derive it');
    }
    if (r.code !== 0) throw failure(r.stderr, r.signal, lim, label);
    const created = new Map<string, string>();
    const modified = new Map<string, string>();
    let total = 0;
    for (const rel of walk(work)) {
      const abs = path.join(work, rel);
      const st = fs.lstatSync(abs);
      if (!st.isFile()) continue;
      total += st.size;
      if (total > lim.maxOutputBytes) throw new MiraError('too_large', `${label} wrote more than ${lim.maxOutputBytes} bytes`, 'the tool is broken; run `mira tools detect` to re-derive it');
      const content = fs.readFileSync(abs, 'utf8');
      const seed = files.get(rel);
      if (seed === undefined) created.set(rel, content);
      else if (seed !== content) modified.set(rel, content);
    }
    return { created, modified, durationMs };
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

/** Turns the process's failure into one clear sentence: what the tool tried and why it was stopped. */
function failure(stderr: string, signal: NodeJS.Signals | null, lim: Required<SandboxLimits>, label: string): MiraError {
  const own = /MIRA_TOOL_ERROR (\{.*\})/.exec(stderr);
  if (own) {
    let message = 'the tool refused its parameters';
    try {
      message = (JSON.parse(own[1]!) as { message: string }).message;
    } catch {
      /* keep the generic message */
    }
    return new MiraError('bad_request', `${label}: ${message}`, 'check the parameters with `mira tools list` / `mira tools history NAME`');
  }
  if (/ERR_ACCESS_DENIED/.test(stderr)) {
    const perm = /permission: '(\w+)'/.exec(stderr)?.[1] ?? '';
    const resource = /resource: '([^']*)'/.exec(stderr)?.[1] ?? '';
    const what: Record<string, string> = {
      FileSystemWrite: `tried to write outside its sandbox${resource ? ` (${resource})` : ''}`,
      FileSystemRead: `tried to read outside its sandbox${resource ? ` (${resource})` : ''}`,
      ChildProcess: 'tried to start a process',
      WorkerThreads: 'tried to start a worker thread',
    };
    return new MiraError('refused', `${label} ${what[perm] ?? `used a permission it does not have (${perm || 'unknown'})`} and was stopped`, 'tools may only read and write their scratch copy; re-derive it with `mira tools detect`');
  }
  if (/heap out of memory|Allocation failed|JavaScript heap/i.test(stderr) || signal === 'SIGABRT' || signal === 'SIGTRAP') {
    return new MiraError('refused', `${label} used more than its ${lim.memoryMb} MB memory limit and was stopped`, 'the tool is broken; re-derive it with `mira tools detect`');
  }
  const line = stderr.split('\n').find((l) => /^\w*Error\b|^Error:/.test(l.trim())) ?? stderr.trim().split('\n').pop() ?? '';
  return new MiraError('internal', `${label} failed${signal ? ` (${signal})` : ''}: ${line.trim() || 'no message'}`, 'run `mira tools detect` to re-derive the tool');
}

/** Node 20-22 call it --experimental-permission; from 23 it is stable as --permission. */
function permissionFlag(): string {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 23 ? '--permission' : '--experimental-permission';
}

function safeJoin(root: string, rel: string): string {
  const abs = path.resolve(root, rel);
  if (!abs.startsWith(root + path.sep)) throw new MiraError('path_outside_root', `${rel} is outside the scratch folder`);
  return abs;
}

function* walk(root: string, rel = ''): Generator<string> {
  for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) yield* walk(root, r);
    else yield r;
  }
}
