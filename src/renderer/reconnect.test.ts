// The reconnecting carrier: backoff after a drop, listeners kept across sockets, calls refused plainly while away,
// and a refused socket on a running server told apart from a stopped server.
import { describe, expect, it } from 'vitest';
import { MiraError } from '../shared/errors';
import { ReconnectingTransport, type LinkState } from './reconnect';

class FakeSocket {
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  sent: string[] = [];
  private readonly handlers: Record<string, (() => void)[]> = { open: [], close: [] };
  addEventListener(type: 'open' | 'close', cb: () => void) {
    this.handlers[type]!.push(cb);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.fireClose();
  }
  fireOpen() {
    this.readyState = 1;
    this.onopen?.({});
    for (const h of this.handlers.open!) h();
  }
  fireClose() {
    this.readyState = 3;
    this.onclose?.({});
    for (const h of this.handlers.close!) h();
  }
  push(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

function setup(serverAnswers: () => Promise<boolean> = async () => false) {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const states: LinkState[] = [];
  const t = new ReconnectingTransport({
    socket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    serverAnswers,
    setTimer: (fn, ms) => timers.push({ fn, ms }),
  });
  t.onState((s) => states.push(s));
  return { t, sockets, timers, states };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('ReconnectingTransport', () => {
  it('reconnects with growing delays after a drop, keeps listeners, and refuses calls plainly meanwhile', async () => {
    const { t, sockets, timers, states } = setup();
    const seen: string[] = [];
    t.subscribe((e) => seen.push(e));
    sockets[0]!.fireOpen();
    await t.ready;
    sockets[0]!.push({ event: 'fs/changed', data: {} });
    sockets[0]!.fireClose();
    expect(states).toEqual(['open', 'down']);
    const err = await t.request('app/info', {}).catch((e: MiraError) => e);
    expect(err).toBeInstanceOf(MiraError);
    expect((err as MiraError).code).toBe('disconnected');
    expect((err as MiraError).message).toMatch(/Not connected to the Mira server/);
    // Retry 1 fails (server down), then 2 fails, then 3 opens.
    timers.shift()!.fn();
    sockets[1]!.fireClose();
    await tick();
    timers.shift()!.fn();
    sockets[2]!.fireClose();
    await tick();
    expect(timers.map((x) => x.ms)).toEqual([2000]);
    timers.shift()!.fn();
    sockets[3]!.fireOpen();
    expect(states.at(-1)).toBe('open');
    // Events from the new socket reach the listener added before the drop.
    sockets[3]!.push({ event: 'index/progress', data: {} });
    expect(seen).toEqual(['fs/changed', 'index/progress']);
    // Calls go over the new socket.
    const call = t.request('app/info', {});
    await tick();
    const sent = JSON.parse(sockets[3]!.sent[0]!) as { id: number };
    sockets[3]!.push({ id: sent.id, result: { ok: 1 } });
    expect(await call).toEqual({ ok: 1 });
  });

  it('uses the backoff from 0.5 s up to 5 s', async () => {
    const { sockets, timers } = setup();
    sockets[0]!.fireOpen();
    sockets[0]!.fireClose();
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const next = timers.shift()!;
      delays.push(next.ms);
      next.fn();
      sockets.at(-1)!.fireClose();
      await tick();
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('says "refused" when the server answers but will not take the token, and recovers if it does again', async () => {
    const { t, sockets, timers, states } = setup(async () => true);
    sockets[0]!.fireOpen();
    sockets[0]!.fireClose();
    timers.shift()!.fn();
    sockets[1]!.fireClose();
    await tick();
    expect(states).toEqual(['open', 'down', 'refused']);
    const err = (await t.request('fs/read', {}).catch((e: MiraError) => e)) as MiraError;
    expect(err.message).toMatch(/no longer accepts/);
    expect(err.hint).toMatch(/mira serve/);
    timers.shift()!.fn();
    sockets[2]!.fireOpen();
    expect(states.at(-1)).toBe('open');
  });

  it('a first socket that never opens rejects ready and does not retry', async () => {
    const { t, sockets, timers } = setup();
    sockets[0]!.fireClose();
    await expect(t.ready).rejects.toThrow(/access token/);
    expect(timers).toEqual([]);
  });

  it('a call cut off by the drop says the connection dropped', async () => {
    const { t, sockets } = setup();
    sockets[0]!.fireOpen();
    const call = t.request('build/run', {});
    sockets[0]!.fireClose();
    const err = (await call.catch((e: MiraError) => e)) as MiraError;
    expect(err.code).toBe('disconnected');
    expect(err.message).toMatch(/dropped before it answered/);
  });
});
