// `mira docs add|list|search|remove` through the real CLI: the {results: [{id, path, chunks}]} shape of CONTRACT.md, files inside and outside the project.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../../../test/fixtures/ops/pdf';
import { runCli } from '../../../test/helpers/cli';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';
import { isMethod } from '../../shared/api';

const wired = isMethod('docs/add');

describe.skipIf(!wired)('mira docs', () => {
  let repo: TestRepo;
  let home: string;
  let outside: string;

  beforeAll(() => {
    repo = createRepo();
    repo.write('docs/guide.md', '# Guide\n\n## Keys\n\nRotate the signing keys every ninety days.\n');
    repo.write('notes.txt', 'The cache warms up at midnight.\n');
    repo.commit('docs');
    home = tempDir('mira-home-');
    outside = tempDir('mira-outside-');
    fs.writeFileSync(path.join(outside, 'runbook.pdf'), makePdf(['Incident runbook', 'Page the on-call engineer within five minutes.']));
  });
  afterAll(() => {
    repo.cleanup();
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  const mira = (...args: string[]) => runCli(['--home', home, '--project', repo.root, ...args], { env: {}, cwd: repo.root });

  it('adds, lists, searches and removes', async () => {
    const pdf = path.join(outside, 'runbook.pdf');
    const add = await mira('--json', 'docs', 'add', 'docs/guide.md', 'notes.txt', pdf);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    const doc = JSON.parse(add.stdout);
    expect(doc.results).toEqual([
      expect.objectContaining({ id: expect.any(Number), path: 'docs/guide.md', chunks: 1 }),
      expect.objectContaining({ id: expect.any(Number), path: 'notes.txt', chunks: 1 }),
      expect.objectContaining({ id: expect.any(Number), path: pdf, chunks: 1, kind: 'pdf' }),
    ]);
    const list = JSON.parse((await mira('--json', 'docs', 'list')).stdout);
    expect(list.results.map((d: { path: string; chunks: number }) => [d.path, d.chunks])).toEqual([['docs/guide.md', 1], ['notes.txt', 1], [pdf, 1]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    const search = JSON.parse((await mira('--json', 'docs', 'search', 'on-call engineer')).stdout);
    expect(search.results[0].path).toBe(pdf);
    expect(typeof search.took_ms).toBe('number');
    const human = await mira('docs', 'list');
    expect(human.stdout).toMatch(/guide\.md/);
    const id = doc.results[1].id;
    expect(JSON.parse((await mira('--json', 'docs', 'remove', String(id))).stdout)).toEqual({ removed: true });
    const missing = await mira('docs', 'add', 'nope.md');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/does not exist/);
  });
});
