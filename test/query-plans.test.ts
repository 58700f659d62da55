// Hot queries use an index, not a scan of the whole project (found by the scale bench on 27k–57k-file repositories).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../src/main/db/open';
import { tempDir } from './helpers/git-repo';

const dir = tempDir('mira-plans-');
const { db } = openDb(path.join(dir, 'mira.db'));
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1, 'a.ts', 3, 3) as { detail: string }[]).map((r) => r.detail).join(' | ');

describe('query plans', () => {
  it("search's vector hit to chunk lookup uses the (project, path) index", () => {
    const p = plan('SELECT id FROM code_chunks WHERE project_id = ? AND path = ? AND start_line <= ? AND end_line >= ? ORDER BY (end_line - start_line) LIMIT 1');
    expect(p).toMatch(/USING INDEX code_chunks_path/);
  });
});
