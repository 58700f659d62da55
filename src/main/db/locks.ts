// Cross-process locks in the database: one holder per name; a holder that died (or stopped beating) is replaced.
import os from 'node:os';
import { MiraError } from '../../shared/errors';
import type { Db } from './open';

const STALE_MS = 60_000;

/** Whether a process with this id exists (EPERM: it exists but belongs to someone else). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Tries once; true when this process now holds the lock. */
export function tryLock(db: Db, name: string): boolean {
  const now = Date.now();
  const host = os.hostname();
  return db.transaction(() => {
    const cur = db.prepare('SELECT pid, host, heartbeat_at FROM process_locks WHERE name = ?').get(name) as { pid: number; host: string; heartbeat_at: number } | undefined;
    if (cur) {
      const mine = cur.pid === process.pid && cur.host === host;
      const dead = (cur.host === host && !alive(cur.pid)) || now - cur.heartbeat_at > STALE_MS;
      if (!mine && !dead) return false;
    }
    db.prepare('INSERT OR REPLACE INTO process_locks (name, pid, host, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)').run(name, process.pid, host, now, now);
    return true;
  }).immediate();
}

export function unlock(db: Db, name: string): void {
  db.prepare('DELETE FROM process_locks WHERE name = ? AND pid = ? AND host = ?').run(name, process.pid, os.hostname());
}

/**
 * Runs `fn` holding the lock, waiting (with `onWait` told once) while another live process holds it.
 * The heartbeat keeps a long run from being taken for dead.
 */
export async function withLock<T>(db: Db, name: string, fn: () => Promise<T>, opts: { timeoutMs?: number; onWait?: (holderPid: number) => void; signal?: AbortSignal } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30 * 60_000);
  let told = false;
  while (!tryLock(db, name)) {
    if (!told) {
      const cur = db.prepare('SELECT pid FROM process_locks WHERE name = ?').get(name) as { pid: number } | undefined;
      opts.onWait?.(cur?.pid ?? 0);
      told = true;
    }
    if (opts.signal?.aborted) throw new MiraError('cancelled', `gave up waiting for ${name}`);
    if (Date.now() > deadline) throw new MiraError('timeout', `another Mira process holds ${name}`, 'wait for it to finish, or stop it');
    await new Promise((r) => setTimeout(r, 200));
  }
  const beat = setInterval(() => {
    try {
      db.prepare('UPDATE process_locks SET heartbeat_at = ? WHERE name = ? AND pid = ?').run(Date.now(), name, process.pid);
    } catch {
      /* the next beat tries again */
    }
  }, 10_000);
  beat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(beat);
    unlock(db, name);
  }
}
