// Test support for the git capability: a throwaway database, a project row, and commits written in one call.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, type Db } from '../db/open';
import { ProjectsRepo } from '../db/projects';
import type { TestRepo } from '../../../test/helpers/git-repo';

export const MIGRATIONS = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../../../migrations');

export interface TestDb {
  db: Db;
  dir: string;
  projectId(root: string): number;
  close(): void;
}

export function openTestDb(): TestDb {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mira-gitdb-')));
  const { db } = openDb(path.join(dir, 'mira.db'), { migrationsDir: MIGRATIONS, vectors: false });
  return {
    db,
    dir,
    projectId: (root) => new ProjectsRepo(db).ensure(root).id,
    close: () => {
      try {
        db.close();
      } catch {
        /* closed */
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

let clock = Date.UTC(2024, 0, 1) / 1000;

/** Writes (string) or deletes (null) files, then commits with a date one hour after the previous test commit (or `at`). */
export function change(repo: TestRepo, files: Record<string, string | null>, message: string, opts: { author?: string; email?: string; at?: number } = {}): string {
  for (const [p, c] of Object.entries(files)) {
    if (c === null) repo.remove(p);
    else repo.write(p, c);
  }
  clock = opts.at ?? clock + 3600;
  return repo.commit(message, { author: opts.author, email: opts.email, date: String(clock) });
}

/** Unix seconds N days after 2024-01-01 (for commits whose age matters). */
export function day(n: number): number {
  return Date.UTC(2024, 0, 1) / 1000 + n * 86400;
}

/** Every row of the derived tables, sorted, with floats rounded: two ways of building them must agree. */
export function derivedSnapshot(db: Db, projectId: number): Record<string, unknown[]> {
  const q = (sql: string) =>
    (db.prepare(sql).all(projectId) as Record<string, unknown>[]).map((r) => {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r)) o[k] = typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(9)) : v;
      return o;
    });
  return {
    files: q('SELECT path, folder, commits, cc_commits, weight, lines_added, lines_deleted, first_at, last_at, in_head FROM git_file_stats WHERE project_id = ? ORDER BY path'),
    pairs: q('SELECT path, other, support, confidence, weight, last_at FROM file_cochange_patterns WHERE project_id = ? ORDER BY path, other'),
    folders: q('SELECT folder, weight FROM git_folder_stats WHERE project_id = ? ORDER BY folder'),
    folderFiles: q('SELECT folder, path, weight FROM git_folder_cochange WHERE project_id = ? ORDER BY folder, path'),
    expertise: q(`SELECT e.scope, e.key, a.email, e.commits, e.weight, e.lines_added, e.lines_deleted, e.first_at, e.last_at FROM author_expertise e
      JOIN git_authors a ON a.id = e.author_id WHERE e.project_id = ? ORDER BY e.scope, e.key, a.email`),
    authors: q('SELECT email, name, is_bot, commits, recent_weight, first_at, last_at FROM git_authors WHERE project_id = ? AND commits > 0 ORDER BY email'),
    commits: q('SELECT sha, is_merge, files_count, lines_added, lines_deleted, skip_reason FROM git_commits WHERE project_id = ? ORDER BY sha'),
    fixes: q('SELECT sha, kind FROM historical_fixes WHERE project_id = ? ORDER BY sha'),
  };
}
