// Pseudo-terminal sessions (node-pty) in the project root; output is pushed as terminal/data events.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import type { IPty } from 'node-pty';
import { MiraError } from '../../shared/errors';
import type { EventBus } from '../transport/router';

type PtyModule = typeof import('node-pty');
let ptyModule: PtyModule | null = null;

export function loadPty(): PtyModule {
  if (!ptyModule) {
    try {
      ptyModule = createRequire(import.meta.url)('node-pty') as PtyModule;
    } catch (e) {
      throw new MiraError('internal', `the terminal is unavailable: node-pty did not load (${(e as Error).message})`, 'run `npm rebuild node-pty`');
    }
  }
  return ptyModule;
}

export function defaultShell(): string {
  if (process.platform === 'win32') return process.env.COMSPEC || 'powershell.exe';
  return process.env.SHELL || '/bin/bash';
}

/** The environment a terminal or build gets: the user's, minus Mira's own secrets. */
export function controlledEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(OPENAI_API_KEY|QDRANT_API_KEY|MIRA_TOKEN)$/.test(k)) continue;
    if (k.startsWith('ELECTRON_RUN_AS_NODE')) continue;
    env[k] = v;
  }
  env.TERM = 'xterm-256color';
  env.COLORTERM = 'truecolor';
  return { ...env, ...extra };
}

/** How long a shell gets to exit on the hangup signal before it is killed outright. */
const HANGUP_GRACE_MS = 500;

interface Session {
  pty: IPty;
  exited: Promise<void>;
}

/** Signals a pty child and its process group (the jobs it started); either may be gone already. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  // A pty child leads its own session and process group (POSIX); Windows has no groups to signal.
  if (process.platform !== 'win32') {
    try {
      process.kill(-pid, signal);
    } catch {
      /* no such group */
    }
  }
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

export class TerminalSessions {
  private readonly sessions = new Map<string, Session>();
  /** Sessions told to hang up that have not exited yet. */
  private readonly closing = new Set<Session>();

  constructor(private readonly bus: EventBus, private readonly cwd: () => string) {}

  create(cols: number, rows: number, shell?: string): { id: string; shell: string; cwd: string } {
    const pty = loadPty();
    const id = crypto.randomUUID();
    const sh = shell || defaultShell();
    const cwd = this.cwd();
    const p = pty.spawn(sh, [], { name: 'xterm-256color', cols, rows, cwd, env: controlledEnv() });
    let markExited: () => void = () => {};
    const exited = new Promise<void>((resolve) => (markExited = resolve));
    this.sessions.set(id, { pty: p, exited });
    p.onData((data) => this.bus.emit('terminal/data', { id, data }));
    p.onExit(({ exitCode }) => {
      markExited();
      this.sessions.delete(id);
      this.bus.emit('terminal/exit', { id, code: exitCode });
    });
    return { id, shell: sh, cwd };
  }

  private get(id: string): IPty {
    const s = this.sessions.get(id);
    if (!s) throw new MiraError('not_found', `no terminal ${id}`);
    return s.pty;
  }

  write(id: string, data: string): void {
    this.get(id).write(data);
  }

  resize(id: string, cols: number, rows: number): void {
    this.get(id).resize(cols, rows);
  }

  /**
   * Hangs up the session's shell (SIGHUP, what closing a terminal window sends). A shell that does not exit on it (it
   * ignores the signal, or an interactive bash at its prompt that lets the first one pass) is killed, with its jobs,
   * shortly after: a live pty child would otherwise keep the whole process from exiting.
   */
  kill(id: string): boolean {
    const s = this.sessions.get(id);
    if (!s) return false;
    this.sessions.delete(id);
    this.hangUp(s);
    return true;
  }

  private hangUp(s: Session): void {
    const pid = s.pty.pid;
    this.closing.add(s);
    try {
      s.pty.kill();
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), HANGUP_GRACE_MS);
    timer.unref();
    void s.exited.then(() => {
      clearTimeout(timer);
      this.closing.delete(s);
    });
  }

  killAll(): void {
    for (const id of [...this.sessions.keys()]) this.kill(id);
  }

  /** Ends every session and resolves once their shells are gone (killed if need be), or after `timeoutMs`. */
  async closeAll(timeoutMs = 2000): Promise<void> {
    this.killAll();
    if (!this.closing.size) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.closing].map((s) => s.exited)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  }

  get count(): number {
    return this.sessions.size;
  }
}
