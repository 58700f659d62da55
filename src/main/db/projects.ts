// Prepared statements for projects, files and settings.
import path from 'node:path';
import type { Db } from './open';

export interface ProjectRow {
  id: number;
  root: string;
  name: string;
  created_at: string;
  last_opened_at: string | null;
  last_indexed_at: string | null;
}

export interface FileRow {
  id: number;
  project_id: number;
  path: string;
  hash: string | null;
  size: number;
  language: string | null;
  mtime_ms: number;
  skip_reason: string | null;
}

export class ProjectsRepo {
  constructor(private readonly db: Db) {}

  /** The project at `root`, made on first open. One statement, so two processes opening it at once both succeed. */
  ensure(root: string): ProjectRow {
    this.db
      .prepare(
        `INSERT INTO projects (root, name, last_opened_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
         ON CONFLICT (root) DO UPDATE SET last_opened_at = excluded.last_opened_at`,
      )
      .run(root, path.basename(root) || root);
    return this.byRoot(root)!;
  }

  byRoot(root: string): ProjectRow | undefined {
    return this.db.prepare('SELECT * FROM projects WHERE root = ?').get(root) as ProjectRow | undefined;
  }

  byId(id: number): ProjectRow | undefined {
    return this.db.prepare('SELECT * FROM projects WHERE id = ?').get(id) as ProjectRow | undefined;
  }

  list(): ProjectRow[] {
    return this.db.prepare('SELECT * FROM projects ORDER BY last_opened_at DESC NULLS LAST').all() as ProjectRow[];
  }

  markIndexed(id: number): void {
    this.db.prepare(`UPDATE projects SET last_indexed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`).run(id);
  }
}

export class FilesRepo {
  private readonly upsertStmt;
  private readonly touchStmt;
  constructor(private readonly db: Db) {
    this.upsertStmt = db.prepare(`INSERT INTO files (project_id, path, hash, size, language, mtime_ms, skip_reason)
      VALUES (@project_id, @path, @hash, @size, @language, @mtime_ms, @skip_reason)
      ON CONFLICT (project_id, path) DO UPDATE SET hash = excluded.hash, size = excluded.size, language = excluded.language,
        mtime_ms = excluded.mtime_ms, skip_reason = excluded.skip_reason, indexed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
      RETURNING id`);
    this.touchStmt = db.prepare('UPDATE files SET mtime_ms = ?, size = ? WHERE id = ?');
  }

  all(projectId: number): FileRow[] {
    return this.db.prepare('SELECT * FROM files WHERE project_id = ? ORDER BY path').all(projectId) as FileRow[];
  }

  byPath(projectId: number, p: string): FileRow | undefined {
    return this.db.prepare('SELECT * FROM files WHERE project_id = ? AND path = ?').get(projectId, p) as FileRow | undefined;
  }

  upsert(row: Omit<FileRow, 'id'>): number {
    return (this.upsertStmt.get(row) as { id: number }).id;
  }

  touch(id: number, mtimeMs: number, size: number): void {
    this.touchStmt.run(mtimeMs, size, id);
  }

  remove(ids: number[]): void {
    const del = this.db.prepare('DELETE FROM files WHERE id = ?');
    for (const id of ids) del.run(id);
  }

  count(projectId: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM files WHERE project_id = ? AND skip_reason IS NULL').get(projectId) as { n: number }).n;
  }
}
