// Handlers for the foundation's methods: app info, projects, indexing, files and terminals.
import { ProjectsRepo } from '../db/projects';
import { applySettings, viewSettings } from '../settings';
import type { Mira } from '../app';
import { reloadLlmSettings } from '../llm';
import type { Handlers } from '../transport/router';
import { recentActivity } from '../activity/recent';

type CoreKeys = 'settings/get' | 'settings/set' | 'app/info' | 'activity/recent' | 'project/open' | 'project/recent' | 'index/run' | 'fs/list' | 'fs/read' | 'fs/write' | 'fs/stat' | 'terminal/create' | 'terminal/write' | 'terminal/resize' | 'terminal/kill';

export function coreHandlers(mira: Mira): Pick<Handlers, CoreKeys> {
  return {
    'app/info': () => ({
      version: mira.version,
      home: mira.config.home,
      project: mira.hasProject() ? mira.project().info() : null,
      llm: !!mira.config.openaiApiKey,
      mode: mira.mode,
    }),
    'activity/recent': (p) => ({ results: recentActivity(mira.db, mira.hasProject() ? mira.project().id : null, p?.limit ?? 200) }),
    'project/open': ({ root }) => mira.openProject(root).info(),
    'project/recent': () => ({
      results: new ProjectsRepo(mira.db).list().map((r) => ({ id: r.id, root: r.root, name: r.name, last_indexed_at: r.last_indexed_at })),
    }),
    'index/run': (p) => mira.index({ git: p?.git }),
    'fs/list': ({ path }) => mira.project().fs.list(path),
    'fs/read': ({ path }) => mira.project().fs.read(path),
    'fs/write': ({ path, content, expected_hash }) => {
      const r = mira.project().fs.write(path, content, expected_hash);
      mira.events.emit('fs/changed', { paths: [r.path] });
      return r;
    },
    'fs/stat': ({ path }) => mira.project().fs.stat(path),
    'terminal/create': ({ cols, rows, shell }) => mira.terminals.create(cols, rows, shell),
    'terminal/write': ({ id, data }) => {
      mira.terminals.write(id, data);
      return { ok: true };
    },
    'terminal/resize': ({ id, cols, rows }) => {
      mira.terminals.resize(id, cols, rows);
      return { ok: true };
    },
    'terminal/kill': ({ id }) => ({ ok: mira.terminals.kill(id) }),
    'settings/get': () => viewSettings(mira.config, mira.secrets),
    'settings/set': (patch) => {
      let { restartRequired } = applySettings(mira.config, patch, mira.secrets);
      try {
        reloadLlmSettings(mira);
      } catch (e) {
        // A config.json the LLM layer cannot read (bad prices) keeps the old settings until it is fixed and Mira restarts.
        mira.log.warn({ err: (e as Error).message }, 'LLM settings not reloaded');
        restartRequired = true;
      }
      return { ...viewSettings(mira.config, mira.secrets), restart_required: restartRequired };
    },
  };
}
