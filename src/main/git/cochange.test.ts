// Tests co-change ranking: size weighting, decay, renames, multi-file queries, deleted files, and the prior.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from '../../../test/helpers/git-repo';
import { testStem } from './cochange';
import { GitService } from './service';
import { change, day, openTestDb, type TestDb } from './testkit';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

async function setup(build: (r: TestRepo) => void): Promise<{ r: TestRepo; t: TestDb; svc: GitService }> {
  const r = createRepo();
  const t = openTestDb();
  cleanups.push(() => r.cleanup(), () => t.close());
  build(r);
  const svc = new GitService(t.db, t.projectId(r.root), { root: r.root });
  const rep = await svc.sync();
  expect(rep.status).toBe('ok');
  return { r, t, svc };
}

const paths = (svc: GitService, files: string[], k = 10) => svc.cochangeFor(files, k).results.map((x) => x.path);

describe('co-change', () => {
  it('weights by change-set size: a 2-file commit says more than a 25-file one', async () => {
    const { svc } = await setup((r) => {
      for (let i = 0; i < 2; i++) change(r, { 'a.ts': `a${i}\n`, 'b.ts': `b${i}\n` }, `a+b ${i}`, { at: day(100 + i) });
      for (let i = 0; i < 3; i++) {
        const files: Record<string, string> = { 'a.ts': `a big ${i}\n`, 'c.ts': `c${i}\n` };
        for (let j = 0; j < 23; j++) files[`gen/d${j}.ts`] = `${i}\n`;
        change(r, files, `big ${i}`, { at: day(103 + i) });
      }
    });
    const res = svc.cochangeFor(['a.ts']).results;
    expect(res[0]!.path).toBe('b.ts');
    const b = res.find((x) => x.path === 'b.ts')!;
    const c = res.find((x) => x.path === 'c.ts')!;
    // Plain association rules would put c first (3 co-changes against 2).
    expect(c.support).toBe(3);
    expect(b.support).toBe(2);
    expect(b.confidence).toBeCloseTo(2 / 5, 5);
    expect(b.score).toBeGreaterThan(c.score);
    expect(b.evidence).toHaveLength(2);
    expect(b.source).toBe('history');
  });

  it('decays by age: recent partners beat old ones with the same support', async () => {
    const { svc } = await setup((r) => {
      for (let i = 0; i < 3; i++) change(r, { 'x.ts': `x${i}\n`, 'old.ts': `o${i}\n` }, `old ${i}`, { at: day(i) });
      for (let i = 0; i < 3; i++) change(r, { 'x.ts': `y${i}\n`, 'new.ts': `n${i}\n` }, `new ${i}`, { at: day(700 + i) });
    });
    const res = svc.cochangeFor(['x.ts']).results;
    expect(res.map((x) => x.path).slice(0, 2)).toEqual(['new.ts', 'old.ts']);
    expect(res[0]!.support).toBe(res[1]!.support);
    expect(res[0]!.last_cochange!.slice(0, 10)).toBe('2025-12-03');
  });

  it('follows renames: history under the old name counts for the new one, and the old name finds it', async () => {
    const { r, svc } = await setup((r) => {
      const body = 'export const value = 1;\n'.repeat(30);
      for (let i = 0; i < 2; i++) change(r, { 'src/p.ts': body + `// ${i}\n`, 'src/q.ts': `q${i}\n` }, `p+q ${i}`);
      fs.mkdirSync(path.join(r.root, 'lib'));
      r.git('mv', 'src/p.ts', 'lib/p2.ts');
      change(r, {}, 'move p');
      change(r, { 'lib/p2.ts': body + '// moved\n', 'lib/r.ts': 'r\n' }, 'p2+r');
    });
    void r;
    const res = svc.cochangeFor(['lib/p2.ts']).results;
    expect(res.find((x) => x.path === 'src/q.ts')?.support).toBe(2);
    expect(res.find((x) => x.path === 'lib/r.ts')?.support).toBe(1);
    const viaOld = svc.cochangeFor(['src/p.ts']);
    expect(viaOld.query).toEqual(['lib/p2.ts']);
    expect(viaOld.results.map((x) => x.path)).toEqual(res.map((x) => x.path));
  });

  it('answers multi-file queries TARMAQ-style: what changed with all of them ranks first', async () => {
    const { svc } = await setup((r) => {
      for (let i = 0; i < 2; i++) change(r, { 'a.ts': `a${i}\n`, 'b.ts': `b${i}\n`, 't.ts': `t${i}\n` }, `a+b+t ${i}`);
      for (let i = 0; i < 3; i++) change(r, { 'a.ts': `aa${i}\n`, 'x.ts': `x${i}\n` }, `a+x ${i}`);
      for (let i = 0; i < 3; i++) change(r, { 'b.ts': `bb${i}\n`, 'y.ts': `y${i}\n` }, `b+y ${i}`);
    });
    expect(paths(svc, ['a.ts'])[0]).toBe('x.ts');
    const multi = svc.cochangeFor(['a.ts', 'b.ts']);
    expect(multi.results[0]).toMatchObject({ path: 't.ts', support: 2, confidence: 1 });
    expect(multi.results.map((x) => x.path)).not.toContain('a.ts');
    // With one file, the rules path gives exactly the single-file scores.
    const single = svc.cochange.query(['a.ts'], 10).results.map((x) => [x.path, x.score]);
    const rules = svc.cochange.query(['a.ts'], 10, { rules: true }).results.map((x) => [x.path, x.score]);
    expect(rules).toEqual(single);
  });

  it('does not propose files that no longer exist', async () => {
    const { svc } = await setup((r) => {
      for (let i = 0; i < 3; i++) change(r, { 'a.ts': `a${i}\n`, 'gone.ts': `g${i}\n` }, `a+gone ${i}`);
      change(r, { 'a.ts': 'a\n', 'kept.ts': 'k\n' }, 'a+kept');
      change(r, { 'gone.ts': null }, 'delete gone');
    });
    const res = paths(svc, ['a.ts']);
    expect(res).toContain('kept.ts');
    expect(res).not.toContain('gone.ts');
  });

  it('answers for a file without history from its folder and siblings', async () => {
    const { svc } = await setup((r) => {
      for (let i = 0; i < 3; i++) change(r, { 'src/one.ts': `1${i}\n`, 'src/two.ts': `2${i}\n`, 'CHANGELOG.md': `${i}\n` }, `work ${i}`);
      change(r, { 'docs/readme.md': 'r\n' }, 'docs');
    });
    const ans = svc.cochangeFor(['src/brand-new.ts']);
    expect(ans.unknown).toEqual(['src/brand-new.ts']);
    const top = ans.results.slice(0, 3).map((x) => x.path).sort();
    expect(top).toEqual(['CHANGELOG.md', 'src/one.ts', 'src/two.ts']);
    expect(ans.results.every((x) => x.source !== 'history')).toBe(true);
  });

  it('pairs a test with the file it tests by name, wherever they live', async () => {
    const { t, svc, r } = await setup((r) => {
      // The source and its test never changed together; the test's folder changes with other things.
      for (let i = 0; i < 3; i++) change(r, { 'src/parser.ts': `p${i}\n`, 'src/lexer.ts': `l${i}\n` }, `parser ${i}`);
      for (let i = 0; i < 3; i++) change(r, { 'test/setup.ts': `s${i}\n`, 'test/lexer.test.ts': `t${i}\n` }, `tests ${i}`);
      change(r, { 'test/parser.test.ts': 'x\n' }, 'add parser test');
      // Ambiguous names: three files are called util, so util.test.ts pairs with none.
      change(r, { 'a/util.ts': '1\n', 'b/util.ts': '1\n', 'c/util.ts': '1\n', 'test/util.test.ts': '1\n' }, 'utils');
      change(r, { 'test/util.test.ts': '2\n' }, 'util test');
    });
    const ans = svc.cochangeFor(['test/parser.test.ts']);
    expect(ans.results[0]).toMatchObject({ path: 'src/parser.ts', source: 'name', support: 0 });
    // And the other way round: the source proposes its test next to what history says.
    expect(paths(svc, ['src/parser.ts'], 3)).toContain('test/parser.test.ts');
    expect(svc.cochange.mates('test/util.test.ts')).toEqual([]);
    // The pairing is what puts the source first: without it, the test's folder wins.
    const off = new GitService(t.db, t.projectId(r.root), { root: r.root }, undefined, { cochange: { mateShare: 0 } });
    expect(off.cochangeFor(['test/parser.test.ts']).results[0]!.path).not.toBe('src/parser.ts');
  });

  it('reads what a test tests from its name', () => {
    expect(testStem('pkg/foo_test.go')).toBe('foo');
    expect(testStem('tests/test_core.py')).toBe('core');
    expect(testStem('src/Button.test.tsx')).toBe('button');
    expect(testStem('spec/models/user.spec.js')).toBe('user');
    expect(testStem('src/test/java/FooTest.java')).toBe('foo');
    expect(testStem('src/latest.ts')).toBeNull();
    expect(testStem('tests/util.rs')).toBeNull();
  });

  it('is incremental: new commits change the answer without a rebuild', async () => {
    const { r, svc } = await setup((r) => {
      change(r, { 'a.ts': '1\n', 'b.ts': '1\n' }, 'a+b');
    });
    expect(paths(svc, ['a.ts'])[0]).toBe('b.ts');
    for (let i = 0; i < 3; i++) change(r, { 'a.ts': `${i}x\n`, 'c.ts': `${i}\n` }, `a+c ${i}`);
    const rep = await svc.sync();
    expect(rep.rebuilt).toBe(false);
    expect(paths(svc, ['a.ts'])[0]).toBe('c.ts');
  });

  it('looks up evidence commits by sha, abbreviated or not, however long the file history', async () => {
    const { svc, r } = await setup((r) => {
      for (let i = 0; i < 30; i++) change(r, { 'src/busy.ts': `${i}\n` }, `busy ${i}`);
    });
    const all = r.git('log', '--format=%H').trim().split('\n');
    const wanted = [all[29]!, all[0]!.slice(0, 8), 'deadbeef'];
    const got = svc.commits({ shas: wanted });
    expect(got.map((c) => c.sha)).toEqual([all[29], all[0]]);
    expect(got[0]!.subject).toBe('busy 0');
  });
});
