// Tests history ingest on real git repositories, including the odd ones.
// Incremental reads, rewrites, mailmap, bots, renames, merges; shallow, partial, missing objects, non-git, empty,
// detached, submodules, subfolders, interrupted runs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';
import { syncHistory } from './ingest';
import { change, derivedSnapshot, openTestDb, type TestDb } from './testkit';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function repo(): TestRepo {
  const r = createRepo();
  cleanups.push(() => r.cleanup());
  return r;
}
function testDb(): TestDb {
  const t = openTestDb();
  cleanups.push(() => t.close());
  return t;
}
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@x' };
const sh = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Three small commits: a/b together, then b/c, then a alone. */
function seed(r: TestRepo): string[] {
  return [
    change(r, { 'src/a.ts': 'a1\n', 'src/b.ts': 'b1\n' }, 'add a and b'),
    change(r, { 'src/b.ts': 'b2\nmore\n', 'lib/c.ts': 'c1\n' }, 'b with c'),
    change(r, { 'src/a.ts': 'a2\n' }, 'touch a'),
  ];
}

/** A fresh database that reads the repository from scratch: what every incremental path must equal. */
async function fromScratch(root: string) {
  const t = testDb();
  const pid = t.projectId(root);
  await syncHistory(t.db, pid, { root });
  return derivedSnapshot(t.db, pid);
}

const count = (t: TestDb, sql: string, ...args: unknown[]) => (t.db.prepare(sql).get(...args) as { n: number }).n;

describe('history ingest', () => {
  it('stores commits with files and line counts, authors and the sync state', async () => {
    const r = repo();
    seed(r);
    const t = testDb();
    const pid = t.projectId(r.root);
    const rep = await syncHistory(t.db, pid, { root: r.root });
    expect(rep.status).toBe('ok');
    expect(rep.commits_added).toBe(3);
    expect(rep.mode).toBe('numstat');
    const c = t.db.prepare("SELECT * FROM git_commits WHERE project_id = ? AND subject = 'b with c'").get(pid) as { files_count: number; lines_added: number; lines_deleted: number };
    expect(c).toMatchObject({ files_count: 2, lines_added: 3, lines_deleted: 1 });
    const files = t.db.prepare('SELECT path, added, deleted FROM git_commit_files WHERE project_id = ? ORDER BY path').all(pid);
    expect(files).toContainEqual({ path: 'lib/c.ts', added: 1, deleted: 0 });
    const a = t.db.prepare("SELECT commits, cc_commits, in_head, folder FROM git_file_stats WHERE project_id = ? AND path = 'src/a.ts'").get(pid);
    expect(a).toEqual({ commits: 2, cc_commits: 2, in_head: 1, folder: 'src' });
    const st = t.db.prepare('SELECT status, head_sha, stats_dirty FROM git_sync_state WHERE project_id = ?').get(pid) as { status: string; head_sha: string; stats_dirty: number };
    expect(st).toMatchObject({ status: 'ok', head_sha: r.git('rev-parse', 'HEAD').trim(), stats_dirty: 0 });
  });

  it('reads only new commits, and the incremental result equals a full read', async () => {
    const r = repo();
    seed(r);
    const t = testDb();
    const pid = t.projectId(r.root);
    await syncHistory(t.db, pid, { root: r.root });
    const again = await syncHistory(t.db, pid, { root: r.root });
    expect(again.status).toBe('unchanged');
    change(r, { 'src/a.ts': 'a3\n', 'lib/c.ts': 'c2\n' }, 'a with c');
    change(r, { 'src/b.ts': 'b3\n' }, 'b alone');
    const inc = await syncHistory(t.db, pid, { root: r.root });
    expect(inc).toMatchObject({ status: 'ok', commits_added: 2, rebuilt: false, commits_total: 5 });
    expect(count(t, 'SELECT count(*) AS n FROM git_commits WHERE project_id = ?', pid)).toBe(5);
    expect(derivedSnapshot(t.db, pid)).toEqual(await fromScratch(r.root));
  });

  it('re-syncs a rewritten history (reset and new commits) without duplicates', async () => {
    const r = repo();
    seed(r);
    const t = testDb();
    const pid = t.projectId(r.root);
    await syncHistory(t.db, pid, { root: r.root });
    r.git('reset', '-q', '--hard', 'HEAD~2');
    change(r, { 'src/a.ts': 'rewritten\n', 'docs/x.md': 'x\n' }, 'fix: new history');
    const rep = await syncHistory(t.db, pid, { root: r.root });
    expect(rep).toMatchObject({ status: 'ok', commits_removed: 2, commits_added: 1, rebuilt: true, commits_total: 2 });
    expect(rep.reasons.map((x) => x.kind)).toContain('rewritten');
    expect(count(t, 'SELECT count(*) AS n FROM git_commits WHERE project_id = ?', pid)).toBe(2);
    expect(count(t, "SELECT count(*) AS n FROM file_cochange_patterns WHERE project_id = ? AND other = 'lib/c.ts'", pid)).toBe(0);
    expect(derivedSnapshot(t.db, pid)).toEqual(await fromScratch(r.root));
  });

  it('re-syncs after a rebase onto another branch', async () => {
    const r = repo();
    change(r, { 'base.txt': '1\n' }, 'base');
    r.git('checkout', '-q', '-b', 'feature');
    change(r, { 'feat.txt': 'f\n', 'base.txt': '2\n' }, 'feature work');
    r.git('checkout', '-q', 'main');
    change(r, { 'other.txt': 'o\n' }, 'main moves on');
    r.git('checkout', '-q', 'feature');
    const t = testDb();
    const pid = t.projectId(r.root);
    await syncHistory(t.db, pid, { root: r.root });
    sh(r.root, '-c', 'user.name=T', '-c', 'user.email=t@x', 'rebase', '-q', 'main');
    const rep = await syncHistory(t.db, pid, { root: r.root });
    expect(rep.commits_removed).toBe(1);
    expect(count(t, "SELECT count(*) AS n FROM git_commits WHERE project_id = ? AND subject = 'feature work'", pid)).toBe(1);
    expect(count(t, 'SELECT count(*) AS n FROM git_commits WHERE project_id = ?', pid)).toBe(3);
    expect(derivedSnapshot(t.db, pid)).toEqual(await fromScratch(r.root));
  });

  it('applies the mailmap and flags bots', async () => {
    const r = repo();
    change(r, { 'a.txt': '1\n' }, 'first', { author: 'Ann Old', email: 'ann@old.example' });
    change(r, { 'a.txt': '2\n' }, 'second', { author: 'Ann Smith', email: 'ann@new.example' });
    change(r, { 'package.json': '{}\n' }, 'build(deps): bump x', { author: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' });
    change(r, { '.mailmap': 'Ann Smith <ann@new.example> <ann@old.example>\n' }, 'mailmap');
    const t = testDb();
    const pid = t.projectId(r.root);
    await syncHistory(t.db, pid, { root: r.root });
    const authors = t.db.prepare('SELECT email, name, is_bot, commits FROM git_authors WHERE project_id = ? ORDER BY email').all(pid);
    expect(authors).toEqual([
      { email: '49699333+dependabot[bot]@users.noreply.github.com', name: 'dependabot[bot]', is_bot: 1, commits: 1 },
      { email: 'ann@new.example', name: 'Ann Smith', is_bot: 0, commits: 2 },
      { email: 'test@example.com', name: 'Test User', is_bot: 0, commits: 1 },
    ]);
    expect(count(t, 'SELECT count(*) AS n FROM git_commits WHERE project_id = ? AND is_bot = 1', pid)).toBe(1);
  });

  it('follows renames into the newest name and records merges', async () => {
    const r = repo();
    change(r, { 'old/name.ts': 'export const x = 1;\n'.repeat(20), 'util.ts': 'u\n' }, 'start');
    change(r, { 'old/name.ts': 'export const x = 1;\n'.repeat(20) + 'y\n', 'util.ts': 'u2\n' }, 'edit');
    fs.mkdirSync(path.join(r.root, 'new'));
    r.git('mv', 'old/name.ts', 'new/name.ts');
    change(r, {}, 'move');
    r.git('checkout', '-q', '-b', 'side');
    change(r, { 'side.txt': 's\n' }, 'side work');
    r.git('checkout', '-q', 'main');
    change(r, { 'main.txt': 'm\n' }, 'main work');
    sh(r.root, '-c', 'user.name=T', '-c', 'user.email=t@x', 'merge', '-q', '--no-ff', '-m', 'Merge side', 'side');
    const t = testDb();
    const pid = t.projectId(r.root);
    const rep = await syncHistory(t.db, pid, { root: r.root });
    expect(rep.reasons.map((x) => x.kind)).toContain('merges');
    const stats = t.db.prepare("SELECT commits FROM git_file_stats WHERE project_id = ? AND path = 'new/name.ts'").get(pid);
    expect(stats).toEqual({ commits: 3 });
    expect(t.db.prepare("SELECT 1 FROM git_file_stats WHERE project_id = ? AND path = 'old/name.ts'").get(pid)).toBeUndefined();
    expect(t.db.prepare("SELECT support FROM file_cochange_patterns WHERE project_id = ? AND path = 'new/name.ts' AND other = 'util.ts'").get(pid)).toEqual({ support: 2 });
    const merge = t.db.prepare("SELECT is_merge, files_count, skip_reason FROM git_commits WHERE project_id = ? AND subject = 'Merge side'").get(pid) as { is_merge: number; skip_reason: string };
    expect(merge.is_merge).toBe(1);
    expect(merge.skip_reason).toMatch(/^merge/);
    // A rename arriving incrementally rebuilds, and the result equals a full read.
    fs.mkdirSync(path.join(r.root, 'lib'));
    r.git('mv', 'util.ts', 'lib/util.ts');
    change(r, {}, 'move util');
    const inc = await syncHistory(t.db, pid, { root: r.root });
    expect(inc.rebuilt).toBe(true);
    expect(derivedSnapshot(t.db, pid)).toEqual(await fromScratch(r.root));
  });

  it('leaves large change sets out of co-change but keeps them', async () => {
    const r = repo();
    const many: Record<string, string> = {};
    for (let i = 0; i < 40; i++) many[`gen/f${i}.ts`] = `${i}\n`;
    change(r, many, 'vendor everything');
    change(r, { 'gen/f1.ts': 'x\n', 'gen/f2.ts': 'y\n' }, 'pair');
    const t = testDb();
    const pid = t.projectId(r.root);
    const rep = await syncHistory(t.db, pid, { root: r.root });
    expect(rep.reasons.find((x) => x.kind === 'large_commits')?.detail).toMatch(/1 commit/);
    expect(count(t, 'SELECT count(*) AS n FROM git_commit_files WHERE project_id = ?', pid)).toBe(42);
    expect(count(t, 'SELECT count(*) AS n FROM file_cochange_patterns WHERE project_id = ?', pid)).toBe(2);
  });

  it('records a reason and does not crash on a folder that is not a git repository, or an empty one', async () => {
    const dir = tempDir('mira-nogit-');
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'a.txt'), 'x');
    const t = testDb();
    const pid = t.projectId(dir);
    const rep = await syncHistory(t.db, pid, { root: dir });
    expect(rep.status).toBe('not_a_git_repo');
    expect(rep.reasons[0]!.detail).toMatch(/not a git repository/);
    const empty = repo();
    const pid2 = t.projectId(empty.root);
    const rep2 = await syncHistory(t.db, pid2, { root: empty.root });
    expect(rep2.status).toBe('no_commits');
    expect((t.db.prepare('SELECT status FROM git_sync_state WHERE project_id = ?').get(pid2) as { status: string }).status).toBe('no_commits');
  });

  it('reads a detached HEAD and says so', async () => {
    const r = repo();
    const shas = seed(r);
    r.git('checkout', '-q', '--detach', shas[1]!);
    const t = testDb();
    const pid = t.projectId(r.root);
    const rep = await syncHistory(t.db, pid, { root: r.root });
    expect(rep).toMatchObject({ status: 'ok', detached: true, commits_total: 2 });
    expect(rep.reasons.map((x) => x.kind)).toContain('detached_head');
  });

  it('reads a shallow clone, storing the boundary commit without its fake all-files diff', async () => {
    const r = repo();
    seed(r);
    change(r, { 'src/b.ts': 'b9\n', 'src/a.ts': 'a9\n' }, 'fourth');
    const dir = tempDir('mira-shallow-');
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    sh(dir, 'clone', '-q', '--depth', '2', `file://${r.root}`, 'clone');
    const root = path.join(dir, 'clone');
    const t = testDb();
    const pid = t.projectId(root);
    const rep = await syncHistory(t.db, pid, { root });
    expect(rep).toMatchObject({ status: 'ok', shallow: true, commits_total: 2 });
    expect(rep.reasons.map((x) => x.kind)).toEqual(expect.arrayContaining(['shallow', 'shallow_boundary']));
    const boundary = t.db.prepare("SELECT files_count, skip_reason FROM git_commits WHERE project_id = ? AND subject = 'touch a'").get(pid) as { files_count: number; skip_reason: string };
    expect(boundary.files_count).toBe(0);
    expect(boundary.skip_reason).toMatch(/^shallow/);
    // Files past the boundary are still known to exist.
    expect(t.db.prepare("SELECT in_head FROM git_file_stats WHERE project_id = ? AND path = 'lib/c.ts'").get(pid)).toEqual({ in_head: 1 });
  });

  it('falls back to paths only when objects are missing, and keeps every commit', async () => {
    const r = repo();
    seed(r);
    const blob = r.git('rev-parse', 'HEAD~1:src/b.ts').trim();
    fs.rmSync(path.join(r.root, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    const t = testDb();
    const pid = t.projectId(r.root);
    const rep = await syncHistory(t.db, pid, { root: r.root });
    expect(rep.status).toBe('ok');
    expect(rep.mode).toBe('names');
    expect(rep.reasons.map((x) => x.kind)).toContain('missing_objects');
    expect(rep.commits_total).toBe(3);
    expect(count(t, 'SELECT count(*) AS n FROM git_commit_files WHERE project_id = ?', pid)).toBe(5);
  });

  it('reads a partial (blobless) clone by paths without fetching', async () => {
    const r = repo();
    seed(r);
    r.git('config', 'uploadpack.allowFilter', 'true');
    const dir = tempDir('mira-partial-');
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    sh(dir, 'clone', '-q', '--no-checkout', '--filter=blob:none', `file://${r.root}`, 'clone');
    const root = path.join(dir, 'clone');
    const t = testDb();
    const pid = t.projectId(root);
    const rep = await syncHistory(t.db, pid, { root });
    expect(rep).toMatchObject({ status: 'ok', mode: 'names', commits_total: 3 });
    expect(rep.reasons.map((x) => x.kind)).toContain('partial_clone');
    expect(t.db.prepare("SELECT support FROM file_cochange_patterns WHERE project_id = ? AND path = 'src/a.ts' AND other = 'src/b.ts'").get(pid)).toEqual({ support: 1 });
  });

  it('names submodules as not read', async () => {
    const sub = repo();
    change(sub, { 's.txt': '1\n' }, 'sub');
    const r = repo();
    change(r, { 'a.txt': '1\n' }, 'a');
    sh(r.root, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub.root, 'vendor/sub');
    change(r, {}, 'add submodule');
    const t = testDb();
    const pid = t.projectId(r.root);
    const rep = await syncHistory(t.db, pid, { root: r.root });
    expect(rep.status).toBe('ok');
    expect(rep.reasons.find((x) => x.kind === 'submodule')?.detail).toMatch(/vendor\/sub/);
    expect(t.db.prepare("SELECT in_head FROM git_file_stats WHERE project_id = ? AND path = 'vendor/sub'").get(pid)).toEqual({ in_head: 0 });
  });

  it('reads only the history of a project that is a subfolder of a repository', async () => {
    const r = repo();
    change(r, { 'pkg/a.ts': '1\n', 'pkg/b.ts': '1\n', 'other/x.ts': '1\n' }, 'all');
    change(r, { 'other/x.ts': '2\n' }, 'outside only');
    const root = path.join(r.root, 'pkg');
    const t = testDb();
    const pid = t.projectId(root);
    const rep = await syncHistory(t.db, pid, { root });
    expect(rep.commits_total).toBe(1);
    expect(rep.reasons.map((x) => x.kind)).toContain('subfolder');
    const paths = (t.db.prepare('SELECT path FROM git_commit_files WHERE project_id = ? ORDER BY path').all(pid) as { path: string }[]).map((x) => x.path);
    expect(paths).toEqual(['a.ts', 'b.ts']);
  });

  it('reads a bare git dir up to a given commit (evaluation mode)', async () => {
    const r = repo();
    const shas = seed(r);
    const dir = tempDir('mira-bare-');
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    sh(dir, 'clone', '-q', '--mirror', `file://${r.root}`, 'm.git');
    const gitDir = path.join(dir, 'm.git');
    const t = testDb();
    const pid = t.projectId(gitDir);
    const rep = await syncHistory(t.db, pid, { gitDir }, { until: shas[1] });
    expect(rep).toMatchObject({ status: 'ok', commits_total: 2 });
    expect(t.db.prepare("SELECT in_head FROM git_file_stats WHERE project_id = ? AND path = 'lib/c.ts'").get(pid)).toEqual({ in_head: 1 });
    await expect(syncHistory(t.db, pid, { gitDir }, { until: '--upload-pack=evil' })).rejects.toThrow(/not a commit/);
    await expect(syncHistory(t.db, pid, { gitDir }, { until: 'f'.repeat(40) })).rejects.toThrow(/not in the repository/);
  });

  it('survives an interrupted run: nothing half-written, and the next run completes it', async () => {
    const r = repo();
    for (let i = 0; i < 12; i++) change(r, { [`f${i % 4}.ts`]: `${i}\n`, [`g${i % 3}.ts`]: `${i}\n` }, `commit ${i}`);
    const t = testDb();
    const pid = t.projectId(r.root);
    const ac = new AbortController();
    const rep = await syncHistory(t.db, pid, { root: r.root }, { batchSize: 2, signal: ac.signal, progress: () => ac.abort() });
    // Aborting kills git; whatever was stored is whole commits with their files, and the state says partial.
    expect(rep.status).toBe('partial');
    const partial = t.db.prepare('SELECT c.files_count AS n, (SELECT count(*) FROM git_commit_files f WHERE f.commit_id = c.id) AS m FROM git_commits c WHERE c.project_id = ?').all(pid) as { n: number; m: number }[];
    for (const p of partial) expect(p.m).toBe(p.n);
    const done = await syncHistory(t.db, pid, { root: r.root });
    expect(done.status).toBe('ok');
    expect(done.commits_total).toBe(12);
    expect(derivedSnapshot(t.db, pid)).toEqual(await fromScratch(r.root));
  });

  it('cascades everything away with the project', async () => {
    const r = repo();
    change(r, { 'a.ts': '1\n', 'b.ts': '1\n' }, 'fix: crash in a (closes #12)');
    const t = testDb();
    const pid = t.projectId(r.root);
    await syncHistory(t.db, pid, { root: r.root });
    expect(count(t, 'SELECT count(*) AS n FROM historical_fixes_fts WHERE project_id = ?', pid)).toBe(1);
    t.db.prepare('DELETE FROM projects WHERE id = ?').run(pid);
    for (const table of ['git_commits', 'git_commit_files', 'git_authors', 'git_file_stats', 'file_cochange_patterns', 'author_expertise', 'historical_fixes', 'git_sync_state']) {
      expect(count(t, `SELECT count(*) AS n FROM ${table} WHERE project_id = ?`, pid)).toBe(0);
    }
    expect(count(t, 'SELECT count(*) AS n FROM historical_fixes_fts WHERE project_id = ?', pid)).toBe(0);
  });
});
