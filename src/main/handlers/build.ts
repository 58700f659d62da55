// Handlers for the build capability: runs stream output as events; parsing stores nothing.
import type { Mira } from '../app';
import type { Handlers } from '../transport/router';
import type { buildMethods } from '../../shared/api/build';
import { buildRunner, recordResolutions } from '../build/service';
import { hintOf } from '../build/store';
import { recordBuildOutcome } from '../tools';
import { parseBuildOutput } from '../build/parse';

export function buildHandlers(mira: Mira): Pick<Handlers, keyof typeof buildMethods> {
  return {
    'build/run': async ({ command, timeout_ms, trigger }) => {
      const p = mira.project();
      const runner = buildRunner(p);
      let runId = 0;
      const argv = typeof command === 'string' ? [command] : command;
      const r = await runner.run({
        command: argv,
        timeoutMs: timeout_ms,
        trigger: trigger ?? 'user',
        onStart: (id) => {
          runId = id;
          mira.events.emit('build/started', { run_id: id, command: argv.join(' ') });
        },
        onData: (data) => mira.events.emit('build/output', { run_id: runId, data }),
      });
      mira.events.emit('build/finished', { run_id: r.run_id, status: r.status, exit_code: r.exit_code, error_count: r.error_count, warning_count: r.warning_count });
      recordResolutions(p, r.resolved);
      // The next build after a synthesized tool was applied says whether the tool's change held up.
      if (r.status === 'done') recordBuildOutcome(mira.db, p.id, r.run_id, r.exit_code === 0);
      return r;
    },
    'build/cancel': ({ run_id }) => ({ ok: buildRunner(mira.project()).cancel(run_id) }),
    'build/parse': ({ text, tool, command }) => ({ errors: parseBuildOutput(text, { tool, command, root: mira.hasProject() ? mira.project().root : undefined }) }),
    'build/errors': ({ status, limit }) => {
      const t0 = performance.now();
      const rows = buildRunner(mira.project()).store.errors({ status, limit });
      return {
        results: rows.map((r) => ({
          id: r.id, tool: r.tool, code: r.code, severity: r.severity, file: r.file, line: r.line, column: r.column, message: r.message,
          occurrences: r.occurrences, recurring: r.recurring, status: r.status, first_seen_at: r.first_seen_at, last_seen_at: r.last_seen_at, snippet: r.snippet,
          hint: hintOf(r.notes_json),
        })),
        took_ms: Math.round((performance.now() - t0) * 100) / 100,
      };
    },
    'build/runs': ({ limit }) => ({
      results: buildRunner(mira.project()).store.runs(limit).map((r) => ({
        id: r.id, command: r.command, status: r.status, exit_code: r.exit_code, started_at: r.started_at, duration_ms: r.duration_ms, error_count: r.error_count, warning_count: r.warning_count, trigger: r.trigger,
      })),
    }),
    'build/resolutions': ({ error_id }) => ({ results: buildRunner(mira.project()).store.resolutions(error_id) }),
  };
}
