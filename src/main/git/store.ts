// Prepared statements for the git history tables: sync state, authors, commits and their files.
import type { Db } from '../db/open';
import { isBot } from './bots';
import type { LogCommit } from './log-parser';

export interface SyncReason {
  kind: string;
  detail: string;
  sha?: string;
}

export interface SyncStateRow {
  project_id: number;
  status: string;
  head_sha: string | null;
  head_ref: string | null;
  until_ref: string | null;
  mode: string | null;
  shallow: number;
  ref_time: number | null;
  total_weight: number;
  stats_dirty: number;
  reasons_json: string;
  synced_at: string | null;
}

export interface CommitRow {
  id: number;
  sha: string;
  parents: string;
  author_id: number;
  author_name: string;
  author_email: string;
  authored_at: number;
  committed_at: number;
  subject: string;
  body: string;
  is_merge: number;
  is_bot: number;
  files_count: number;
  lines_added: number | null;
  lines_deleted: number | null;
  skip_reason: string | null;
}

/** A commit as read from git plus what ingest decided about it. */
export interface IngestCommit extends LogCommit {
  isMerge: boolean;
  skipReason: string | null;
}

/** Files stored per commit at most: a vendoring commit of 100k files says nothing more with all of them. */
export const MAX_FILES_STORED = 20_000;

export class GitStore {
  private readonly stmts;
  private readonly authorIds = new Map<string, number>();

  constructor(readonly db: Db, readonly projectId: number) {
    this.stmts = {
      state: db.prepare('SELECT * FROM git_sync_state WHERE project_id = ?'),
      ensureState: db.prepare('INSERT OR IGNORE INTO git_sync_state (project_id) VALUES (?)'),
      author: db.prepare('SELECT id FROM git_authors WHERE project_id = ? AND email = ?'),
      insertAuthor: db.prepare('INSERT INTO git_authors (project_id, email, name, is_bot) VALUES (?, ?, ?, ?) RETURNING id'),
      insertCommit: db.prepare(`INSERT OR IGNORE INTO git_commits
        (project_id, sha, parents, author_id, author_name, author_email, authored_at, committed_at, subject, body, is_merge, is_bot, files_count, lines_added, lines_deleted, skip_reason)
        VALUES (@project_id, @sha, @parents, @author_id, @author_name, @author_email, @authored_at, @committed_at, @subject, @body, @is_merge, @is_bot, @files_count, @lines_added, @lines_deleted, @skip_reason)`),
      insertFile: db.prepare('INSERT OR IGNORE INTO git_commit_files (commit_id, project_id, path, old_path, added, deleted) VALUES (?, ?, ?, ?, ?, ?)'),
      shas: db.prepare('SELECT id, sha FROM git_commits WHERE project_id = ?'),
      deleteCommit: db.prepare('DELETE FROM git_commits WHERE id = ?'),
      count: db.prepare('SELECT count(*) AS n FROM git_commits WHERE project_id = ?'),
    };
  }

  state(): SyncStateRow {
    this.stmts.ensureState.run(this.projectId);
    return this.stmts.state.get(this.projectId) as SyncStateRow;
  }

  /** Updates the named state columns (names come from this module, never from input). */
  setState(fields: Partial<Omit<SyncStateRow, 'project_id'>>): void {
    this.stmts.ensureState.run(this.projectId);
    const keys = Object.keys(fields).filter((k) => STATE_COLUMNS.has(k));
    if (!keys.length) return;
    const sql = `UPDATE git_sync_state SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE project_id = @project_id`;
    this.db.prepare(sql).run({ ...fields, project_id: this.projectId });
  }

  /** The author's id by (mailmapped, lowercased) email, created on first sight with the name it came with. */
  authorId(name: string, email: string): number {
    const hit = this.authorIds.get(email);
    if (hit !== undefined) return hit;
    const row = this.stmts.author.get(this.projectId, email) as { id: number } | undefined;
    let id: number;
    if (row) {
      id = row.id;
    } else {
      id = (this.stmts.insertAuthor.get(this.projectId, email, name || email, isBot(name, email) ? 1 : 0) as { id: number }).id;
    }
    this.authorIds.set(email, id);
    return id;
  }

  /** Inserts one commit and its files; returns its id, or null when it was already stored (no duplicates on re-reads). */
  insertCommit(c: IngestCommit): number | null {
    const authorId = this.authorId(c.authorName, c.authorEmail);
    const files = c.files.length > MAX_FILES_STORED ? c.files.slice(0, MAX_FILES_STORED) : c.files;
    let added: number | null = 0;
    let deleted: number | null = 0;
    for (const f of c.files) {
      if (f.added === null || f.deleted === null) continue;
      added += f.added;
      deleted += f.deleted;
    }
    if (c.files.length && c.files.every((f) => f.added === null)) added = deleted = null;
    const r = this.stmts.insertCommit.run({
      project_id: this.projectId,
      sha: c.sha,
      parents: c.parents.join(' '),
      author_id: authorId,
      author_name: c.authorName || c.authorEmail,
      author_email: c.authorEmail,
      authored_at: c.authoredAt,
      committed_at: c.committedAt,
      subject: c.subject,
      body: c.body,
      is_merge: c.isMerge ? 1 : 0,
      is_bot: isBot(c.authorName, c.authorEmail) ? 1 : 0,
      files_count: c.files.length,
      lines_added: added,
      lines_deleted: deleted,
      skip_reason: c.skipReason,
    });
    if (r.changes === 0) return null;
    const id = Number(r.lastInsertRowid);
    for (const f of files) this.stmts.insertFile.run(id, this.projectId, f.path, f.oldPath, f.added, f.deleted);
    return id;
  }

  knownShas(): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.stmts.shas.iterate(this.projectId) as Iterable<{ id: number; sha: string }>) out.set(r.sha, r.id);
    return out;
  }

  deleteCommits(ids: number[]): void {
    for (const id of ids) this.stmts.deleteCommit.run(id);
  }

  commitCount(): number {
    return (this.stmts.count.get(this.projectId) as { n: number }).n;
  }

  reasons(): SyncReason[] {
    try {
      return JSON.parse(this.state().reasons_json) as SyncReason[];
    } catch {
      return [];
    }
  }
}

const STATE_COLUMNS = new Set([
  'status',
  'head_sha',
  'head_ref',
  'until_ref',
  'mode',
  'shallow',
  'ref_time',
  'total_weight',
  'stats_dirty',
  'reasons_json',
  'synced_at',
]);
