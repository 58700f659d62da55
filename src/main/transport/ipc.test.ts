// The IPC carrier with a stand-in for Electron: sender checks, envelope replies, routing, and per-window event forwarding.
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MiraError } from '../../shared/errors';
import { EventBus } from './router';

const handlers = new Map<string, (...args: unknown[]) => unknown>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (ch: string, fn: (...args: unknown[]) => unknown) => handlers.set(ch, fn),
    removeHandler: (ch: string) => handlers.delete(ch),
  },
}));

const { registerIpc, trustWebContents, forwardEvents } = await import('./ipc');
const { APP_INDEX_URL, IPC, isAppUrl } = await import('../window-options');

class FakeWebContents extends EventEmitter {
  static next = 1;
  readonly id = FakeWebContents.next++;
  destroyed = false;
  sent: unknown[][] = [];
  isDestroyed() {
    return this.destroyed;
  }
  send(...args: unknown[]) {
    this.sent.push(args);
  }
  destroy() {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

function invokeEvent(wc: FakeWebContents, frame: { url: string; parent: unknown } | null) {
  return { sender: wc, senderFrame: frame };
}

function fakeMira(call: (method: string, params: unknown, ctx: unknown) => Promise<unknown>) {
  return {
    router: { call: vi.fn(call) },
    events: new EventBus(),
    log: { warn: vi.fn(), error: vi.fn(), info: vi.fn() },
  };
}

describe('IPC carrier', () => {
  let mira: ReturnType<typeof fakeMira>;
  let onResult: ReturnType<typeof vi.fn<(method: string, result: unknown) => void>>;
  let request: (...args: unknown[]) => Promise<unknown>;

  beforeEach(() => {
    handlers.clear();
    mira = fakeMira(async (method, params) => {
      if (method === 'fs/write') throw new MiraError('conflict', 'a.ts changed on disk since it was opened', 'reload the file');
      return { method, params };
    });
    onResult = vi.fn<(method: string, result: unknown) => void>();
    registerIpc(mira as never, { isAppUrl: (u) => isAppUrl(u), onResult });
    request = handlers.get(IPC.request) as typeof request;
  });

  it('answers a call from the app page of a registered window through the router', async () => {
    const wc = new FakeWebContents();
    trustWebContents(wc as never);
    const reply = await request(invokeEvent(wc, { url: APP_INDEX_URL, parent: null }), 'fs/read', { path: 'a.ts' });
    expect(reply).toEqual({ ok: true, result: { method: 'fs/read', params: { path: 'a.ts' } } });
    expect(mira.router.call).toHaveBeenCalledWith('fs/read', { path: 'a.ts' }, { via: 'ipc' });
    expect(onResult).toHaveBeenCalledWith('fs/read', { method: 'fs/read', params: { path: 'a.ts' } });
  });

  it('refuses unregistered windows, sub-frames, foreign pages and destroyed frames without routing', async () => {
    const stranger = new FakeWebContents();
    const ours = new FakeWebContents();
    trustWebContents(ours as never);
    const cases = [
      invokeEvent(stranger, { url: APP_INDEX_URL, parent: null }),
      invokeEvent(ours, { url: APP_INDEX_URL, parent: {} }),
      invokeEvent(ours, { url: 'https://example.com/', parent: null }),
      invokeEvent(ours, { url: 'file:///tmp/evil.html', parent: null }),
      invokeEvent(ours, null),
    ];
    for (const ev of cases) {
      const reply = (await request(ev, 'app/info', {})) as { ok: boolean; error?: { code: string } };
      expect(reply.ok).toBe(false);
      expect(reply.error?.code).toBe('unauthorized');
    }
    expect(mira.router.call).not.toHaveBeenCalled();
  });

  it('stops trusting a window once it is destroyed', async () => {
    const wc = new FakeWebContents();
    trustWebContents(wc as never);
    wc.destroy();
    const reply = (await request(invokeEvent(wc, { url: APP_INDEX_URL, parent: null }), 'app/info')) as { ok: boolean };
    expect(reply.ok).toBe(false);
  });

  it('rejects unknown methods and keeps error codes and hints across the boundary', async () => {
    const wc = new FakeWebContents();
    trustWebContents(wc as never);
    const ev = invokeEvent(wc, { url: APP_INDEX_URL, parent: null });
    expect(await request(ev, 'shell/exec', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await request(ev, 42, {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await request(ev, 'fs/write', { path: 'a.ts', content: '' })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'a.ts changed on disk since it was opened', hint: 'reload the file' },
    });
    expect(onResult).not.toHaveBeenCalled();
  });

  it('forwards events to a window on the mira:event channel until it is destroyed', () => {
    const wc = new FakeWebContents();
    forwardEvents(mira as never, wc as never);
    mira.events.emit('fs/changed', { paths: ['a.ts'] });
    expect(wc.sent).toEqual([[IPC.event, 'fs/changed', { paths: ['a.ts'] }]]);
    wc.destroy();
    mira.events.emit('fs/changed', { paths: ['b.ts'] });
    expect(wc.sent).toHaveLength(1);
  });
});
