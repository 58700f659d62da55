// The file API: every read, write and listing stays inside the project root, symlinks included.
import fs from 'node:fs';
import path from 'node:path';
import { MiraError } from '../../shared/errors';
import type { FsEntry } from '../../shared/api';
import { atomicWrite } from './atomic-write';
import { classifyContent, sha256 } from './content';
import { IgnoreRules } from './ignore-rules';
import { languageOf } from './languages';

const MAX_READ = 10 * 1024 * 1024;

export class ProjectFs {
  readonly realRoot: string;

  constructor(root: string) {
    this.realRoot = fs.realpathSync(root);
  }

  /** Resolves a project-relative path; refuses anything that leaves the root, before or after following symlinks. */
  resolve(rel: string): string {
    if (typeof rel !== 'string' || rel.includes('\0')) throw outside(String(rel));
    const norm = rel.replace(/\\/g, '/');
    if (path.isAbsolute(norm) || /^[a-zA-Z]:/.test(norm)) throw outside(rel);
    const abs = path.resolve(this.realRoot, norm);
    if (!this.contains(abs)) throw outside(rel);
    // Follow symlinks on the longest existing prefix: a link inside the tree may point out of it.
    let probe = abs;
    const rest: string[] = [];
    while (!fs.existsSync(probe)) {
      const up = path.dirname(probe);
      if (up === probe) break;
      rest.unshift(path.basename(probe));
      probe = up;
    }
    let real: string;
    try {
      real = fs.realpathSync(probe);
    } catch {
      throw outside(rel);
    }
    const full = rest.length ? path.join(real, ...rest) : real;
    if (!this.contains(full)) throw outside(rel);
    return full;
  }

  relative(abs: string): string {
    return path.relative(this.realRoot, abs).split(path.sep).join('/');
  }

  private contains(abs: string): boolean {
    return abs === this.realRoot || abs.startsWith(this.realRoot + path.sep);
  }

  list(rel: string): { path: string; entries: FsEntry[] } {
    const abs = this.resolve(rel || '.');
    const st = statOrThrow(abs, rel);
    if (!st.isDirectory()) throw new MiraError('not_a_directory', `${rel} is not a folder`);
    const relDir = this.relative(abs);
    // Ignore rules apply from the root down to this folder, as in the walk.
    let rules = IgnoreRules.forRoot(this.realRoot);
    if (relDir) {
      const parts = relDir.split('/');
      for (let i = 1; i <= parts.length; i++) rules = rules.child(parts.slice(0, i).join('/'));
    }
    const entries: FsEntry[] = [];
    for (const d of fs.readdirSync(abs, { withFileTypes: true })) {
      const childRel = relDir ? `${relDir}/${d.name}` : d.name;
      let isDir = d.isDirectory();
      if (d.isSymbolicLink()) {
        try {
          const target = fs.realpathSync(path.join(abs, d.name));
          if (!this.contains(target)) continue;
          isDir = fs.statSync(target).isDirectory();
        } catch {
          continue;
        }
      } else if (!isDir && !d.isFile()) continue;
      if (rules.ignored(childRel, isDir)) continue;
      const entry: FsEntry = { name: d.name, path: childRel, type: isDir ? 'dir' : 'file' };
      if (!isDir) {
        try {
          entry.size = fs.statSync(path.join(abs, d.name)).size;
        } catch {
          continue;
        }
      }
      entries.push(entry);
    }
    entries.sort((a, b) => (a.type !== b.type ? (a.type === 'dir' ? -1 : 1) : a.name.localeCompare(b.name)));
    return { path: relDir, entries };
  }

  read(rel: string): { path: string; content: string; hash: string; mtime_ms: number; size: number; language: string | null } {
    const abs = this.resolve(rel);
    const st = statOrThrow(abs, rel);
    if (!st.isFile()) throw new MiraError('bad_request', `${rel} is not a file`);
    if (st.size > MAX_READ) throw new MiraError('too_large', `${rel} is ${(st.size / 1048576).toFixed(1)} MB; files over 10 MB are not opened`);
    const buf = fs.readFileSync(abs);
    const c = classifyContent(buf);
    if (c.skip === 'binary' || c.skip === 'invalid_utf8') throw new MiraError('binary_file', `${rel} is not a UTF-8 text file`);
    let content = buf.toString('utf8');
    if (content.charCodeAt(0) === 0xfeff) content = content.slice(1);
    const relPath = this.relative(abs);
    return { path: relPath, content, hash: c.hash, mtime_ms: Math.floor(st.mtimeMs), size: st.size, language: languageOf(relPath) };
  }

  stat(rel: string): { path: string; exists: boolean; hash: string | null; mtime_ms: number | null } {
    const abs = this.resolve(rel);
    try {
      const st = fs.statSync(abs);
      return { path: this.relative(abs), exists: true, hash: st.isFile() ? sha256(fs.readFileSync(abs)) : null, mtime_ms: Math.floor(st.mtimeMs) };
    } catch {
      return { path: this.relative(abs), exists: false, hash: null, mtime_ms: null };
    }
  }

  /** Writes atomically; with `expectedHash`, refuses when the file changed on disk since it was read. */
  write(rel: string, content: string, expectedHash?: string): { path: string; hash: string; mtime_ms: number; size: number } {
    const abs = this.resolve(rel);
    // Git's own folder is not project content: a write there (a hook, the config) would run code or rewrite history.
    if (insideGitDir(this.relative(abs))) {
      throw new MiraError('refused', `${rel} is inside a .git folder, which the file API does not write`, 'change the repository with git commands');
    }
    if (expectedHash !== undefined) {
      let current: string | null = null;
      try {
        current = sha256(fs.readFileSync(abs));
      } catch {
        current = null;
      }
      if (current === null) {
        throw new MiraError('conflict', `${rel} was deleted on disk since it was opened`, 'save again to recreate it, or close it');
      }
      if (current !== expectedHash) {
        throw new MiraError('conflict', `${rel} changed on disk since it was opened`, 'reload the file, or save again to overwrite');
      }
    }
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    atomicWrite(abs, content);
    const st = fs.statSync(abs);
    return { path: this.relative(abs), hash: sha256(Buffer.from(content, 'utf8')), mtime_ms: Math.floor(st.mtimeMs), size: st.size };
  }
}

/** A path in a repository's own folder (`.git/...`, a submodule's `.git` too), or the `.git` file of a worktree. */
export function insideGitDir(rel: string): boolean {
  return rel.split('/').some((seg) => seg === '.git');
}

function outside(rel: string): MiraError {
  return new MiraError('path_outside_root', `${JSON.stringify(rel)} is outside the project root`, 'use a path relative to the project root');
}

function statOrThrow(abs: string, rel: string): fs.Stats {
  try {
    return fs.statSync(abs);
  } catch {
    throw new MiraError('not_found', `${rel || '.'} does not exist`);
  }
}
