// App, project, index, file and terminal methods and events: the foundation's part of the contract.
import { z } from 'zod';
import { method } from './define';

export const ProjectInfo = z.object({ id: z.number(), root: z.string(), name: z.string(), last_indexed_at: z.string().nullable() });
export type ProjectInfo = z.infer<typeof ProjectInfo>;

export const IndexResult = z.object({
  project: z.string(),
  files: z.number(),
  symbols: z.number(),
  calls: z.number(),
  commits: z.number(),
  changed_files: z.number(),
  added: z.number(),
  deleted: z.number(),
  unchanged: z.number(),
  skipped: z.record(z.string(), z.number()),
  took_ms: z.number(),
});
export type IndexResult = z.infer<typeof IndexResult>;

export const FsEntry = z.object({ name: z.string(), path: z.string(), type: z.enum(['file', 'dir']), size: z.number().optional(), ignored: z.boolean().optional() });
export type FsEntry = z.infer<typeof FsEntry>;

const RelPath = z.string().max(4096);

export const SettingsView = z.object({
  openai_base_url: z.string().nullable(),
  model: z.string(),
  reasoning_effort: z.string(),
  embedding_model: z.string(),
  vector_store: z.enum(['embedded', 'qdrant']),
  qdrant_url: z.string().nullable(),
  api_key_set: z.boolean(),
  /** Where a key given here is kept: the OS keychain (desktop app), or only this process's memory. */
  key_storage: z.enum(['safe-storage', 'session']),
  build_command: z.string().nullable(),
  test_command: z.string().nullable(),
});

export const coreMethods = {
  'app/info': method(
    z.object({}).strict().optional(),
    z.object({ version: z.string(), home: z.string(), project: ProjectInfo.nullable(), llm: z.boolean(), mode: z.enum(['electron', 'browser', 'cli', 'test']) }),
  ),
  /** The activity log as stored (index runs, LLM calls, builds, operations, tool runs), newest last: what happened before this window. */
  'activity/recent': method(
    z.object({ limit: z.number().int().min(1).max(500).optional() }).optional(),
    z.object({
      results: z.array(
        z.object({
          group: z.enum(['index', 'llm', 'build', 'tool', 'other']),
          kind: z.string(),
          message: z.string(),
          at: z.string(),
          status: z.enum(['running', 'ok', 'error', 'cached', 'refused', 'cancelled']).optional(),
        }),
      ),
    }),
  ),
  'project/open': method(z.object({ root: z.string().min(1).max(4096) }), ProjectInfo),
  'project/recent': method(z.object({}).optional(), z.object({ results: z.array(ProjectInfo) })),
  'index/run': method(z.object({ git: z.boolean().optional() }).optional(), IndexResult),
  'fs/list': method(z.object({ path: RelPath.default('') }), z.object({ path: z.string(), entries: z.array(FsEntry) })),
  'fs/read': method(
    z.object({ path: RelPath }),
    z.object({ path: z.string(), content: z.string(), hash: z.string(), mtime_ms: z.number(), size: z.number(), language: z.string().nullable() }),
  ),
  'fs/write': method(
    z.object({ path: RelPath, content: z.string(), expected_hash: z.string().optional() }),
    z.object({ path: z.string(), hash: z.string(), mtime_ms: z.number(), size: z.number() }),
    { sideEffect: true },
  ),
  'fs/stat': method(z.object({ path: RelPath }), z.object({ path: z.string(), exists: z.boolean(), hash: z.string().nullable(), mtime_ms: z.number().nullable() })),
  'terminal/create': method(
    z.object({ cols: z.number().int().min(1).max(1000).default(80), rows: z.number().int().min(1).max(500).default(24), shell: z.string().optional() }),
    z.object({ id: z.string(), shell: z.string(), cwd: z.string() }),
    { sideEffect: true },
  ),
  'terminal/write': method(z.object({ id: z.string(), data: z.string().max(1 << 20) }), z.object({ ok: z.boolean() }), { sideEffect: true }),
  'terminal/resize': method(z.object({ id: z.string(), cols: z.number().int().min(1).max(1000), rows: z.number().int().min(1).max(500) }), z.object({ ok: z.boolean() })),
  'terminal/kill': method(z.object({ id: z.string() }), z.object({ ok: z.boolean() })),
  'settings/get': method(z.object({}).optional(), SettingsView),
  'settings/set': method(
    z
      .object({
        openai_base_url: z.string().max(2048).nullable().optional(),
        model: z.string().min(1).max(200).optional(),
        openai_api_key: z.string().max(400).nullable().optional(),
        reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high']).optional(),
        embedding_model: z.string().min(1).max(200).optional(),
        vector_store: z.enum(['embedded', 'qdrant']).optional(),
        qdrant_url: z.string().max(2048).nullable().optional(),
        build_command: z.string().max(2000).nullable().optional(),
        test_command: z.string().max(2000).nullable().optional(),
      })
      .strict(),
    SettingsView.extend({ restart_required: z.boolean() }),
    { sideEffect: true },
  ),
};

export const coreEvents = {
  'index/progress': z.object({ phase: z.string(), done: z.number(), total: z.number(), detail: z.string().optional() }),
  'terminal/data': z.object({ id: z.string(), data: z.string() }),
  'terminal/exit': z.object({ id: z.string(), code: z.number().nullable() }),
  /** `paths`: every path that changed (including the deleted ones); `deleted`: those that are gone (from the watcher). */
  'fs/changed': z.object({ paths: z.array(z.string()), deleted: z.array(z.string()).optional() }),
  'activity/log': z.object({ kind: z.string(), message: z.string(), at: z.string(), data: z.unknown().optional() }),
};
