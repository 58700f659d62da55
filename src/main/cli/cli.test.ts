// The CLI conventions of CONTRACT.md: JSON on stdout, exit codes 0/1/2, clear errors without stack traces, batch mode.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';
import { runCli } from '../../../test/helpers/cli';
import { packagePath } from '../db/open';

describe('mira CLI', () => {
  let repo: TestRepo;
  let home: string;

  beforeAll(() => {
    repo = createRepo();
    repo.write('src/a.ts', 'export const a = 1;\n');
    repo.write('src/b.py', 'def b():\n    return 2\n');
    repo.commit('init');
    home = tempDir('mira-home-');
  });
  afterAll(() => {
    repo.cleanup();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('mira index --json prints one JSON document with the contract fields', async () => {
    const r = await runCli(['--home', home, '--json', 'index', repo.root]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    for (const k of ['project', 'files', 'symbols', 'calls', 'commits', 'changed_files', 'took_ms']) expect(doc).toHaveProperty(k);
    expect(doc.project).toBe(repo.root);
    expect(doc.files).toBe(2);
    expect(doc.changed_files).toBe(2);
    const again = JSON.parse((await runCli(['--home', home, '--json', 'index', repo.root])).stdout);
    expect(again.changed_files).toBe(0);
  });

  it('finds the project from the git root containing the current folder', async () => {
    const r = await runCli(['--home', home, '--json', 'index', '--no-git'], { cwd: path.join(repo.root, 'src') });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).project).toBe(repo.root);
  });

  it('a missing folder fails with exit 1 and one clear line, no stack trace', async () => {
    const r = await runCli(['--home', home, '--json', 'index', '/definitely/not/here']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^mira: project folder \/definitely\/not\/here does not exist\n/);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('--debug adds the stack trace', async () => {
    const r = await runCli(['--home', home, '--debug', 'index', '/definitely/not/here']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/at .*:\d+/);
  });

  it('a missing batch file is a clear error, not a stray stream error', async () => {
    const r = await runCli(['--home', home, '--project', repo.root, 'locate', '--batch', 'no-such-batch.jsonl'], { cwd: repo.root });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/batch file no-such-batch.jsonl does not exist/);
  });

  it('bad usage exits 2', async () => {
    expect((await runCli(['--home', home, 'no-such-command'])).code).toBe(2);
    expect((await runCli(['--home', home, 'index', '--no-such-flag'])).code).toBe(2);
    expect((await runCli(['--home', home, 'serve', '--port', 'abc'])).code).toBe(2);
  });

  it('a corrupt config is a clear error, and the file is left as it was', async () => {
    const h = tempDir('mira-home-');
    fs.writeFileSync(path.join(h, 'config.json'), '{ "model": ');
    const r = await runCli(['--home', h, 'index', repo.root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/config\.json is not valid JSON/);
    expect(fs.readFileSync(path.join(h, 'config.json'), 'utf8')).toBe('{ "model": ');
    fs.rmSync(h, { recursive: true, force: true });
  });

  it('runs as the installed bin with a real process', () => {
    const bin = packagePath('bin', 'mira.mjs');
    const r = spawnSync(process.execPath, [bin, '--home', home, '--json', 'index', repo.root], { encoding: 'utf8', env: { ...process.env, MIRA_HOME: '' } });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).project).toBe(repo.root);
    const bad = spawnSync(process.execPath, [bin, '--home', home, 'index', '/nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')[0]).toBe('mira: project folder /nope does not exist');
    void execFileSync;
  });
});

describe('stdin', () => {
  it('`build parse` reads the stdin it is given (not the process\'s), and an empty one ends at once', async () => {
    const { runCli } = await import('../../../test/helpers/cli');
    const r = await runCli(['--json', 'build', 'parse', '--tool', 'tsc'], { stdin: "src/a.ts(3,5): error TS2304: Cannot find name 'x'.\n" });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).errors).toEqual([expect.objectContaining({ tool: 'tsc', file: 'src/a.ts', line: 3, code: 'TS2304' })]);
    const empty = await runCli(['--json', 'build', 'parse']);
    expect(empty.code).toBe(0);
    expect(JSON.parse(empty.stdout).errors).toEqual([]);
  });
});
