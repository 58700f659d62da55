// `mira apply` and the `apply/edit` method: applied edits, refusals with exit 1, dry runs, batch, root confinement.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';
import { runCli } from '../../../test/helpers/cli';

let repo: TestRepo;
let home: string;
beforeAll(() => {
  repo = createRepo();
  repo.write('src/a.py', 'def f():\n    return 1\n\ndef g():\n    return 1\n');
  repo.write('edits/ok.txt', 'src/a.py\n```\n<<<<<<< SEARCH\ndef f():\n    return 1\n=======\ndef f():\n    return 42\n>>>>>>> REPLACE\n```\n');
  repo.write('edits/ambiguous.txt', '<<<<<<< SEARCH\n    return 1\n=======\n    return 2\n>>>>>>> REPLACE\n');
  home = tempDir('mira-home-');
});
afterAll(() => {
  repo.cleanup();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('mira apply', () => {
  it('dry-run shows the result and writes nothing', async () => {
    const r = await runCli(['--home', home, '--project', repo.root, '--json', 'apply', '--file', 'src/a.py', '--edit', 'edits/ok.txt', '--dry-run'], { cwd: repo.root });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ path: 'src/a.py', applied: true, format: 'search-replace', written: false });
    expect(doc.content).toContain('return 42');
    expect(doc.diff).toContain('--- a/src/a.py');
    expect(doc).toHaveProperty('took_ms');
    expect(fs.readFileSync(path.join(repo.root, 'src/a.py'), 'utf8')).not.toContain('42');
  });

  it('refuses an ambiguous edit with exit 1 and leaves the file alone', async () => {
    const before = fs.readFileSync(path.join(repo.root, 'src/a.py'), 'utf8');
    const r = await runCli(['--home', home, '--project', repo.root, '--json', 'apply', '--file', 'src/a.py', '--edit', 'edits/ambiguous.txt'], { cwd: repo.root });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.applied).toBe(false);
    expect(doc.error.code).toBeTruthy();
    expect(fs.readFileSync(path.join(repo.root, 'src/a.py'), 'utf8')).toBe(before);
  });

  it('applies for real, atomically', async () => {
    const r = await runCli(['--home', home, '--project', repo.root, '--json', 'apply', '--file', 'src/a.py', '--edit', 'edits/ok.txt'], { cwd: repo.root });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(repo.root, 'src/a.py'), 'utf8')).toBe('def f():\n    return 42\n\ndef g():\n    return 1\n');
    expect(fs.readdirSync(path.join(repo.root, 'src')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('batch lines are always dry runs, one JSON line each', async () => {
    const batch = path.join(repo.root, 'batch.jsonl');
    fs.writeFileSync(batch, JSON.stringify({ file: 'src/a.py', edit: '<<<<<<< SEARCH\ndef g():\n    return 1\n=======\ndef g():\n    return 7\n>>>>>>> REPLACE\n' }) + '\n' + JSON.stringify({ file: '../x.py', edit: 'x' }) + '\n' + JSON.stringify({ file: '.git/config', edit: 'x' }) + '\n');
    const r = await runCli(['--home', home, '--project', repo.root, 'apply', '--batch', batch], { cwd: repo.root });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ applied: true, written: false });
    expect(lines[1]).toMatchObject({ applied: false, error: { code: 'path_outside_root' } });
    expect(lines[2]).toMatchObject({ applied: false, error: { code: 'refused' } });
    expect(fs.readFileSync(path.join(repo.root, 'src/a.py'), 'utf8')).toContain('return 1\n');
  });
});
