// The tests of a source file, for the context of an edit: test code that calls into it, its test by name, and tests
// that history changed together with it. The model sees how the code is exercised and which test to update.
import type { Db } from '../db/open';
import { isTestPath, plainStem, testStem } from '../git/cochange';

export interface TestOf {
  path: string;
  /** Why this test belongs to the file, for people ("calls parse, lex from src/parser.ts"). */
  why: string;
  /** Names of the file's symbols the test calls, for choosing what part of the test to show. */
  names: string[];
}

/** Tests sharing one name with the file beyond this many are too ambiguous to pair (util.test.ts with five utils). */
const MAX_NAME_MATES = 3;

export class TestFinder {
  private names: { key: string; tests: Map<string, string[]>; plain: Map<string, number> } | null = null;

  constructor(
    private readonly db: Db,
    private readonly projectId: number,
  ) {}

  /**
   * At most `max` tests of `file`, best evidence first: calls, then name, then history. With the task's terms, a test
   * whose name speaks of the task comes first (res.sendFile.js for "sendFile ignores maxAge"). Empty for a test file.
   */
  testsFor(file: string, max = 2, terms: string[] = []): TestOf[] {
    if (max <= 0 || isTestPath(file)) return [];
    const all = new Map<string, TestOf>();
    for (const t of [...this.byCalls(file), ...this.byName(file), ...this.byHistory(file)]) if (!all.has(t.path)) all.set(t.path, t);
    const words = terms.map((t) => t.toLowerCase()).filter((t) => t.length >= 3);
    const named = (p: string) => {
      const base = p.slice(p.lastIndexOf('/') + 1).toLowerCase();
      return words.reduce((n, w) => n + (base.includes(w) ? 1 : 0), 0);
    };
    const order = [...all.values()].map((t, i) => ({ t, i, n: named(t.path) }));
    order.sort((a, b) => b.n - a.n || a.i - b.i);
    return order.slice(0, max).map((x) => x.t);
  }

  private byCalls(file: string): TestOf[] {
    const rows = this.db
      .prepare(
        `SELECT cf.path AS path, group_concat(DISTINCT e.name) AS names, count(*) AS n
         FROM files tf JOIN code_elements e ON e.file_id = tf.id JOIN call_graph g ON g.callee_id = e.id JOIN files cf ON cf.id = g.file_id
         WHERE tf.project_id = ? AND tf.path = ? AND g.file_id <> tf.id AND g.confidence >= 0.5
         GROUP BY cf.path ORDER BY n DESC LIMIT 200`,
      )
      .all(this.projectId, file) as { path: string; names: string; n: number }[];
    return rows
      .filter((r) => isTestPath(r.path))
      .map((r) => {
        const names = r.names.split(',').slice(0, 6);
        return { path: r.path, names, why: `calls ${names.slice(0, 3).join(', ')} from ${file}` };
      });
  }

  private byName(file: string): TestOf[] {
    const key = this.generation();
    if (this.names?.key !== key) {
      const tests = new Map<string, string[]>();
      const plain = new Map<string, number>();
      for (const p of this.db.prepare('SELECT path FROM files WHERE project_id = ? AND skip_reason IS NULL').pluck().iterate(this.projectId) as Iterable<string>) {
        const t = testStem(p);
        if (t === null) {
          if (!isTestPath(p)) plain.set(plainStem(p), (plain.get(plainStem(p)) ?? 0) + 1);
          continue;
        }
        const list = tests.get(t);
        if (list) list.push(p);
        else tests.set(t, [p]);
      }
      this.names = { key, tests, plain };
    }
    const stem = plainStem(file);
    const found = this.names.tests.get(stem) ?? [];
    // Both sides must be unambiguous: util.test.ts next to five util.ts files tests none of them in particular.
    if (!found.length || found.length > MAX_NAME_MATES || (this.names.plain.get(stem) ?? 0) >= MAX_NAME_MATES) return [];
    // The nearest first: the test sharing the longest folder prefix with the file.
    const near = (p: string) => commonPrefix(p, file);
    return [...found].sort((a, b) => near(b) - near(a)).map((p) => ({ path: p, names: [], why: `the test of ${file}, by name` }));
  }

  private byHistory(file: string): TestOf[] {
    const has = this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'git_commit_files'`).get();
    if (!has) return [];
    const rows = this.db
      .prepare(
        `SELECT o.path AS path, count(*) AS n FROM git_commit_files f JOIN git_commits c ON c.id = f.commit_id JOIN git_commit_files o ON o.commit_id = f.commit_id
         WHERE f.project_id = ? AND f.path = ? AND o.path <> f.path AND c.files_count <= 30
         GROUP BY o.path HAVING n >= 2 ORDER BY n DESC LIMIT 100`,
      )
      .all(this.projectId, file) as { path: string; n: number }[];
    const live = this.db.prepare('SELECT 1 FROM files WHERE project_id = ? AND path = ? AND skip_reason IS NULL');
    return rows
      .filter((r) => isTestPath(r.path) && live.get(this.projectId, r.path))
      .map((r) => ({ path: r.path, names: [], why: `changed together with ${file} in ${r.n} commits` }));
  }

  /** Changes when files are added or removed, so the name table is rebuilt only then. */
  private generation(): string {
    const r = this.db.prepare('SELECT count(*) AS n, max(id) AS m FROM files WHERE project_id = ?').get(this.projectId) as { n: number; m: number | null };
    return `${r.n}:${r.m ?? 0}`;
  }
}

function commonPrefix(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let i = 0;
  while (i < x.length - 1 && i < y.length - 1 && x[i] === y[i]) i++;
  return i;
}
