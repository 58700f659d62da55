// The incremental index walk: hash files, skip unchanged ones, and hand changed files to each registered stage.
import fs from 'node:fs';
import type { Db } from '../db/open';
import { FilesRepo, ProjectsRepo, type ProjectRow } from '../db/projects';
import { classifyContent, type SkipReason } from './content';
import { languageOf } from './languages';
import path from 'node:path';
import { IgnoreRules } from './ignore-rules';
import { walkProject, type WalkEntry } from './walk';

export interface IndexedFile {
  id: number;
  path: string;
  abs: string;
  hash: string;
  size: number;
  language: string | null;
  text: string;
}

export interface StageContext {
  db: Db;
  project: ProjectRow;
  root: string;
  signal?: AbortSignal;
  log: (msg: string, extra?: Record<string, unknown>) => void;
  progress: (p: IndexProgress) => void;
}

/** A per-file stage: analyse changed files (possibly in workers), then write each file's data inside the file's transaction. */
export interface FileStage<T = unknown> {
  name: string;
  analyze?(files: IndexedFile[], ctx: StageContext): Promise<Map<string, T>>;
  /** Replace what this stage stored for the file. Runs inside the per-file transaction: no async work here. */
  write(ctx: StageContext, file: IndexedFile, data: T | undefined): void;
  /** Drop everything stored for these files (deleted, now skipped). Runs inside a transaction. */
  remove(ctx: StageContext, fileIds: number[]): void;
}

/** A project-wide stage that runs after the files (call resolution, concepts, git history...). */
export interface ProjectStage {
  name: string;
  /** Stages marked git are skipped by `--no-git`. */
  git?: boolean;
  run(ctx: StageContext, summary: IndexSummary): Promise<void>;
}

export interface IndexProgress {
  phase: 'walk' | 'files' | 'stage' | 'done';
  done: number;
  total: number;
  detail?: string;
}

export interface IndexSummary {
  files_seen: number;
  added: string[];
  changed: string[];
  deleted: string[];
  unchanged: number;
  skipped: Record<string, number>;
}

export interface IndexOptions {
  git?: boolean;
  /** Only these project-relative paths changed (a watcher's batch): stat them alone instead of walking the tree. */
  paths?: string[];
  signal?: AbortSignal;
  maxFileBytes?: number;
  batchSize?: number;
  onProgress?: (p: IndexProgress) => void;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
}

export class Indexer {
  readonly fileStages: FileStage[] = [];
  readonly projectStages: ProjectStage[] = [];

  constructor(private readonly db: Db) {}

  addFileStage(stage: FileStage<any>): void {
    this.fileStages.push(stage);
  }

  addProjectStage(stage: ProjectStage): void {
    this.projectStages.push(stage);
  }

  async index(project: ProjectRow, opts: IndexOptions = {}): Promise<IndexSummary> {
    const files = new FilesRepo(this.db);
    const maxBytes = opts.maxFileBytes ?? 1024 * 1024;
    const batchSize = opts.batchSize ?? 256;
    const progress = opts.onProgress ?? (() => {});
    const log = opts.log ?? (() => {});
    const ctx: StageContext = { db: this.db, project, root: project.root, signal: opts.signal, log, progress };
    const runId = Number(this.db.prepare('INSERT INTO index_runs (project_id) VALUES (?)').run(project.id).lastInsertRowid);

    progress({ phase: 'walk', done: 0, total: 0 });
    const targeted = opts.paths ? statPaths(project.root, opts.paths) : null;
    const walked = targeted ?? walkProject(project.root);
    const all = files.all(project.id);
    // A targeted run may only delete what it was told about (a path, or anything under a removed folder).
    const known = new Map((targeted ? all.filter((f) => targeted.covers(f.path)) : all).map((f) => [f.path, f]));
    const summary: IndexSummary = { files_seen: walked.files.length, added: [], changed: [], deleted: [], unchanged: 0, skipped: { ...walked.skipped } };
    const skip = (r: string) => (summary.skipped[r] = (summary.skipped[r] ?? 0) + 1);

    let batch: { file: IndexedFile; isNew: boolean }[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const analysed = new Map<string, Map<string, unknown>>();
      for (const stage of this.fileStages) {
        if (stage.analyze) analysed.set(stage.name, await stage.analyze(batch.map((b) => b.file), ctx));
      }
      for (const { file, isNew } of batch) {
        this.db.transaction(() => {
          file.id = files.upsert({ project_id: project.id, path: file.path, hash: file.hash, size: file.size, language: file.language, mtime_ms: mtimes.get(file.path)!, skip_reason: null });
          for (const stage of this.fileStages) stage.write(ctx, file, analysed.get(stage.name)?.get(file.path));
        })();
        (isNew ? summary.added : summary.changed).push(file.path);
      }
      batch = [];
    };

    const mtimes = new Map<string, number>();
    let done = 0;
    for (const entry of walked.files) {
      if (opts.signal?.aborted) break;
      done++;
      if (done % 200 === 0) progress({ phase: 'files', done, total: walked.files.length, detail: entry.rel });
      const prev = known.get(entry.rel);
      known.delete(entry.rel);
      // The stat shortcut git uses: same size and mtime means the same content, so nothing is read.
      if (prev && prev.size === entry.size && prev.mtime_ms === entry.mtimeMs && prev.hash) {
        summary.unchanged++;
        if (prev.skip_reason) skip(prev.skip_reason);
        continue;
      }
      const language = languageOf(entry.rel);
      let reason: SkipReason | null = null;
      let hash: string | null = null;
      let text: string | null = null;
      if (entry.size > maxBytes) {
        reason = 'too_large';
      } else {
        let buf: Buffer;
        try {
          buf = fs.readFileSync(entry.abs);
        } catch (e) {
          log('unreadable file skipped', { path: entry.rel, error: (e as Error).message });
          skip('unreadable');
          continue;
        }
        const c = classifyContent(buf);
        hash = c.hash;
        reason = c.skip;
        text = c.text;
      }
      if (prev && hash && prev.hash === hash && !prev.skip_reason && !reason) {
        files.touch(prev.id, entry.mtimeMs, entry.size);
        summary.unchanged++;
        continue;
      }
      if (reason) {
        skip(reason);
        log('file skipped', { path: entry.rel, reason });
        this.db.transaction(() => {
          if (prev && !prev.skip_reason) for (const s of this.fileStages) s.remove(ctx, [prev.id]);
          files.upsert({ project_id: project.id, path: entry.rel, hash, size: entry.size, language, mtime_ms: entry.mtimeMs, skip_reason: reason });
        })();
        if (!prev || prev.hash !== hash) (prev ? summary.changed : summary.added).push(entry.rel);
        continue;
      }
      mtimes.set(entry.rel, entry.mtimeMs);
      batch.push({ file: { id: prev?.id ?? 0, path: entry.rel, abs: entry.abs, hash: hash!, size: entry.size, language, text: text! }, isNew: !prev });
      if (batch.length >= batchSize) await flush();
    }
    await flush();

    if (!opts.signal?.aborted) {
      // Whatever is left in `known` was not seen on disk: deleted (or now ignored).
      const gone = [...known.values()];
      if (gone.length) {
        this.db.transaction(() => {
          const ids = gone.map((g) => g.id);
          for (const s of this.fileStages) s.remove(ctx, ids);
          files.remove(ids);
        })();
        summary.deleted.push(...gone.map((g) => g.path));
      }
      for (const stage of this.projectStages) {
        if (opts.signal?.aborted) break;
        if (stage.git && opts.git === false) continue;
        progress({ phase: 'stage', done: 0, total: 0, detail: stage.name });
        try {
          await stage.run(ctx, summary);
        } catch (e) {
          log(`stage ${stage.name} failed`, { error: (e as Error).message });
          summary.skipped[`stage_failed:${stage.name}`] = 1;
        }
      }
    }
    const status = opts.signal?.aborted ? 'cancelled' : 'done';
    this.db
      .prepare(`UPDATE index_runs SET finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), files_seen = ?, files_changed = ?, files_added = ?, files_deleted = ?, skipped_json = ?, status = ? WHERE id = ?`)
      .run(summary.files_seen, summary.changed.length, summary.added.length, summary.deleted.length, JSON.stringify(summary.skipped), status, runId);
    if (status === 'done') new ProjectsRepo(this.db).markIndexed(project.id);
    progress({ phase: 'done', done: walked.files.length, total: walked.files.length });
    return summary;
  }
}

/** The given paths as walk entries (ignored and missing ones left out), and which stored paths they speak for. */
function statPaths(root: string, paths: string[]): ReturnType<typeof walkProject> & { covers(p: string): boolean } {
  const real = fs.realpathSync(root);
  const rules = IgnoreRules.forRoot(real);
  const wanted = [...new Set(paths.map((p) => p.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '')).filter((p) => p && !p.split('/').includes('..')))];
  const out: WalkEntry[] = [];
  for (const rel of wanted) {
    const parts = rel.split('/');
    let r = rules;
    let ignored = false;
    for (let i = 1; i < parts.length && !ignored; i++) {
      const dir = parts.slice(0, i).join('/');
      ignored = r.ignored(dir, true);
      r = r.child(dir);
    }
    if (ignored || r.ignored(rel, false)) continue;
    try {
      const abs = path.join(real, rel);
      const st = fs.statSync(abs);
      if (st.isFile()) out.push({ rel, abs, size: st.size, mtimeMs: Math.floor(st.mtimeMs) });
      // A folder that appeared (or moved in) brings everything under it; `covers` then speaks for all of it.
      else if (st.isDirectory()) for (const f of walkProject(abs, r.child(rel), rel).files) out.push(f);
    } catch {
      /* gone: `covers` lets the run delete it */
    }
  }
  const set = new Set(wanted);
  return {
    files: out,
    skipped: {},
    covers: (p: string) => set.has(p) || wanted.some((w) => p.startsWith(w + '/')),
  };
}
