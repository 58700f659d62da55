// The git capability of one project: sync history, and answer co-change, expertise, blame, fixes and history queries.
import type { Db } from '../db/open';
import { MiraError } from '../../shared/errors';
import type { ProjectFs } from '../project/fs-access';
import { BlameCache, type BlameAnswer } from './blame';
import { CochangeQueries, type CochangeAnswer, type CochangeParams } from './cochange';
import type { GitTarget } from './exec';
import { ExpertiseQueries, type ExpertiseParams, type ExpertsAnswer, type TruckFactor } from './expertise';
import { searchFixes, type FixResult } from './fixes';
import { syncHistory, type SyncOptions, type SyncReport } from './ingest';
import { normalizeRel } from './paths';
import { GitStore, type SyncReason } from './store';

export interface CommitSummary {
  sha: string;
  author: string;
  email: string;
  date: string;
  subject: string;
  files: number;
  lines_added: number | null;
  lines_deleted: number | null;
}

export interface GitStatus {
  status: string;
  head: string | null;
  head_ref: string | null;
  mode: string | null;
  shallow: boolean;
  commits: number;
  authors: number;
  fixes: number;
  synced_at: string | null;
  reasons: SyncReason[];
}

export class GitService {
  readonly cochange: CochangeQueries;
  readonly expertise: ExpertiseQueries;
  private blameCache: BlameCache | null = null;
  private syncing: Promise<SyncReport> | null = null;

  constructor(
    readonly db: Db,
    readonly projectId: number,
    readonly target: GitTarget,
    private readonly files?: ProjectFs,
    params: { cochange?: Partial<CochangeParams>; expertise?: Partial<ExpertiseParams> } = {},
  ) {
    this.cochange = new CochangeQueries(db, projectId, params.cochange);
    this.expertise = new ExpertiseQueries(db, projectId, (p) => this.cochange.canonical(p), params.expertise);
  }

  /** One sync at a time per project: a second request (index stage and `git/sync` together) joins the running one. */
  sync(opts: SyncOptions = {}): Promise<SyncReport> {
    if (this.syncing) return this.syncing;
    this.syncing = syncHistory(this.db, this.projectId, this.target, opts).finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  /** Reads history once if this project was never synced, so a first query does not answer from nothing. */
  async ensureSynced(): Promise<void> {
    const st = this.db.prepare('SELECT status FROM git_sync_state WHERE project_id = ?').get(this.projectId) as { status: string } | undefined;
    if (!st || st.status === 'never') await this.sync();
  }

  cochangeFor(files: string[], k?: number): CochangeAnswer {
    return this.cochange.query(files, k);
  }

  experts(paths: string[], k?: number, opts: { bots?: boolean } = {}): ExpertsAnswer {
    return this.expertise.query(paths, k, opts);
  }

  /** People who know a concept ("database", "auth"): the authors of the files tagged with it. */
  expertsForConcept(concept: string, k?: number, opts: { bots?: boolean } = {}): ExpertsAnswer {
    const key = concept.trim().toLowerCase();
    const known = this.db.prepare(`SELECT 1 FROM author_expertise WHERE project_id = ? AND scope = 'concept' AND key = ? LIMIT 1`).get(this.projectId, key);
    return { results: known ? this.expertise.forConcept(key, k, opts) : [], authors: [], query: [`concept:${key}`], unknown: known ? [] : [`concept:${key}`] };
  }

  truckFactor(folder: string): TruckFactor {
    return this.expertise.truckFactor(folder);
  }

  fixes(text: string, files: string[] = [], k?: number): FixResult[] {
    return searchFixes(this.db, this.projectId, { text, files, k });
  }

  blame(file: string, line?: number): Promise<BlameAnswer> {
    if (!this.files || !this.target.root) throw new MiraError('not_a_git_repo', 'blame needs a project with a work tree', 'open the project folder (not a bare repository)');
    this.blameCache ??= new BlameCache(this.db, this.projectId, this.target.root, this.files);
    return this.blameCache.blame(file, line);
  }

  /** Commits newest first, optionally only those touching a file (under any of its former names) or by an author. */
  /** Commits of a file or an author, newest first; or the commits named by `shas` (full or abbreviated), in that order. */
  commits(opts: { file?: string; author?: string; limit?: number; shas?: string[] } = {}): CommitSummary[] {
    if (opts.shas) return this.commitsBySha(opts.shas);
    const limit = Math.min(Math.max(opts.limit ?? 20, 1), 1000);
    const names = opts.file ? this.namesOf(normalizeRel(opts.file)) : null;
    const rows = this.db
      .prepare(`SELECT c.sha, c.author_name, c.author_email, c.committed_at, c.subject, c.files_count, c.lines_added, c.lines_deleted FROM git_commits c
        WHERE c.project_id = ?
          AND (? IS NULL OR EXISTS (SELECT 1 FROM git_commit_files f WHERE f.commit_id = c.id AND f.path IN (SELECT value FROM json_each(?))))
          AND (? IS NULL OR c.author_email = lower(?) OR c.author_name = ?)
        ORDER BY c.committed_at DESC, c.id ASC LIMIT ?`)
      .all(this.projectId, names ? 1 : null, JSON.stringify(names ?? []), opts.author ?? null, opts.author ?? null, opts.author ?? null, limit) as CommitRow[];
    return rows.map(summary);
  }

  private commitsBySha(shas: string[]): CommitSummary[] {
    // An abbreviated sha is the first commit at or after it in sha order, if it starts with it (the UNIQUE index serves this).
    const q = this.db.prepare(`SELECT sha, author_name, author_email, committed_at, subject, files_count, lines_added, lines_deleted FROM git_commits
      WHERE project_id = ? AND sha >= ? ORDER BY sha LIMIT 1`);
    const out: CommitSummary[] = [];
    for (const raw of shas) {
      const sha = raw.toLowerCase();
      const r = q.get(this.projectId, sha) as CommitRow | undefined;
      if (r && r.sha.startsWith(sha)) out.push(summary(r));
    }
    return out;
  }

  /** A file's current name and every name it had before. */
  private namesOf(p: string): string[] {
    const canonical = this.cochange.canonical(p);
    const out = new Set([p, canonical]);
    const olds = this.db.prepare('SELECT DISTINCT old_path FROM git_commit_files WHERE project_id = ? AND path = ? AND old_path IS NOT NULL');
    const queue = [canonical];
    while (queue.length && out.size < 100) {
      for (const r of olds.all(this.projectId, queue.shift()!) as { old_path: string }[]) {
        if (!out.has(r.old_path)) {
          out.add(r.old_path);
          queue.push(r.old_path);
        }
      }
    }
    return [...out];
  }

  status(): GitStatus {
    const store = new GitStore(this.db, this.projectId);
    const s = store.state();
    const count = (sql: string) => (this.db.prepare(sql).get(this.projectId) as { n: number }).n;
    return {
      status: s.status,
      head: s.head_sha,
      head_ref: s.head_ref,
      mode: s.mode,
      shallow: s.shallow === 1,
      commits: store.commitCount(),
      authors: count('SELECT count(*) AS n FROM git_authors WHERE project_id = ? AND commits > 0'),
      fixes: count('SELECT count(*) AS n FROM historical_fixes WHERE project_id = ?'),
      synced_at: s.synced_at,
      reasons: store.reasons(),
    };
  }
}

interface CommitRow {
  sha: string;
  author_name: string;
  author_email: string;
  committed_at: number;
  subject: string;
  files_count: number;
  lines_added: number | null;
  lines_deleted: number | null;
}

function summary(r: CommitRow): CommitSummary {
  return {
    sha: r.sha,
    author: r.author_name,
    email: r.author_email,
    date: new Date(r.committed_at * 1000).toISOString(),
    subject: r.subject,
    files: r.files_count,
    lines_added: r.lines_added,
    lines_deleted: r.lines_deleted,
  };
}
