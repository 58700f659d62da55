// Build runs, deduplicated errors and resolutions: recording a finished run and noticing what it fixed.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import { alive } from '../db/locks';
import { unifiedDiff } from '../apply/diff';
import { sha256 } from '../project/content';
import type { BuildDiagnostic } from './types';
import { fingerprint, normalizeMessage } from './fingerprint';

/** `interrupted`: the process running it died before it finished (closed when a later process opens the project). */
export type RunStatus = 'running' | 'done' | 'cancelled' | 'timeout' | 'failed_to_start' | 'interrupted';

export interface BuildRunRow {
  id: number;
  project_id: number;
  command: string;
  scope: string;
  cwd: string;
  trigger: string;
  tool: string | null;
  status: RunStatus;
  exit_code: number | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  error_count: number;
  warning_count: number;
  head_sha: string | null;
}

export interface BuildErrorRow {
  id: number;
  fingerprint: string;
  tool: string;
  code: string | null;
  severity: string;
  file: string | null;
  line: number | null;
  column: number | null;
  message: string;
  notes_json: string;
  occurrences: number;
  runs_seen: number;
  times_resolved: number;
  status: 'open' | 'resolved';
  first_seen_at: string;
  last_seen_at: string;
  last_run_id: number | null;
  resolved_at: string | null;
}

export interface ResolvedError {
  error_id: number;
  file: string | null;
  message: string;
  diff: string | null;
}

const SNAPSHOT_MAX = 256 * 1024;

export class BuildStore {
  constructor(private readonly db: Db, private readonly projectId: number, private readonly root: string) {}

  startRun(r: { command: string; scope: string; cwd: string; trigger: string; head_sha?: string | null }): number {
    return Number(
      this.db
        .prepare('INSERT INTO build_runs (project_id, command, scope, cwd, trigger, head_sha, owner_pid) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(this.projectId, r.command, r.scope, r.cwd, r.trigger, r.head_sha ?? null, process.pid).lastInsertRowid,
    );
  }

  /**
   * Closes runs left 'running' by a process that is gone (killed or crashed mid-run) as 'interrupted'. Runs of live
   * processes (another window, `mira serve`, a CLI run) are left alone. Returns how many were closed.
   */
  closeOrphanedRuns(): number {
    const rows = this.db.prepare(`SELECT id, owner_pid FROM build_runs WHERE project_id = ? AND status = 'running'`).all(this.projectId) as { id: number; owner_pid: number | null }[];
    const dead = rows.filter((r) => r.owner_pid === null || (r.owner_pid !== process.pid && !alive(r.owner_pid)));
    if (!dead.length) return 0;
    const close = this.db.prepare(
      `UPDATE build_runs SET status = 'interrupted', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
         duration_ms = CAST((julianday('now') - julianday(started_at)) * 86400000 AS INTEGER) WHERE id = ? AND status = 'running'`,
    );
    this.db.transaction(() => {
      for (const r of dead) close.run(r.id);
    })();
    return dead.length;
  }

  run(id: number): BuildRunRow | undefined {
    return this.db.prepare('SELECT * FROM build_runs WHERE id = ? AND project_id = ?').get(id, this.projectId) as BuildRunRow | undefined;
  }

  runs(limit = 50): BuildRunRow[] {
    return this.db.prepare('SELECT * FROM build_runs WHERE project_id = ? ORDER BY id DESC LIMIT ?').all(this.projectId, limit) as BuildRunRow[];
  }

  /**
   * Records a finished run in one transaction: its errors (deduplicated), snapshots of the files they point at,
   * and, when the run completed, the errors of earlier runs of the same command that are now gone.
   */
  finishRun(
    runId: number,
    r: { status: RunStatus; exit_code: number | null; duration_ms: number; output_tail: string; tool: string | null; diagnostics: BuildDiagnostic[] },
  ): { errors: number; warnings: number; resolved: ResolvedError[] } {
    const run = this.run(runId);
    if (!run) throw new Error(`no build run ${runId}`);
    const diags = r.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
    const errors = diags.filter((d) => d.severity === 'error').length;
    const warnings = diags.length - errors;
    const resolved: ResolvedError[] = [];
    const snapshots = new Map<string, { hash: string; content: string }>();
    for (const d of diags) {
      if (!d.file || snapshots.has(d.file)) continue;
      const snap = this.readProjectFile(d.file);
      if (snap) snapshots.set(d.file, snap);
    }
    this.db.transaction(() => {
      this.db
        .prepare(`UPDATE build_runs SET status = ?, exit_code = ?, duration_ms = ?, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), output_tail = ?, tool = ?, error_count = ?, warning_count = ? WHERE id = ?`)
        .run(r.status, r.exit_code, r.duration_ms, r.output_tail, r.tool, errors, warnings, runId);
      const upsert = this.db.prepare(`INSERT INTO build_errors (project_id, fingerprint, scope, tool, code, severity, file, line, column, message, normalized, notes_json, first_run_id, last_run_id)
        VALUES (@project_id, @fingerprint, @scope, @tool, @code, @severity, @file, @line, @column, @message, @normalized, @notes_json, @run_id, @run_id)
        ON CONFLICT (project_id, fingerprint) DO UPDATE SET
          occurrences = occurrences + 1,
          runs_seen = runs_seen + CASE WHEN last_run_id = @run_id THEN 0 ELSE 1 END,
          line = excluded.line, column = excluded.column, message = excluded.message, notes_json = excluded.notes_json, severity = excluded.severity,
          scope = excluded.scope, status = 'open', resolved_at = NULL, last_seen_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), last_run_id = @run_id
        RETURNING id`);
      const link = this.db.prepare(`INSERT INTO build_run_errors (run_id, error_id, line, column) VALUES (?, ?, ?, ?)
        ON CONFLICT (run_id, error_id) DO UPDATE SET count = count + 1`);
      const seen = new Set<number>();
      for (const d of diags) {
        const row = upsert.get({
          project_id: this.projectId,
          fingerprint: fingerprint(d),
          scope: run.scope,
          tool: d.tool,
          code: d.code,
          severity: d.severity,
          file: d.file,
          line: d.line,
          column: d.column,
          message: d.message,
          normalized: normalizeMessage(d.message),
          notes_json: JSON.stringify(d.notes ?? []),
          run_id: runId,
        }) as { id: number };
        link.run(runId, row.id, d.line, d.column);
        seen.add(row.id);
      }
      const snap = this.db.prepare('INSERT OR REPLACE INTO build_file_snapshots (run_id, path, hash, content) VALUES (?, ?, ?, ?)');
      for (const [file, s] of snapshots) snap.run(runId, file, s.hash, s.content);

      // Only a run that ran to the end can say an error is gone; a cancelled or timed-out one proves nothing.
      if (r.status !== 'done') return;
      const open = this.db
        .prepare(`SELECT * FROM build_errors WHERE project_id = ? AND scope = ? AND status = 'open'`)
        .all(this.projectId, run.scope) as BuildErrorRow[];
      const markResolved = this.db.prepare(`UPDATE build_errors SET status = 'resolved', times_resolved = times_resolved + 1, resolved_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`);
      const addResolution = this.db.prepare(`INSERT INTO error_resolutions (project_id, error_id, failing_run_id, resolved_run_id, file, diff) VALUES (?, ?, ?, ?, ?, ?)`);
      const snapOf = this.db.prepare('SELECT content FROM build_file_snapshots WHERE run_id = ? AND path = ?');
      for (const e of open) {
        if (seen.has(e.id)) continue;
        markResolved.run(e.id);
        let diff: string | null = null;
        if (e.file && e.last_run_id) {
          const before = snapOf.get(e.last_run_id, e.file) as { content: string } | undefined;
          const now = this.readProjectFile(e.file);
          if (before && now) diff = unifiedDiff(before.content, now.content, { fromFile: `a/${e.file}`, toFile: `b/${e.file}` }) || null;
        }
        addResolution.run(this.projectId, e.id, e.last_run_id, runId, e.file, diff);
        resolved.push({ error_id: e.id, file: e.file, message: e.message, diff });
      }
    })();
    return { errors, warnings, resolved };
  }

  private readProjectFile(rel: string): { hash: string; content: string } | null {
    if (path.isAbsolute(rel) || rel.split('/').includes('..')) return null;
    try {
      const abs = path.join(this.root, rel);
      const st = fs.statSync(abs);
      if (!st.isFile() || st.size > SNAPSHOT_MAX) return null;
      const buf = fs.readFileSync(abs);
      if (buf.subarray(0, 8192).includes(0)) return null;
      return { hash: sha256(buf), content: buf.toString('utf8') };
    } catch {
      return null;
    }
  }

  errorsOfRun(runId: number): (BuildErrorRow & { recurring: boolean })[] {
    const rows = this.db
      .prepare(`SELECT e.*, re.line AS line, re.column AS column FROM build_run_errors re JOIN build_errors e ON e.id = re.error_id WHERE re.run_id = ? ORDER BY e.file, re.line`)
      .all(runId) as BuildErrorRow[];
    return rows.map((r) => ({ ...r, recurring: isRecurring(r) }));
  }

  /** Errors for the app and the context oracle, newest first, with a few lines of code around each. */
  errors(opts: { status?: 'open' | 'resolved' | 'all'; limit?: number; snippetLines?: number } = {}): (BuildErrorRow & { recurring: boolean; snippet: string | null })[] {
    const status = opts.status ?? 'open';
    const rows = (
      status === 'all'
        ? this.db.prepare('SELECT * FROM build_errors WHERE project_id = ? ORDER BY last_seen_at DESC, id DESC LIMIT ?').all(this.projectId, opts.limit ?? 50)
        : this.db.prepare('SELECT * FROM build_errors WHERE project_id = ? AND status = ? ORDER BY last_seen_at DESC, id DESC LIMIT ?').all(this.projectId, status, opts.limit ?? 50)
    ) as BuildErrorRow[];
    const around = opts.snippetLines ?? 3;
    return rows.map((r) => ({ ...r, recurring: isRecurring(r), snippet: r.file && r.line ? this.snippet(r.file, r.line, around) : null }));
  }

  resolutions(errorId: number): { id: number; diff: string | null; commit_sha: string | null; commit_message: string | null; created_at: string; file: string | null }[] {
    return this.db.prepare('SELECT id, diff, commit_sha, commit_message, created_at, file FROM error_resolutions WHERE error_id = ? ORDER BY id DESC').all(errorId) as never;
  }

  /** Resolutions still waiting for the commit that carried their fix. */
  pendingCommitLinks(): { id: number; file: string | null; created_at: string; error_id: number; head_sha: string | null }[] {
    return this.db
      .prepare(`SELECT r.id, r.file, r.created_at, r.error_id, b.head_sha FROM error_resolutions r LEFT JOIN build_runs b ON b.id = r.resolved_run_id
        WHERE r.project_id = ? AND r.commit_sha IS NULL AND r.file IS NOT NULL`)
      .all(this.projectId) as never;
  }

  linkCommit(resolutionId: number, sha: string, message: string): void {
    this.db.prepare('UPDATE error_resolutions SET commit_sha = ?, commit_message = ? WHERE id = ?').run(sha, message, resolutionId);
  }

  snippet(file: string, line: number, around: number): string | null {
    const f = this.readProjectFile(file);
    if (!f) return null;
    const lines = f.content.split('\n');
    const from = Math.max(1, line - around);
    const to = Math.min(lines.length, line + around);
    const out: string[] = [];
    for (let i = from; i <= to; i++) out.push(`${String(i).padStart(5)}${i === line ? '>' : ' '} ${lines[i - 1]}`);
    return out.join('\n');
  }
}

/** The "hint: ..." note a parser attached (a missing command says what to install), without its prefix. */
export function hintOf(notesJson: string): string | null {
  try {
    const notes = JSON.parse(notesJson) as { file: string | null; message: string }[];
    const hint = notes.find((n) => n.file === null && n.message.startsWith('hint: '));
    return hint ? hint.message.slice('hint: '.length) : null;
  } catch {
    return null;
  }
}

/** An error is recurring when it was seen in more than one run, or came back after being fixed. */
function isRecurring(r: Pick<BuildErrorRow, 'runs_seen' | 'times_resolved'>): boolean {
  return r.runs_seen > 1 || r.times_resolved > 0;
}

