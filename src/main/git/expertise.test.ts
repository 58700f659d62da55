// Tests expertise: ranking people for files, sets and folders, degree of authorship, bots, recency, and truck factors.
import { afterEach, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from '../../../test/helpers/git-repo';
import { degreeOfAuthorship, personKey, writeConceptExpertise, type ExpertiseParams } from './expertise';
import { GitService } from './service';
import { change, day, openTestDb, type TestDb } from './testkit';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const ALICE = { author: 'Alice', email: 'alice@example.com' };
const BOB = { author: 'Bob', email: 'bob@example.com' };
const CAROL = { author: 'Carol', email: 'carol@example.com' };

async function setup(build: (r: TestRepo) => void, params: Partial<ExpertiseParams> = {}): Promise<{ t: TestDb; svc: GitService; pid: number; root: string }> {
  const r = createRepo();
  const t = openTestDb();
  cleanups.push(() => r.cleanup(), () => t.close());
  build(r);
  const pid = t.projectId(r.root);
  const svc = new GitService(t.db, pid, { root: r.root }, undefined, { expertise: params });
  await svc.sync();
  return { t, svc, pid, root: r.root };
}

const emails = (svc: GitService, paths: string[], opts: { bots?: boolean } = {}) => svc.experts(paths, 10, opts).results.map((x) => x.email);

describe('expertise', () => {
  it('computes the degree of authorship as in the model', () => {
    expect(degreeOfAuthorship(true, 10, 0)).toBeCloseTo(3.293 + 1.098 + 1.64, 6);
    expect(degreeOfAuthorship(false, 1, 20)).toBeCloseTo(3.293 + 0.164 - 0.321 * Math.log(21), 6);
  });

  it('ranks the author who wrote and keeps changing a file above a one-off editor', async () => {
    const { svc } = await setup((r) => {
      change(r, { 'src/core.ts': 'line\n'.repeat(50) }, 'create core', { ...ALICE, at: day(0) });
      for (let i = 0; i < 4; i++) change(r, { 'src/core.ts': 'line\n'.repeat(50) + `alice ${i}\n` }, `alice ${i}`, { ...ALICE, at: day(10 + i) });
      change(r, { 'src/core.ts': 'line\n'.repeat(50) + 'bob\n' }, 'bob tweak', { ...BOB, at: day(20) });
      change(r, { 'src/other.ts': 'o\n' }, 'bob elsewhere', { ...BOB, at: day(21) });
    });
    const res = svc.experts(['src/core.ts']).results;
    expect(res.map((x) => x.email)).toEqual(['alice@example.com', 'bob@example.com']);
    expect(res[0]).toMatchObject({ author: 'Alice', commits: 5, bot: false });
    expect(res[0]!.lines_added).toBeGreaterThanOrEqual(50);
    expect(res[0]!.score).toBeGreaterThan(res[1]!.score);
  });

  it('ranks people for a set of files and for folders', async () => {
    const { svc } = await setup((r) => {
      for (let i = 0; i < 3; i++) change(r, { 'api/a.ts': `${i}\n` }, `a ${i}`, { ...ALICE, at: day(i) });
      for (let i = 0; i < 3; i++) change(r, { 'api/b.ts': `${i}\n`, 'api/c.ts': `${i}\n` }, `bc ${i}`, { ...BOB, at: day(5 + i) });
      for (let i = 0; i < 5; i++) change(r, { 'ui/v.ts': `${i}\n` }, `ui ${i}`, { ...CAROL, at: day(10 + i) });
    });
    expect(emails(svc, ['api/b.ts', 'api/c.ts'])[0]).toBe('bob@example.com');
    expect(emails(svc, ['api/a.ts'])[0]).toBe('alice@example.com');
    expect(emails(svc, ['ui'])[0]).toBe('carol@example.com');
    const api = svc.experts(['api']);
    expect(api.query).toEqual(['api']);
    expect(api.results.slice(0, 2).map((x) => x.email).sort()).toEqual(['alice@example.com', 'bob@example.com']);
    // A new file borrows its folder's people.
    const fresh = svc.experts(['ui/new.ts']);
    expect(fresh.unknown).toEqual(['ui/new.ts']);
    expect(fresh.results[0]!.email).toBe('carol@example.com');
  });

  it('prefers whoever is active now when the file history is equal', async () => {
    const { svc } = await setup((r) => {
      change(r, { 'f.ts': '1\n' }, 'old', { ...ALICE, at: day(0) });
      change(r, { 'f.ts': '2\n' }, 'new', { ...BOB, at: day(1) });
      for (let i = 0; i < 6; i++) change(r, { [`elsewhere${i}.ts`]: '1\n' }, `bob busy ${i}`, { ...BOB, at: day(800 + i) });
    });
    expect(emails(svc, ['f.ts'])[0]).toBe('bob@example.com');
  });

  it('flags bots and can leave them out', async () => {
    const { svc } = await setup((r) => {
      for (let i = 0; i < 4; i++) change(r, { 'package.json': `{"v":${i}}\n` }, `bump ${i}`, { author: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' });
      change(r, { 'package.json': '{"v":9}\n' }, 'manual', ALICE);
    });
    const all = svc.experts(['package.json']).results;
    expect(all[0]).toMatchObject({ bot: true });
    expect(emails(svc, ['package.json'], { bots: false })).toEqual(['alice@example.com']);
  });

  it('does not lend a bot its activity for code it never touched', async () => {
    const { svc } = await setup((r) => {
      change(r, { 'src/app.ts': '1\n' }, 'app', { ...ALICE, at: day(0) });
      for (let i = 0; i < 10; i++) change(r, { 'package.json': `{"v":${i}}\n` }, `bump ${i}`, { author: 'renovate[bot]', email: 'bot@renovateapp.com', at: day(300 + i) });
    });
    expect(emails(svc, ['src/app.ts'])).toEqual(['alice@example.com']);
  });

  it('counts the addresses of one person as one, and answers with the address they used last', async () => {
    const { t, svc, pid, root } = await setup((r) => {
      for (let i = 0; i < 2; i++) change(r, { 'lib/f.ts': `a${i}\n` }, `alice old ${i}`, { author: 'Alice Liddell', email: 'alice@old.example', at: day(i) });
      change(r, { 'lib/f.ts': 'a2\n' }, 'alice new', { author: 'alice  liddell', email: 'alice@new.example', at: day(5) });
      for (let i = 0; i < 2; i++) change(r, { 'lib/f.ts': `b${i}\n` }, `bob ${i}`, { ...BOB, at: day(2 + i) });
    });
    const res = svc.experts(['lib/f.ts']).results;
    // 3 commits against Bob's 2: together Alice comes first, once, under her new address.
    expect(res.map((x) => x.email)).toEqual(['alice@new.example', 'bob@example.com']);
    expect(res[0]).toMatchObject({ author: 'alice  liddell', commits: 3 });
    // Kept apart, each of her addresses ranks below Bob.
    const apart = new GitService(t.db, pid, { root }, undefined, { expertise: { mergeAliases: false } });
    expect(apart.experts(['lib/f.ts']).results[0]!.email).toBe('bob@example.com');
  });

  it('does not merge bots or anonymous names', () => {
    expect(personKey('Alice Liddell', 'a@x', false)).toBe(personKey(' alice   LIDDELL ', 'b@y', false));
    expect(personKey('root', 'a@x', false)).not.toBe(personKey('root', 'b@y', false));
    expect(personKey('dependabot[bot]', 'a@x', true)).not.toBe(personKey('dependabot[bot]', 'b@y', true));
    expect(personKey('1234', 'a@x', false)).not.toBe(personKey('1234', 'b@y', false));
  });

  it('ranks the active maintainer above a one-off author who left', async () => {
    const build = (r: TestRepo) => {
      change(r, { 'src/util.ts': 'u\n'.repeat(40) }, 'add util', { author: 'Dave', email: 'dave@example.com', at: day(0) });
      for (let i = 0; i < 20; i++) change(r, { [`src/m${i % 4}.ts`]: `${i}\n` }, `alice ${i}`, { ...ALICE, at: day(400 + i) });
    };
    const { svc } = await setup(build);
    expect(emails(svc, ['src/util.ts'])[0]).toBe('alice@example.com');
    // Without the presence factor the file's only author would win.
    const { svc: off } = await setup(build, { presenceFloor: 1 });
    expect(emails(off, ['src/util.ts'])[0]).toBe('dave@example.com');
  });

  it('says why each person ranks, and lists who wrote the files even when they left', async () => {
    const { svc } = await setup((r) => {
      change(r, { 'src/util.ts': 'u\n'.repeat(40) }, 'add util', { author: 'Dave', email: 'dave@example.com', at: day(0) });
      change(r, { 'src/util.ts': 'u\n'.repeat(45) }, 'more util', { author: 'Dave', email: 'dave@example.com', at: day(3) });
      change(r, { 'src/util.ts': 'u\n'.repeat(46) }, 'tweak util', { ...BOB, at: day(410) });
      for (let i = 0; i < 20; i++) change(r, { [`src/m${i % 4}.ts`]: `${i}\n` }, `alice ${i}`, { ...ALICE, at: day(400 + i) });
    });
    const ans = svc.experts(['src/util.ts'], 10);
    const alice = ans.results.find((x) => x.email === ALICE.email)!;
    expect(alice.why).toBe('no commits here; one of the most active people in the project lately');
    expect(alice.active).toBe(true);
    const dave = ans.results.find((x) => x.email === 'dave@example.com')!;
    expect(dave.why).toMatch(/^2 commits here, last \d{4}-\d{2}-\d{2}; less active in the project lately$/);
    expect(dave.active).toBe(false);
    // The people who know the code: Dave wrote most of it, though he left.
    expect(ans.authors.map((x) => [x.email, x.commits, x.active])).toEqual([
      ['dave@example.com', 2, false],
      [BOB.email, 1, true],
    ]);
    expect(ans.authors[0]!.share).toBeCloseTo(45 / 46, 2);
    expect(ans.authors[0]!.first_commit! < ans.authors[0]!.last_commit!).toBe(true);
  });

  it('computes a truck factor per folder', async () => {
    const { svc } = await setup((r) => {
      for (const f of ['x1', 'x2', 'x3']) change(r, { [`solo/${f}.ts`]: '1\n'.repeat(5) }, `alice ${f}`, ALICE);
      change(r, { 'solo/y.ts': '1\n' }, 'bob y', BOB);
      for (const f of ['p1', 'p2']) change(r, { [`pair/${f}.ts`]: '1\n' }, `alice ${f}`, ALICE);
      for (const f of ['q1', 'q2']) change(r, { [`pair/${f}.ts`]: '1\n' }, `bob ${f}`, BOB);
    });
    const solo = svc.truckFactor('solo');
    expect(solo).toMatchObject({ folder: 'solo', truck_factor: 1, files: 4 });
    expect(solo.authors[0]!.email).toBe('alice@example.com');
    expect(svc.truckFactor('pair').truck_factor).toBe(2);
    expect(svc.truckFactor('nothing-here')).toMatchObject({ truck_factor: 0, files: 0 });
  });

  it('keeps a hook for concept expertise', async () => {
    const { t, svc, pid } = await setup((r) => {
      change(r, { 'auth/login.ts': '1\n', 'auth/session.ts': '1\n' }, 'auth', ALICE);
      change(r, { 'billing/pay.ts': '1\n' }, 'billing', BOB);
    });
    writeConceptExpertise(t.db, pid, new Map([['authentication', ['auth/login.ts', 'auth/session.ts']]]));
    expect(svc.expertise.forConcept('authentication').map((x) => x.email)).toEqual(['alice@example.com']);
  });
});
