// Incremental indexing: a changed file is replaced alone, edges into it from unchanged files are re-resolved,
// deleted files leave nothing behind, and a file that does not parse never stops the run.
import { afterEach, describe, expect, it } from 'vitest';
import { createMira, type Mira } from '../app';
import { loadConfig } from '../config';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';
import { codeIndexOf } from './stages';

let mira: Mira | null = null;
let repo: TestRepo | null = null;
afterEach(async () => {
  if (mira) {
    await codeIndexOf(mira.project()).close();
    mira.close();
  }
  repo?.cleanup();
  mira = null;
  repo = null;
});

async function callers(m: Mira, symbol: string): Promise<string[]> {
  const r = await m.client().call('code/callers', { symbol });
  return r.results.map((x) => `${x.path}:${x.name}`).sort();
}

describe('incremental code index', () => {
  it('re-resolves edges into a changed file and cleans up deleted ones', async () => {
    repo = createRepo({ git: false });
    repo.write('a.ts', 'export function target() {\n  return 1;\n}\n');
    repo.write('b.ts', "import { target } from './a';\nexport function caller() {\n  return target();\n}\n");
    repo.write('c.ts', "import { target as t } from './a';\nexport function other() {\n  return t();\n}\n");
    mira = createMira({ config: loadConfig(tempDir('mira-home-'), {}), mode: 'test', project: repo.root });
    await mira.index({ git: false });
    expect(await callers(mira, 'target')).toEqual(['b.ts:caller', 'c.ts:other']);

    // The target moves inside its file: it keeps its identity, so the unchanged callers' edges stay as they are.
    const edgesOfB = () => mira!.db.prepare(`SELECT g.id, g.callee_id FROM call_graph g JOIN files f ON f.id = g.file_id WHERE f.path = 'b.ts'`).all();
    const before = edgesOfB();
    repo.write('a.ts', '// moved down\n\nexport function target() {\n  return 2;\n}\n');
    const r1 = await mira.index({ git: false });
    expect(r1.changed_files).toBe(1);
    expect(await callers(mira, 'target')).toEqual(['b.ts:caller', 'c.ts:other']);
    expect(edgesOfB()).toEqual(before);
    const sym = await mira.client().call('code/symbols', { file: 'a.ts' });
    expect(sym.results[0]).toMatchObject({ name: 'target', start_line: 3 });

    // Renamed away: the callers are left unresolved (kept by name), not pointing at a stale symbol.
    repo.write('a.ts', 'export function target2() {\n  return 3;\n}\n');
    await mira.index({ git: false });
    await expect(mira.client().call('code/callers', { symbol: 'target' })).rejects.toThrow(/no symbol/);
    const callees = await mira.client().call('code/callees', { symbol: 'caller', include_unresolved: true });
    expect(callees.results.map((c) => [c.name, c.path])).toEqual([['target', null]]);

    // Renamed back: resolved again.
    repo.write('a.ts', 'export function target() {\n  return 4;\n}\n');
    await mira.index({ git: false });
    expect(await callers(mira, 'target')).toEqual(['b.ts:caller', 'c.ts:other']);

    // A call to a name defined nowhere resolves once a new file defines it.
    repo.write('e.ts', 'export function lonely() {\n  return fresh();\n}\n');
    await mira.index({ git: false });
    expect((await mira.client().call('code/callees', { symbol: 'lonely' })).results).toEqual([]);
    repo.write('f.ts', 'export function fresh() {\n  return 0;\n}\n');
    await mira.index({ git: false });
    expect((await mira.client().call('code/callees', { symbol: 'lonely' })).results.map((c) => c.name)).toEqual(['fresh']);

    // Deleted: its symbols, calls, chunks and edges are gone.
    repo.remove('c.ts');
    const r2 = await mira.index({ git: false });
    expect(r2.deleted).toBe(1);
    expect(await callers(mira, 'target')).toEqual(['b.ts:caller']);
    const count = (sql: string) => (mira!.db.prepare(sql).get() as { n: number }).n;
    expect(count("SELECT count(*) AS n FROM code_elements WHERE path = 'c.ts'")).toBe(0);
    expect(count("SELECT count(*) AS n FROM code_chunks WHERE path = 'c.ts'")).toBe(0);
    for (const table of ['code_calls', 'code_imports', 'call_graph', 'concept_index']) {
      expect(count(`SELECT count(*) AS n FROM ${table} WHERE file_id NOT IN (SELECT id FROM files)`)).toBe(0);
    }
    expect(count('SELECT count(*) AS n FROM code_fts WHERE rowid NOT IN (SELECT id FROM code_chunks)')).toBe(0);
    const search = await mira.client().call('code/search', { query: 'other' });
    expect(search.results.some((x) => x.path === 'c.ts')).toBe(false);
  });

  it('loads a first index full text in bulk, and repairs text a crash left out', async () => {
    repo = createRepo({ git: false });
    repo.write('a.ts', 'export function alphaWidget() {\n  return 1;\n}\n');
    repo.write('b.md', '# Notes\nbetaGadget lives here\n');
    mira = createMira({ config: loadConfig(tempDir('mira-home-'), {}), mode: 'test', project: repo.root });
    await mira.index({ git: false });
    const db = mira.db;
    expect((db.prepare('SELECT count(*) AS n FROM code_chunks WHERE fts = 0').get() as { n: number }).n).toBe(0);
    expect((await mira.client().call('code/search', { query: 'alpha widget' })).results[0]).toMatchObject({ path: 'a.ts', symbol: 'alphaWidget' });

    // As if the process died before the queued text was loaded: rows say fts = 0 and the index lacks them.
    for (const c of db.prepare("SELECT id FROM code_chunks WHERE path = 'b.md'").all() as { id: number }[]) {
      db.prepare('DELETE FROM code_fts WHERE rowid = ?').run(c.id);
      db.prepare('UPDATE code_chunks SET fts = 0 WHERE id = ?').run(c.id);
    }
    // The full-text list lacks it now (vectors may still find it by meaning).
    expect((await mira.client().call('code/search', { query: 'betaGadget' })).results.filter((r) => r.sources?.includes('fts'))).toEqual([]);
    await mira.index({ git: false });
    const repaired = (await mira.client().call('code/search', { query: 'betaGadget' })).results[0];
    expect(repaired).toMatchObject({ path: 'b.md', line: 1 });
    expect(repaired?.sources).toContain('fts');
  });

  it('indexes a file that does not parse as text and goes on with the others', async () => {
    repo = createRepo({ git: false });
    repo.write('good.py', 'def fine():\n    return broken_helper()\n');
    repo.write('bad.py', 'def (((( broken_helper:\n  class ]]] zzzqqq\n');
    repo.write('notes.txt', 'zzzqqq appears in notes too\n');
    mira = createMira({ config: loadConfig(tempDir('mira-home-'), {}), mode: 'test', project: repo.root });
    const r = await mira.index({ git: false });
    expect(r.files).toBe(3);
    expect((await mira.client().call('code/symbols', { file: 'good.py' })).results.map((s) => s.name)).toEqual(['fine']);
    const hits = await mira.client().call('code/search', { query: 'zzzqqq' });
    expect(hits.results.map((h) => h.path).sort()).toEqual(['bad.py', 'notes.txt']);
  });
});
