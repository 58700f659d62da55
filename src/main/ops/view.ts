// An operation as the app and the CLI see it: plan, steps, artifacts with their diffs and per-hunk review state, verification, cost.
import type { z } from 'zod';
import type { ArtifactInfo, OperationStep, OperationSummary, OperationView } from '../../shared/api/ops';
import { computeHunks, diffHeaders, diffStats } from './hunks';
import type { ArtifactRow, HunkDecision, OperationRow, OpsStore, StepRow } from './store';

export type OperationViewData = OperationView;
export type OperationSummaryData = z.infer<typeof OperationSummary>;

export function stepInfo(s: StepRow): OperationStep {
  let args: Record<string, unknown> | null = null;
  if (s.args_json) {
    try {
      args = JSON.parse(s.args_json) as Record<string, unknown>;
    } catch {
      args = null;
    }
  }
  return {
    id: s.id,
    ord: s.ord,
    kind: s.kind,
    name: s.name,
    status: s.status,
    detail: s.detail,
    args,
    result: s.result,
    tokens_in: s.tokens_in,
    tokens_out: s.tokens_out,
    cost_usd: s.cost_usd,
    took_ms: s.took_ms,
    created_at: s.created_at,
  };
}

export function artifactInfo(a: ArtifactRow): ArtifactInfo {
  const decisions = JSON.parse(a.hunks_json) as HunkDecision[];
  let hunks = computeHunks(a.base_content, a.new_content);
  // Hunks that do not line up with the stored diff (or its decisions) cannot be reviewed one by one.
  const shown = diffHeaders(a.diff);
  if (hunks.length !== decisions.length || shown.length !== hunks.length || shown.some((h, i) => h !== hunks[i]!.header)) hunks = [];
  const s = diffStats(a.diff);
  return {
    id: a.id,
    path: a.path,
    round: a.round,
    status: a.status,
    creates: !a.base_exists,
    diff: a.diff,
    hunks: hunks.map((h, i) => ({ index: i, header: h.header, old_start: h.oldStart, old_lines: h.oldLines, new_start: h.newStart, new_lines: h.newLines, state: decisions[i] ?? 'pending' })),
    additions: s.additions,
    deletions: s.deletions,
    edits: a.edits,
    base_hash: a.base_hash,
    applied_at: a.applied_at,
    reverted_at: a.reverted_at,
  };
}

/** What a finished operation achieved; null while it runs or waits, and for failed or cancelled ones (their status says it). */
export function outcomeOf(row: OperationRow, appliedFiles: number): 'changed' | 'no_changes' | 'undone' | null {
  if (row.status !== 'done') return null;
  if (row.reverted_at) return 'undone';
  return appliedFiles > 0 ? 'changed' : 'no_changes';
}

function error(row: OperationRow) {
  return row.error_code ? { code: row.error_code, message: row.error_message ?? '', ...(row.error_hint ? { hint: row.error_hint } : {}) } : null;
}

export function operationView(store: OpsStore, row: OperationRow, flags: { interrupted: boolean; resumable: boolean }): OperationView {
  const runs = store.runs(row.id);
  const verifies = runs.filter((r) => r.kind === 'verify');
  const last = verifies.at(-1);
  const baseline = runs.find((r) => r.kind === 'baseline');
  const options = store.options(row);
  const arts = store.artifacts(row.id);
  return {
    operation_id: row.id,
    status: row.status,
    outcome: outcomeOf(row, arts.filter((a) => !!a.applied_at).length),
    task: row.task,
    plan: row.plan,
    summary: row.summary,
    steps: store.steps(row.id).map(stepInfo),
    // Artifacts whose edits cancelled out have nothing to show.
    artifacts: arts
      .filter((a) => a.diff !== '')
      .map(artifactInfo),
    verification: last
      ? {
          command: last.command,
          passed: !!last.passed,
          exit_code: last.exit_code,
          run_id: last.run_id,
          // the steps say "round 2 of 2" once a failed verification started a fix round, whether or not it was verified again
          rounds: Math.max(row.round, last.round),
          verify_runs: verifies.length,
          baseline_failed: !!baseline && !baseline.passed,
          errors: last.run_id !== null ? store.runErrors(last.run_id) : [],
          resolved: store.resolutions(row.id),
          runs: runs.map((r) => ({
            kind: r.kind,
            round: r.round,
            run_id: r.run_id,
            command: r.command,
            status: r.status,
            exit_code: r.exit_code,
            passed: !!r.passed,
            error_count: r.error_count,
            resolved_count: r.resolved_count,
            duration_ms: r.duration_ms,
          })),
        }
      : null,
    cost_usd: Math.round(row.cost_usd * 1e6) / 1e6,
    tokens_in: row.tokens_in,
    tokens_out: row.tokens_out,
    llm_calls: row.llm_calls,
    tool_calls: row.tool_calls,
    round: row.round,
    apply: options.apply,
    error: error(row),
    interrupted: flags.interrupted,
    resumable: flags.resumable,
    reverted: !!row.reverted_at,
    pattern_id: row.pattern_id,
    learned_pattern_id: row.learned_pattern_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    finished_at: row.finished_at,
  };
}

export function operationSummary(store: OpsStore, row: OperationRow, flags: { interrupted: boolean; resumable: boolean }): OperationSummaryData {
  return {
    operation_id: row.id,
    status: row.status,
    outcome: outcomeOf(row, store.appliedCount(row.id)),
    task: row.task,
    cost_usd: Math.round(row.cost_usd * 1e6) / 1e6,
    apply: store.options(row).apply,
    error: error(row),
    interrupted: flags.interrupted,
    resumable: flags.resumable,
    reverted: !!row.reverted_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
    finished_at: row.finished_at,
    artifacts: store.artifactCount(row.id),
    steps: store.stepCount(row.id),
  };
}
