// Keeps the index fresh while the app is open: file events are batched (debounced) into targeted index runs.
import fs from 'node:fs';
import path from 'node:path';
import { BUILTIN_IGNORED_DIRS, IgnoreRules } from './ignore-rules';

/** What changed on disk in one batch, as the file tree sees it (ignored paths left out). */
export interface DiskChange {
  /** Files and folders that exist now (created or modified). */
  paths: string[];
  /** Paths that are gone. */
  deleted: string[];
}

export interface WatchOptions {
  /** Quiet time before a batch is indexed. */
  debounceMs?: number;
  /** Past this many paths in one batch (a branch switch), a full incremental walk is cheaper than a list. */
  maxTargeted?: number;
  /** Runs an index: `paths` for a targeted run, undefined for a full walk; `git` when history moved. */
  index(opts: { paths?: string[]; git: boolean }): Promise<unknown>;
  /** Told of each batch's visible changes right away (not after indexing): the app pushes them to clients as fs/changed. */
  onChange?(change: DiskChange): void;
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
    if (opts.onChange && paths.length) {
      try {
        const change = classify(root, paths);
        if (change.paths.length || change.deleted.length) opts.onChange(change);
      } catch (e) {
        opts.onError?.(e as Error);
      }
    }
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

  const onEvent = (name: string | null) => {
    if (!name) {
      full = true;
      return schedule();
    }
    const rel = name.split(path.sep).join('/');
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
  };

  let watcher: { close(): void };
  try {
    watcher = process.platform === 'linux' ? watchDirs(root, onEvent, (e) => opts.onError?.(e)) : watchNative(root, onEvent, (e) => opts.onError?.(e));
  } catch (e) {
    opts.onError?.(e as Error);
    return { close() {}, idle: async () => {} };
  }

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

const ATOMIC_TMP = /(^|\/)\.[^/]*\.mira-\d+-\d+\.tmp$/;

/** Splits a batch into existing and deleted paths, leaving out what the ignore rules (built-in and .gitignore) hide. */
export function classify(root: string, paths: string[]): DiskChange {
  const rulesFor = new Map<string, IgnoreRules | null>();
  // The rules that apply inside `dir`, or null when `dir` itself (or a folder above it) is ignored.
  const rulesIn = (dir: string): IgnoreRules | null => {
    const known = rulesFor.get(dir);
    if (known !== undefined) return known;
    let r: IgnoreRules | null;
    if (dir === '') r = IgnoreRules.forRoot(root);
    else {
      const i = dir.lastIndexOf('/');
      const parent = rulesIn(i < 0 ? '' : dir.slice(0, i));
      r = parent && !parent.ignored(dir, true) ? parent.child(dir) : null;
    }
    rulesFor.set(dir, r);
    return r;
  };
  const out: DiskChange = { paths: [], deleted: [] };
  for (const rel of [...new Set(paths)].sort()) {
    // Mira's own atomic writes go through a temporary sibling: not a file anyone sees.
    if (ATOMIC_TMP.test(rel)) continue;
    let st: fs.Stats | null = null;
    try {
      st = fs.statSync(path.join(root, rel));
    } catch {
      st = null;
    }
    const i = rel.lastIndexOf('/');
    const rules = rulesIn(i < 0 ? '' : rel.slice(0, i));
    if (!rules || rules.ignored(rel, !!st?.isDirectory())) continue;
    (st ? out.paths : out.deleted).push(rel);
  }
  return out;
}

/** macOS and Windows: the system's own recursive watch. */
function watchNative(root: string, onEvent: (rel: string | null) => void, onError: (e: Error) => void): { close(): void } {
  const w = fs.watch(root, { recursive: true }, (_event, name) => onEvent(name ? name.toString() : null));
  w.on('error', onError);
  return w;
}

/**
 * Linux: one inotify watch per folder (Node's recursive mode there follows files by inode, so it goes deaf to a file
 * replaced by a rename — an atomic save, git — and to deletions). Folder watches see their entries by name; new folders
 * are watched as they appear, and the files already in them are reported. Ignored folders are not watched; in .git only
 * the folder itself and refs/ (HEAD, index, packed-refs, branch tips).
 */
function watchDirs(root: string, onEvent: (rel: string) => void, onError: (e: Error) => void): { close(): void } {
  const watchers = new Map<string, fs.FSWatcher>();
  const join = (dir: string, name: string) => (dir ? `${dir}/${name}` : name);
  const wanted = (rel: string) => {
    if (rel === '.git' || rel === '.git/refs' || rel.startsWith('.git/refs/')) return true;
    return !rel.split('/').some((part) => BUILTIN_IGNORED_DIRS.has(part));
  };
  const unwatch = (rel: string) => {
    for (const [dir, w] of watchers) {
      if (dir === rel || dir.startsWith(rel + '/')) {
        w.close();
        watchers.delete(dir);
      }
    }
  };
  // `report`: the folder is new, so what is already in it was created without an event of its own.
  const add = (rel: string, report: boolean) => {
    if (watchers.has(rel) || (rel && !wanted(rel))) return;
    const abs = rel ? path.join(root, rel) : root;
    let w: fs.FSWatcher;
    try {
      w = fs.watch(abs, (_event, name) => {
        if (!name) return onEvent(rel || '.');
        const child = join(rel, name.toString());
        let isDir = false;
        try {
          isDir = fs.statSync(path.join(root, child)).isDirectory();
        } catch {
          unwatch(child);
        }
        if (isDir) add(child, true);
        onEvent(child);
      });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES') return;
      throw e;
    }
    w.on('error', () => unwatch(rel));
    watchers.set(rel, w);
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of entries) {
      const child = join(rel, d.name);
      if (d.isDirectory()) {
        if (rel === '' && d.name === '.git') add(child, false);
        else if (wanted(child)) add(child, report);
      }
      if (report) onEvent(child);
    }
  };
  try {
    add('', false);
  } catch (e) {
    for (const w of watchers.values()) w.close();
    throw e;
  }
  if (!watchers.size) onError(new Error(`cannot watch ${root}`));
  return {
    close() {
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
