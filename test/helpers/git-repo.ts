// Creates real git repositories in a temporary folder for tests (never committed as .git folders).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestRepo {
  root: string;
  write(rel: string, content: string): void;
  remove(rel: string): void;
  git(...args: string[]): string;
  /** Commits everything with a fixed author and date (ISO or unix seconds), returns the sha. */
  commit(message: string, opts?: { author?: string; email?: string; date?: string }): string;
  cleanup(): void;
}

const created = new Set<string>();

/** A fresh temporary folder, removed after the test file ends (test/setup.ts). */
export function tempDir(prefix = 'mira-test-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  created.add(dir);
  return dir;
}

/** Removes every folder tempDir made in this process (repositories included); returns how many it removed. */
export function removeTempDirs(): number {
  let n = 0;
  for (const dir of created) {
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      n++;
    } catch {
      /* a process still writing into it; the OS cleans /tmp */
    }
    created.delete(dir);
  }
  return n;
}

export function createRepo(opts: { git?: boolean } = {}): TestRepo {
  const root = tempDir('mira-repo-');
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (opts.git !== false) {
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Test User');
    git('config', 'user.email', 'test@example.com');
    git('config', 'commit.gpgsign', 'false');
  }
  return {
    root,
    write(rel, content) {
      const abs = path.join(root, rel);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, content);
    },
    remove(rel) {
      fs.rmSync(path.join(root, rel), { recursive: true, force: true });
    },
    git,
    commit(message, o = {}) {
      git('add', '-A');
      const date = o.date ?? '2024-01-01T12:00:00Z';
      execFileSync('git', ['commit', '-q', '--allow-empty', '-m', message], {
        cwd: root,
        env: {
          ...env,
          GIT_AUTHOR_NAME: o.author ?? 'Test User',
          GIT_AUTHOR_EMAIL: o.email ?? 'test@example.com',
          GIT_COMMITTER_NAME: o.author ?? 'Test User',
          GIT_COMMITTER_EMAIL: o.email ?? 'test@example.com',
          GIT_AUTHOR_DATE: date,
          GIT_COMMITTER_DATE: date,
        },
      });
      return git('rev-parse', 'HEAD').trim();
    },
    cleanup() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
