// IpcTransport over a fake window.mira: envelopes become results or MiraErrors with code and hint; events fan in.
import { describe, expect, it, vi } from 'vitest';
import { MiraClient } from '../shared/client';
import { MiraError } from '../shared/errors';
import { IpcTransport, type MiraBridge } from './bridge';

function fakeBridge() {
  const listeners = new Map<string, Set<(d: unknown) => void>>();
  const bridge = {
    'fs/read': vi.fn(async (p: { path: string }) => ({ ok: true, result: { path: p.path, content: 'x' } })),
    'fs/write': vi.fn(async () => ({ ok: false, error: { code: 'conflict', message: 'a.ts changed on disk', hint: 'reload' } })),
    on: (e: string, cb: (d: unknown) => void) => {
      if (!listeners.has(e)) listeners.set(e, new Set());
      listeners.get(e)!.add(cb);
      return () => listeners.get(e)!.delete(cb);
    },
    events: ['fs/changed', 'index/progress'],
    openFolder: async () => null,
    onMenu: () => () => {},
    platform: 'linux',
  };
  const emit = (e: string, d: unknown) => listeners.get(e)?.forEach((cb) => cb(d));
  return { bridge: bridge as unknown as MiraBridge, emit, listeners };
}

describe('IpcTransport', () => {
  it('unwraps successful replies', async () => {
    const { bridge } = fakeBridge();
    const client = new MiraClient(new IpcTransport(bridge));
    expect(await client.call('fs/read', { path: 'a.ts' })).toEqual({ path: 'a.ts', content: 'x' });
  });

  it('turns error envelopes into MiraErrors with their code and hint', async () => {
    const { bridge } = fakeBridge();
    const client = new MiraClient(new IpcTransport(bridge));
    const err = await client.call('fs/write', { path: 'a.ts', content: '' }).catch((e) => e);
    expect(err).toBeInstanceOf(MiraError);
    expect(err).toMatchObject({ code: 'conflict', message: 'a.ts changed on disk', hint: 'reload' });
  });

  it('refuses methods the bridge does not have', async () => {
    const { bridge } = fakeBridge();
    await expect(new IpcTransport(bridge).request('on', {})).rejects.toMatchObject({ code: 'unknown_method' });
    await expect(new IpcTransport(bridge).request('fs/delete', {})).rejects.toMatchObject({ code: 'unknown_method' });
  });

  it('delivers every forwarded event to a subscriber and unsubscribes from all of them', () => {
    const { bridge, emit, listeners } = fakeBridge();
    const client = new MiraClient(new IpcTransport(bridge));
    const seen: unknown[] = [];
    const off = client.on('fs/changed', (d) => seen.push(d));
    emit('fs/changed', { paths: ['a'] });
    emit('index/progress', { phase: 'walk', done: 0, total: 0 });
    expect(seen).toEqual([{ paths: ['a'] }]);
    off();
    expect([...listeners.values()].every((s) => s.size === 0)).toBe(true);
  });
});
