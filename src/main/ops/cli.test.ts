// `mira do`, `mira ops` and `mira undo` through the real CLI: the --json shape of CONTRACT.md, the missing-LLM error, review then apply, undo.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';
import { startOpenAiServer, type OpenAiServer } from '../../../test/helpers/openai-server';
import { isMethod } from '../../shared/api';

// The commands reach the engine through the shared API; until ops is merged into src/shared/api/index.ts (and the CLI) they cannot.
const wired = isMethod('ops/start');

const MATH = 'function add(a, b) {\n  return a - b;\n}\n\nmodule.exports = { add };\n';
const TEST_JS = "const { add } = require('./math');\nconst got = add(2, 3);\nif (got !== 5) {\n  console.log(`test.js:4:3: error: add(2, 3) returned ${got}, expected 5`);\n  process.exit(1);\n}\n";
const FIX = '<<<<<<< SEARCH\n  return a - b;\n=======\n  return a + b;\n>>>>>>> REPLACE\n';

describe.skipIf(!wired)('mira do / ops / undo', () => {
  let server: OpenAiServer;
  let repo: TestRepo;
  let home: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    server = await startOpenAiServer({ apiKey: 'sk-test-cli-ops-0000000' });
    repo = createRepo();
    repo.write('math.js', MATH);
    repo.write('test.js', TEST_JS);
    repo.commit('calculator');
    home = tempDir('mira-home-');
    env = { OPENAI_API_KEY: 'sk-test-cli-ops-0000000', OPENAI_BASE_URL: server.url, MIRA_MODEL: 'gpt-4o-mini' };
  });
  afterAll(async () => {
    await server.close();
    repo.cleanup();
    fs.rmSync(home, { recursive: true, force: true });
  });

  const mira = (args: string[], e: NodeJS.ProcessEnv = env) => runCli(['--home', home, '--project', repo.root, ...args], { env: e });

  it('without an LLM: exit 1, the llm_not_configured error as the JSON document, a hint on stderr', async () => {
    const r = await mira(['--json', 'do', 'fix add'], {});
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ error: expect.objectContaining({ code: 'llm_not_configured', hint: expect.stringMatching(/OPENAI_API_KEY/) }) });
    expect(r.stderr).toMatch(/no LLM is configured/);
    expect(r.stderr).toMatch(/hint: .*OPENAI_API_KEY/);
  });

  it('mira do --json --apply --verify: one document with operation_id, status, steps, artifacts, verification, cost_usd; mira undo restores', async () => {
    server.enqueue(
      { content: 'Plan: read math.js and fix it.', toolCalls: [{ name: 'read_file', arguments: { path: 'math.js' } }] },
      { toolCalls: [{ name: 'propose_edit', arguments: { path: 'math.js', edit: FIX } }] },
      { content: 'Fixed add.' },
    );
    const r = await mira(['--json', 'do', '--apply', '--verify', 'node test.js', 'add(2, 3) should be 5']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ status: 'done', verification: { passed: true, command: 'node test.js' } });
    expect(typeof doc.operation_id).toBe('number');
    expect(typeof doc.cost_usd).toBe('number');
    expect(Array.isArray(doc.steps)).toBe(true);
    expect(doc.artifacts).toEqual([expect.objectContaining({ path: 'math.js', diff: expect.stringContaining('+  return a + b;') })]);
    expect(fs.readFileSync(path.join(repo.root, 'math.js'), 'utf8')).toContain('return a + b;');

    const u = await mira(['--json', 'undo', String(doc.operation_id)]);
    expect(u.code).toBe(0);
    expect(JSON.parse(u.stdout).restored).toEqual([{ path: 'math.js', action: 'restored' }]);
    expect(fs.readFileSync(path.join(repo.root, 'math.js'), 'utf8')).toBe(MATH);
  });

  it('mira do without --apply shows the diff and waits for review; mira ops apply writes it', async () => {
    server.enqueue({ toolCalls: [{ name: 'propose_edit', arguments: { path: 'math.js', edit: FIX } }] }, { content: 'Fixed add.' });
    const r = await mira(['do', 'fix add']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/awaiting_review/);
    expect(r.stdout).toContain('+  return a + b;');
    expect(r.stderr).toMatch(/propose_edit|edit/);
    const id = /operation (\d+)/.exec(r.stdout)![1]!;
    expect(fs.readFileSync(path.join(repo.root, 'math.js'), 'utf8')).toBe(MATH);
    const list = JSON.parse((await mira(['--json', 'ops', 'list'])).stdout);
    expect(list.results[0]).toMatchObject({ operation_id: Number(id), status: 'awaiting_review', artifacts: 1 });
    const a = await mira(['--json', 'ops', 'apply', id, '--no-verify']);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).status).toBe('done');
    expect(fs.readFileSync(path.join(repo.root, 'math.js'), 'utf8')).toContain('return a + b;');
    expect((await mira(['ops', 'undo', id])).stdout).toBe('restored math.js\n');
  });

  it('a failed operation exits 1 with the reason', async () => {
    server.enqueue({ toolCalls: [{ name: 'read_file', arguments: { path: 'math.js' } }] });
    const r = await mira(['--json', 'do', '--max-steps', '1', 'fix add']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'failed', error: { code: 'step_limit' } });
    expect(r.stderr).toMatch(/failed: .*model turns/);
    expect((await mira(['do'])).code).toBe(2);
  });
});
