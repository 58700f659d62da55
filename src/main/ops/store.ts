// The operations tables as prepared statements: operations, their steps and messages, artifacts, and the build runs made for them.
import type { Db } from '../db/open';
import type { ChatMessage, Effort, ToolCall } from '../llm';

export type OpStatus = 'planning' | 'gathering' | 'proposing' | 'awaiting_review' | 'applying' | 'verifying' | 'done' | 'failed' | 'cancelled';
export const TERMINAL: ReadonlySet<OpStatus> = new Set(['done', 'failed', 'cancelled']);
/** States in which a process is (or was) working; the others wait for a person. */
export const ACTIVE: ReadonlySet<OpStatus> = new Set(['planning', 'gathering', 'proposing', 'applying', 'verifying']);

export interface OperationOptions {
  apply: boolean;
  verify: string | null;
  noVerify: boolean;
  maxSteps: number;
  maxRounds: number;
  model?: string;
  effort?: Effort;
  confirm: 'deny' | 'allow';
  learn: boolean;
  /** Set by ops/apply: apply only hunks accepted explicitly (otherwise everything not rejected). */
  onlyAccepted?: boolean;
}

export interface OperationRow {
  id: number;
  project_id: number;
  task: string;
  status: OpStatus;
  options_json: string;
  plan: string | null;
  summary: string | null;
  error_code: string | null;
  error_message: string | null;
  error_hint: string | null;
  pattern_id: number | null;
  pattern_score: number | null;
  pattern_usage_id: number | null;
  learned_pattern_id: number | null;
  round: number;
  llm_calls: number;
  tool_calls: number;
  cost_usd: number;
  tokens_in: number;
  tokens_out: number;
  owner: string | null;
  pid: number | null;
  reverted_at: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface StepRow {
  id: number;
  operation_id: number;
  ord: number;
  kind: string;
  name: string;
  status: string;
  detail: string;
  args_json: string | null;
  result: string | null;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
  took_ms: number;
  created_at: string;
}

export interface StepInput {
  kind: string;
  name: string;
  status?: string;
  detail?: string;
  args?: Record<string, unknown> | null;
  result?: string | null;
  tokensIn?: number;
  tokensOut?: number;
  costUsd?: number;
  tookMs?: number;
}

export type HunkDecision = 'pending' | 'accepted' | 'rejected';

export interface ArtifactRow {
  id: number;
  operation_id: number;
  round: number;
  path: string;
  status: string;
  base_exists: number;
  base_hash: string | null;
  base_bom: number;
  base_content: string;
  new_content: string;
  diff: string;
  hunks_json: string;
  edits: number;
  applied_content: string | null;
  applied_hash: string | null;
  applied_at: string | null;
  reverted_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface RunRow {
  id: number;
  operation_id: number;
  run_id: number | null;
  kind: 'baseline' | 'verify';
  round: number;
  command: string;
  status: string;
  exit_code: number | null;
  passed: number;
  error_count: number;
  resolved_count: number;
  duration_ms: number;
  created_at: string;
}

const RESULT_MAX = 4000;

export class OpsStore {
  private readonly q;

  constructor(readonly db: Db) {
    const now = `strftime('%Y-%m-%dT%H:%M:%fZ','now')`;
    this.q = {
      create: db.prepare(`INSERT INTO operations (project_id, task, options_json, owner, pid) VALUES (?, ?, ?, ?, ?)`),
      get: db.prepare(`SELECT * FROM operations WHERE id = ?`),
      list: db.prepare(`SELECT * FROM operations WHERE project_id = ? AND (? IS NULL OR status = ?) ORDER BY id DESC LIMIT ?`),
      active: db.prepare(`SELECT * FROM operations WHERE project_id = ? AND status IN ('planning', 'gathering', 'proposing', 'applying', 'verifying') ORDER BY id`),
      setStatus: db.prepare(`UPDATE operations SET status = ?, updated_at = ${now} WHERE id = ?`),
      finish: db.prepare(`UPDATE operations SET status = ?, error_code = ?, error_message = ?, error_hint = ?, updated_at = ${now}, finished_at = ${now} WHERE id = ?`),
      setError: db.prepare(`UPDATE operations SET error_code = ?, error_message = ?, error_hint = ?, updated_at = ${now} WHERE id = ?`),
      claim: db.prepare(`UPDATE operations SET owner = ?, pid = ?, error_code = NULL, error_message = NULL, error_hint = NULL, finished_at = NULL, updated_at = ${now} WHERE id = ?`),
      setOptions: db.prepare(`UPDATE operations SET options_json = ? WHERE id = ?`),
      setPlan: db.prepare(`UPDATE operations SET plan = ?, updated_at = ${now} WHERE id = ?`),
      setSummary: db.prepare(`UPDATE operations SET summary = ?, updated_at = ${now} WHERE id = ?`),
      setPattern: db.prepare(`UPDATE operations SET pattern_id = ?, pattern_score = ? WHERE id = ?`),
      setUsage: db.prepare(`UPDATE operations SET pattern_usage_id = ? WHERE id = ?`),
      setLearned: db.prepare(`UPDATE operations SET learned_pattern_id = ? WHERE id = ?`),
      setRound: db.prepare(`UPDATE operations SET round = ?, updated_at = ${now} WHERE id = ?`),
      setReverted: db.prepare(`UPDATE operations SET reverted_at = ${now}, updated_at = ${now} WHERE id = ?`),
      addUsage: db.prepare(`UPDATE operations SET cost_usd = cost_usd + ?, tokens_in = tokens_in + ?, tokens_out = tokens_out + ?, llm_calls = llm_calls + ?,
        tool_calls = tool_calls + ?, updated_at = ${now} WHERE id = ?`),
      nextOrd: db.prepare(`SELECT ifnull(max(ord), 0) + 1 AS n FROM operation_steps WHERE operation_id = ?`),
      addStep: db.prepare(`INSERT INTO operation_steps (operation_id, ord, kind, name, status, detail, args_json, result, tokens_in, tokens_out, cost_usd, took_ms)
        VALUES (@operation_id, @ord, @kind, @name, @status, @detail, @args_json, @result, @tokens_in, @tokens_out, @cost_usd, @took_ms) RETURNING *`),
      steps: db.prepare(`SELECT * FROM operation_steps WHERE operation_id = ? ORDER BY ord`),
      stepCount: db.prepare(`SELECT count(*) AS n FROM operation_steps WHERE operation_id = ?`),
      nextMsg: db.prepare(`SELECT ifnull(max(ord), 0) + 1 AS n FROM operation_messages WHERE operation_id = ?`),
      addMsg: db.prepare(`INSERT INTO operation_messages (operation_id, ord, role, content, tool_calls_json, tool_call_id) VALUES (?, ?, ?, ?, ?, ?)`),
      msgs: db.prepare(`SELECT role, content, tool_calls_json, tool_call_id FROM operation_messages WHERE operation_id = ? ORDER BY ord`),
      artifact: db.prepare(`SELECT * FROM artifacts WHERE id = ?`),
      artifactAt: db.prepare(`SELECT * FROM artifacts WHERE operation_id = ? AND round = ? AND path = ?`),
      artifacts: db.prepare(`SELECT * FROM artifacts WHERE operation_id = ? ORDER BY round, id`),
      artifactCount: db.prepare(`SELECT count(*) AS n FROM artifacts WHERE operation_id = ?`),
      appliedCount: db.prepare(`SELECT count(*) AS n FROM artifacts WHERE operation_id = ? AND applied_at IS NOT NULL`),
      insertArtifact: db.prepare(`INSERT INTO artifacts (operation_id, round, path, base_exists, base_hash, base_bom, base_content, new_content, diff, hunks_json)
        VALUES (@operation_id, @round, @path, @base_exists, @base_hash, @base_bom, @base_content, @new_content, @diff, @hunks_json) RETURNING *`),
      updateArtifact: db.prepare(`UPDATE artifacts SET new_content = ?, diff = ?, hunks_json = ?, status = 'proposed', edits = edits + 1, updated_at = ${now} WHERE id = ?`),
      review: db.prepare(`UPDATE artifacts SET hunks_json = ?, status = ?, updated_at = ${now} WHERE id = ?`),
      applied: db.prepare(`UPDATE artifacts SET status = 'applied', applied_content = ?, applied_hash = ?, applied_at = ${now}, updated_at = ${now} WHERE id = ?`),
      reverted: db.prepare(`UPDATE artifacts SET status = 'reverted', reverted_at = ${now}, updated_at = ${now} WHERE id = ?`),
      setArtifactStatus: db.prepare(`UPDATE artifacts SET status = ?, updated_at = ${now} WHERE id = ?`),
      addRun: db.prepare(`INSERT INTO operation_runs (operation_id, run_id, kind, round, command, status, exit_code, passed, error_count, resolved_count, duration_ms)
        VALUES (@operation_id, @run_id, @kind, @round, @command, @status, @exit_code, @passed, @error_count, @resolved_count, @duration_ms)`),
      runs: db.prepare(`SELECT * FROM operation_runs WHERE operation_id = ? ORDER BY id`),
      linkResolutions: db.prepare(`UPDATE error_resolutions SET operation_id = ? WHERE resolved_run_id = ?`),
      resolutions: db.prepare(`SELECT r.error_id, r.file, e.message FROM error_resolutions r JOIN build_errors e ON e.id = r.error_id WHERE r.operation_id = ? ORDER BY r.id`),
      runErrors: db.prepare(`SELECT e.id, e.tool, e.file, re.line, e.message, e.severity FROM build_run_errors re JOIN build_errors e ON e.id = re.error_id
        WHERE re.run_id = ? AND e.severity = 'error' ORDER BY e.file, re.line LIMIT 50`),
      runTail: db.prepare(`SELECT output_tail FROM build_runs WHERE id = ?`),
    };
  }

  create(projectId: number, task: string, options: OperationOptions, owner: string): number {
    return Number(this.q.create.run(projectId, task, JSON.stringify(options), owner, process.pid).lastInsertRowid);
  }

  get(id: number): OperationRow | undefined {
    return this.q.get.get(id) as OperationRow | undefined;
  }

  list(projectId: number, opts: { status?: OpStatus; limit?: number } = {}): OperationRow[] {
    return this.q.list.all(projectId, opts.status ?? null, opts.status ?? null, opts.limit ?? 50) as OperationRow[];
  }

  active(projectId: number): OperationRow[] {
    return this.q.active.all(projectId) as OperationRow[];
  }

  options(row: OperationRow): OperationOptions {
    return JSON.parse(row.options_json) as OperationOptions;
  }

  setOptions(id: number, o: OperationOptions): void {
    this.q.setOptions.run(JSON.stringify(o), id);
  }

  setStatus(id: number, status: OpStatus): void {
    this.q.setStatus.run(status, id);
  }

  finish(id: number, status: OpStatus, error?: { code: string; message: string; hint?: string } | null): void {
    this.q.finish.run(status, error?.code ?? null, error?.message ?? null, error?.hint ?? null, id);
  }

  setError(id: number, error: { code: string; message: string; hint?: string } | null): void {
    this.q.setError.run(error?.code ?? null, error?.message ?? null, error?.hint ?? null, id);
  }

  /** This process takes the operation over (start or resume); an old error is cleared. */
  claim(id: number, owner: string): void {
    this.q.claim.run(owner, process.pid, id);
  }

  setPlan(id: number, plan: string): void {
    this.q.setPlan.run(plan, id);
  }

  setSummary(id: number, summary: string): void {
    this.q.setSummary.run(summary, id);
  }

  setPattern(id: number, patternId: number, score: number): void {
    this.q.setPattern.run(patternId, score, id);
  }

  setUsage(id: number, usageId: number): void {
    this.q.setUsage.run(usageId, id);
  }

  setLearned(id: number, patternId: number): void {
    this.q.setLearned.run(patternId, id);
  }

  setRound(id: number, round: number): void {
    this.q.setRound.run(round, id);
  }

  setReverted(id: number): void {
    this.q.setReverted.run(id);
  }

  addUsage(id: number, u: { costUsd?: number; tokensIn?: number; tokensOut?: number; llmCalls?: number; toolCalls?: number }): void {
    this.q.addUsage.run(u.costUsd ?? 0, u.tokensIn ?? 0, u.tokensOut ?? 0, u.llmCalls ?? 0, u.toolCalls ?? 0, id);
  }

  addStep(id: number, s: StepInput): StepRow {
    const ord = (this.q.nextOrd.get(id) as { n: number }).n;
    return this.q.addStep.get({
      operation_id: id,
      ord,
      kind: s.kind,
      name: s.name,
      status: s.status ?? 'ok',
      detail: s.detail ?? '',
      args_json: s.args ? JSON.stringify(s.args) : null,
      result: s.result === undefined || s.result === null ? null : s.result.length > RESULT_MAX ? `${s.result.slice(0, RESULT_MAX)}…` : s.result,
      tokens_in: s.tokensIn ?? 0,
      tokens_out: s.tokensOut ?? 0,
      cost_usd: s.costUsd ?? 0,
      took_ms: Math.round(s.tookMs ?? 0),
    }) as StepRow;
  }

  steps(id: number): StepRow[] {
    return this.q.steps.all(id) as StepRow[];
  }

  stepCount(id: number): number {
    return (this.q.stepCount.get(id) as { n: number }).n;
  }

  addMessage(id: number, m: ChatMessage): void {
    const ord = (this.q.nextMsg.get(id) as { n: number }).n;
    const calls = m.role === 'assistant' && m.tool_calls?.length ? JSON.stringify(m.tool_calls) : null;
    this.q.addMsg.run(id, ord, m.role, m.content ?? null, calls, m.role === 'tool' ? m.tool_call_id : null);
  }

  messages(id: number): ChatMessage[] {
    return (this.q.msgs.all(id) as { role: string; content: string | null; tool_calls_json: string | null; tool_call_id: string | null }[]).map((r): ChatMessage => {
      if (r.role === 'assistant') return { role: 'assistant', content: r.content, ...(r.tool_calls_json ? { tool_calls: JSON.parse(r.tool_calls_json) as ToolCall[] } : {}) };
      if (r.role === 'tool') return { role: 'tool', content: r.content ?? '', tool_call_id: r.tool_call_id ?? '' };
      return { role: r.role === 'system' ? 'system' : 'user', content: r.content ?? '' };
    });
  }

  artifact(id: number): ArtifactRow | undefined {
    return this.q.artifact.get(id) as ArtifactRow | undefined;
  }

  artifactAt(opId: number, round: number, path: string): ArtifactRow | undefined {
    return this.q.artifactAt.get(opId, round, path) as ArtifactRow | undefined;
  }

  artifacts(opId: number): ArtifactRow[] {
    return this.q.artifacts.all(opId) as ArtifactRow[];
  }

  artifactCount(opId: number): number {
    return (this.q.artifactCount.get(opId) as { n: number }).n;
  }

  /** Artifacts written to disk at some point (undone ones included). */
  appliedCount(opId: number): number {
    return (this.q.appliedCount.get(opId) as { n: number }).n;
  }

  insertArtifact(a: { operation_id: number; round: number; path: string; base_exists: boolean; base_hash: string | null; base_bom: boolean; base_content: string; new_content: string; diff: string; hunks: HunkDecision[] }): ArtifactRow {
    return this.q.insertArtifact.get({
      operation_id: a.operation_id,
      round: a.round,
      path: a.path,
      base_exists: a.base_exists ? 1 : 0,
      base_hash: a.base_hash,
      base_bom: a.base_bom ? 1 : 0,
      base_content: a.base_content,
      new_content: a.new_content,
      diff: a.diff,
      hunks_json: JSON.stringify(a.hunks),
    }) as ArtifactRow;
  }

  /** A further edit to a file already proposed this round: its decisions start over, since the hunks changed. */
  updateArtifact(id: number, newContent: string, diff: string, hunks: HunkDecision[]): void {
    this.q.updateArtifact.run(newContent, diff, JSON.stringify(hunks), id);
  }

  review(id: number, hunks: HunkDecision[], status: string): void {
    this.q.review.run(JSON.stringify(hunks), status, id);
  }

  markApplied(id: number, content: string, hash: string): void {
    this.q.applied.run(content, hash, id);
  }

  markReverted(id: number): void {
    this.q.reverted.run(id);
  }

  setArtifactStatus(id: number, status: string): void {
    this.q.setArtifactStatus.run(status, id);
  }

  addRun(r: Omit<RunRow, 'id' | 'created_at' | 'passed'> & { passed: boolean }): void {
    this.q.addRun.run({ ...r, passed: r.passed ? 1 : 0 });
  }

  runs(opId: number): RunRow[] {
    return this.q.runs.all(opId) as RunRow[];
  }

  /** Errors that the verification run no longer saw were resolved by this operation's change. */
  linkResolutions(opId: number, runId: number): number {
    return this.q.linkResolutions.run(opId, runId).changes;
  }

  resolutions(opId: number): { error_id: number; file: string | null; message: string }[] {
    return this.q.resolutions.all(opId) as { error_id: number; file: string | null; message: string }[];
  }

  runErrors(runId: number): { id: number; tool: string; file: string | null; line: number | null; message: string }[] {
    return this.q.runErrors.all(runId) as { id: number; tool: string; file: string | null; line: number | null; message: string }[];
  }

  runTail(runId: number): string {
    return (this.q.runTail.get(runId) as { output_tail: string | null } | undefined)?.output_tail ?? '';
  }
}
