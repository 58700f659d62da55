// Hotspot scores as a prior for other rankings (the context oracle): today's, or as of a past time without looking past
// it, so a ranking calibrated on past commits sees the scores those commits would have seen.
import type { Db } from '../db/open';
import { DAY } from './features';
import { buildHistories, type Histories } from './history';
import { loadCommits, loadFacts, storedModel } from './hotspots';
import type { FileFacts } from './features';
import { PRIOR, type HotspotModel } from './model';
import { rankFiles } from './rank';

/** Scores for the past are computed per 30-day bucket (its start, so never after the asked time) and kept. */
const BUCKET = 30 * DAY;
const KEEP = 48;

export class HotspotPrior {
  private loaded: { h: Histories; facts: Map<string, FileFacts>; model: HotspotModel } | null = null;
  private readonly cache = new Map<number, Map<string, number>>();

  constructor(
    private readonly db: Db,
    private readonly projectId: number,
  ) {}

  /** path → chance of a fix within a year, as of `asOf` (unix s; undefined: now). Empty without history or metrics. */
  scoresAt(asOf?: number): Map<string, number> {
    const l = this.load();
    if (!l || l.h.last === null) return new Map();
    const now = l.h.last;
    const at = asOf === undefined || asOf > now ? now : Math.floor(asOf / BUCKET) * BUCKET;
    let scores = this.cache.get(at);
    if (!scores) {
      scores = new Map(rankFiles(l.h, l.facts, now, l.model, at).map((r) => [r.path, r.score]));
      if (this.cache.size >= KEEP) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(at, scores);
    }
    return scores;
  }

  private load() {
    if (this.loaded) return this.loaded;
    const tables = new Set((this.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('git_commits', 'code_quality_files', 'codemap_state')`).all() as { name: string }[]).map((r) => r.name));
    if (tables.size < 3) return null;
    const facts = loadFacts(this.db, this.projectId);
    if (!facts.size) return null;
    const h = buildHistories(loadCommits(this.db, this.projectId), facts.keys());
    // The project's calibrated model when the code map has one; the prior before its first run.
    const model = storedModel(this.db, this.projectId)?.model ?? PRIOR;
    this.loaded = { h, facts, model };
    return this.loaded;
  }
}
