// The code commands end to end through the real CLI: JSON shapes of CONTRACT.md, --batch, and errors.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../test/helpers/cli';
import { tempDir } from '../../../../test/helpers/git-repo';

const FIXTURE = path.resolve(import.meta.dirname, '../../../../test/fixtures/code/typescript');

describe('mira code commands', () => {
  let home: string;
  let project: string;
  beforeAll(async () => {
    home = tempDir('mira-home-');
    project = tempDir('mira-cli-code-');
    fs.cpSync(FIXTURE, project, { recursive: true });
    const r = await runCli(['--home', home, '--project', project, '--json', 'index', '--no-git']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ files: 6, symbols: expect.any(Number), calls: expect.any(Number) });
  });
  afterAll(() => {
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(project, { recursive: true, force: true });
  });

  const mira = (...args: string[]) => runCli(['--home', home, '--project', project, ...args]);
  const json = async (...args: string[]) => {
    const r = await mira('--json', ...args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout);
  };

  it('search, symbols, callers, callees and impact print the contract shapes', async () => {
    const s = await json('search', 'factorial', '--k', '3');
    expect(s.results[0]).toMatchObject({ path: 'src/util/math.ts', line: 10, symbol: 'factorial', kind: 'function', score: expect.any(Number), snippet: expect.any(String) });
    expect(s.took_ms).toEqual(expect.any(Number));

    const sym = await json('symbols', '--file', 'src/shapes.ts');
    expect(sym.results.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['Shape', 'Circle', 'area', 'square', 'Rect', 'makeShape']));
    expect(sym.results[0]).toEqual(expect.objectContaining({ name: 'Shape', kind: 'interface', path: 'src/shapes.ts', start_line: 3, end_line: 5, parent: null }));

    const callers = await json('callers', 'src/util/math.ts:factorial');
    expect(callers.results.map((r: { name: string; path: string; line: number }) => `${r.path}:${r.name}`).sort()).toEqual(['src/app.ts:App.run', 'src/util/math.ts:factorial']);
    expect(callers.took_ms).toEqual(expect.any(Number));

    const callees = await json('callees', 'App.run');
    expect(callees.results.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['Rect', 'add', 'Rect.area', 'App.log', 'shout', 'factorial']));

    const impact = await json('impact', 'add', '--depth', '5');
    const names = impact.results.map((r: { name: string; depth: number }) => `${r.depth}:${r.name}`);
    expect(names).toEqual(expect.arrayContaining(['1:Rect.perimeter', '1:App.run', '2:main']));
    expect(impact.results.every((r: { path: string; line: number }) => typeof r.path === 'string' && r.line > 0)).toBe(true);
  });

  it('answers --batch files line by line, in order', async () => {
    const batch = path.join(home, 'batch.jsonl');
    fs.writeFileSync(batch, '{"symbol": "shout"}\n\n{"symbol": "no_such_symbol"}\nnot json\n{"symbol": "src/app.ts:helper"}\n');
    const r = await mira('--json', '--batch', batch, 'callers');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0].results.map((x: { name: string }) => x.name)).toEqual(['App.run']);
    expect(lines[1].error.code).toBe('not_found');
    expect(lines[2].error.code).toBe('bad_request');
    expect(lines[3].results.map((x: { name: string }) => x.name)).toEqual(['App.run']);

    const q = path.join(home, 'queries.jsonl');
    fs.writeFileSync(q, '{"query": "makeShape"}\n{"query": "perimeter", "k": 1}\n');
    const s = await mira('--json', '--batch', q, 'search');
    const out = s.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out[0].results[0].symbol).toBe('makeShape');
    expect(out[1].results).toHaveLength(1);
  });

  it('lists concepts and patterns, and fails clearly on unknown symbols and bad options', async () => {
    const c = await json('concepts');
    expect(Array.isArray(c.results)).toBe(true);
    const p = await json('patterns');
    expect(Array.isArray(p.results)).toBe(true);

    const missing = await mira('callers', 'doesNotExist');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no symbol named doesNotExist/);
    const bad = await mira('search', 'x', '--k', 'lots');
    expect(bad.code).toBe(2);
  });
});
