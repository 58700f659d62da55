// The oracle for one project: its index stages, its calibrated weights, and locate.
import type { ProjectContext } from '../app';
import type { IndexedFile } from '../project/indexer';
import { Oracle, type LocateOptions, type LocateResult } from './locate';
import { DEFAULT_WEIGHTS, SIGNALS, type Weights } from './signals';
import { calibrate, historyQueries, type Calibration } from './calibrate';
import { TestFinder, type TestOf } from './tests-for';

const WEIGHTS_KEY = 'oracle.weights';

export function oracleFor(p: ProjectContext): Oracle {
  return p.service('oracle', () => new Oracle(p.mira.db, p.id, p.root));
}

/** The tests of a source file, for the context of an edit to it. */
export function testsFor(p: ProjectContext, file: string, max: number, terms: string[] = []): TestOf[] {
  return p.service('oracle-tests', () => new TestFinder(p.mira.db, p.id)).testsFor(file, max, terms);
}

/** The project's calibrated weights, or the defaults. */
export function projectWeights(p: ProjectContext): Weights {
  const row = p.mira.db.prepare('SELECT value FROM settings WHERE scope = ? AND key = ?').get(`project:${p.id}`, WEIGHTS_KEY) as { value: string } | undefined;
  if (!row) return { ...DEFAULT_WEIGHTS };
  try {
    const saved = JSON.parse(row.value) as Partial<Weights>;
    const w = { ...DEFAULT_WEIGHTS };
    for (const s of SIGNALS) if (typeof saved[s] === 'number' && Number.isFinite(saved[s])) w[s] = saved[s]!;
    return w;
  } catch {
    return { ...DEFAULT_WEIGHTS };
  }
}

export function saveProjectWeights(p: ProjectContext, w: Weights): void {
  p.mira.db
    .prepare(`INSERT INTO settings (scope, key, value) VALUES (?, ?, ?) ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`)
    .run(`project:${p.id}`, WEIGHTS_KEY, JSON.stringify(w));
}

export function locate(p: ProjectContext, task: string, opts: LocateOptions = {}): LocateResult[] {
  return oracleFor(p).locate(task, { weights: projectWeights(p), ...opts });
}

export function registerOracleStages(p: ProjectContext): void {
  p.indexer.addFileStage({
    name: 'oracle',
    write(_ctx, file: IndexedFile) {
      oracleFor(p).index.writeFile(file.id, file.path, file.text);
    },
    remove(_ctx, ids) {
      oracleFor(p).index.removeFiles(ids);
    },
  });
  p.indexer.addProjectStage({
    name: 'oracle',
    async run() {
      const o = oracleFor(p);
      o.index.syncCommits();
      o.invalidate();
      maybeCalibrate(p);
    },
  });
}

/** Questions asked of the project's own history when calibrating, and how much new history triggers a recalibration. */
const CALIBRATION_QUERIES = 120;
const MIN_QUERIES = 30;
const RECALIBRATE_AFTER = 100;

/** Tunes the weights on the project's own history when there is enough of it and enough is new since last time. */
export function maybeCalibrate(p: ProjectContext, force = false): Calibration | null {
  const db = p.mira.db;
  const has = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'git_commits'`).get();
  if (!has) return null;
  const maxId = (db.prepare('SELECT max(id) AS m FROM git_commits WHERE project_id = ?').get(p.id) as { m: number | null }).m ?? 0;
  const last = db.prepare('SELECT max_commit_id AS m FROM oracle_calibrations WHERE project_id = ? ORDER BY id DESC LIMIT 1').get(p.id) as { m: number } | undefined;
  if (!force && last) {
    const fresh = (db.prepare('SELECT count(*) AS n FROM git_commits WHERE project_id = ? AND id > ?').get(p.id, last.m) as { n: number }).n;
    if (fresh < RECALIBRATE_AFTER) return null;
  }
  const live = new Set((db.prepare('SELECT path FROM files WHERE project_id = ? AND skip_reason IS NULL').all(p.id) as { path: string }[]).map((r) => r.path));
  const queries = historyQueries(db, p.id, live, CALIBRATION_QUERIES);
  if (queries.length < MIN_QUERIES) return null;
  const result = calibrate(oracleFor(p), queries, { ...DEFAULT_WEIGHTS });
  db.prepare('INSERT INTO oracle_calibrations (project_id, queries, max_commit_id, weights_json, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?)').run(
    p.id,
    result.queries,
    maxId,
    JSON.stringify(result.weights),
    JSON.stringify(result.before),
    JSON.stringify(result.after),
  );
  saveProjectWeights(p, result.weights);
  p.mira.log.info({ project: p.root, before: result.before, after: result.after, weights: result.weights }, 'oracle calibrated on project history');
  return result;
}
