// The tests of a file for an edit's context: found through calls from test code, by name, and by shared history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from '../../../test/helpers/git-repo';
import { startTestMira, type TestMira } from '../../../test/helpers/mira';
import { OracleContextProvider, testSnippet } from './context';
import { oracleFor, testsFor } from './service';

let repo: TestRepo;
let t: TestMira;

beforeAll(async () => {
  repo = createRepo();
  repo.write('src/parser.ts', 'export function parseConfig(text: string) {\n  return JSON.parse(text);\n}\nexport function stringifyConfig(v: unknown) {\n  return JSON.stringify(v);\n}\n');
  // Calls into parser.ts from a test whose name says nothing about it.
  const filler = Array.from({ length: 120 }, (_, i) => `const pad${i} = ${i};`).join('\n');
  repo.write('test/config-roundtrip.spec.ts', `import { parseConfig } from "../src/parser";\n${filler}\nit("reads", () => {\n  expect(parseConfig("{}")).toEqual({});\n});\n`);
  // Paired by name only.
  repo.write('src/lexer.ts', 'export const KEYWORDS = ["if", "else"];\n');
  repo.write('test/lexer.test.ts', 'it("has keywords", () => {});\n');
  // Paired by history only.
  repo.write('src/render.ts', 'export const TEMPLATE = "<p>";\n');
  repo.write('test/snapshots.test.ts', 'it("renders", () => {});\n');
  // Three files called util: util.test.ts pairs with none of them by name.
  for (const d of ['a', 'b', 'c']) repo.write(`src/${d}/util.ts`, `export const ${d} = 1;\n`);
  repo.write('test/util.test.ts', 'it("utils", () => {});\n');
  repo.commit('initial');
  for (let i = 0; i < 3; i++) {
    repo.write('src/render.ts', `export const TEMPLATE = "<p>${i}";\n`);
    repo.write('test/snapshots.test.ts', `it("renders ${i}", () => {});\n`);
    if (i > 0) repo.write('test/render-escape.test.ts', `it("escapes ${i}", () => {});\n`);
    repo.commit(`render ${i}`);
  }
  t = await startTestMira(repo.root, 'in-process');
  await t.client.call('index/run', {});
});

afterAll(async () => {
  await t.close();
  repo.cleanup();
});

describe('tests of a file', () => {
  it('finds test code calling into the file, then its test by name, then tests changed with it', () => {
    const p = t.mira.project();
    const byCalls = testsFor(p, 'src/parser.ts', 2);
    expect(byCalls[0]).toMatchObject({ path: 'test/config-roundtrip.spec.ts', names: ['parseConfig'] });
    expect(byCalls[0]!.why).toBe('calls parseConfig from src/parser.ts');
    expect(testsFor(p, 'src/lexer.ts', 2)).toEqual([{ path: 'test/lexer.test.ts', names: [], why: 'the test of src/lexer.ts, by name' }]);
    expect(testsFor(p, 'src/render.ts', 2)).toEqual([
      { path: 'test/snapshots.test.ts', names: [], why: 'changed together with src/render.ts in 4 commits' },
      { path: 'test/render-escape.test.ts', names: [], why: 'changed together with src/render.ts in 2 commits' },
    ]);
    // A test whose name speaks of the task comes first.
    expect(testsFor(p, 'src/render.ts', 1, ['render', 'escaping', 'escape'])[0]?.path).toBe('test/render-escape.test.ts');
    // Ambiguous names pair with nothing; a test has no tests.
    expect(testsFor(p, 'src/a/util.ts', 2).map((x) => x.path)).not.toContain('test/util.test.ts');
    expect(testsFor(p, 'test/lexer.test.ts', 2)).toEqual([]);
  });

  it('puts the test of the top file after the code in an edit context, showing where it uses the code', async () => {
    const p = t.mira.project();
    const deps = {
      db: t.mira.db,
      projectId: p.id,
      root: p.root,
      locate: (task: string, k: number) => oracleFor(p).locate(task, { k }),
      openErrors: () => [],
      spentFraction: () => 0.5,
    };
    const withTests = await new OracleContextProvider({ ...deps, testsFor: (f, max) => testsFor(p, f, max) }).gather('parseConfig fails on empty text', { projectId: p.id, maxTokens: 4000 });
    expect(withTests.preset).toBe('default');
    const code = withTests.items.findIndex((i) => i.kind === 'code' && i.path === 'src/parser.ts');
    const test = withTests.items.findIndex((i) => i.kind === 'test');
    expect(code).toBeGreaterThanOrEqual(0);
    expect(test).toBeGreaterThan(code);
    expect(withTests.items[test]).toMatchObject({ path: 'test/config-roundtrip.spec.ts', reason: 'calls parseConfig from src/parser.ts' });
    // Located as code too (it mentions parseConfig), it is shown once, as the test.
    expect(withTests.items.filter((i) => i.path === 'test/config-roundtrip.spec.ts')).toHaveLength(1);
    // The part that uses parseConfig is shown, numbered, not only the file's head.
    expect(withTests.items[test]!.text).not.toMatch(/\n\s+1 import/);
    expect(withTests.items[test]!.text).toMatch(/\n\s+122 it\("reads"/);
    // The minimal preset has no room for tests.
    const lean = await new OracleContextProvider({ ...deps, spentFraction: () => 0.95, testsFor: (f, max) => testsFor(p, f, max) }).gather('parseConfig fails on empty text', { projectId: p.id, maxTokens: 4000 });
    expect(lean.items.some((i) => i.kind === 'test')).toBe(false);
  });

  it('shows a test from its first uses of the names, else from its beginning', () => {
    const text = Array.from({ length: 200 }, (_, i) => (i === 119 ? 'expect(parseConfig(x))' : `line ${i + 1}`)).join('\n');
    const s = testSnippet(text, { path: 't.ts', names: ['parseConfig'] }, 40);
    expect(s).toContain(' 120 expect(parseConfig(x))');
    expect(s).not.toContain('   1 line 1\n');
    expect(testSnippet(text, { path: 't.ts', names: [] }, 40)).toContain('   1 line 1');
  });
});
