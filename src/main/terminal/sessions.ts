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

export class TerminalSessions {
  private readonly sessions = new Map<string, IPty>();

  constructor(private readonly bus: EventBus, private readonly cwd: () => string) {}

  create(cols: number, rows: number, shell?: string): { id: string; shell: string; cwd: string } {
    const pty = loadPty();
    const id = crypto.randomUUID();
    const sh = shell || defaultShell();
    const cwd = this.cwd();
    const p = pty.spawn(sh, [], { name: 'xterm-256color', cols, rows, cwd, env: controlledEnv() });
    this.sessions.set(id, p);
    p.onData((data) => this.bus.emit('terminal/data', { id, data }));
    p.onExit(({ exitCode }) => {
      this.sessions.delete(id);
      this.bus.emit('terminal/exit', { id, code: exitCode });
    });
    return { id, shell: sh, cwd };
  }

  private get(id: string): IPty {
    const p = this.sessions.get(id);
    if (!p) throw new MiraError('not_found', `no terminal ${id}`);
    return p;
  }

  write(id: string, data: string): void {
    this.get(id).write(data);
  }

  resize(id: string, cols: number, rows: number): void {
    this.get(id).resize(cols, rows);
  }

  kill(id: string): boolean {
    const p = this.sessions.get(id);
    if (!p) return false;
    this.sessions.delete(id);
    try {
      p.kill();
    } catch {
      /* already gone */
    }
    return true;
  }

  killAll(): void {
    for (const id of [...this.sessions.keys()]) this.kill(id);
  }

  get count(): number {
    return this.sessions.size;
  }
}

