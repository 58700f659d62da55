// Operations end to end through their handlers, against the local OpenAI-compatible server (streamed tool calls) on real git repositories with a real test command.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';
import { startOpenAiServer, type OpenAiServer, type Reply } from '../../../test/helpers/openai-server';
import { opsEvents, opsMethods } from '../../shared/api/ops';
import { MiraError } from '../../shared/errors';
import { createMira, type Mira } from '../app';
import { loadConfig } from '../config';
import { llmServices } from '../handlers/llm';
import { opsHandlers } from '../handlers/ops';

type AnySpec = { params: { parse(v: unknown): unknown }; result: { parse(v: unknown): unknown } };
const specs = opsMethods as unknown as Record<string, AnySpec>;

interface Harness {
  mira: Mira;
  home: string;
  events: { event: string; data: unknown }[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(method: string, params?: unknown): Promise<any>;
  close(): void;
}

const open: Harness[] = [];
const homes = new Set<string>();

/** Mira with the ops handlers called the way the router calls them: params parsed, results checked against the contract. */
function harness(project: string, env: NodeJS.ProcessEnv, o: { home?: string; config?: object } = {}): Harness {
  const home = o.home ?? tempDir('mira-home-');
  homes.add(home);
  if (o.config) fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify(o.config));
  const mira = createMira({ config: loadConfig(home, env), mode: 'test', project });
  const handlers = opsHandlers(mira) as unknown as Record<string, (p: unknown, ctx: { via: 'in-process' }) => unknown>;
  const events: { event: string; data: unknown }[] = [];
  mira.events.subscribe((event, data) => {
    const schema = (opsEvents as Record<string, { safeParse(d: unknown): { success: boolean; error?: unknown } }>)[event];
    if (schema) {
      const r = schema.safeParse(data);
      if (!r.success) throw new Error(`event ${event} does not match the contract: ${JSON.stringify(data)}`);
    }
    events.push({ event, data });
  });
  const h: Harness = {
    mira,
    home,
    events,
    call: async (method, params) => {
      const spec = specs[method]!;
      const out = await handlers[method]!(spec.params.parse(params), { via: 'in-process' });
      return spec.result.parse(out);
    },
    close: () => {
      try {
        mira.close();
      } catch {
        /* closed */
      }
    },
  };
  open.push(h);
  return h;
}

async function rejects(p: Promise<unknown>): Promise<MiraError> {
  try {
    await p;
  } catch (e) {
    return MiraError.from(e);
  }
  throw new Error('expected a failure');
}

const MATH = 'function add(a, b) {\n  return a - b;\n}\n\nmodule.exports = { add };\n';
const TEST_JS = [
  "const { add } = require('./math');",
  'const got = add(2, 3);',
  'if (got !== 5) {',
  '  console.log(`test.js:4:3: error: add(2, 3) returned ${got}, expected 5`);',
  '  process.exit(1);',
  '}',
  "console.log('ok');",
  '',
].join('\n');
const FIX = '<<<<<<< SEARCH\n  return a - b;\n=======\n  return a + b;\n>>>>>>> REPLACE\n';

function mathRepo(): TestRepo {
  const repo = createRepo();
  repo.write('math.js', MATH);
  repo.write('test.js', TEST_JS);
  repo.write('README.md', '# calc\nA tiny calculator.\n');
  repo.commit('calculator');
  return repo;
}

const locate: Reply = { content: 'Plan: find add, read math.js, fix the operator.', toolCalls: [{ name: 'locate', arguments: { query: 'add returns the wrong sum' } }] };
const readMath: Reply = { toolCalls: [{ name: 'read_file', arguments: { path: 'math.js' } }] };
const proposeFix: Reply = { toolCalls: [{ name: 'propose_edit', arguments: { path: 'math.js', edit: FIX } }] };
const summary: Reply = { content: 'add subtracted instead of adding; it now returns a + b.' };

describe('operations', () => {
  let server: OpenAiServer;
  let env: NodeJS.ProcessEnv;
  const repos: TestRepo[] = [];
  const repo = () => {
    const r = mathRepo();
    repos.push(r);
    return r;
  };

  beforeAll(async () => {
    server = await startOpenAiServer({ apiKey: 'sk-test-ops-0000000000' });
    env = { OPENAI_API_KEY: 'sk-test-ops-0000000000', OPENAI_BASE_URL: server.url, MIRA_MODEL: 'gpt-4o-mini' };
  });
  afterEach(() => {
    while (open.length) open.pop()!.close();
    server.setResponder(undefined);
  });
  afterAll(async () => {
    await server.close();
    for (const r of repos) r.cleanup();
    for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
  });

  it('--apply --verify: locate, read_file and propose_edit (streamed), applied, verified, resolution linked, then undone', async () => {
    const r = repo();
    const h = harness(r.root, env);
    // Indexed, so the oracle has something to say about the task (context up front, and the locate tool).
    await h.mira.index({ git: true });
    const before = server.chatRequests().length;
    server.enqueue(locate, readMath, proposeFix, summary);
    const v = await h.call('ops/start', { task: 'add(2, 3) should return 5', apply: true, verify: 'node test.js', wait: true });

    expect(v.status).toBe('done');
    expect(v.outcome).toBe('changed');
    expect(v.error).toBeNull();
    expect(fs.readFileSync(path.join(r.root, 'math.js'), 'utf8')).toContain('return a + b;');
    expect(v.artifacts).toHaveLength(1);
    expect(v.artifacts[0]).toMatchObject({ path: 'math.js', status: 'applied', additions: 1, deletions: 1, creates: false });
    expect(v.artifacts[0].diff).toContain('+  return a + b;');
    expect(v.verification).toMatchObject({ command: 'node test.js', passed: true, exit_code: 0, rounds: 1 });
    // The baseline run failed with the parsed error; the verification no longer saw it: resolved by this operation.
    expect(v.verification.runs.map((x: { kind: string; passed: boolean }) => [x.kind, x.passed])).toEqual([['baseline', false], ['verify', true]]);
    expect(v.verification.resolved).toEqual([expect.objectContaining({ file: 'test.js', message: expect.stringContaining('returned -1') })]);
    const res = h.mira.db.prepare('SELECT operation_id FROM error_resolutions').all() as { operation_id: number }[];
    expect(res.map((x) => x.operation_id)).toEqual([v.operation_id]);

    expect(v.plan).toContain('Plan: find add');
    expect(v.summary).toContain('a + b');
    expect(v.llm_calls).toBe(4);
    expect(v.tool_calls).toBe(3);
    expect(v.cost_usd).toBeGreaterThan(0);
    const kinds = v.steps.map((s: { kind: string; name: string }) => `${s.kind}:${s.name}`);
    for (const k of ['plan:plan', 'context:oracle', 'verify:baseline', 'tool:locate', 'tool:read_file', 'edit:propose_edit', 'apply:math.js', 'verify:verify', 'learn:reasoning_pattern']) expect(kinds).toContain(k);
    const llmSteps = v.steps.filter((s: { kind: string }) => s.kind === 'llm');
    expect(llmSteps.every((s: { tokens_in: number; cost_usd: number }) => s.tokens_in > 0 && s.cost_usd > 0)).toBe(true);

    // The real protocol: streamed, tools offered, each tool's answer sent back.
    const reqs = server.chatRequests().slice(before);
    expect(reqs).toHaveLength(4);
    expect(reqs.every((q) => q.body.stream === true)).toBe(true);
    const offered = (reqs[0]!.body.tools as { function: { name: string } }[]).map((t) => t.function.name);
    for (const t of ['locate', 'search', 'read_file', 'propose_edit', 'callers', 'impact', 'cochange', 'experts', 'fixes']) expect(offered).toContain(t);
    expect(reqs[0]!.body.messages[0].content).toContain('returned -1, expected 5');
    expect(reqs[1]!.body.messages.at(-1).content).toContain('"path":"math.js"');
    expect(v.steps.find((s: { kind: string }) => s.kind === 'context').detail).toContain('math.js');
    const readAnswer = reqs[2]!.body.messages.at(-1);
    expect(readAnswer.role).toBe('tool');
    expect(readAnswer.content).toContain('return a - b;');
    expect(reqs[3]!.body.messages.at(-1).content).toMatch(/^proposed math\.js/);

    // Events for the activity panel, checked against the contract by the harness.
    const statuses = h.events.filter((e) => e.event === 'ops/status').map((e) => (e.data as { status: string }).status);
    expect(statuses).toEqual(expect.arrayContaining(['planning', 'gathering', 'proposing', 'applying', 'verifying', 'done']));
    expect(h.events.some((e) => e.event === 'ops/delta')).toBe(true);
    expect(h.events.filter((e) => e.event === 'ops/step').length).toBe(v.steps.length);

    // The verified operation taught a reasoning pattern.
    expect(v.learned_pattern_id).toBeGreaterThan(0);

    // Undo puts the file back, and the pattern it taught hears about it.
    const u = await h.call('ops/undo', { operation_id: v.operation_id });
    expect(u.restored).toEqual([{ path: 'math.js', action: 'restored' }]);
    expect(u.reverted).toBe(true);
    expect(fs.readFileSync(path.join(r.root, 'math.js'), 'utf8')).toBe(MATH);
    expect((await rejects(h.call('ops/undo', { operation_id: v.operation_id }))).code).toBe('not_found');

    // The same task again replays the learned pattern as its plan; verified, the pattern gains a success; undone, a failure.
    server.enqueue(locate, readMath, proposeFix, summary);
    const again = await h.call('ops/start', { task: 'add(2, 3) should return 5', apply: true, verify: 'node test.js', wait: true });
    expect(again.status).toBe('done');
    expect(again.pattern_id).toBe(v.learned_pattern_id);
    expect(again.steps[0]).toMatchObject({ kind: 'plan', name: 'reasoning_pattern' });
    expect(again.learned_pattern_id).toBeNull();
    const reasoning = llmServices(h.mira).memory.reasoning;
    expect(reasoning.get(v.learned_pattern_id)).toMatchObject({ uses: 1, successes: 2, failures: 0 });
    await h.call('ops/undo', { operation_id: again.operation_id });
    expect(reasoning.get(v.learned_pattern_id)).toMatchObject({ failures: 1 });
  });

  it('a failed verification goes back to the model with its errors, and the next round fixes it', async () => {
    const r = repo();
    const h = harness(r.root, env);
    const before = server.chatRequests().length;
    const wrong = '<<<<<<< SEARCH\n  return a - b;\n=======\n  return a * b;\n>>>>>>> REPLACE\n';
    const right = '<<<<<<< SEARCH\n  return a * b;\n=======\n  return a + b;\n>>>>>>> REPLACE\n';
    server.enqueue(
      { toolCalls: [{ name: 'propose_edit', arguments: { path: 'math.js', edit: wrong } }] },
      { content: 'Done.' },
      { toolCalls: [{ name: 'propose_edit', arguments: { path: 'math.js', edit: right } }] },
      { content: 'Fixed for real.' },
    );
    const v = await h.call('ops/start', { task: 'make add add', apply: true, verify: 'node test.js', wait: true });
    expect(v.status).toBe('done');
    expect(v.round).toBe(2);
    expect(v.verification).toMatchObject({ passed: true, rounds: 2 });
    expect(v.artifacts.map((a: { round: number; status: string }) => [a.round, a.status])).toEqual([[1, 'applied'], [2, 'applied']]);
    const fixTurn = server.chatRequests()[before + 2]!.body.messages.at(-1);
    expect(fixTurn.role).toBe('user');
    expect(fixTurn.content).toContain('returned 6, expected 5');
    expect(fs.readFileSync(path.join(r.root, 'math.js'), 'utf8')).toContain('return a + b;');
    // Undo walks both rounds back.
    await h.call('ops/undo', { operation_id: v.operation_id });
    expect(fs.readFileSync(path.join(r.root, 'math.js'), 'utf8')).toBe(MATH);
  });

  it('an operation that achieved nothing says so: outcome no_changes, not a plain done', async () => {
    const r = repo();
    const h = harness(r.root, env);
    server.enqueue(
      { toolCalls: [{ name: 'propose_edit', arguments: { path: 'math.js', edit: '<<<<<<< SEARCH\nconst nope = 1;\n=======\nconst nope = 2;\n>>>>>>> REPLACE\n' } }] },
      { content: 'The edit was refused; giving up.' },
    );
    const v = await h.call('ops/start', { task: 'give up', apply: true, no_verify: true, wait: true });
    expect(v.status).toBe('done');
    expect(v.outcome).toBe('no_changes');
    const list = await h.call('ops/list', {});
    expect(list.results.find((o: { operation_id: number }) => o.operation_id === v.operation_id)).toMatchObject({ status: 'done', outcome: 'no_changes', artifacts: 0 });
  });

  it('verification rounds agree with the steps, and a check already failing before the change is flagged', async () => {
    const r = repo();
    const h = harness(r.root, env);
    const wrong = '<<<<<<< SEARCH\n  return a - b;\n=======\n  return a * b;\n>>>>>>> REPLACE\n';
    // round 1 proposes a wrong fix; verification fails; round 2 proposes nothing: failed after 2 rounds, 1 verify run
    server.enqueue({ toolCalls: [{ name: 'propose_edit', arguments: { path: 'math.js', edit: wrong } }] }, { content: 'Done.' }, { content: 'I have no better idea.' });
    const v = await h.call('ops/start', { task: 'make add add', apply: true, verify: 'node test.js', max_rounds: 2, wait: true });
    expect(v.status).toBe('failed');
    expect(v.steps.some((s: { detail: string }) => /round 2 of 2/.test(s.detail))).toBe(true);
    expect(v.verification).toMatchObject({ rounds: 2, verify_runs: 1, baseline_failed: true, passed: false });
    expect(v.outcome).toBeNull();
  });

  it('a refused edit goes back to the model with the reason, and review per hunk applies only the accepted hunks', async () => {
    const r = repo();
    const long = Array.from({ length: 30 }, (_, i) => `const v${i} = ${i};`).join('\n') + '\n';
    r.write('values.js', long);
    r.commit('values');
    const h = harness(r.root, env);
    const whole = long.replace('const v2 = 2;', 'const v2 = 200;').replace('const v25 = 25;', 'const v25 = 2500;');
    server.enqueue(
      { toolCalls: [{ name: 'propose_edit', arguments: { path: 'values.js', edit: '<<<<<<< SEARCH\nconst nope = 1;\n=======\nconst nope = 2;\n>>>>>>> REPLACE\n' } }] },
      { toolCalls: [{ name: 'propose_edit', arguments: { path: 'values.js', edit: whole } }, { name: 'read_file', arguments: { path: '../outside.txt' } }] },
      { content: 'Changed v2 and v25.' },
    );
    const before = server.chatRequests().length;
    const v = await h.call('ops/start', { task: 'bump v2 and v25', wait: true });
    expect(v.status).toBe('awaiting_review');
    const refusal = server.chatRequests()[before + 1]!.body.messages.at(-1);
    expect(refusal.content).toMatch(/^error: the edit to values\.js was refused/);
    const outside = server.chatRequests()[before + 2]!.body.messages.at(-1);
    expect(outside.content).toMatch(/outside the project root/);
    expect(v.steps.find((s: { kind: string; status: string }) => s.kind === 'edit' && s.status === 'refused')).toBeTruthy();

    const art = v.artifacts[0];
    expect(art.hunks).toHaveLength(2);
    expect(art.hunks.map((x: { state: string }) => x.state)).toEqual(['pending', 'pending']);
    expect(fs.readFileSync(path.join(r.root, 'values.js'), 'utf8')).toBe(long);

    const reviewed = await h.call('ops/review', { operation_id: v.operation_id, artifact_id: art.id, decision: 'reject', hunks: [1] });
    expect(reviewed.status).toBe('partial');
    expect(reviewed.hunks.map((x: { state: string }) => x.state)).toEqual(['pending', 'rejected']);
    expect((await rejects(h.call('ops/review', { operation_id: v.operation_id, artifact_id: art.id, decision: 'accept', hunks: [7] }))).code).toBe('bad_request');

    const done = await h.call('ops/apply', { operation_id: v.operation_id, no_verify: true, wait: true });
    expect(done.status).toBe('done');
    const now = fs.readFileSync(path.join(r.root, 'values.js'), 'utf8');
    expect(now).toContain('const v2 = 200;');
    expect(now).toContain('const v25 = 25;');
    expect(done.artifacts[0].status).toBe('applied');
  });

  it('refuses to apply over a file that changed after the edit was proposed, and writes nothing', async () => {
    const r = repo();
    const h = harness(r.root, env);
    server.enqueue(proposeFix, summary);
    const v = await h.call('ops/start', { task: 'fix add', wait: true });
    expect(v.status).toBe('awaiting_review');
    r.write('math.js', MATH.replace('module.exports', '// edited by hand\nmodule.exports'));
    const after = await h.call('ops/apply', { operation_id: v.operation_id, wait: true });
    expect(after.status).toBe('failed');
    expect(after.error.code).toBe('conflict');
    expect(fs.readFileSync(path.join(r.root, 'math.js'), 'utf8')).toContain('// edited by hand');
    expect(fs.readFileSync(path.join(r.root, 'math.js'), 'utf8')).toContain('return a - b;');
  });

  it('a cancelled operation writes nothing', async () => {
    const r = repo();
    const h = harness(r.root, env);
    server.enqueue(proposeFix);
    // The next turn is slow: the user cancels while the model is still answering.
    server.setResponder(() => ({ content: 'slow wrap-up', delayMs: 5000 }));
    let id = 0;
    const edited = new Promise<void>((resolve) =>
      h.mira.events.subscribe((event, data) => {
        if (event === 'ops/step' && (data as { step: { kind: string } }).step.kind === 'edit') resolve();
      }),
    );
    const started = await h.call('ops/start', { task: 'fix add', apply: true, verify: 'node test.js' });
    id = started.operation_id;
    expect(['planning', 'gathering', 'proposing']).toContain(started.status);
    await edited;
    const asked = server.chatRequests().length;
    while (server.chatRequests().length === asked) await new Promise((res) => setTimeout(res, 10));
    const t0 = Date.now();
    const v = await h.call('ops/cancel', { operation_id: id });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(v.status).toBe('cancelled');
    expect(v.artifacts.map((a: { status: string }) => a.status)).toEqual(['discarded']);
    expect(fs.readFileSync(path.join(r.root, 'math.js'), 'utf8')).toBe(MATH);
    expect(v.resumable).toBe(false);
  });

  it('a budget that runs out mid-operation stops it cleanly (nothing applied); more budget and ops/resume finish it', async () => {
    const r = repo();
    // $1 per million input tokens: the first call costs $0.1495 of a $0.15 day, so the next one is refused before it is sent.
    const h = harness(r.root, { ...env, MIRA_DAILY_LIMIT_USD: '0.15' }, { config: { prices: { 'gpt-4o-mini': { input: 1, output: 0 } } } });
    const before = server.chatRequests().length;
    server.enqueue({ ...proposeFix, usage: { prompt_tokens: 149_500, completion_tokens: 10 } });
    const v = await h.call('ops/start', { task: 'fix add', apply: true, verify: 'node test.js', wait: true });
    expect(v.status).toBe('failed');
    expect(v.error.code).toBe('budget_exceeded');
    expect(v.error.hint).toMatch(/resume/);
    expect(v.resumable).toBe(true);
    expect(server.chatRequests().length - before).toBe(1);
    expect(v.cost_usd).toBeCloseTo(0.1495, 6);
    expect(v.artifacts.map((a: { status: string }) => a.status)).toEqual(['proposed']);
    expect(v.steps.some((s: { kind: string; status: string }) => s.kind === 'llm' && s.status === 'refused')).toBe(true);
    expect(fs.readFileSync(path.join(r.root, 'math.js'), 'utf8')).toBe(MATH);

    h.mira.config.dailyLimitUsd = 5;
    server.enqueue(summary);
    const resumed = await h.call('ops/resume', { operation_id: v.operation_id, wait: true });
    expect(resumed.status).toBe('done');
    expect(resumed.verification.passed).toBe(true);
    expect(fs.readFileSync(path.join(r.root, 'math.js'), 'utf8')).toContain('return a + b;');
  });

  it('survives a restart: an operation interrupted by closing Mira is resumed by a new Mira from its stored messages', async () => {
    const r = repo();
    const h1 = harness(r.root, env);
    server.enqueue(locate);
    const stopped = new Promise<void>((resolve) =>
      h1.mira.events.subscribe((event, data) => {
        // Close right after the first tool answer is stored: the process "dies" before the next model turn.
        if (event === 'ops/step' && (data as { step: { kind: string; name: string } }).step.name === 'locate') {
          h1.mira.close();
          resolve();
        }
      }),
    );
    const started = await h1.call('ops/start', { task: 'add(2, 3) should return 5', apply: true, verify: 'node test.js' });
    await stopped;
    await new Promise((res) => setTimeout(res, 50));

    const h2 = harness(r.root, env, { home: h1.home });
    const list = await h2.call('ops/list', { interrupted: true });
    expect(list.results.map((o: { operation_id: number }) => o.operation_id)).toEqual([started.operation_id]);
    const seen = await h2.call('ops/get', { operation_id: started.operation_id });
    expect(seen).toMatchObject({ status: 'proposing', interrupted: true, resumable: true });
    expect(fs.readFileSync(path.join(r.root, 'math.js'), 'utf8')).toBe(MATH);

    const before = server.chatRequests().length;
    server.enqueue(readMath, proposeFix, summary);
    const v = await h2.call('ops/resume', { operation_id: started.operation_id, wait: true });
    expect(v.status).toBe('done');
    expect(v.interrupted).toBe(false);
    expect(v.verification.passed).toBe(true);
    expect(fs.readFileSync(path.join(r.root, 'math.js'), 'utf8')).toContain('return a + b;');
    // The first turn after the restart carries the conversation so far, the locate answer included.
    const first = server.chatRequests()[before]!.body.messages;
    expect(first.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(v.steps.some((s: { kind: string; name: string }) => s.kind === 'status' && s.name === 'resumed')).toBe(true);
  });

  it('discards an interrupted operation without writing, and refuses what makes no sense', async () => {
    const r = repo();
    const h1 = harness(r.root, env);
    server.enqueue(proposeFix);
    const stopped = new Promise<void>((resolve) =>
      h1.mira.events.subscribe((event, data) => {
        if (event === 'ops/step' && (data as { step: { kind: string } }).step.kind === 'edit') {
          h1.mira.close();
          resolve();
        }
      }),
    );
    const started = await h1.call('ops/start', { task: 'fix add', apply: true });
    await stopped;
    const h2 = harness(r.root, env, { home: h1.home });
    const v = await h2.call('ops/discard', { operation_id: started.operation_id });
    expect(v.status).toBe('cancelled');
    expect(v.artifacts.map((a: { status: string }) => a.status)).toEqual(['discarded']);
    expect(fs.readFileSync(path.join(r.root, 'math.js'), 'utf8')).toBe(MATH);
    expect((await rejects(h2.call('ops/resume', { operation_id: started.operation_id }))).code).toBe('conflict');
    expect((await rejects(h2.call('ops/apply', { operation_id: started.operation_id }))).code).toBe('conflict');
    expect((await rejects(h2.call('ops/get', { operation_id: 9999 }))).code).toBe('not_found');
  });

  it('creates a new file from a whole-file edit, and undo removes it', async () => {
    const r = repo();
    const h = harness(r.root, env);
    server.enqueue({ toolCalls: [{ name: 'propose_edit', arguments: { path: 'lib/sub.js', edit: 'exports.sub = (a, b) => a - b;\n', format: 'whole' } }] }, { content: 'Added sub.' });
    const v = await h.call('ops/start', { task: 'add a sub helper', apply: true, no_verify: true, wait: true });
    expect(v.status).toBe('done');
    expect(v.verification).toBeNull();
    expect(v.artifacts[0]).toMatchObject({ path: 'lib/sub.js', creates: true, status: 'applied' });
    expect(v.artifacts[0].diff).toMatch(/^--- \/dev\/null/);
    expect(fs.readFileSync(path.join(r.root, 'lib/sub.js'), 'utf8')).toBe('exports.sub = (a, b) => a - b;\n');
    const u = await h.call('ops/undo', { operation_id: v.operation_id });
    expect(u.restored).toEqual([{ path: 'lib/sub.js', action: 'deleted' }]);
    expect(fs.existsSync(path.join(r.root, 'lib/sub.js'))).toBe(false);
  });

  it('undo refuses (and touches nothing) when a file changed after the operation wrote it, unless forced', async () => {
    const r = repo();
    const h = harness(r.root, env);
    server.enqueue(proposeFix, summary);
    const v = await h.call('ops/start', { task: 'fix add', apply: true, no_verify: true, wait: true });
    expect(v.status).toBe('done');
    const later = fs.readFileSync(path.join(r.root, 'math.js'), 'utf8') + '// later\n';
    fs.writeFileSync(path.join(r.root, 'math.js'), later);
    expect((await rejects(h.call('ops/undo', { operation_id: v.operation_id }))).code).toBe('conflict');
    expect(fs.readFileSync(path.join(r.root, 'math.js'), 'utf8')).toBe(later);
    await h.call('ops/undo', { operation_id: v.operation_id, force: true });
    expect(fs.readFileSync(path.join(r.root, 'math.js'), 'utf8')).toBe(MATH);
  });

  it('stops at the step limit, resumable with more steps', async () => {
    const r = repo();
    const h = harness(r.root, env);
    server.enqueue(readMath, readMath);
    const v = await h.call('ops/start', { task: 'fix add', max_steps: 2, wait: true });
    expect(v.status).toBe('failed');
    expect(v.error.code).toBe('step_limit');
    expect(v.resumable).toBe(true);
    server.enqueue(proposeFix, summary);
    const done = await h.call('ops/resume', { operation_id: v.operation_id, wait: true });
    expect(done.status).toBe('awaiting_review');
    expect(done.llm_calls).toBe(4);
  });

  it('without an LLM: llm_not_configured with a hint, and nothing stored', async () => {
    const r = repo();
    const h = harness(r.root, {});
    const e = await rejects(h.call('ops/start', { task: 'fix add' }));
    expect(e.code).toBe('llm_not_configured');
    expect(e.hint).toMatch(/OPENAI_API_KEY/);
    expect((await h.call('ops/list', {})).results).toEqual([]);
  });
});
