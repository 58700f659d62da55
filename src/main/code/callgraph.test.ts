// Call-graph accuracy on hand-made fixtures (one per required language): edge precision and recall must be ≥ 0.9.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMira, type Mira } from '../app';
import { loadConfig } from '../config';
import { createRepo, tempDir } from '../../../test/helpers/git-repo';
import { codeIndexOf } from './stages';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/code');
const LANGS = ['typescript', 'javascript', 'python', 'rust', 'go', 'java', 'c'];
/** The confidence the API shows by default (callers/callees/impact `min_confidence`). */
const MIN_CONFIDENCE = 0.3;

const opened: Mira[] = [];
afterAll(async () => {
  for (const m of opened) {
    await codeIndexOf(m.project()).close();
    m.close();
  }
});

export async function indexFixture(dir: string): Promise<Mira> {
  const home = tempDir('mira-home-');
  const mira = createMira({ config: loadConfig(home, {}), mode: 'test', project: dir });
  opened.push(mira);
  await mira.index({ git: false });
  return mira;
}

function predictedEdges(mira: Mira): Set<string> {
  const rows = mira.db
    .prepare(
      `SELECT f.path AS file, c.qualified_name AS caller, e.path AS callee_path, e.qualified_name AS callee
       FROM call_graph g JOIN files f ON f.id = g.file_id LEFT JOIN code_elements c ON c.id = g.caller_id JOIN code_elements e ON e.id = g.callee_id
       WHERE g.project_id = ? AND g.confidence >= ?`,
    )
    .all(mira.project().id, MIN_CONFIDENCE) as { file: string; caller: string | null; callee_path: string; callee: string }[];
  return new Set(rows.map((r) => `${r.file}:${r.caller ?? '<module>'} -> ${r.callee_path}:${r.callee}`));
}

describe('call graph on fixtures', () => {
  const scores: Record<string, { precision: number; recall: number }> = {};
  for (const lang of LANGS) {
    it(`${lang}: precision and recall ≥ 0.9`, async () => {
      const dir = path.join(FIXTURES, lang);
      const expected = new Set((JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { edges: [string, string][] }).edges.map(([a, b]) => `${a} -> ${b}`));
      const mira = await indexFixture(dir);
      const predicted = predictedEdges(mira);
      const tp = [...predicted].filter((e) => expected.has(e));
      const precision = predicted.size ? tp.length / predicted.size : 0;
      const recall = tp.length / expected.size;
      scores[lang] = { precision, recall };
      const report = { lang, precision: +precision.toFixed(3), recall: +recall.toFixed(3), false_positives: [...predicted].filter((e) => !expected.has(e)), missed: [...expected].filter((e) => !predicted.has(e)) };
      console.log(JSON.stringify(report));
      expect(precision).toBeGreaterThanOrEqual(0.9);
      expect(recall).toBeGreaterThanOrEqual(0.9);
    });
  }
});

describe('impact', () => {
  it('follows callers transitively, once each, and stops on cycles', async () => {
    const repo = createRepo({ git: false });
    try {
      repo.write('a.ts', "import { pong } from './b';\nexport function ping(n: number): number {\n  return n > 0 ? pong(n - 1) : 0;\n}\n");
      repo.write('b.ts', "import { ping } from './a';\nexport function pong(n: number): number {\n  return ping(n);\n}\nexport function start(): number {\n  return pong(3);\n}\n");
      repo.write('c.ts', "import { start } from './b';\nstart();\n");
      const mira = await indexFixture(repo.root);
      const r = await mira.client().call('code/impact', { symbol: 'ping', depth: 20 });
      expect(r.results.map((x) => `${x.depth}:${x.name}`)).toEqual(['1:pong', '2:start', '3:<module>']);
      const direct = await mira.client().call('code/impact', { symbol: 'ping', depth: 1 });
      expect(direct.results.map((x) => x.name)).toEqual(['pong']);
    } finally {
      repo.cleanup();
    }
  });
});

describe('re-export cycles', () => {
  it('a Rust `pub use` cycle between modules neither overflows the stack nor stops the call graph', async () => {
    const dir = tempDir('mira-cycle-');
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'Cargo.toml'), '[package]\nname = "cyc"\nversion = "0.1.0"\n');
    fs.writeFileSync(path.join(dir, 'src/lib.rs'), 'mod a;\nmod b;\nmod real;\nuse real::work;\nuse a::thing;\n\npub fn entry() {\n    work();\n    thing();\n}\n');
    // a re-exports from b and b from a: `thing` is defined nowhere, the chain only loops.
    fs.writeFileSync(path.join(dir, 'src/a.rs'), 'pub use crate::b::thing;\n');
    fs.writeFileSync(path.join(dir, 'src/b.rs'), 'pub use crate::a::thing;\n');
    fs.writeFileSync(path.join(dir, 'src/real.rs'), 'pub fn work() {}\n');
    const mira = await indexFixture(dir);
    const skipped = mira.db.prepare(`SELECT count(*) AS n FROM files WHERE skip_reason LIKE 'stage_failed%'`).get() as { n: number };
    expect(skipped.n).toBe(0);
    expect(codeIndexOf(mira.project()).lastRun.resolve).toBeTruthy();
    expect([...predictedEdges(mira)]).toContain('src/lib.rs:entry -> src/real.rs:work');
  });
});
