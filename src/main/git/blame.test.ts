// Tests blame: porcelain parsing, line authorship, the content-hash cache, uncommitted lines, and refusals.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRepo } from '../../../test/helpers/git-repo';
import { ProjectFs } from '../project/fs-access';
import { parsePorcelain } from './blame';
import { GitService } from './service';
import { change, day, openTestDb } from './testkit';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function setup() {
  const r = createRepo();
  const t = openTestDb();
  cleanups.push(() => r.cleanup(), () => t.close());
  change(r, { 'src/a.ts': 'one\ntwo\nthree\n' }, 'create a', { author: 'Alice', email: 'Alice@Example.com', at: day(1) });
  change(r, { 'src/a.ts': 'one\nTWO by bob\nthree\n' }, 'bob edits line 2', { author: 'Bob', email: 'bob@example.com', at: day(2) });
  const pid = t.projectId(r.root);
  const svc = new GitService(t.db, pid, { root: r.root }, new ProjectFs(r.root));
  return { r, t, svc, pid };
}

describe('blame', () => {
  it('parses porcelain output, including repeated commits', () => {
    const sha = 'c'.repeat(40);
    const out = [`${sha} 1 1 2`, 'author Ann', 'author-mail <ANN@x.org>', 'author-time 1700000000', 'summary Do it', 'filename f', '\tline one', `${sha} 2 2`, 'filename f', '\tline two', ''].join('\n');
    expect(parsePorcelain(out)).toEqual([
      { sha, orig: 1, line: 1, author: 'Ann', email: 'ann@x.org', time: 1700000000, summary: 'Do it' },
      { sha, orig: 2, line: 2, author: 'Ann', email: 'ann@x.org', time: 1700000000, summary: 'Do it' },
    ]);
  });

  it('gives each line its commit and author, and caches by content', async () => {
    const { r, t, svc, pid } = setup();
    const first = await svc.blame('src/a.ts');
    expect(first.cached).toBe(false);
    expect(first.results.map((x) => x.author)).toEqual(['Alice', 'Bob', 'Alice']);
    expect(first.results[1]).toMatchObject({ line: 2, email: 'bob@example.com', summary: 'bob edits line 2', commit: r.git('rev-parse', 'HEAD').trim() });
    expect(first.results[0]!.date).toBe(new Date(day(1) * 1000).toISOString());
    const again = await svc.blame('src/a.ts', 2);
    expect(again.cached).toBe(true);
    expect(again.results).toHaveLength(1);
    expect(again.results[0]!.author).toBe('Bob');
    // An uncommitted edit changes the content hash: blame runs again and shows the new line as not committed.
    fs.writeFileSync(path.join(r.root, 'src/a.ts'), 'one\nTWO by bob\nthree\nfour (local)\n');
    const edited = await svc.blame('src/a.ts');
    expect(edited.cached).toBe(false);
    expect(edited.results[3]).toMatchObject({ line: 4, author: 'Not Committed Yet' });
    const rows = (t.db.prepare('SELECT count(*) AS n FROM blame_annotations WHERE project_id = ? AND path = ?').get(pid, 'src/a.ts') as { n: number }).n;
    expect(rows).toBe(4);
  });

  it('refuses untracked files, missing lines and paths outside the project', async () => {
    const { r, svc } = setup();
    fs.writeFileSync(path.join(r.root, 'new.ts'), 'x\n');
    await expect(svc.blame('new.ts')).rejects.toMatchObject({ code: 'not_found' });
    await expect(svc.blame('src/a.ts', 99)).rejects.toMatchObject({ code: 'bad_request' });
    await expect(svc.blame('../outside.ts')).rejects.toMatchObject({ code: 'path_outside_root' });
    await expect(svc.blame('nope.ts')).rejects.toMatchObject({ code: 'not_found' });
  });
});
