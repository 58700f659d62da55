// The code map of one project: its index stages (quality per file, then quality facts, hotspots and domains for the
// project) and the queries behind `mira quality`, `mira hotspots`, `mira domains`, the treemap and the trend chart.
import type { ProjectContext } from '../app';
import type { Db } from '../db/open';
import { MiraError } from '../../shared/errors';
import { codeIndexOf } from '../code';
import type { IndexSummary, StageContext } from '../project/indexer';
import { DomainQueries, updateDomains, type DomainsRun } from './domains';
import { HotspotQueries, updateHotspots, type HotspotRun } from './hotspots';
import { QualityIndex, QualityQueries, type QualitySort } from './quality';
import { getState, setState } from './state';
import { fileTrend, type Trend } from './trend';
import { treemap, type TreemapNode } from './treemap';

export interface CodemapRun {
  quality_ms: number;
  hotspots?: HotspotRun;
  domains?: DomainsRun;
}

/** What the project stage last saw: it recomputes only when files or history changed since. */
interface Seen {
  commits: number;
  newest: number;
  files: number;
}

const SEEN_KEY = 'seen';

/** Databases of the projects open in this process, for `hotspotNote` (which the oracle calls with a project id only). */
const openDbs = new Map<number, Db>();

export class CodemapService {
  readonly quality: QualityIndex;
  readonly qualityQueries: QualityQueries;
  readonly hotspots: HotspotQueries;
  readonly domains: DomainQueries;
  lastRun: CodemapRun | null = null;

  constructor(readonly db: Db, readonly projectId: number, readonly root: string) {
    this.quality = new QualityIndex(db);
    this.qualityQueries = new QualityQueries(db, projectId);
    this.hotspots = new HotspotQueries(db, projectId);
    this.domains = new DomainQueries(db, projectId);
    openDbs.set(projectId, db);
  }

  /** The project stage: runs after the code and git stages. */
  async afterIndex(ctx: StageContext, summary: IndexSummary): Promise<CodemapRun> {
    const t0 = performance.now();
    const run: CodemapRun = { quality_ms: 0 };
    // Files indexed before the code map existed (or whose analysis was cut short) get their metrics now.
    const backfilled = await this.quality.backfill(ctx, this.projectId, this.root);
    const filesChanged = summary.added.length + summary.changed.length + summary.deleted.length > 0 || this.quality.changed || backfilled > 0;
    this.quality.projectPass(this.projectId, { force: filesChanged });
    run.quality_ms = Math.round(performance.now() - t0);
    const seen = getState<Seen>(this.db, this.projectId, SEEN_KEY);
    const now = this.snapshot();
    const historyChanged = !seen || seen.commits !== now.commits || seen.newest !== now.newest;
    if (filesChanged || historyChanged || !seen) {
      if (ctx.signal?.aborted) return run;
      run.hotspots = updateHotspots(this.db, this.projectId);
      run.domains = updateDomains(this.db, this.projectId);
      setState(this.db, this.projectId, SEEN_KEY, now);
      ctx.log('code map updated', { hotspots: run.hotspots, domains: run.domains });
    }
    this.lastRun = run;
    return run;
  }

  private snapshot(): Seen {
    const c = this.db.prepare('SELECT count(*) AS n, coalesce(max(committed_at), 0) AS t FROM git_commits WHERE project_id = ?').get(this.projectId) as { n: number; t: number };
    const f = this.db.prepare('SELECT count(*) AS n FROM code_quality_files WHERE project_id = ?').get(this.projectId) as { n: number };
    return { commits: c.n, newest: c.t, files: f.n };
  }

  /** Recomputes hotspots now (recalibrating), e.g. after the weights' prior changed. */
  refreshHotspots(opts: { recalibrate?: boolean } = {}): HotspotRun {
    return updateHotspots(this.db, this.projectId, opts);
  }

  qualityOf(opts: { file?: string; k?: number; sort?: QualitySort } = {}) {
    if (!opts.file) return this.qualityQueries.files({ k: opts.k ?? 50, sort: opts.sort });
    const file = this.qualityQueries.file(opts.file);
    if (!file) {
      const known = this.db.prepare('SELECT language, skip_reason FROM files WHERE project_id = ? AND path = ?').get(this.projectId, opts.file) as
        | { language: string | null; skip_reason: string | null }
        | undefined;
      if (!known) throw new MiraError('not_found', `${opts.file} is not in the index`, 'check the path (relative to the project root), or run mira index');
      throw new MiraError('not_found', `no quality metrics for ${opts.file} (${known.skip_reason ?? known.language ?? 'not code'})`, 'quality covers code files; run mira index after adding the file');
    }
    const symbols = this.qualityQueries.symbols(opts.file, { k: opts.k, sort: opts.sort });
    return symbols.length ? symbols : [file];
  }

  hotspotsOf(opts: { k?: number; path?: string } = {}) {
    return this.hotspots.top({ k: opts.k ?? 10, path: opts.path });
  }

  domainsOf(opts: { files?: boolean } = {}) {
    return this.domains.list(opts);
  }

  treemapOf(opts: { path?: string } = {}): TreemapNode {
    return treemap(this.db, this.projectId, opts);
  }

  trendOf(path: string, opts: { measure?: boolean } = {}): Promise<Trend> {
    return fileTrend(this.db, this.projectId, path, { root: this.root, measure: opts.measure });
  }

  note(path: string): string | null {
    return this.hotspots.note(path);
  }
}

/** The project's code map (made once per open project). */
export function codemapOf(p: ProjectContext): CodemapService {
  return p.service('codemap', () => new CodemapService(p.mira.db, p.id, p.root));
}

export function registerCodemapStages(p: ProjectContext): void {
  const cm = codemapOf(p);
  // After the code stage, its parse measures each tree for the quality stage (one parse per file, in its workers); the
  // quality stage parses only what that did not measure.
  if (p.indexer.fileStages.some((s) => s.name === 'code')) {
    const code = codeIndexOf(p);
    code.measureQuality = true;
    p.indexer.addFileStage(cm.quality.fileStage((file) => code.qualityOf(file)));
  } else p.indexer.addFileStage(cm.quality.fileStage());
  p.indexer.addProjectStage({
    name: 'codemap',
    run: async (ctx, summary) => {
      await cm.afterIndex(ctx, summary);
    },
  });
}

/**
 * "This file is a hotspot" in one line, for the oracle's context: null unless the file ranks in the project's top tenth.
 * The project must be open in this process (its code map made); otherwise null.
 */
export function hotspotNote(projectId: number, path: string): string | null {
  const db = openDbs.get(projectId);
  if (!db) return null;
  try {
    return new HotspotQueries(db, projectId).note(path);
  } catch {
    // Before the code map's migration or with a closed database: no note rather than a failed answer.
    return null;
  }
}
