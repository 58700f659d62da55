// The oracle's term indexes, one pair of FTS5 tables per project: file documents (path and content terms) and commit messages.
import type { Db } from '../db/open';
import { matchAny, terms } from './terms';

const MAX_DOC_TERMS = 60_000;

export class OracleIndex {
  readonly filesTable: string;
  readonly commitsTable: string;

  constructor(private readonly db: Db, readonly projectId: number) {
    // Integer ids only: the table names are never built from user input.
    const id = Math.trunc(Number(projectId));
    this.filesTable = `oracle_files_${id}`;
    this.commitsTable = `oracle_commits_${id}`;
    this.ensure();
  }

  private ensure(): void {
    this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${this.filesTable} USING fts5(path_terms, body_terms, content='', contentless_delete=1, tokenize='unicode61')`);
    this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${this.filesTable}_vocab USING fts5vocab(${this.filesTable}, 'row')`);
    this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${this.commitsTable} USING fts5(message, content='', contentless_delete=1, tokenize='unicode61')`);
  }

  writeFile(fileId: number, path: string, text: string): void {
    this.db.prepare(`DELETE FROM ${this.filesTable} WHERE rowid = ?`).run(fileId);
    this.db.prepare(`INSERT INTO ${this.filesTable} (rowid, path_terms, body_terms) VALUES (?, ?, ?)`).run(fileId, terms(path).join(' '), terms(text, MAX_DOC_TERMS).join(' '));
  }

  removeFiles(ids: number[]): void {
    const del = this.db.prepare(`DELETE FROM ${this.filesTable} WHERE rowid = ?`);
    for (const id of ids) del.run(id);
  }

  /** Adds commits read since the last sync and drops those history no longer has (a rewrite). */
  syncCommits(): number {
    if (!this.hasTable('git_commits')) return 0;
    const state = this.db.prepare('SELECT synced_max_id AS m FROM oracle_commit_sync WHERE project_id = ?').get(this.projectId) as { m: number } | undefined;
    let max = state?.m ?? 0;
    const rows = this.db
      .prepare('SELECT id, subject, body FROM git_commits WHERE project_id = ? AND id > ? AND is_merge = 0 ORDER BY id')
      .all(this.projectId, max) as { id: number; subject: string; body: string }[];
    const ins = this.db.prepare(`INSERT INTO ${this.commitsTable} (rowid, message) VALUES (?, ?)`);
    this.db.transaction(() => {
      // Commits removed by a history rewrite leave rows here; they are found by id and deleted.
      const gone = this.db
        .prepare(`SELECT rowid AS id FROM ${this.commitsTable} WHERE rowid NOT IN (SELECT id FROM git_commits WHERE project_id = ?)`)
        .all(this.projectId) as { id: number }[];
      const del = this.db.prepare(`DELETE FROM ${this.commitsTable} WHERE rowid = ?`);
      for (const g of gone) del.run(g.id);
      for (const r of rows) {
        ins.run(r.id, terms(`${r.subject}\n${r.body}`, 2000).join(' '));
        max = r.id;
      }
      this.db.prepare('INSERT INTO oracle_commit_sync (project_id, synced_max_id) VALUES (?, ?) ON CONFLICT (project_id) DO UPDATE SET synced_max_id = excluded.synced_max_id').run(this.projectId, max);
    })();
    return rows.length;
  }

  /**
   * The query terms worth a full-text search: terms no file has are dropped, so are terms most files have (their
   * BM25 weight is near zero and their posting lists are the longest), and at most `max` of the rarest are kept.
   */
  informativeTerms(qt: string[], max = 32): string[] {
    if (!qt.length) return qt;
    const docs = (this.db.prepare(`SELECT count(*) AS n FROM ${this.filesTable}`).get() as { n: number }).n;
    const df = new Map<string, number>();
    const q = this.db.prepare(`SELECT doc FROM ${this.filesTable}_vocab WHERE term = ?`);
    for (const t of qt) df.set(t, (q.get(t) as { doc: number } | undefined)?.doc ?? 0);
    return qt
      .filter((t) => (df.get(t) ?? 0) > 0 && (docs < 20 || (df.get(t) ?? 0) <= docs * 0.5))
      .sort((a, b) => (df.get(a) ?? 0) - (df.get(b) ?? 0))
      .slice(0, max);
  }

  /** BM25 over file documents; `pathOnly` searches path terms alone. Returns file id → score (higher is better). */
  searchFiles(qt: string[], opts: { pathOnly?: boolean; limit?: number } = {}): Map<number, number> {
    const expr = matchAny(opts.pathOnly ? qt : this.informativeTerms(qt), opts.pathOnly ? 'path_terms' : undefined);
    const out = new Map<number, number>();
    if (!expr) return out;
    const weights = opts.pathOnly ? '1.0, 0.0' : '3.0, 1.0';
    const rows = this.db
      .prepare(`SELECT rowid AS id, -bm25(${this.filesTable}, ${weights}) AS s FROM ${this.filesTable} WHERE ${this.filesTable} MATCH ? ORDER BY rank LIMIT ?`)
      .all(expr, opts.limit ?? 400) as { id: number; s: number }[];
    for (const r of rows) out.set(r.id, r.s);
    return out;
  }

  /** BM25 over commit messages: commit id → score. */
  searchCommits(qt: string[], limit = 60): { id: number; score: number }[] {
    const expr = matchAny(qt);
    if (!expr) return [];
    return this.db
      .prepare(`SELECT rowid AS id, -bm25(${this.commitsTable}) AS score FROM ${this.commitsTable} WHERE ${this.commitsTable} MATCH ? ORDER BY rank LIMIT ?`)
      .all(expr, limit) as { id: number; score: number }[];
  }

  private hasTable(name: string): boolean {
    return !!this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name);
  }
}
