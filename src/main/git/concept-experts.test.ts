// Expertise per concept: after an index run, the people who wrote the files tagged with a concept ("database") are
// its experts, through the API and `mira experts --concept`.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';
import { change, day } from './testkit';

let r: TestRepo;
let home: string;

beforeAll(async () => {
  r = createRepo();
  home = tempDir('mira-home-');
  const dana = { author: 'Dana', email: 'dana@example.com' };
  const uri = { author: 'Uri', email: 'uri@example.com' };
  const db = (n: number) =>
    `import Database from 'better-sqlite3';\nexport function runQuery${n}(sql: string) {\n  const db = new Database('app.db');\n  return db.prepare(sql).all();\n}\nexport function inTransaction${n}(db: Database.Database, fn: () => void) {\n  db.transaction(fn)();\n}\n`;
  const ui = (n: number) => `export function renderButton${n}(label: string): string {\n  return '<button>' + label + '</button>';\n}\n`;
  change(r, { 'src/db/query.ts': db(0), 'src/ui/button.ts': ui(0) }, 'initial', { ...uri, at: day(1) });
  for (let i = 1; i <= 4; i++) change(r, { 'src/db/query.ts': db(i), 'src/db/schema.ts': db(i + 10) }, `database: queries ${i}`, { ...dana, at: day(1 + i) });
  for (let i = 1; i <= 3; i++) change(r, { 'src/ui/button.ts': ui(i) }, `ui: button ${i}`, { ...uri, at: day(6 + i) });
  const idx = await runCli(['--home', home, '--json', 'index', r.root]);
  expect(idx.code, idx.stderr).toBe(0);
}, 60_000);

afterAll(() => {
  r.cleanup();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('experts per concept', () => {
  it('ranks the authors of the concept’s files, and says when a concept is unknown', async () => {
    const out = await runCli(['--home', home, '--project', r.root, '--json', 'experts', '--concept', 'database']);
    expect(out.code, out.stderr).toBe(0);
    const res = JSON.parse(out.stdout) as { results: { email: string; score: number }[]; query: string[]; unknown: string[] };
    expect(res.query).toEqual(['concept:database']);
    expect(res.unknown).toEqual([]);
    expect(res.results[0]!.email).toBe('dana@example.com');
    const none = await runCli(['--home', home, '--project', r.root, '--json', 'experts', '--concept', 'no-such-concept']);
    expect(JSON.parse(none.stdout)).toMatchObject({ results: [], unknown: ['concept:no-such-concept'] });
  });
});
