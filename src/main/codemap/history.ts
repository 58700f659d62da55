// The change history of each current file, following renames back to its old names: what hotspot features are read from.

/** Fix commits, by the subject alone (the definition the hotspot evaluation uses for its gold). */
export const FIX_SUBJECT = /\b(fix(e[sd])?|bug|crash|regression|hotfix)\b/i;

export interface HistFile {
  path: string;
  old_path: string | null;
  added: number | null;
  deleted: number | null;
}

export interface HistCommit {
  sha: string;
  /** Commit time, unix seconds. */
  time: number;
  author: string;
  subject: string;
  files: HistFile[];
}

export interface FileEvent {
  sha: string;
  t: number;
  author: string;
  fix: boolean;
  /** Files in the commit (its size). */
  n: number;
  added: number;
  deleted: number;
}

export interface Histories {
  /** Per current path, its events newest first. */
  events: Map<string, FileEvent[]>;
  /** Per commit (sha), the current paths it touched: co-change partners. */
  commits: Map<string, string[]>;
  /** Commit times newest first (the cuts of the calibration are placed on them). */
  first: number | null;
  last: number | null;
}

/**
 * Walks commits newest first and files each change under the file's current name: a rename `old -> new` makes older
 * changes of `old` count for whatever `new` is called now. `current` is the set of paths that exist today.
 */
export function buildHistories(commitsNewestFirst: Iterable<HistCommit>, current: Iterable<string>): Histories {
  const alias = new Map<string, string>();
  for (const p of current) alias.set(p, p);
  const events = new Map<string, FileEvent[]>();
  const commits = new Map<string, string[]>();
  let first: number | null = null;
  let last: number | null = null;
  for (const c of commitsNewestFirst) {
    last ??= c.time;
    first = c.time;
    const fix = FIX_SUBJECT.test(c.subject);
    const touched: string[] = [];
    for (const f of c.files) {
      const name = alias.get(f.path);
      if (name === undefined) continue;
      if (f.old_path && f.old_path !== f.path) {
        // Before this commit the file was called old_path; a different file may have had f.path's name before it.
        alias.set(f.old_path, name);
        alias.delete(f.path);
      }
      let list = events.get(name);
      if (!list) events.set(name, (list = []));
      list.push({ sha: c.sha, t: c.time, author: c.author, fix, n: c.files.length, added: f.added ?? 0, deleted: f.deleted ?? 0 });
      touched.push(name);
    }
    if (touched.length) commits.set(c.sha, touched);
  }
  return { events, commits, first, last };
}
