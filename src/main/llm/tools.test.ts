// The tool registry: registration rules, running calls the model asked for, confirmation of side effects, and Mira's API methods as tools.
import { describe, expect, it } from 'vitest';
import { API_TOOLS, registerApiTools, ToolRegistry } from './tools';

const obj = (props: Record<string, unknown> = {}, required: string[] = []) => ({ type: 'object', properties: props, required });

describe('ToolRegistry', () => {
  it('accepts only OpenAI-valid names and object schemas', () => {
    const r = new ToolRegistry();
    expect(() => r.register({ name: 'bad name', description: '', parameters: obj(), sideEffect: false, run: () => 1 })).toThrow(/letters, digits/);
    expect(() => r.register({ name: 'x', description: '', parameters: { type: 'string' }, sideEffect: false, run: () => 1 })).toThrow(/type "object"/);
    const off = r.register({ name: 'ok_tool-1', description: 'd', parameters: obj(), sideEffect: true, run: () => 1 });
    expect(r.specs()).toEqual([{ name: 'ok_tool-1', description: 'd (asks the user first)', parameters: obj() }]);
    off();
    expect(r.list()).toEqual([]);
  });

  it('turns every problem into an answer the model can read', async () => {
    const r = new ToolRegistry();
    r.register({ name: 'echo', description: '', parameters: obj({ text: { type: 'string' } }, ['text']), sideEffect: false, run: (a: { text: string }) => ({ said: a.text }) });
    r.register({ name: 'boom', description: '', parameters: obj(), sideEffect: false, run: () => Promise.reject(new Error('disk on fire')) });
    r.register({ name: 'big', description: '', parameters: obj(), sideEffect: false, run: () => 'x'.repeat(20_000) });
    const call = (name: string, args: string) => r.execute({ id: '1', name, arguments: args }, {});
    expect(await call('echo', '{"text":"hi"}')).toEqual({ ok: true, content: '{"said":"hi"}' });
    expect((await call('nope', '{}')).content).toMatch(/no tool named nope; available: big, boom, echo/);
    expect((await call('echo', '{not json')).content).toMatch(/not a valid JSON object/);
    expect((await call('echo', '[1]')).content).toMatch(/not a valid JSON object/);
    expect((await call('echo', '{}')).content).toBe('error: echo needs text');
    expect(await call('boom', '')).toEqual({ ok: false, content: 'error: disk on fire' });
    expect((await call('big', '')).content).toMatch(/truncated, 8000 more characters/);
  });

  it('runs a side-effecting tool only when the user says yes', async () => {
    const r = new ToolRegistry();
    let runs = 0;
    r.register({ name: 'deploy', description: 'ship it', parameters: obj(), sideEffect: true, run: () => ++runs });
    const call = { id: '1', name: 'deploy', arguments: '{}' };
    expect(await r.execute(call, {})).toMatchObject({ ok: false, declined: true });
    expect(await r.execute(call, { confirm: async () => false })).toMatchObject({ declined: true });
    expect(await r.execute(call, { confirm: () => Promise.reject(new Error('closed')) })).toMatchObject({ declined: true });
    const asked: unknown[] = [];
    expect(await r.execute(call, { confirm: async (q) => (asked.push(q), true) })).toEqual({ ok: true, content: '1' });
    expect(asked).toEqual([{ tool: 'deploy', description: 'ship it', args: {} }]);
    expect(runs).toBe(1);
  });

  it("registers Mira's API methods that exist as tools, build_run with a side effect", async () => {
    const r = new ToolRegistry();
    const calls: [string, unknown][] = [];
    const added = registerApiTools(r, {
      schema: (m) => (m === 'code/search' || m === 'build/run' ? obj({ query: { type: 'string' } }) : null),
      call: async (m, p) => (calls.push([m, p]), { ok: m }),
    });
    expect(added).toEqual(['search', 'build_run']);
    expect(API_TOOLS.map((t) => t.name)).toEqual(['search', 'locate', 'callers', 'cochange', 'experts', 'fixes', 'build_run']);
    expect(r.get('build_run')!.sideEffect).toBe(true);
    expect(await r.execute({ id: '1', name: 'search', arguments: '{"query":"ledger"}' }, {})).toEqual({ ok: true, content: '{"ok":"code/search"}' });
    expect(calls).toEqual([['code/search', { query: 'ledger' }]]);
  });
});
