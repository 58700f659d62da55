// The activity log as stored: index runs, LLM calls, builds, operations and tool runs read back from their tables, so
// the Activity panel shows what happened before the window opened (live events only cover this window's life).
import type { Db } from '../db/open';
import { llmCallMessage } from '../../shared/activity';

export type ActivityGroup = 'index' | 'llm' | 'build' | 'tool' | 'other';
export type ActivityStatus = 'running' | 'ok' | 'error' | 'cached' | 'refused' | 'cancelled';

export interface ActivityRecord {
  group: ActivityGroup;
  kind: string;
  message: string;
  at: string;
  status?: ActivityStatus;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** The newest `limit` records across the tables, newest last (the panel's order); tables a database lacks are skipped. */
export function recentActivity(db: Db, projectId: number | null, limit = 200): ActivityRecord[] {
  const tables = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[]));
  const out: ActivityRecord[] = [];
  if (projectId !== null && tables.has('index_runs')) {
    const rows = db
      .prepare(`SELECT started_at, finished_at, status, files_changed, files_added, files_deleted FROM index_runs WHERE project_id = ? ORDER BY id DESC LIMIT ?`)
      .all(projectId, limit) as { started_at: string; finished_at: string | null; status: string; files_changed: number; files_added: number; files_deleted: number }[];
    for (const r of rows) {
      const changes = `${r.files_changed} changed, ${r.files_added} added, ${r.files_deleted} deleted`;
      const ok = r.status === 'done' || r.status === 'ok' || r.status === 'finished';
      out.push({
        group: 'index',
        kind: 'index',
        message: r.status === 'running' ? 'Index run started (not finished)' : ok ? `Index run finished: ${changes}` : `Index run ${r.status}: ${changes}`,
        at: r.finished_at ?? r.started_at,
        status: r.status === 'running' ? 'running' : ok ? 'ok' : r.status === 'cancelled' ? 'cancelled' : 'error',
      });
    }
  }
  if (tables.has('budget_tracking')) {
    const rows = db
      .prepare(
        `SELECT created_at, kind, purpose, model, effort, status, cost_usd, tokens_in, tokens_out, from_cache, error, took_ms FROM budget_tracking
         WHERE (? IS NULL OR project_id IS NULL OR project_id = ?) AND status <> 'reserved' ORDER BY id DESC LIMIT ?`,
      )
      .all(projectId, projectId, limit) as {
      created_at: string;
      kind: string;
      purpose: string | null;
      model: string;
      effort: string | null;
      status: string;
      cost_usd: number;
      tokens_in: number;
      tokens_out: number;
      from_cache: number;
      error: string | null;
      took_ms: number | null;
    }[];
    for (const r of rows) {
      // settled: answered; cached: from the response cache; released: failed or stopped; abandoned: the process died.
      const stopped = r.status === 'released' && /abort|cancel|stop/i.test(r.error ?? '');
      const status: ActivityStatus = r.from_cache || r.status === 'cached' ? 'cached' : r.status === 'settled' ? 'ok' : stopped ? 'cancelled' : 'error';
      out.push({
        group: 'llm',
        kind: 'llm/call',
        message: llmCallMessage(r),
        at: r.created_at,
        status,
      });
    }
  }
  if (projectId !== null && tables.has('build_runs')) {
    const rows = db
      .prepare(`SELECT id, command, trigger, status, exit_code, started_at, finished_at, error_count, warning_count FROM build_runs WHERE project_id = ? ORDER BY id DESC LIMIT ?`)
      .all(projectId, limit) as { id: number; command: string; trigger: string; status: string; exit_code: number | null; started_at: string; finished_at: string | null; error_count: number; warning_count: number }[];
    for (const r of rows) {
      const outcome = r.status === 'running' ? 'running' : r.status === 'cancelled' || r.status === 'interrupted' ? r.status : r.exit_code === 0 ? 'passed' : `failed (exit ${r.exit_code ?? '?'})`;
      // Who ran it, when not a person at a prompt or in the window: an operation's verification, a tool's check.
      const by = r.trigger === 'operation' || r.trigger === 'tool' ? ` (${r.trigger})` : '';
      out.push({
        group: 'build',
        kind: 'build',
        message: `Build #${r.id}${by} ${outcome}: ${r.command} · ${plural(r.error_count, 'error')}, ${plural(r.warning_count, 'warning')}`,
        at: r.finished_at ?? r.started_at,
        status: r.status === 'running' ? 'running' : r.status === 'cancelled' || r.status === 'interrupted' ? 'cancelled' : r.exit_code === 0 ? 'ok' : 'error',
      });
    }
  }
  if (projectId !== null && tables.has('operations')) {
    const rows = db
      .prepare(`SELECT id, task, status, created_at, updated_at FROM operations WHERE project_id = ? ORDER BY id DESC LIMIT ?`)
      .all(projectId, limit) as { id: number; task: string; status: string; created_at: string; updated_at: string | null }[];
    for (const r of rows) {
      const task = r.task.length > 80 ? `${r.task.slice(0, 79)}…` : r.task;
      const status: ActivityStatus = r.status === 'done' ? 'ok' : r.status === 'failed' ? 'error' : r.status === 'cancelled' ? 'cancelled' : 'running';
      out.push({ group: 'other', kind: 'operation', message: `Operation #${r.id} ${r.status.replace(/_/g, ' ')}: ${task}`, at: r.updated_at ?? r.created_at, status });
    }
  }
  if (projectId !== null && tables.has('tool_executions')) {
    const rows = db
      .prepare(`SELECT tool_name, status, error, created_at, decided_at FROM tool_executions WHERE project_id = ? ORDER BY id DESC LIMIT ?`)
      .all(projectId, limit) as { tool_name: string; status: string; error: string | null; created_at: string; decided_at: string | null }[];
    for (const r of rows) {
      out.push({
        group: 'tool',
        kind: 'tool',
        message: `Tool ${r.tool_name} ${r.status}${r.error ? `: ${r.error}` : ''}`,
        at: r.decided_at ?? r.created_at,
        status: r.error || r.status === 'failed' ? 'error' : r.status === 'rejected' ? 'cancelled' : 'ok',
      });
    }
  }
  // Newest `limit` overall, shown oldest first like the live log.
  out.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return out.slice(0, limit).reverse();
}
