// Tool synthesis tables: mined commits, patterns, tool versions, executions and evolution, as prepared statements.
import type { Db } from '../db/open';
import type { MinedCommit } from './history';
import type { ParamSpec, ToolSpec } from './runtime';
import type { Score } from './metrics';

export interface ValidationRecord {
  cases: number;
  path_f1: number;
  line_f1: number;
  created_exact: number;
  per_case?: { sha: string; name: string; score: Score }[];
}

export interface ExampleRef {
  sha: string;
  name: string;
  time: number;
}

export interface ToolRow {
  id: number;
  pattern_id: number | null;
  name: string;
  version: number;
  status: 'active' | 'superseded' | 'retired' | 'unvalidated';
  description: string;
  params: ParamSpec[];
  spec: ToolSpec;
  program: string;
  validation: ValidationRecord;
  examples: ExampleRef[];
  examples_hash: string;
  created_at: string;
}

export interface ExecutionFile {
  path: string;
  action: 'create' | 'modify';
  content: string;
  diff: string;
  /** sha256 of the project file when the change was proposed (null: it did not exist). */
  base_hash: string | null;
}

export interface ExecutionRow {
  id: number;
  tool_id: number | null;
  tool_name: string;
  version: number;
  params: Record<string, string>;
  files: ExecutionFile[];
  diff: string;
  duration_ms: number | null;
  status: 'proposed' | 'applied' | 'rejected' | 'failed';
  error: string | null;
  created_at: string;
  decided_at: string | null;
  outcome: 'ok' | 'failed' | null;
  build_run_id: number | null;
}

export interface EvolutionRow {
  id: number;
  tool_name: string;
  from_version: number | null;
  to_version: number | null;
  event: string;
  reason: string;
  commit_sha: string | null;
  details: Record<string, unknown>;
  created_at: string;
}

type Raw = Record<string, unknown>;

function parseTool(r: Raw): ToolRow {
  return {
    id: r.id as number,
    pattern_id: (r.pattern_id as number | null) ?? null,
    name: r.name as string,
    version: r.version as number,
    status: r.status as ToolRow['status'],
    description: r.description as string,
    params: JSON.parse(r.params as string) as ParamSpec[],
    spec: JSON.parse(r.spec as string) as ToolSpec,
    program: r.program as string,
    validation: JSON.parse(r.validation as string) as ValidationRecord,
    examples: JSON.parse(r.examples as string) as ExampleRef[],
    examples_hash: r.examples_hash as string,
    created_at: r.created_at as string,
  };
}

function parseExecution(r: Raw): ExecutionRow {
  return {
    id: r.id as number,
    tool_id: (r.tool_id as number | null) ?? null,
    tool_name: r.tool_name as string,
    version: r.version as number,
    params: JSON.parse(r.params as string) as Record<string, string>,
    files: JSON.parse(r.files as string) as ExecutionFile[],
    diff: r.diff as string,
    duration_ms: (r.duration_ms as number | null) ?? null,
    status: r.status as ExecutionRow['status'],
    error: (r.error as string | null) ?? null,
    created_at: r.created_at as string,
    decided_at: (r.decided_at as string | null) ?? null,
    outcome: (r.outcome as ExecutionRow['outcome']) ?? null,
    build_run_id: (r.build_run_id as number | null) ?? null,
  };
}

export class ToolStore {
  constructor(private readonly db: Db, readonly projectId: number) {}

  // --- mining -------------------------------------------------------------------------------------------------

  miningState(): { head_sha: string; commits: number } | null {
    return (this.db.prepare('SELECT head_sha, commits FROM tool_mining_state WHERE project_id = ?').get(this.projectId) as { head_sha: string; commits: number } | undefined) ?? null;
  }

  /** Stores newly mined commits and the new head in one transaction. */
  saveMined(commits: MinedCommit[], head: string): void {
    const ins = this.db.prepare('INSERT OR REPLACE INTO tool_mined_commits (project_id, sha, time, data) VALUES (?, ?, ?, ?)');
    const state = this.db.prepare(
      `INSERT INTO tool_mining_state (project_id, head_sha, commits) VALUES (?, ?, ?)
       ON CONFLICT(project_id) DO UPDATE SET head_sha = excluded.head_sha, commits = excluded.commits, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
    );
    const count = this.db.prepare('SELECT count(*) AS n FROM tool_mined_commits WHERE project_id = ?');
    this.db.transaction(() => {
      for (const c of commits) {
        ins.run(this.projectId, c.sha, c.time, JSON.stringify({ p: c.parent, a: c.added, m: c.modified, d: c.newDirs, n: c.changed }));
      }
      state.run(this.projectId, head, (count.get(this.projectId) as { n: number }).n);
    })();
  }

  /** Every mined commit, newest first. */
  minedCommits(): MinedCommit[] {
    const rows = this.db.prepare('SELECT sha, time, data FROM tool_mined_commits WHERE project_id = ? ORDER BY time DESC, sha').all(this.projectId) as { sha: string; time: number; data: string }[];
    return rows.map((r) => {
      const d = JSON.parse(r.data) as { p: string | null; a: MinedCommit['added']; m: MinedCommit['modified']; d: string[]; n: number };
      return { sha: r.sha, parent: d.p, time: r.time, added: d.a, modified: d.m, newDirs: d.d, changed: d.n };
    });
  }

  /** The head (with the algorithm version) the stored tools reflect, or null. */
  detectedAt(): string | null {
    const r = this.db.prepare('SELECT detected_at_head FROM tool_mining_state WHERE project_id = ?').get(this.projectId) as { detected_at_head: string | null } | undefined;
    return r?.detected_at_head ?? null;
  }

  setDetectedAt(marker: string): void {
    this.db.prepare('UPDATE tool_mining_state SET detected_at_head = ? WHERE project_id = ?').run(marker, this.projectId);
  }

  pattern(id: number): { templates: string[]; support: number; examples: ExampleRef[] } | null {
    const r = this.db.prepare('SELECT templates, support, examples FROM tool_patterns WHERE id = ? AND project_id = ?').get(id, this.projectId) as Raw | undefined;
    return r ? { templates: JSON.parse(r.templates as string) as string[], support: r.support as number, examples: JSON.parse(r.examples as string) as ExampleRef[] } : null;
  }

  /** Forgets what was mined (history rewritten: the old head is gone). */
  resetMining(): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM tool_mined_commits WHERE project_id = ?').run(this.projectId);
      this.db.prepare('DELETE FROM tool_mining_state WHERE project_id = ?').run(this.projectId);
    })();
  }

  // --- patterns -----------------------------------------------------------------------------------------------

  upsertPattern(p: { kind: 'files' | 'commands'; signature: string; templates: string[]; registries: string[]; examples: ExampleRef[]; support: number; first_seen: string | null; last_seen: string | null }): number {
    this.db
      .prepare(
        `INSERT INTO tool_patterns (project_id, kind, signature, templates, registries, examples, support, first_seen, last_seen)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(project_id, kind, signature) DO UPDATE SET templates = excluded.templates, registries = excluded.registries,
           examples = excluded.examples, support = excluded.support, first_seen = excluded.first_seen, last_seen = excluded.last_seen,
           updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
      )
      .run(this.projectId, p.kind, p.signature, JSON.stringify(p.templates), JSON.stringify(p.registries), JSON.stringify(p.examples), p.support, p.first_seen, p.last_seen);
    return (this.db.prepare('SELECT id FROM tool_patterns WHERE project_id = ? AND kind = ? AND signature = ?').get(this.projectId, p.kind, p.signature) as { id: number }).id;
  }

  patterns(kind: 'files' | 'commands'): { id: number; signature: string; templates: string[]; support: number; examples: ExampleRef[]; last_seen: string | null }[] {
    const rows = this.db.prepare('SELECT id, signature, templates, support, examples, last_seen FROM tool_patterns WHERE project_id = ? AND kind = ? ORDER BY support DESC').all(this.projectId, kind) as Raw[];
    return rows.map((r) => ({
      id: r.id as number,
      signature: r.signature as string,
      templates: JSON.parse(r.templates as string) as string[],
      support: r.support as number,
      examples: JSON.parse(r.examples as string) as ExampleRef[],
      last_seen: (r.last_seen as string | null) ?? null,
    }));
  }

  /** signature -> the tool name given to that pattern (names stay stable across detections). */
  namesBySignature(): Map<string, string> {
    const rows = this.db
      .prepare(
        `SELECT p.signature, t.name FROM synthesized_tools t JOIN tool_patterns p ON p.id = t.pattern_id
         WHERE t.project_id = ? GROUP BY p.signature, t.name`,
      )
      .all(this.projectId) as { signature: string; name: string }[];
    return new Map(rows.map((r) => [r.signature, r.name]));
  }

  // --- tools --------------------------------------------------------------------------------------------------

  /** The newest version of a tool, whatever its status. */
  latest(name: string): ToolRow | null {
    const r = this.db.prepare('SELECT * FROM synthesized_tools WHERE project_id = ? AND name = ? ORDER BY version DESC LIMIT 1').get(this.projectId, name) as Raw | undefined;
    return r ? parseTool(r) : null;
  }

  /** The newest version of every tool. */
  allLatest(): ToolRow[] {
    const rows = this.db
      .prepare(
        `SELECT t.* FROM synthesized_tools t
         JOIN (SELECT name, max(version) AS v FROM synthesized_tools WHERE project_id = ? GROUP BY name) m ON m.name = t.name AND m.v = t.version
         WHERE t.project_id = ? ORDER BY t.name`,
      )
      .all(this.projectId, this.projectId) as Raw[];
    return rows.map(parseTool);
  }

  versions(name: string): ToolRow[] {
    return (this.db.prepare('SELECT * FROM synthesized_tools WHERE project_id = ? AND name = ? ORDER BY version').all(this.projectId, name) as Raw[]).map(parseTool);
  }

  insertTool(t: Omit<ToolRow, 'id' | 'created_at'>): ToolRow {
    const info = this.db
      .prepare(
        `INSERT INTO synthesized_tools (project_id, pattern_id, name, version, status, description, params, spec, program, validation, examples, examples_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(this.projectId, t.pattern_id, t.name, t.version, t.status, t.description, JSON.stringify(t.params), JSON.stringify(t.spec), t.program, JSON.stringify(t.validation), JSON.stringify(t.examples), t.examples_hash);
    return parseTool(this.db.prepare('SELECT * FROM synthesized_tools WHERE id = ?').get(info.lastInsertRowid) as Raw);
  }

  setStatus(id: number, status: ToolRow['status']): void {
    this.db.prepare('UPDATE synthesized_tools SET status = ? WHERE id = ? AND project_id = ?').run(status, id, this.projectId);
  }

  /** Keeps the stored examples of a version current when a new commit agreed with it (no new version needed). */
  updateExamples(id: number, examples: ExampleRef[], hash: string): void {
    this.db.prepare('UPDATE synthesized_tools SET examples = ?, examples_hash = ? WHERE id = ? AND project_id = ?').run(JSON.stringify(examples), hash, id, this.projectId);
  }

  // --- executions ---------------------------------------------------------------------------------------------

  insertExecution(e: { tool_id: number; tool_name: string; version: number; params: Record<string, string>; files: ExecutionFile[]; diff: string; duration_ms: number; status: ExecutionRow['status']; error?: string | null }): number {
    const info = this.db
      .prepare(
        `INSERT INTO tool_executions (project_id, tool_id, tool_name, version, params, files, diff, duration_ms, status, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(this.projectId, e.tool_id, e.tool_name, e.version, JSON.stringify(e.params), JSON.stringify(e.files), e.diff, Math.round(e.duration_ms), e.status, e.error ?? null);
    return Number(info.lastInsertRowid);
  }

  execution(id: number): ExecutionRow | null {
    const r = this.db.prepare('SELECT * FROM tool_executions WHERE id = ? AND project_id = ?').get(id, this.projectId) as Raw | undefined;
    return r ? parseExecution(r) : null;
  }

  decide(id: number, status: 'applied' | 'rejected'): void {
    this.db.prepare(`UPDATE tool_executions SET status = ?, decided_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ? AND project_id = ?`).run(status, id, this.projectId);
  }

  executions(name: string, limit = 50): ExecutionRow[] {
    return (this.db.prepare('SELECT * FROM tool_executions WHERE project_id = ? AND tool_name = ? ORDER BY id DESC LIMIT ?').all(this.projectId, name, limit) as Raw[]).map(parseExecution);
  }

  /** The project's most recent runs of any tool. */
  recentExecutions(limit = 50): ExecutionRow[] {
    return (this.db.prepare('SELECT * FROM tool_executions WHERE project_id = ? ORDER BY id DESC LIMIT ?').all(this.projectId, limit) as Raw[]).map(parseExecution);
  }

  /** Runs, applied runs, rejected runs, and the build outcomes after applied runs, per tool (all versions). */
  stats(): Map<string, { runs: number; accepted: number; rejected: number; ok: number; failed: number }> {
    const rows = this.db
      .prepare(
        `SELECT tool_name,
           count(*) AS runs,
           sum(status = 'applied') AS accepted,
           sum(status = 'rejected') AS rejected,
           sum(status = 'applied' AND outcome = 'ok') AS ok,
           sum(status = 'applied' AND outcome = 'failed') AS failed
         FROM tool_executions WHERE project_id = ? AND status != 'failed' GROUP BY tool_name`,
      )
      .all(this.projectId) as { tool_name: string; runs: number; accepted: number; rejected: number; ok: number; failed: number }[];
    return new Map(rows.map((r) => [r.tool_name, { runs: r.runs, accepted: r.accepted ?? 0, rejected: r.rejected ?? 0, ok: r.ok ?? 0, failed: r.failed ?? 0 }]));
  }

  /** Attaches a build or test outcome to the most recent applied execution that has none; returns its id. */
  attachOutcome(runId: number | null, ok: boolean): number | null {
    const r = this.db
      .prepare(`SELECT id FROM tool_executions WHERE project_id = ? AND status = 'applied' AND outcome IS NULL ORDER BY decided_at DESC, id DESC LIMIT 1`)
      .get(this.projectId) as { id: number } | undefined;
    if (!r) return null;
    this.db
      .prepare(`UPDATE tool_executions SET outcome = ?, build_run_id = ?, outcome_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`)
      .run(ok ? 'ok' : 'failed', runId, r.id);
    return r.id;
  }

  /** Applied executions still waiting for an outcome, oldest first. */
  awaitingOutcome(): { id: number; decided_at: string }[] {
    return this.db
      .prepare(`SELECT id, decided_at FROM tool_executions WHERE project_id = ? AND status = 'applied' AND outcome IS NULL AND decided_at IS NOT NULL ORDER BY decided_at`)
      .all(this.projectId) as { id: number; decided_at: string }[];
  }

  setOutcome(id: number, runId: number, ok: boolean): void {
    this.db.prepare(`UPDATE tool_executions SET outcome = ?, build_run_id = ?, outcome_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ? AND outcome IS NULL`).run(ok ? 'ok' : 'failed', runId, id);
  }

  // --- evolution ----------------------------------------------------------------------------------------------

  addEvolution(e: { tool_name: string; from_version: number | null; to_version: number | null; event: string; reason: string; commit_sha?: string | null; details?: Record<string, unknown> }): void {
    this.db
      .prepare('INSERT INTO tool_evolution_history (project_id, tool_name, from_version, to_version, event, reason, commit_sha, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(this.projectId, e.tool_name, e.from_version, e.to_version, e.event, e.reason, e.commit_sha ?? null, JSON.stringify(e.details ?? {}));
  }

  evolution(name: string): EvolutionRow[] {
    const rows = this.db.prepare('SELECT * FROM tool_evolution_history WHERE project_id = ? AND tool_name = ? ORDER BY id').all(this.projectId, name) as Raw[];
    return rows.map((r) => ({
      id: r.id as number,
      tool_name: r.tool_name as string,
      from_version: (r.from_version as number | null) ?? null,
      to_version: (r.to_version as number | null) ?? null,
      event: r.event as string,
      reason: r.reason as string,
      commit_sha: (r.commit_sha as string | null) ?? null,
      details: JSON.parse(r.details as string) as Record<string, unknown>,
      created_at: r.created_at as string,
    }));
  }

  // --- build runs (the build capability's table, read only) ---------------------------------------------------

  private hasBuildRuns: boolean | null = null;

  /** Build and test runs of the project, oldest first (empty when the build capability's table is absent). */
  buildRuns(since?: string): { id: number; command: string; started_at: string; status: string; exit_code: number | null }[] {
    if (this.hasBuildRuns === null) this.hasBuildRuns = !!this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'build_runs'`).get();
    if (!this.hasBuildRuns) return [];
    return this.db
      .prepare(`SELECT id, command, started_at, status, exit_code FROM build_runs WHERE project_id = ? AND started_at > ? ORDER BY started_at, id`)
      .all(this.projectId, since ?? '') as { id: number; command: string; started_at: string; status: string; exit_code: number | null }[];
  }
}
