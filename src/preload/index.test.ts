// The preload with a stand-in for Electron: one function per method, wrapped event callbacks, and no ipcRenderer exposed.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES } from '../shared/api';

const exposed = new Map<string, unknown>();
const ipcListeners = new Map<string, (...args: unknown[]) => void>();
const ipcRenderer = {
  invoke: vi.fn(async (...args: unknown[]) => ({ ok: true, result: args })),
  on: vi.fn((ch: string, fn: (...args: unknown[]) => void) => ipcListeners.set(ch, fn)),
};
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer,
}));

type Api = Record<string, unknown> & {
  on(event: string, cb: (...args: unknown[]) => void): () => void;
  onMenu(cb: (...args: unknown[]) => void): () => void;
  openFolder(): Promise<unknown>;
  events: string[];
};
let api: Api;

beforeAll(async () => {
  // What electron.vite.config.ts defines at build time.
  Object.assign(globalThis, { __MIRA_METHOD_NAMES__: METHOD_NAMES, __MIRA_EVENT_NAMES__: EVENT_NAMES });
  await import('./index');
  api = exposed.get('mira') as Api;
});

describe('preload', () => {
  it('exposes only window.mira, frozen, with one function per API method and no ipcRenderer', () => {
    expect([...exposed.keys()]).toEqual(['mira']);
    expect(Object.isFrozen(api)).toBe(true);
    for (const m of METHOD_NAMES) expect(typeof api[m], m).toBe('function');
    const extra = Object.keys(api).filter((k) => !(METHOD_NAMES as string[]).includes(k)).sort();
    expect(extra).toEqual(['events', 'on', 'onMenu', 'openFolder', 'platform']);
    for (const v of Object.values(api)) expect(v).not.toBe(ipcRenderer);
    expect(api.events).toEqual(EVENT_NAMES);
  });

  it('sends each method on the one request channel', async () => {
    await (api['fs/read'] as (p: unknown) => Promise<unknown>)({ path: 'a.ts' });
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('mira:request', 'fs/read', { path: 'a.ts' });
    await api.openFolder();
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('mira:dialog/openFolder');
  });

  it('hands event callbacks the data only, never the IPC event, and unsubscribes', () => {
    const cb = vi.fn();
    const off = api.on('fs/changed', cb);
    const fakeIpcEvent = { sender: ipcRenderer, senderFrame: {} };
    ipcListeners.get('mira:event')!(fakeIpcEvent, 'fs/changed', { paths: ['a.ts'] });
    ipcListeners.get('mira:event')!(fakeIpcEvent, 'index/progress', { phase: 'walk', done: 0, total: 0 });
    expect(cb.mock.calls).toEqual([[{ paths: ['a.ts'] }]]);
    off();
    ipcListeners.get('mira:event')!(fakeIpcEvent, 'fs/changed', { paths: ['b.ts'] });
    expect(cb).toHaveBeenCalledTimes(1);
  });

  it('refuses unknown events and non-function callbacks', () => {
    expect(() => api.on('shell/exec', () => {})).toThrow(/unknown event/);
    expect(() => api.on('fs/changed', 'x' as never)).toThrow(/function/);
  });

  it('passes on known menu commands only, without the IPC event', () => {
    const cb = vi.fn();
    api.onMenu(cb);
    ipcListeners.get('mira:menu')!({}, { command: 'save' });
    ipcListeners.get('mira:menu')!({}, { command: 'rm -rf' });
    ipcListeners.get('mira:menu')!({}, 'save');
    expect(cb.mock.calls).toEqual([[{ command: 'save' }]]);
  });
});
