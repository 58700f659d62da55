// Budget: reservations in IMMEDIATE transactions hold under concurrency (in one process and across processes), limits refuse before sending, settlement and reports.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/git-repo';
import { startOpenAiServer, type OpenAiServer } from '../../../test/helpers/openai-server';
import { MiraError } from '../../shared/errors';
import { openDb, packagePath, type Db } from '../db/open';
import { BudgetLedger, dayKey, expectedOutputTokens, OUTPUT_COLD } from './budget';
import { LlmService } from './service';
import { loadLlmSettings } from './settings';
import type { MiraConfig } from '../../shared/config';

const dirs: string[] = [];
function freshDb(): { db: Db; file: string } {
  const dir = tempDir('mira-budget-');
  dirs.push(dir);
  const file = path.join(dir, 'mira.db');
  return { db: openDb(file, { migrationsDir: packagePath('migrations'), vectors: false }).db, file };
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function refusal(fn: () => unknown): MiraError {
  try {
    fn();
  } catch (e) {
    return e as MiraError;
  }
  throw new Error('expected budget_exceeded');
}

describe('expectedOutputTokens', () => {
  it('is twice the 90th percentile of recent output, at least a floor, never more than the max', () => {
    expect(expectedOutputTokens(8192, [])).toBe(OUTPUT_COLD);
    expect(expectedOutputTokens(500, [])).toBe(500);
    expect(expectedOutputTokens(8192, [300, 310, 290, 320])).toBe(640);
    expect(expectedOutputTokens(8192, [10, 12, 11])).toBe(512);
    // one long answer in ten does not set the rule (it is settled at its real cost all the same)
    expect(expectedOutputTokens(8192, [300, 300, 300, 300, 300, 300, 300, 300, 300, 6000])).toBe(600);
    expect(expectedOutputTokens(8192, [300, 300, 6000])).toBe(8192);
    expect(expectedOutputTokens(1000, [900, 900, 900])).toBe(1000);
  });
});

describe('BudgetLedger', () => {
  it('reserves, settles with real usage, and releases failed calls', () => {
    const { db } = freshDb();
    const ledger = new BudgetLedger(db, { limits: () => ({ dailyUsd: 1, monthlyUsd: 10 }) });
    const a = ledger.reserve({ kind: 'chat', model: 'gpt-5.1', estimateUsd: 0.3 });
    const b = ledger.reserve({ kind: 'chat', model: 'gpt-5.1', estimateUsd: 0.2 });
    expect(ledger.spend()).toMatchObject({ dayUsd: 0, reservedDayUsd: 0.5 });
    expect(ledger.spentFraction()).toBeCloseTo(0.5);
    ledger.settle(a.id, { tokensIn: 1000, tokensOut: 50, tokensCached: 500, tokensReasoning: 20, costUsd: 0.012 });
    ledger.release(b.id, 'llm_error: boom');
    ledger.settle(a.id, { tokensIn: 1, tokensOut: 1, costUsd: 5 }); // a second settlement changes nothing
    expect(ledger.spend()).toMatchObject({ dayUsd: 0.012, reservedDayUsd: 0 });
    const row = db.prepare('SELECT * FROM budget_tracking WHERE id = ?').get(a.id) as Record<string, unknown>;
    expect(row).toMatchObject({ status: 'settled', tokens_in: 1000, tokens_out: 50, tokens_cached: 500, tokens_reasoning: 20, cost_usd: 0.012, model: 'gpt-5.1' });
    const rep = ledger.report();
    expect(rep).toMatchObject({ daily_spend_usd: 0.012, calls: 1, failures: 1, tokens_in: 1000 });
    expect(rep.days).toHaveLength(30);
    expect(rep.days.at(-1)).toMatchObject({ day: dayKey(new Date()), calls: 1 });
  });

  it('refuses a call that would pass a limit, naming the limit and the spend so far', () => {
    const { db } = freshDb();
    const ledger = new BudgetLedger(db, { limits: () => ({ dailyUsd: 0.05, monthlyUsd: 0.08 }) });
    for (let i = 0; i < 5; i++) ledger.reserve({ kind: 'chat', model: 'm', estimateUsd: 0.01 });
    const e = refusal(() => ledger.reserve({ kind: 'chat', model: 'gpt-5.1', estimateUsd: 0.01 }));
    expect(e.code).toBe('budget_exceeded');
    expect(e.message).toBe('this gpt-5.1 call (estimated $0.01) would pass the daily limit of $0.05: $0.05 spent today');
    expect(e.hint).toMatch(/mira budget set --daily/);
    // Free calls (local models) are never refused.
    expect(() => ledger.reserve({ kind: 'chat', model: 'llama3', estimateUsd: 0 })).not.toThrow();
  });

  it('checks the monthly limit too, and a new day starts from zero but not a new month', () => {
    const { db } = freshDb();
    let now = new Date(2025, 0, 30, 23, 59);
    const ledger = new BudgetLedger(db, { limits: () => ({ dailyUsd: 1, monthlyUsd: 1.5 }), now: () => now });
    const r = ledger.reserve({ kind: 'chat', model: 'm', estimateUsd: 0.9 });
    ledger.settle(r.id, { tokensIn: 1, tokensOut: 1, costUsd: 0.9 });
    now = new Date(2025, 0, 31, 0, 1);
    expect(ledger.spend()).toMatchObject({ dayUsd: 0, monthUsd: 0.9 });
    const e = refusal(() => ledger.reserve({ kind: 'chat', model: 'm', estimateUsd: 0.7 }));
    expect(e.message).toMatch(/monthly limit of \$1\.50: \$0\.90 spent this month/);
    now = new Date(2025, 1, 1, 0, 1);
    expect(() => ledger.reserve({ kind: 'chat', model: 'm', estimateUsd: 0.7 })).not.toThrow();
  });

  it('stops counting the holds of a process that died', () => {
    const { db } = freshDb();
    let now = new Date(2025, 5, 1, 12, 0);
    const ledger = new BudgetLedger(db, { limits: () => ({ dailyUsd: 0.1, monthlyUsd: 1 }), now: () => now, reservationTtlMs: 60_000 });
    ledger.reserve({ kind: 'chat', model: 'm', estimateUsd: 0.1 });
    expect(() => ledger.reserve({ kind: 'chat', model: 'm', estimateUsd: 0.01 })).toThrow(/daily limit/);
    now = new Date(now.getTime() + 61_000);
    expect(ledger.spend().reservedDayUsd).toBe(0);
    expect(ledger.sweep()).toBe(1);
    expect(() => ledger.reserve({ kind: 'chat', model: 'm', estimateUsd: 0.05 })).not.toThrow();
  });

  it('records cache hits as free calls with their savings', () => {
    const { db } = freshDb();
    const ledger = new BudgetLedger(db, { limits: () => ({ dailyUsd: 1, monthlyUsd: 1 }) });
    ledger.recordCached({ kind: 'chat', model: 'gpt-5.1', savedUsd: 0.02, tokensIn: 100, tokensOut: 10 });
    const rep = ledger.report();
    expect(rep).toMatchObject({ calls: 1, cache_hits: 1, saved_usd: 0.02, daily_spend_usd: 0 });
    expect(db.prepare(`SELECT from_cache, status FROM budget_tracking`).get()).toEqual({ from_cache: 1, status: 'cached' });
  });

  it('two processes racing for the same budget together stay within the limit', async () => {
    const { db, file } = freshDb();
    const worker = packagePath('test', 'fixtures', 'llm', 'budget-worker.ts');
    const startAt = Date.now() + 2500;
    const run = () =>
      new Promise<{ ok: number; refused: number }>((resolve, reject) => {
        const p = spawn(process.execPath, ['--import', 'tsx', worker, file, '30', '0.01', '0.25', String(startAt)], { cwd: packagePath(), stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        p.stdout.on('data', (c) => (out += c));
        p.stderr.on('data', (c) => (err += c));
        p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker failed (${code}): ${err}`))));
      });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.ok + b.ok).toBe(25);
    expect(a.refused + b.refused).toBe(35);
    const ledger = new BudgetLedger(db, { limits: () => ({ dailyUsd: 0.25, monthlyUsd: 1000 }) });
    const s = ledger.spend();
    expect(s.dayUsd + s.reservedDayUsd).toBeCloseTo(0.25, 9);
  }, 30_000);
});

describe('budget through LlmService against a local server', () => {
  let server: OpenAiServer;
  let home: string;
  beforeAll(async () => {
    server = await startOpenAiServer();
    home = tempDir('mira-home-');
    dirs.push(home);
    // One output token costs $0.001, so a call capped at 10 tokens reserves exactly $0.01.
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ prices: { 'budget-model': { input: 0, output: 1000 } } }));
  });
  afterAll(() => server.close());

  function service(db: Db, daily: number): LlmService {
    const config = { home, openaiApiKey: 'sk-test-budget-0000', openaiBaseUrl: server.url, model: 'budget-model', reasoningEffort: 'medium', embeddingModel: 'local', dailyLimitUsd: daily, monthlyLimitUsd: 100 } as MiraConfig;
    return new LlmService({ db, settings: { ...loadLlmSettings(config), retryBaseMs: 1 }, limits: () => ({ dailyUsd: daily, monthlyUsd: 100 }) });
  }

  it('20 parallel calls against a limit that allows 5: exactly 5 are sent', async () => {
    const { db } = freshDb();
    const llm = service(db, 0.05);
    const before = server.chatRequests().length;
    server.setResponder(() => ({ content: 'ok', usage: { prompt_tokens: 20, completion_tokens: 10 } }));
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => llm.chat({ messages: [{ role: 'user', content: `question ${i}` }], maxOutputTokens: 10 }, { purpose: 'race' })),
    );
    server.setResponder(undefined);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const r of refused) expect((r.reason as MiraError).code).toBe('budget_exceeded');
    expect(server.chatRequests().length - before).toBe(5);
    const rep = llm.budget.report();
    expect(rep.daily_spend_usd).toBeCloseTo(0.05, 9);
    expect(rep.daily_spend_usd).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(rep.reserved_usd).toBe(0);
  });

  it('reserves the expected cost (prompt exactly, output from recent calls), not max output tokens at full price', async () => {
    // The UX audit: medium effort allows 8192 output tokens, and reserving them all held ~19x what a ~300-token answer costs.
    const { db } = freshDb();
    // $0.001 per output token: the old worst case (8192 tokens) would need $8.19; the limit is $2.
    const llm = service(db, 2);
    server.setResponder(() => ({ content: 'an answer', usage: { prompt_tokens: 20, completion_tokens: 300 } }));
    try {
      const cold = await llm.estimate({ model: 'budget-model', maxOutputTokens: 8192, messages: [{ role: 'user', content: 'q' }] });
      expect(cold.maxOut).toBe(8192);
      expect(cold.expectedOut).toBe(OUTPUT_COLD);
      for (let i = 0; i < 3; i++) await llm.chat({ messages: [{ role: 'user', content: `question ${i}` }], maxOutputTokens: 8192 });
      const warm = await llm.estimate({ model: 'budget-model', maxOutputTokens: 8192, messages: [{ role: 'user', content: 'q' }] });
      expect(warm.expectedOut).toBe(600);
      expect(warm.usd).toBeCloseTo(0.6, 9);
      // real spend 3 x $0.30: the reservations never refused a call with budget left
      expect(llm.budget.spend().dayUsd).toBeCloseTo(0.9, 9);
      await expect(llm.chat({ messages: [{ role: 'user', content: 'one more' }], maxOutputTokens: 8192 })).resolves.toMatchObject({ content: 'an answer' });
    } finally {
      server.setResponder(undefined);
    }
  });

  it('a failed call gives its reservation back', async () => {
    const { db } = freshDb();
    const llm = service(db, 0.01);
    server.enqueue({ status: 400, error: { message: 'bad request' } });
    await expect(llm.chat({ messages: [{ role: 'user', content: 'fails' }], maxOutputTokens: 10 })).rejects.toMatchObject({ code: 'llm_error' });
    expect(llm.budget.spend()).toMatchObject({ dayUsd: 0, reservedDayUsd: 0 });
    await expect(llm.chat({ messages: [{ role: 'user', content: 'fits now' }], maxOutputTokens: 10 })).resolves.toMatchObject({ content: 'echo: fits now' });
  });
});
