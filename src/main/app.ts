// The composition root: createMira(config) wires storage, services, the router and events. No Electron here.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { MiraConfig } from '../shared/config';
import { MiraClient } from '../shared/client';
import { MiraError } from '../shared/errors';
import type { IndexResult, ProjectInfo } from '../shared/api';
import { endSession, openDb, type Db } from './db/open';
import { withLock } from './db/locks';
import { ProjectsRepo, type ProjectRow } from './db/projects';
import { createLogger, registerSecret } from './log';
import { Indexer, type IndexOptions } from './project/indexer';
import { ProjectFs } from './project/fs-access';
import { watchProject, type DiskChange, type Watcher } from './project/watcher';
import { sha256 } from './project/content';
import { TerminalSessions } from './terminal/sessions';
import { EventBus, Router, type Handlers } from './transport/router';
import { InProcessTransport } from './transport/in-process';
import { coreHandlers } from './handlers/core';
import { codeHandlers } from './handlers/code';
import { gitHandlers } from './handlers/git';
import { buildHandlers } from './handlers/build';
import { registerBuildStages } from './build/service';
import { oracleHandlers } from './handlers/oracle';
import { applyHandlers } from './handlers/apply';
import { llmHandlers } from './handlers/llm';
import { memoryHandlers } from './handlers/memory';
import { opsHandlers } from './handlers/ops';
import { docsHandlers } from './handlers/docs';
import { toolsHandlers } from './handlers/tools';
import { codemapHandlers } from './handlers/codemap';
import { registerCodemapStages } from './codemap';
import { registerOracleStages } from './oracle/service';
import { codeIndexOf, registerCodeStages } from './code/stages';
import { llmConceptEnricher } from './llm/analysis';
import { llmServices } from './handlers/llm';
import { registerGitStages } from './git/stages';
import { VERSION } from './version';
import type { SecretStore } from './settings';

export type MiraMode = 'electron' | 'browser' | 'cli' | 'test';

export interface CreateMiraOptions {
  config: MiraConfig;
  mode?: MiraMode;
  /** Project to open right away (absolute or relative path). */
  project?: string;
  migrationsDir?: string;
}

/** Everything Mira knows about one open project; capability services hang off it. */
export class ProjectContext {
  readonly fs: ProjectFs;
  readonly indexer: Indexer;
  constructor(readonly mira: Mira, readonly row: ProjectRow) {
    this.fs = new ProjectFs(row.root);
    this.indexer = new Indexer(mira.db);
    registerStages(this);
  }
  private readonly services = new Map<string, unknown>();
  /** A per-project service, made once on first use (capabilities keep their state here). */
  service<T>(name: string, make: () => T): T {
    if (!this.services.has(name)) this.services.set(name, make());
    return this.services.get(name) as T;
  }
  /** Shuts down the services that run work of their own (`shutdown(ms)`: a build in its pty), waiting at most `timeoutMs`. */
  async shutdownServices(timeoutMs: number): Promise<void> {
    const running = [...this.services.values()].filter((s): s is { shutdown(ms: number): Promise<void> } => typeof (s as { shutdown?: unknown } | null)?.shutdown === 'function');
    await Promise.allSettled(running.map((s) => s.shutdown(timeoutMs)));
  }
  get id(): number {
    return this.row.id;
  }
  get root(): string {
    return this.row.root;
  }
  info(): ProjectInfo {
    const r = new ProjectsRepo(this.mira.db).byId(this.row.id) ?? this.row;
    return { id: r.id, root: r.root, name: r.name, last_indexed_at: r.last_indexed_at };
  }
}

/** Each capability registers its index stages here, in the order they run. */
function registerStages(p: ProjectContext): void {
  registerCodeStages(p);
  // With an LLM configured, concepts are enriched by it, cached by content hash (unchanged symbols are never asked again).
  if (p.mira.config.openaiApiKey) codeIndexOf(p).enricher = llmConceptEnricher(llmServices(p.mira).llm, { projectId: p.id });
  registerGitStages(p);
  registerBuildStages(p);
  // The code map before the oracle: the oracle calibrates with its hotspot and domain signals.
  registerCodemapStages(p);
  registerOracleStages(p);
}

export class Mira {
  readonly db: Db;
  readonly events = new EventBus();
  readonly router: Router;
  readonly log: Logger;
  readonly terminals: TerminalSessions;
  readonly version = VERSION;
  /** Where the desktop app keeps secrets (safeStorage); null elsewhere, where a key set in the app lives in memory only. */
  secrets: SecretStore | null = null;
  private current: ProjectContext | null = null;
  private watcher: Watcher | null = null;
  private indexing: Promise<IndexResult> | null = null;
  /** What Mira itself last wrote (or removed) per path, from its own fs/changed events: the watcher does not echo these. */
  private ownWrites = new Map<string, { hash: string | null; at: number }>();
  private echoing = false;
  /** Aborts the index run going on, when the process shuts down. */
  private indexAbort: AbortController | null = null;

  constructor(readonly config: MiraConfig, readonly mode: MiraMode, migrationsDir?: string) {
    fs.mkdirSync(config.home, { recursive: true });
    registerSecret(config.openaiApiKey);
    registerSecret(config.qdrantApiKey);
    this.log = createLogger(config.home);
    const opened = openDb(path.join(config.home, 'mira.db'), { migrationsDir });
    this.db = opened.db;
    if (opened.migration.applied.length) this.log.info({ migration: opened.migration }, 'database migrated');
    this.terminals = new TerminalSessions(this.events, () => this.project().root);
    const handlers: Handlers = {
      ...coreHandlers(this),
      ...codeHandlers(this),
      ...gitHandlers(this),
      ...buildHandlers(this),
      ...oracleHandlers(this),
      ...applyHandlers(this),
      ...llmHandlers(this),
      ...memoryHandlers(this),
      ...opsHandlers(this),
      ...docsHandlers(this),
      ...toolsHandlers(this),
      ...codemapHandlers(this),
    };
    this.router = new Router(handlers);
    this.events.subscribe((event, data) => {
      if (event !== 'fs/changed' || this.echoing || !this.current) return;
      const at = Date.now();
      for (const rel of (data as { paths: string[] }).paths) this.ownWrites.set(rel, { hash: this.diskHash(rel), at });
    });
  }

  /** The hash of a project file as it is on disk now; null when it is missing or not a file. */
  private diskHash(rel: string): string | null {
    try {
      const abs = path.join(this.project().root, rel);
      return fs.statSync(abs).isFile() ? sha256(fs.readFileSync(abs)) : null;
    } catch {
      return null;
    }
  }

  /** Pushes a watcher batch to clients as fs/changed, minus the paths that are exactly as Mira's own write left them. */
  private publishDiskChange(change: DiskChange): void {
    const now = Date.now();
    for (const [k, v] of this.ownWrites) if (now - v.at > 10_000) this.ownWrites.delete(k);
    const foreign = (rel: string, exists: boolean) => {
      const own = this.ownWrites.get(rel);
      if (!own) return true;
      return (exists ? this.diskHash(rel) : null) !== own.hash;
    };
    const paths = change.paths.filter((p) => foreign(p, true));
    const deleted = change.deleted.filter((p) => foreign(p, false));
    if (!paths.length && !deleted.length) return;
    this.echoing = true;
    try {
      this.events.emit('fs/changed', { paths: [...paths, ...deleted], deleted });
    } finally {
      this.echoing = false;
    }
  }

  hasProject(): boolean {
    return this.current !== null;
  }

  project(): ProjectContext {
    if (!this.current) throw new MiraError('bad_request', 'no project is open', 'open a folder first (mira --project PATH, or File > Open Folder)');
    return this.current;
  }

  openProject(rootIn: string): ProjectContext {
    const abs = path.resolve(rootIn);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new MiraError('not_found', `project folder ${abs} does not exist`, 'check the path, or pass --project PATH');
    }
    if (!st.isDirectory()) throw new MiraError('not_a_directory', `${abs} is not a folder`, 'pass a project folder');
    const root = fs.realpathSync(abs);
    if (this.current?.root === root) return this.current;
    const row = new ProjectsRepo(this.db).ensure(root);
    const watching = this.watcher !== null;
    this.ownWrites.clear();
    this.current = new ProjectContext(this, row);
    if (watching) this.watch();
    this.log.info({ root }, 'project opened');
    return this.current;
  }

  /** One index run at a time per process: a second request joins the running one. */
  async index(opts: IndexOptions = {}): Promise<IndexResult> {
    if (this.indexing) return this.indexing;
    const p = this.project();
    const started = performance.now();
    const abort = new AbortController();
    this.indexAbort = abort;
    const signal = opts.signal ? AbortSignal.any([opts.signal, abort.signal]) : abort.signal;
    this.indexing = (async () => {
      try {
        // One index run per project across processes: a second `mira index` waits for the first, then finds little to do.
        const summary = await withLock(this.db, `index:${p.id}`, () => p.indexer.index(p.row, {
          maxFileBytes: this.config.maxFileBytes,
          ...opts,
          signal,
          log: (msg, extra) => this.log.info({ ...extra, project: p.root }, msg),
          onProgress: (pr) => {
            this.events.emit('index/progress', pr);
            opts.onProgress?.(pr);
          },
        }), { signal, onWait: (pid) => this.log.info({ pid }, 'waiting for another index run') });
        return {
          project: p.root,
          files: countRows(this.db, 'files', p.id, 'skip_reason IS NULL'),
          symbols: countRows(this.db, 'code_elements', p.id),
          calls: countRows(this.db, 'call_graph', p.id),
          commits: countRows(this.db, 'git_commits', p.id),
          changed_files: summary.added.length + summary.changed.length + summary.deleted.length,
          added: summary.added.length,
          deleted: summary.deleted.length,
          unchanged: summary.unchanged,
          skipped: summary.skipped,
          took_ms: Math.round(performance.now() - started),
        };
      } finally {
        this.indexing = null;
        if (this.indexAbort === abort) this.indexAbort = null;
      }
    })();
    return this.indexing;
  }

  /**
   * Keeps the open project's index fresh from file events (the app and `mira serve`); switching projects moves it.
   * History is read again when .git moves (a commit, checkout or pull).
   */
  watch(opts: { debounceMs?: number } = {}): Watcher {
    this.watcher?.close();
    const p = this.project();
    this.watcher = watchProject(p.root, {
      debounceMs: opts.debounceMs,
      index: async ({ paths, git }) => {
        if (this.current !== p) return;
        // A run already going (started by the user) may have walked past these files: wait, then index them.
        while (this.indexing) await this.indexing.catch(() => undefined);
        await this.index({ paths, git });
      },
      onChange: (change) => {
        if (this.current === p) this.publishDiskChange(change);
      },
      onError: (e) => this.log.warn({ err: e.message }, 'watcher'),
    });
    return this.watcher;
  }

  /** A typed client over direct calls; `clone` gives WebSocket-identical copy semantics. */
  client(opts: { clone?: boolean } = {}): MiraClient {
    return new MiraClient(new InProcessTransport(this.router, this.events, opts));
  }

  /**
   * Stops everything that runs on its own, then closes: no more file events, the index run and builds cancelled (and
   * recorded as such), terminals hung up (killed if they do not go), the database closed. Waits at most about
   * `timeoutMs`; what is still running after that is left to the process's exit.
   */
  async shutdown(timeoutMs = 1000): Promise<void> {
    this.watcher?.close();
    this.watcher = null;
    this.indexAbort?.abort();
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([this.indexing, this.current?.shutdownServices(timeoutMs), this.terminals.closeAll(timeoutMs)]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    if (this.indexing) this.log.warn({ waited_ms: Date.now() - started }, 'closing with an index run still stopping');
    this.close();
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
    this.indexAbort?.abort();
    this.terminals.killAll();
    try {
      this.db.close();
      endSession(this.db.name);
    } catch {
      /* already closed */
    }
  }
}

const tableCache = new WeakMap<Db, Set<string>>();
export function countRows(db: Db, table: string, projectId: number, where?: string): number {
  let tables = tableCache.get(db);
  if (!tables) {
    tables = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table','view')`).all() as { name: string }[]).map((r) => r.name));
    tableCache.set(db, tables);
  }
  if (!tables.has(table)) return 0;
  const sql = `SELECT count(*) AS n FROM ${table} WHERE project_id = ?${where ? ` AND ${where}` : ''}`;
  return (db.prepare(sql).get(projectId) as { n: number }).n;
}

export function createMira(opts: CreateMiraOptions): Mira {
  const mira = new Mira(opts.config, opts.mode ?? 'cli', opts.migrationsDir);
  try {
    if (opts.project) mira.openProject(opts.project);
  } catch (e) {
    mira.close();
    throw e;
  }
  return mira;
}
