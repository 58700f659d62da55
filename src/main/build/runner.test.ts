// The build runner end to end: a real compiler in a pty, errors stored and deduplicated, fixes noticed and linked to commits.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from '../../../test/helpers/git-repo';
import { startTestMira, type TestMira } from '../../../test/helpers/mira';
import { runCli } from '../../../test/helpers/cli';
import { fingerprint, normalizeMessage, commandScope } from './fingerprint';

const hasGcc = (() => {
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let repo: TestRepo;
let t: TestMira;
beforeEach(async () => {
  repo = createRepo();
  t = await startTestMira(repo.root, 'in-process');
});
afterEach(async () => {
  await t.close();
  repo.cleanup();
});

describe('fingerprints', () => {
  it('normalise numbers, quoted names and paths, but keep the kind of error', () => {
    expect(normalizeMessage("Cannot find name 'foo' at /a/b/c.ts:12:3")).toBe(normalizeMessage("Cannot find name 'barBaz' at /x/y.ts:40:1"));
    const a = fingerprint({ tool: 'tsc', code: 'TS2304', message: "Cannot find name 'foo'.", file: 'src/a.ts' });
    expect(a).toBe(fingerprint({ tool: 'tsc', code: 'TS2304', message: "Cannot find name 'bar'.", file: 'src/a.ts' }));
    expect(a).not.toBe(fingerprint({ tool: 'tsc', code: 'TS2322', message: "Cannot find name 'foo'.", file: 'src/a.ts' }));
    expect(a).not.toBe(fingerprint({ tool: 'tsc', code: 'TS2304', message: "Cannot find name 'foo'.", file: 'src/b.ts' }));
    expect(commandScope('tsc --pretty false -p .')).toBe(commandScope('tsc -p .'));
  });
});

describe.skipIf(!hasGcc)('build run with gcc (real compiler in a pty)', () => {
  it('records errors, deduplicates reruns, resolves fixed errors with the diff, then links the commit', async () => {
    repo.write('main.c', '#include <stdio.h>\nint main(void) {\n  int x = undefined_var;\n  return x\n}\n');
    repo.commit('broken main');
    const cmd = 'gcc -fsyntax-only main.c';
    const first = await t.client.call('build/run', { command: cmd });
    expect(first.exit_code).not.toBe(0);
    expect(first.error_count).toBeGreaterThanOrEqual(1);
    expect(first.errors.some((e) => e.file === 'main.c' && e.line === 3 && /undefined_var/.test(e.message))).toBe(true);

    const second = await t.client.call('build/run', { command: cmd });
    expect(second.error_count).toBe(first.error_count);
    const open = await t.client.call('build/errors', { status: 'open', limit: 50 });
    // Same errors twice: one row each, seen in two runs, marked recurring.
    expect(open.results).toHaveLength(first.error_count);
    expect(open.results.every((e) => e.occurrences === 2 && e.recurring)).toBe(true);
    const undefinedErr = open.results.find((e) => /undefined_var/.test(e.message))!;
    expect(undefinedErr.snippet).toContain('undefined_var');

    repo.write('main.c', '#include <stdio.h>\nint main(void) {\n  int x = 0;\n  return x;\n}\n');
    const fixed = await t.client.call('build/run', { command: cmd });
    expect(fixed.exit_code).toBe(0);
    expect(fixed.resolved.length).toBe(first.error_count);
    const res = fixed.resolved.find((r) => r.error_id === undefinedErr.id)!;
    expect(res.diff).toContain('-  int x = undefined_var;');
    expect(res.diff).toContain('+  int x = 0;');
    expect((await t.client.call('build/errors', { status: 'open', limit: 50 })).results).toHaveLength(0);

    // The resolved error is a historical fix at once: a new, similar error finds it.
    const similar = await t.client.call('git/fixes', { query: "error: 'other_var' undeclared (first use in this function)", k: 5 });
    const found = similar.results.find((f) => /resolved gcc error/.test(f.message));
    expect(found).toBeDefined();
    expect(found!.files).toContain('main.c');

    const sha = repo.commit('fix: declare x');
    await t.client.call('index/run', {});
    const links = await t.client.call('build/resolutions', { error_id: undefinedErr.id });
    expect(links.results[0]?.commit_sha).toBe(sha);
    expect(links.results[0]?.commit_message).toBe('fix: declare x');
    const after = await t.client.call('git/fixes', { query: "'undefined_var' undeclared", k: 10 });
    expect(after.results.some((f) => f.commit === sha || (f as { sha?: string }).sha === sha)).toBe(true);
  });
});

describe('build run control', () => {
  it('times out a command that runs too long and proves nothing resolved', async () => {
    const r = await t.client.call('build/run', { command: 'echo started; sleep 30', timeout_ms: 500 });
    expect(r.status).toBe('timeout');
    expect(r.duration_ms).toBeLessThan(10_000);
  });

  it('streams output as build/output events, in the project root', async () => {
    const chunks: string[] = [];
    const off = t.client.on('build/output', (d) => chunks.push(d.data));
    const r = await t.client.call('build/run', { command: ['sh', '-c', 'pwd; echo out-$((6*7))'] });
    off();
    expect(r.exit_code).toBe(0);
    expect(chunks.join('')).toContain('out-42');
    expect(chunks.join('')).toContain(repo.root);
  });

  it('does not pass Mira secrets to the build', async () => {
    process.env.OPENAI_API_KEY = 'sk-test-never-leak-1234567890';
    try {
      const chunks: string[] = [];
      const off = t.client.on('build/output', (d) => chunks.push(d.data));
      await t.client.call('build/run', { command: 'echo "key=[$OPENAI_API_KEY]"' });
      off();
      expect(chunks.join('')).toContain('key=[]');
    } finally {
      delete process.env.OPENAI_API_KEY;
    }
  });
});

describe('build run of a Node project (real node in a pty)', () => {
  it('records a syntax error and an uncaught exception at their project lines', async () => {
    repo.write('src/broken.js', 'function total(items) {\n  let sum = 0\n  for (const item of items) {\n    sum += item.price *\n  }\n  return sum\n}\n');
    const syntax = await t.client.call('build/run', { command: 'node --check src/broken.js' });
    expect(syntax.exit_code).toBe(1);
    expect(syntax.tool).toBe('node');
    expect(syntax.errors).toEqual([expect.objectContaining({ tool: 'node', file: 'src/broken.js', line: 5, column: 3, severity: 'error', message: "SyntaxError: Unexpected token '}'" })]);

    repo.write('lib/config.js', "exports.port = function port(cfg) {\n  return cfg.server.port;\n};\n");
    repo.write('app.js', "const { port } = require('./lib/config');\nconsole.log(port({}));\n");
    const crash = await t.client.call('build/run', { command: 'node app.js' });
    expect(crash.error_count).toBe(1);
    expect(crash.errors[0]).toMatchObject({ file: 'lib/config.js', line: 2, message: expect.stringMatching(/^TypeError: Cannot read properties of undefined/) });
  });

  it('reports a missing command (exit 127) as an error with a hint, not as 0 errors', async () => {
    const r = await t.client.call('build/run', { command: 'mocha --reporter spec test/' });
    expect(r.exit_code).toBe(127);
    expect(r.error_count).toBe(1);
    expect(r.errors[0]).toMatchObject({ code: 'command_not_found', message: 'mocha: command not found', file: null });
    const open = await t.client.call('build/errors', { status: 'open', limit: 10 });
    expect(open.results.find((e) => e.code === 'command_not_found')?.hint).toMatch(/^install dependencies \(npm ci\)/);
  });
});

describe('mira build CLI', () => {
  it('build parse reads stdin or a file and prints {errors}', async () => {
    const f = `${repo.root}/out.txt`;
    fs.writeFileSync(f, "src/a.ts(3,7): error TS2304: Cannot find name 'foo'.\n");
    const r = await runCli(['--home', t.home, '--json', 'build', 'parse', f]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.errors[0]).toMatchObject({ tool: 'tsc', file: 'src/a.ts', line: 3, column: 7, severity: 'error', code: 'TS2304' });
  });

  it('build run --json exits 1 when the build fails, with the JSON on stdout', async () => {
    const r = await runCli(['--home', t.home, '--project', repo.root, '--json', 'build', 'run', '--', 'sh', '-c', 'echo "x.c:1:1: error: boom"; exit 3']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.exit_code).toBe(3);
    expect(doc).toHaveProperty('run_id');
    expect(doc).toHaveProperty('duration_ms');
    expect(doc.errors[0]).toMatchObject({ file: 'x.c', line: 1, severity: 'error', message: 'boom' });
  });
});

describe('runs whose process died', () => {
  it('are closed as interrupted when the project is opened again; runs of live processes are left running', async () => {
    const { BuildStore } = await import('./store');
    const { spawn, spawnSync } = await import('node:child_process');
    const p = t.mira.project();
    const store = new BuildStore(t.mira.db, p.id, p.root);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // exited: its pid is (almost surely) free
    const live = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const ins = t.mira.db.prepare(`INSERT INTO build_runs (project_id, command, scope, cwd, owner_pid) VALUES (?, 'make', 'make', '.', ?)`);
      const deadRun = Number(ins.run(p.id, dead).lastInsertRowid);
      const liveRun = Number(ins.run(p.id, live.pid!).lastInsertRowid);
      const legacyRun = Number(ins.run(p.id, null).lastInsertRowid); // recorded before runs had an owner
      expect(store.closeOrphanedRuns()).toBe(2);
      const status = (id: number) => (t.mira.db.prepare('SELECT status, finished_at FROM build_runs WHERE id = ?').get(id) as { status: string; finished_at: string | null });
      expect(status(deadRun).status).toBe('interrupted');
      expect(status(deadRun).finished_at).not.toBeNull();
      expect(status(legacyRun).status).toBe('interrupted');
      expect(status(liveRun).status).toBe('running');
      expect(store.closeOrphanedRuns()).toBe(0);
    } finally {
      live.kill();
    }
  });
});
