// The quality stage takes its metrics from the code stage's parse: an index parses each file once, and stores the same
// quality rows as the code map's own analysis (analyzeFile, which the backfill of files without metrics uses).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMira, type Mira } from '../app';
import { loadConfig } from '../config';
import { codeIndexOf } from '../code';
import { blankCppMacros, grammarFor, isParsed, parseFile, treesParsed } from '../code/parse';
import { languageOf } from '../project/languages';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');

/** A small project in several languages: fewer parsed files than a batch needs for workers, so parses are counted here. */
const COPIED: [from: string, to: string][] = [
  ...fs.readdirSync(path.join(FIXTURES, 'codemap/two-domains/src')).map((f): [string, string] => [`codemap/two-domains/src/${f}`, `web/${f}`]),
  ['code/typescript/src/shapes.ts', 'web/shapes.ts'],
  ['code/c/src/util.h', 'native/util.h'],
  ['code/c/src/util.c', 'native/util.c'],
  ['code/c/src/main.c', 'native/main.c'],
  ['code/c/src/other.c', 'native/other.c'],
  ['code/rust/src/lib.rs', 'rs/src/lib.rs'],
  ['code/rust/src/geometry/shapes.rs', 'rs/src/geometry/shapes.rs'],
  ['code/rust/src/util/math.rs', 'rs/src/util/math.rs'],
  ['code/python/main.py', 'py/main.py'],
  ['code/python/pkg/core.py', 'py/pkg/core.py'],
];

/** C++ with export macros: the code stage parses it with the macros blanked, the code map as written. */
const CPP = `#include <string>
namespace fmt {
class FMT_API Formatter {
 public:
  int width(int n) const LOCKS_REQUIRED(mu) {
    if (n > 10 && n < 100) return 2;
    for (int i = 0; i < n; i++) {
      if (i % 2) continue;
    }
    return n ? 1 : 0;
  }
};
FMT_INLINE_API int pad(int a, int b) {
  while (a < b) a++;
  return a;
}
}
`;

/** No grammar: approximate metrics, from the quality stage alone. */
const KOTLIN = `fun grade(score: Int): String {
    if (score > 90 && score <= 100) return "A"
    when (score) { in 80..90 -> return "B" }
    return "C"
}
`;

describe('quality metrics from the code stage parse', () => {
  let repo: TestRepo;
  let home: string;
  let mira: Mira;
  let indexParses = 0;
  let texts: Map<string, string>;

  function qualityRows(): { units: unknown[]; files: unknown[] } {
    const id = mira.project().id;
    const units = mira.db.prepare('SELECT * FROM code_quality WHERE project_id = ? ORDER BY path, start_line, symbol').all(id) as Record<string, unknown>[];
    const files = mira.db.prepare('SELECT * FROM code_quality_files WHERE project_id = ? ORDER BY path').all(id) as Record<string, unknown>[];
    return { units: units.map(({ id: _id, ...r }) => r), files };
  }

  beforeAll(async () => {
    repo = createRepo();
    home = tempDir('mira-home-');
    for (const [from, to] of COPIED) repo.write(to, fs.readFileSync(path.join(FIXTURES, from), 'utf8'));
    // A renamed copy, so the clone pass has fingerprints to match.
    repo.write('web/shapes_copy.ts', fs.readFileSync(path.join(FIXTURES, 'code/typescript/src/shapes.ts'), 'utf8').replace(/Circle/g, 'Disc').replace(/Rect/g, 'Box'));
    repo.write('native/fmt.cpp', CPP);
    repo.write('kt/Grade.kt', KOTLIN);
    repo.commit('first');
    texts = new Map([...COPIED.map(([, to]) => to), 'web/shapes_copy.ts', 'native/fmt.cpp', 'kt/Grade.kt'].map((p) => [p, fs.readFileSync(path.join(repo.root, p), 'utf8')]));
    mira = createMira({ config: loadConfig(home, {}), mode: 'test', project: repo.root });
    mira.project();
    treesParsed.count = 0;
    await mira.index({ git: true });
    indexParses = treesParsed.count;
  }, 60_000);

  afterAll(() => {
    mira?.close();
  });

  it('parses each file once during an index', async () => {
    // Parsed in this thread (a batch this small does not start workers), so every tree is counted.
    expect(codeIndexOf(mira.project()).lastRun.workers).toBeFalsy();
    // What the code stage's own parses cost (C files may be parsed again for their preprocessor branches)...
    const before = treesParsed.count;
    let macroFiles = 0;
    for (const [p, text] of texts) {
      const language = languageOf(p);
      if (!isParsed(language)) continue;
      await parseFile(p, language!, text);
      if (grammarFor(language!, p) === 'cpp' && blankCppMacros(text) !== text) macroFiles++;
    }
    const codeParses = treesParsed.count - before;
    expect(codeParses).toBeGreaterThanOrEqual(18);
    expect(macroFiles).toBe(1);
    // ...and one more only for a C++ file whose macros the code stage blanked: its metrics are of the text as written.
    expect(indexParses).toBe(codeParses + macroFiles);
  });

  it('stores the same quality rows as the code map analysing each file itself', async () => {
    const fromParse = qualityRows();
    expect(fromParse.files).toHaveLength(texts.size);
    expect(fromParse.files.some((f) => (f as { path: string; approx: number }).path === 'kt/Grade.kt' && (f as { approx: number }).approx === 1)).toBe(true);
    expect(fromParse.units.some((u) => (u as { path: string }).path === 'native/fmt.cpp')).toBe(true);
    expect(fromParse.files.some((f) => (f as { dup_lines: number }).dup_lines > 0)).toBe(true);
    expect(fromParse.files.filter((f) => (f as { fingerprints: Buffer | null }).fingerprints !== null).length).toBeGreaterThan(3);

    // Without metrics, the next index backfills every file through analyzeFile (its own parse), then the project pass.
    mira.db.prepare('DELETE FROM code_quality WHERE project_id = ?').run(mira.project().id);
    mira.db.prepare('DELETE FROM code_quality_files WHERE project_id = ?').run(mira.project().id);
    const before = treesParsed.count;
    await mira.index({ git: true });
    expect(treesParsed.count - before).toBeGreaterThanOrEqual(18);
    expect(qualityRows()).toEqual(fromParse);
  });
});
