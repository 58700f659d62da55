// The code capability's index stages for one project: parse in workers and write per file, then resolve calls,
// link concepts and detect patterns project-wide (only around what changed).
import path from 'node:path';
import type { Db } from '../db/open';
import type { FileStage, IndexedFile, IndexSummary, ProjectStage, StageContext } from '../project/indexer';
import type { ConceptEnricher } from './concepts';
import { enrichConcepts } from './enrich';
import type { PackedFileMetrics } from '../codemap/metrics';
import type { ParsedFile } from './model';
import { isParsed } from './parse';
import { ParsePool } from './parse-pool';
import { detectPatterns } from './patterns';
import { CallResolver, projectModules } from './resolve';
import type { ModuleResolver, ProjectFile } from './module-resolve';
import { updateSemanticEdges } from './semantic';
import { CodeStore } from './store';
import { chunkFile } from './chunks';

/** A search chunk as other stages see it (the vector index's CodeChunk shape). */
export interface CodeChunkOut {
  key: string;
  path: string;
  start_line: number;
  end_line: number;
  symbol: string | null;
  kind: string | null;
  language: string | null;
  text: string;
}

const MANIFESTS = new Set(['package.json', 'go.mod', 'Cargo.toml']);

/** Queued full-text (characters) that triggers a bulk load between batches of a first index. */
const FTS_FLUSH_CHARS = 24_000_000;

export interface CodeIndexOptions {
  /** Parse worker count (0: in-thread); default one per core. */
  workers?: number;
}

export class CodeIndex {
  readonly store: CodeStore;
  readonly pool: ParsePool;
  /** Optional semantic enrichment (an LLM); results are cached by content hash. */
  enricher: ConceptEnricher | null = null;
  /** Files written or removed since the project stages last ran. */
  private readonly touched = new Set<number>();
  private bulk: boolean | null = null;
  private runCtx: StageContext | null = null;
  private modules: { projectId: number; files: Map<number, ProjectFile>; resolver: ModuleResolver } | null = null;
  /** The current batch's parse results, for other stages that run after this one (vectors' chunks, code map metrics). */
  private batchParsed = new Map<string, ParsedFile>();
  /** The current batch's files: what a later stage asks about must be one of them, not a file it read itself. */
  private batchFiles = new WeakSet<IndexedFile>();
  /**
   * Whether parses also take the code map's quality metrics from their trees (qualityOf), so that no file is parsed
   * twice. The code map sets it when it registers its stage after this one.
   */
  measureQuality = false;
  /** What the last run did, for logs and the benchmark. */
  lastRun: { parsed: number; parse_failed: number; workers?: boolean; resolve?: { imports: number; calls: number; edges: number }; patterns?: number; semantic_edges?: number; timings: Record<string, number> } = {
    parsed: 0,
    parse_failed: 0,
    timings: {},
  };

  constructor(private readonly db: Db, opts: CodeIndexOptions = {}) {
    this.store = new CodeStore(db);
    this.pool = new ParsePool({ size: opts.workers });
  }

  fileStage(): FileStage<ParsedFile> {
    return {
      name: 'code',
      analyze: async (files: IndexedFile[], ctx: StageContext) => {
        this.beginRun(ctx);
        // Full text queued by earlier batches of a first index is loaded here, between file transactions.
        if (this.store.fts.queued > FTS_FLUSH_CHARS) this.flushFts();
        const started = performance.now();
        const todo = files.filter((f) => isParsed(f.language));
        const results = await this.pool.parseAll(
          todo.map((f) => ({ path: f.path, language: f.language!, text: f.text })),
          { quality: this.measureQuality },
        );
        const out = new Map<string, ParsedFile>();
        this.batchParsed = out;
        this.batchFiles = new WeakSet(files);
        for (const r of results) {
          out.set(r.path, r);
          this.lastRun.parsed++;
          if (r.failed) {
            this.lastRun.parse_failed++;
            ctx.log('parse failed; the file is indexed as text only', { path: r.path, error: r.failed });
          }
        }
        this.time('parse', started);
        this.lastRun.workers = this.pool.usedWorkers || this.lastRun.workers;
        return out;
      },
      write: (ctx: StageContext, file: IndexedFile, data: ParsedFile | undefined) => {
        this.beginRun(ctx);
        const started = performance.now();
        if (this.bulk === null) this.bulk = this.store.isEmpty(ctx.project.id);
        // Every row of the file is written here, in its transaction (later stages may read them); on a first index
        // only the full text waits, for a bulk load between batches (see FtsIndex).
        this.store.writeFile(
          { projectId: ctx.project.id, fileId: file.id, path: file.path, language: file.language, text: file.text, parsed: data },
          { bulk: this.bulk, enricher: this.enricher?.name ?? null },
        );
        this.touched.add(file.id);
        this.time('write', started);
      },
      remove: (_ctx: StageContext, fileIds: number[]) => {
        this.store.removeFiles(fileIds);
      },
    };
  }

  projectStages(): ProjectStage[] {
    return [
      {
        name: 'code-resolve',
        run: async (ctx: StageContext, summary: IndexSummary) => {
          this.flushFts();
          this.store.fts.repair(ctx.project.id, ctx.root);
          const started = performance.now();
          // The module map only changes when files come or go, or a manifest (package.json, go.mod, Cargo.toml) changes.
          const manifests = [...summary.changed, ...summary.added, ...summary.deleted].some((p) => MANIFESTS.has(path.posix.basename(p)));
          if (this.modules?.projectId !== ctx.project.id || summary.added.length || summary.deleted.length || manifests) this.modules = null;
          const resolver = new CallResolver(this.db, ctx.project.id, () => (this.modules ??= { projectId: ctx.project.id, ...projectModules(this.db, ctx.project.id, ctx.root) }));
          this.lastRun.resolve = resolver.run({ filesAddedOrDeleted: summary.added.length > 0 || summary.deleted.length > 0, signal: ctx.signal });
          this.time('resolve', started);
        },
      },
      {
        name: 'code-concepts',
        run: async (ctx: StageContext) => {
          const started = performance.now();
          const files = this.bulk ? null : [...this.touched];
          if (this.enricher) await enrichConcepts(this.db, ctx.project.id, this.enricher, files, ctx.log);
          this.lastRun.semantic_edges = updateSemanticEdges(this.db, ctx.project.id, files);
          this.time('concepts', started);
        },
      },
      {
        name: 'code-patterns',
        run: async (ctx: StageContext, summary: IndexSummary) => {
          const started = performance.now();
          try {
            const changed = summary.added.length + summary.changed.length + summary.deleted.length > 0;
            if (changed || this.bulk) this.lastRun.patterns = detectPatterns(this.db, ctx.project.id, this.bulk ? null : [...this.touched]);
          } finally {
            // The last code stage: the next run starts afresh.
            this.touched.clear();
            this.bulk = null;
            this.time('patterns', started);
          }
        },
      },
    ];
  }

  /**
   * The search chunks of a file in the batch being indexed (symbol chunks when it parsed, line windows otherwise), the
   * same ones the full-text index stores. For stages registered after this one (the vector index), in their analyze.
   */
  chunksOf(file: IndexedFile): CodeChunkOut[] {
    const parsed = this.batchParsed.get(file.path);
    const symbols = parsed && !parsed.failed ? parsed.symbols : [];
    return chunkFile(file.text, symbols).map((c) => {
      const sym = c.symbol >= 0 ? symbols[c.symbol] : undefined;
      return { key: `${c.start_line}-${c.end_line}`, path: file.path, start_line: c.start_line, end_line: c.end_line, symbol: sym?.qualified ?? null, kind: sym?.kind ?? null, language: file.language, text: c.text };
    });
  }

  /**
   * The code map's quality metrics of a file in the batch being indexed, taken from the tree its parse made (with
   * measureQuality on). Undefined when there are none: not parsed, parse failed, or not a file of this batch. For stages
   * registered after this one, in their analyze.
   */
  qualityOf(file: IndexedFile): PackedFileMetrics | undefined {
    return this.batchFiles.has(file) ? this.batchParsed.get(file.path)?.quality : undefined;
  }

  /**
   * Every index run has its own StageContext: a new one means a new run. A run that was cancelled never reached the
   * project stages, so its touched files stay listed, but whether this is a first index is decided afresh.
   */
  private beginRun(ctx: StageContext): void {
    if (this.runCtx === ctx) return;
    this.runCtx = ctx;
    this.bulk = null;
  }

  private flushFts(): void {
    const started = performance.now();
    this.store.fts.flush();
    this.time('fts', started);
  }

  /** Resets per-run counters (the benchmark reads them after each run). */
  resetRunStats(): void {
    this.lastRun = { parsed: 0, parse_failed: 0, timings: {} };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private time(key: string, started: number): void {
    this.lastRun.timings[key] = Math.round(((this.lastRun.timings[key] ?? 0) + performance.now() - started) * 10) / 10;
  }
}
