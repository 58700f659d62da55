// The watcher: edits, new files, deletions and a branch switch reach the index without anyone running `mira index`.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from '../../../test/helpers/git-repo';
import { startTestMira, type TestMira } from '../../../test/helpers/mira';
import { FilesRepo } from '../db/projects';
import { EventBus } from '../transport/router';

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

describe('watcher → fs/changed', () => {
  type Changed = { paths: string[]; deleted?: string[] };
  function record(): Changed[] {
    const seen: Changed[] = [];
    t.mira.events.subscribe((event, data) => {
      if (event === 'fs/changed') seen.push(data as Changed);
    });
    return seen;
  }
  const all = (seen: Changed[]) => new Set(seen.flatMap((e) => e.paths));
  const gone = (seen: Changed[]) => new Set(seen.flatMap((e) => e.deleted ?? []));

  it('pushes outside edits, new files and deletions to clients, debounced, without ignored paths', async () => {
    repo = createRepo();
    repo.write('.gitignore', 'secret.log\n');
    repo.write('src/a.ts', 'export const a = 1;\n');
    repo.write('src/b.ts', 'export const b = 2;\n');
    repo.commit('init');
    t = await startTestMira(repo.root, 'in-process');
    const w = t.mira.watch({ debounceMs: 80 });
    const seen = record();

    // Several writes within the quiet time come out as one event.
    repo.write('src/a.ts', 'export const a = 10;\n');
    repo.write('src/a.ts', 'export const a = 11;\n');
    repo.write('src/c.ts', 'export const c = 3;\n');
    repo.remove('src/b.ts');
    repo.write('node_modules/x/index.js', 'ignored\n');
    repo.write('secret.log', 'ignored by .gitignore\n');
    await settle(w);

    expect(seen.length).toBe(1);
    expect(EventBusValid(seen[0]!)).toBe(true);
    expect(all(seen)).toEqual(new Set(['src/a.ts', 'src/c.ts', 'src/b.ts']));
    expect(gone(seen)).toEqual(new Set(['src/b.ts']));
  });

  it("does not echo Mira's own writes, but reports an outside change right after one", async () => {
    repo = createRepo();
    repo.write('a.ts', 'export const a = 1;\n');
    repo.commit('init');
    t = await startTestMira(repo.root, 'in-process');
    const w = t.mira.watch({ debounceMs: 80 });
    const seen = record();

    const read = await t.client.call('fs/read', { path: 'a.ts' });
    await t.client.call('fs/write', { path: 'a.ts', content: 'export const a = 2;\n', expected_hash: read.hash });
    await settle(w);
    // Exactly one event: the handler's own, none from the watcher (nor for its temporary file).
    expect(seen).toEqual([{ paths: ['a.ts'] }]);

    repo.write('a.ts', 'export const a = 3; // from another editor\n');
    await settle(w);
    expect(seen.length).toBe(2);
    expect(seen[1]!.paths).toEqual(['a.ts']);

    // A file Mira replaced by a rename is still watched: its deletion (git checkout, rm) is reported too.
    repo.remove('a.ts');
    await settle(w);
    expect(seen.length).toBe(3);
    expect(seen[2]).toEqual({ paths: ['a.ts'], deleted: ['a.ts'] });
  });
});

function EventBusValid(data: unknown): boolean {
  return EventBus.validate('fs/changed', data);
}
