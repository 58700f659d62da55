// `mira ask`, `mira budget` and `mira memory` end to end through the real CLI against a local OpenAI-compatible server.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../test/helpers/cli';
import { createRepo, tempDir, type TestRepo } from '../../../../test/helpers/git-repo';
import { startOpenAiServer, type OpenAiServer } from '../../../../test/helpers/openai-server';
import { isMethod } from '../../../shared/api';

// These commands reach the services through the shared API; until llm/memory are merged into src/shared/api/index.ts they cannot.
const wired = isMethod('llm/ask') && isMethod('memory/set');

describe.skipIf(!wired)('mira ask / budget / memory', () => {
  let server: OpenAiServer;
  let repo: TestRepo;
  let home: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    server = await startOpenAiServer({ apiKey: 'sk-test-cli-000000000' });
    repo = createRepo();
    repo.write('src/a.ts', 'export const a = 1;\n');
    repo.commit('init');
    home = tempDir('mira-home-');
    env = { OPENAI_API_KEY: 'sk-test-cli-000000000', OPENAI_BASE_URL: server.url, MIRA_MODEL: 'gpt-4o-mini' };
  });
  afterAll(async () => {
    await server.close();
    repo.cleanup();
    fs.rmSync(home, { recursive: true, force: true });
  });

  const mira = (...args: string[]) => runCli(['--home', home, '--project', repo.root, ...args], { env });

  it('mira ask --json prints one document with answer, context, cost and cached', async () => {
    server.enqueue({ content: 'Use the ledger.', usage: { prompt_tokens: 1000, completion_tokens: 100 } });
    const r = await mira('--json', 'ask', 'How', 'do', 'I', 'track', 'spend?');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ answer: 'Use the ledger.', cached: false });
    expect(Array.isArray(doc.context)).toBe(true);
    expect(doc.cost_usd).toBeCloseTo((1000 * 0.15 + 100 * 0.6) / 1e6, 9);
    expect(server.chatRequests().at(-1)!.body.messages.at(-1).content).toBe('How do I track spend?');
    const again = JSON.parse((await mira('--json', 'ask', 'How do I track spend?')).stdout);
    expect(again).toMatchObject({ answer: 'Use the ledger.', cached: true, cost_usd: 0 });
  });

  it('mira ask without --json streams the answer to stdout', async () => {
    server.enqueue({ content: 'Streamed words here.' });
    const r = await mira('ask', '--no-cache', 'stream please');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Streamed words here.\n');
    expect(r.stderr).toMatch(/context items/);
  });

  it('--batch answers one JSON line per question', async () => {
    const f = `${home}/questions.jsonl`;
    fs.writeFileSync(f, '{"question": "one"}\n{"question": ""}\n{"question": "two"}\n');
    const r = await mira('--batch', f, 'ask');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0].answer).toBe('echo: one');
    expect(lines[1].error.code).toBe('bad_request');
    expect(lines[2].answer).toBe('echo: two');
  });

  it('mira budget --json has the contract fields; budget set changes the limits', async () => {
    const r = await mira('--json', 'budget');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    for (const k of ['daily_spend_usd', 'daily_limit_usd', 'monthly_spend_usd', 'monthly_limit_usd', 'cache_hit_rate', 'calls', 'days', 'saved_usd', 'took_ms']) expect(doc).toHaveProperty(k);
    expect(doc.calls).toBeGreaterThanOrEqual(4);
    expect(doc.cache_hit_rate).toBeGreaterThan(0);
    const set = await mira('--json', 'budget', 'set', '--daily', '1.5', '--monthly', '30');
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ daily_limit_usd: 1.5, monthly_limit_usd: 30 });
    expect(JSON.parse((await mira('--json', 'budget')).stdout)).toMatchObject({ daily_limit_usd: 1.5, monthly_limit_usd: 30 });
    expect((await mira('budget', 'set')).code).toBe(2);
    expect((await mira('budget', 'set', '--daily', 'lots')).code).toBe(2);
    const human = await mira('budget');
    expect(human.stdout).toMatch(/today .* of \$1\.50/);
  });

  it('a call that would pass the limit is refused with exit 1, naming the limit', async () => {
    await mira('budget', 'set', '--daily', '0.000001');
    const r = await mira('ask', '--no-cache', 'too expensive');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^mira: this gpt-4o-mini call \(estimated \$0\.\d+\) would pass the daily limit of \$0\.0000/);
    expect(r.stderr).toMatch(/hint: raise it with `mira budget set --daily N`/);
    await mira('budget', 'set', '--daily', '5');
  });

  it('mira memory set / list / forget', async () => {
    const set = await mira('--json', 'memory', 'set', 'coding_style.indentation', 'tabs');
    expect(JSON.parse(set.stdout)).toMatchObject({ kind: 'profile', key: 'coding_style.indentation', value: 'tabs', action: 'added' });
    const upd = await mira('--json', 'memory', 'set', 'coding_style.indentation', '2', 'spaces');
    expect(JSON.parse(upd.stdout)).toMatchObject({ action: 'updated', value: '2 spaces', previous_value: 'tabs' });
    await mira('memory', 'set', 'editor', 'helix');
    const list = JSON.parse((await mira('--json', 'memory', 'list')).stdout);
    expect(list.results).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'coding_style.indentation', value: '2 spaces' }), expect.objectContaining({ key: 'editor', value: 'helix' })]));
    expect(list.profile.coding_style).toEqual({ indentation: '2 spaces' });
    const human = await mira('memory', 'list');
    expect(human.stdout).toMatch(/editor\s+helix/);
    const gone = await mira('--json', 'memory', 'forget', 'editor');
    expect(JSON.parse(gone.stdout)).toEqual({ key: 'editor', forgotten: 1 });
    expect(JSON.parse((await mira('--json', 'memory', 'list')).stdout).results.some((e: { key: string }) => e.key === 'editor')).toBe(false);
    expect((await mira('memory', 'set', 'onlykey')).code).toBe(2);
  });

  it('without a key, mira ask fails with one clear line and the hint', async () => {
    const r = await runCli(['--home', home, '--project', repo.root, 'ask', 'hello'], { env: {} });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('mira: no LLM is configured (OPENAI_API_KEY is not set)\nhint: set OPENAI_API_KEY (and OPENAI_BASE_URL for a local server such as Ollama, vLLM or llama.cpp, which accept any key) or add openaiApiKey to config.json\n');
  });
});
