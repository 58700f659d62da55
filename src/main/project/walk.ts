// Walks a project folder with ignores applied, yielding files with their stat (no content read here).
import fs from 'node:fs';
import path from 'node:path';
import { IgnoreRules } from './ignore-rules';

export interface WalkEntry {
  /** Relative to the root, '/' separators. */
  rel: string;
  abs: string;
  size: number;
  mtimeMs: number;
}

export interface WalkResult {
  files: WalkEntry[];
  /** Reason → count, for things skipped before content is read (symlinks out of root, unreadable folders). */
  skipped: Record<string, number>;
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Synchronous walk; the tree is stat-only, so this stays fast even on large projects. */
export function walkProject(root: string, rules?: IgnoreRules, prefix = ''): WalkResult {
  const realRoot = fs.realpathSync(root);
  const files: WalkEntry[] = [];
  const skipped: Record<string, number> = {};
  const bump = (r: string) => (skipped[r] = (skipped[r] ?? 0) + 1);
  // A sub-walk (`prefix`) reports paths relative to the project root and applies the project's rules from there.
  const stack: { rel: string; rules: IgnoreRules }[] = [{ rel: prefix, rules: rules ?? IgnoreRules.forRoot(realRoot) }];
  const base = prefix ? path.resolve(realRoot, ...prefix.split('/').map(() => '..')) : realRoot;
  const seenDirs = new Set<string>();
  while (stack.length) {
    const { rel, rules } = stack.pop()!;
    const absDir = rel ? path.join(base, rel) : realRoot;
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(absDir, { withFileTypes: true });
    } catch {
      bump('unreadable');
      continue;
    }
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of dirents) {
      const childRel = rel ? `${rel}/${d.name}` : d.name;
      const abs = path.join(absDir, d.name);
      let isDir = d.isDirectory();
      let isFile = d.isFile();
      if (d.isSymbolicLink()) {
        // Follow a link only when it stays inside the project; never walk out of the root.
        let target: string;
        try {
          target = fs.realpathSync(abs);
        } catch {
          bump('broken_symlink');
          continue;
        }
        if (target !== realRoot && !target.startsWith(realRoot + path.sep)) {
          bump('symlink_outside_root');
          continue;
        }
        const st = fs.statSync(target);
        isDir = st.isDirectory();
        isFile = st.isFile();
        if (isDir && seenDirs.has(target)) continue;
      }
      if (isDir) {
        if (rules.ignored(childRel, true)) continue;
        try {
          seenDirs.add(fs.realpathSync(abs));
        } catch {
          /* unreadable: the readdir above reports it */
        }
        stack.push({ rel: childRel, rules: rules.child(childRel) });
      } else if (isFile) {
        if (rules.ignored(childRel, false)) continue;
        try {
          const st = fs.statSync(abs);
          files.push({ rel: childRel, abs, size: st.size, mtimeMs: Math.floor(st.mtimeMs) });
        } catch {
          bump('unreadable');
        }
      }
    }
  }
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { files, skipped };
}
