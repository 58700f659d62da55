// The watcher: edits, new files, deletions and a branch switch reach the index without anyone running `mira index`.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from '../../../test/helpers/git-repo';
import { startTestMira, type TestMira } from '../../../test/helpers/mira';
import { FilesRepo } from '../db/projects';

let repo: TestRepo;
let t: TestMira;
afterEach(async () => {
  await t?.close();
  repo?.cleanup();
});

const stored = () => new Map(new FilesRepo(t.mira.db).all(t.mira.project().id).map((f) => [f.path, f.hash]));

async function settle(w: { idle(): Promise<void> }): Promise<void> {
  // fs.watch delivers events asynchronously; give them a moment, then wait for the batch to be indexed.
  await new Promise((r) => setTimeout(r, 250));
  await w.idle();
}

describe('watcher', () => {
  it('indexes edits, additions and deletions in targeted runs', async () => {
    repo = createRepo();
    repo.write('src/a.ts', 'export function alpha() { return 1; }\n');
    repo.write('src/b.ts', 'export function beta() { return 2; }\n');
    repo.commit('init');
    t = await startTestMira(repo.root, 'in-process');
    await t.client.call('index/run', {});
    const w = t.mira.watch({ debounceMs: 50 });
    const before = stored();

    repo.write('src/a.ts', 'export function alphaRenamed() { return 1; }\n');
    repo.write('src/c.ts', 'export function gamma() { return 3; }\n');
    repo.remove('src/b.ts');
    repo.write('node_modules/x/index.js', 'ignored\n');
    await settle(w);
    const after = stored();
    expect(after.has('src/c.ts')).toBe(true);
    expect(after.has('src/b.ts')).toBe(false);
    expect(after.has('node_modules/x/index.js')).toBe(false);
    expect(after.get('src/a.ts')).not.toBe(before.get('src/a.ts'));
    const syms = await t.client.call('code/symbols', { file: 'src/a.ts' });
    expect(syms.results.map((s) => s.name)).toContain('alphaRenamed');
  });

  it('keeps up with a branch switch that touches many files', async () => {
    repo = createRepo();
    repo.write('keep.ts', 'export const keep = 1;\n');
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'wide');
    for (let i = 0; i < 1500; i++) repo.write(`gen/f${i}.ts`, `export const v${i} = ${i};\n`);
    repo.commit('many files');
    repo.git('checkout', '-q', 'main');
    t = await startTestMira(repo.root, 'in-process');
    await t.client.call('index/run', {});
    expect(stored().size).toBe(1);
    const w = t.mira.watch({ debounceMs: 100 });
    repo.git('checkout', '-q', 'wide');
    await settle(w);
    await settle(w);
    expect(stored().size).toBe(1501);
    repo.git('checkout', '-q', 'main');
    await settle(w);
    await settle(w);
    expect([...stored().keys()]).toEqual(['keep.ts']);
    expect(fs.existsSync(`${repo.root}/gen`)).toBe(false);
  });
});
