// Keeps the index fresh while the app is open: file events are batched (debounced) into targeted index runs.
import fs from 'node:fs';
import path from 'node:path';
import { BUILTIN_IGNORED_DIRS } from './ignore-rules';

export interface WatchOptions {
  /** Quiet time before a batch is indexed. */
  debounceMs?: number;
  /** Past this many paths in one batch (a branch switch), a full incremental walk is cheaper than a list. */
  maxTargeted?: number;
  /** Runs an index: `paths` for a targeted run, undefined for a full walk; `git` when history moved. */
  index(opts: { paths?: string[]; git: boolean }): Promise<unknown>;
  onError?(e: Error): void;
}

export interface Watcher {
  close(): void;
  /** Resolves when every batch seen so far has been indexed (for tests and shutdown). */
  idle(): Promise<void>;
}

export function watchProject(root: string, opts: WatchOptions): Watcher {
  const debounce = opts.debounceMs ?? 300;
  const maxTargeted = opts.maxTargeted ?? 2000;
  let pending = new Set<string>();
  let full = false;
  let history = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let closed = false;

  const flush = () => {
    timer = null;
    const paths = [...pending];
    const wantFull = full || paths.length > maxTargeted;
    const git = history;
    pending = new Set();
    full = false;
    history = false;
    // Runs are chained: a batch that arrives during a run waits for it, so two runs never overlap.
    running = running
      .then(() => opts.index(wantFull ? { git } : { paths, git }))
      .then(
        () => undefined,
        (e: Error) => opts.onError?.(e),
      );
  };

  const schedule = () => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, debounce);
  };

  let watcher: fs.FSWatcher;
  try {
    watcher = fs.watch(root, { recursive: true }, (_event, name) => {
      if (!name) {
        full = true;
        return schedule();
      }
      const rel = name.toString().split(path.sep).join('/');
      const top = rel.split('/')[0] ?? '';
      if (top === '.git') {
        // HEAD, refs or the index moved: a commit, a checkout or a pull. History and the tree both need a look.
        if (/^\.git\/(HEAD|refs\/|packed-refs|index$)/.test(rel)) {
          history = true;
          full = true;
          schedule();
        }
        return;
      }
      if (rel.split('/').some((part) => BUILTIN_IGNORED_DIRS.has(part))) return;
      pending.add(rel);
      schedule();
    });
  } catch (e) {
    opts.onError?.(e as Error);
    return { close() {}, idle: async () => {} };
  }
  watcher.on('error', (e) => opts.onError?.(e));

  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher.close();
    },
    async idle() {
      while (timer) await new Promise((r) => setTimeout(r, debounce));
      await running;
    },
  };
}
