// The stored activity log: index runs, builds and LLM calls read back from their tables, newest last.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from '../../../test/helpers/git-repo';
import { startTestMira, type TestMira } from '../../../test/helpers/mira';

let repo: TestRepo;
let t: TestMira;

beforeAll(async () => {
  repo = createRepo();
  repo.write('src/a.ts', 'export const a = 1;\n');
  repo.commit('a');
  t = await startTestMira(repo.root, 'in-process');
  await t.client.call('index/run', {});
  await t.client.call('build/run', { command: 'exit 3' });
  const p = t.mira.project();
  // A settled chat call and one that was stopped, as the budget ledger records them.
  const ins = t.mira.db.prepare(`INSERT INTO budget_tracking (created_at, day, month, kind, purpose, model, status, cost_usd, tokens_in, tokens_out, error, took_ms, project_id)
    VALUES (?, '2026-11-25', '2026-11', 'chat', 'chat', 'gpt-5.1', ?, ?, 1200, 80, ?, 900, ?)`);
  ins.run('2000-01-01T00:00:00.000Z', 'settled', 0.0061, null, p.id);
  ins.run('2000-01-02T00:00:00.000Z', 'released', 0, 'aborted by the user', p.id);
});

afterAll(async () => {
  await t.close();
  repo.cleanup();
});

describe('activity/recent', () => {
  it('reads back index runs, builds and LLM calls, oldest first, with their outcome', async () => {
    const r = await t.client.call('activity/recent', {});
    const kinds = r.results.map((x) => x.kind);
    expect(kinds.slice(0, 2)).toEqual(['llm/call', 'llm/call']);
    expect(r.results[0]).toMatchObject({ group: 'llm', status: 'ok', message: 'chat for chat · gpt-5.1 · 1200 in / 80 out · $0.0061 · 900 ms' });
    expect(r.results[1]).toMatchObject({ status: 'cancelled' });
    const index = r.results.find((x) => x.kind === 'index')!;
    expect(index).toMatchObject({ group: 'index', status: 'ok' });
    expect(index.message).toMatch(/^Index run finished: 0 changed, 1 added, 0 deleted$/);
    const build = r.results.find((x) => x.kind === 'build')!;
    expect(build).toMatchObject({ group: 'build', status: 'error' });
    expect(build.message).toMatch(/^Build #\d+ failed \(exit 3\): exit 3 · 0 errors, 0 warnings$/);
    for (let i = 1; i < r.results.length; i++) expect(r.results[i]!.at >= r.results[i - 1]!.at).toBe(true);
    expect((await t.client.call('activity/recent', { limit: 1 })).results).toHaveLength(1);
  });
});
