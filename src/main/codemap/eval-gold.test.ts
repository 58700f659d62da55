// The TypeScript port of hotspots.py: git log parsing (renames too), the AUC/P@k of `score`, and the same figures as the
// Python script on a real repository (checked when ../shared/eval/hotspots.py is at hand).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from '../../../test/helpers/git-repo';
import { gitLog, measureGold, scoreRanking } from './eval-gold';
import { buildHistories } from './history';

const SCRIPT = path.resolve(__dirname, '../../../../shared/eval/hotspots.py');

describe('hotspot evaluation port', () => {
  let repo: TestRepo;
  let t0 = '';

  beforeAll(() => {
    repo = createRepo();
    repo.write('lib/a.js', 'a\nb\nc\n');
    repo.write('lib/b.js', 'x\n');
    repo.write('test/a.test.js', 't\n');
    repo.commit('start', { date: '2022-01-01T00:00:00Z' });
    repo.write('lib/a.js', 'a\nb\nc\nd\n');
    repo.commit('fix a crash', { date: '2022-06-01T00:00:00Z' });
    repo.git('mv', 'lib/b.js', 'lib/c.js');
    repo.commit('rename b to c', { date: '2022-07-01T00:00:00Z' });
    t0 = repo.commit('more', { date: '2022-08-01T00:00:00Z' });
    repo.write('lib/c.js', 'x\ny\n');
    repo.commit('fix bug in c', { date: '2022-09-01T00:00:00Z' });
    repo.write('lib/a.js', 'a\n');
    repo.commit('feature', { date: '2022-10-01T00:00:00Z' });
  });
  afterAll(() => repo?.cleanup());

  it('reads history with renames followed', () => {
    const log = gitLog(path.join(repo.root, '.git'), 'HEAD', { renames: true });
    expect(log.map((c) => c.subject)).toEqual(['feature', 'fix bug in c', 'more', 'rename b to c', 'fix a crash', 'start']);
    expect(log[3]!.files).toEqual([{ path: 'lib/c.js', old_path: 'lib/b.js', added: 0, deleted: 0 }]);
    const h = buildHistories(log, ['lib/a.js', 'lib/c.js']);
    // The start commit made lib/b.js, which is lib/c.js today.
    expect(h.events.get('lib/c.js')!.map((e) => e.sha)).toEqual([log[1]!.sha, log[3]!.sha, log[5]!.sha]);
    expect(h.events.get('lib/a.js')!.filter((e) => e.fix)).toHaveLength(1);
  });

  it('measures gold and baselines as hotspots.py does', () => {
    const g = measureGold(path.join(repo.root, '.git'), t0);
    expect(g.files).toEqual(['lib/a.js', 'lib/c.js']);
    expect([...g.gold.entries()]).toEqual([['lib/c.js', 1]]);
    expect(g.baselines.loc.get('lib/a.js')).toBe(4);
    expect(g.baselines.churn.get('lib/a.js')).toBe(2);
  });

  it('scores like score(): ties by path, AUC over defect/clean pairs', () => {
    const files = ['a', 'b', 'c', 'd'];
    expect(scoreRanking(new Map([['a', 3], ['b', 2], ['c', 1]]), new Set(['a', 'c']), files, 2)).toEqual({ 'p@2': 0.5, 'recall@2': 0.5, auc: 0.75 });
    // All tied: path order a, b, c, d.
    expect(scoreRanking(new Map(), new Set(['d']), files, 2).auc).toBe(0);
  });

  it.skipIf(!fs.existsSync(SCRIPT))('agrees with the Python script', () => {
    const gitDir = path.join(repo.root, '.git');
    const py = JSON.parse(execFileSync('python3', [SCRIPT, gitDir, t0], { encoding: 'utf8' })) as { files: number; defect_files: number; baselines: Record<string, Record<string, number>> };
    const g = measureGold(gitDir, t0);
    expect(py.files).toBe(g.files.length);
    expect(py.defect_files).toBe(g.gold.size);
    for (const [k, v] of Object.entries(g.baselines)) expect(scoreRanking(v, g.gold, g.files, 20)).toEqual(py.baselines[k]);
  });
});
