// The Electron shell against a stand-in for Electron: the window it opens, the protocol, guards, permissions, IPC and recents.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_INDEX_URL, IPC, contentSecurityPolicy, webPreferences } from './window-options';

type Listener = (...args: unknown[]) => unknown;

const e = vi.hoisted(() => {
  const appListeners = new Map<string, Listener>();
  const ipcHandlers = new Map<string, Listener>();
  const windows: { options: Record<string, unknown>; loadURL: ReturnType<typeof vi.fn>; webContents: unknown }[] = [];
  const protocolHandlers = new Map<string, (req: Request) => Promise<Response>>();
  const session = {
    permissionRequest: null as null | Listener,
    permissionCheck: null as null | Listener,
    headers: null as null | Listener,
  };
  // Spies the tests read back (this file never imports `electron` itself: only the mock below stands in for it).
  const enableSandbox = vi.fn();
  const openExternal = vi.fn(async (_url: string) => {});
  return { appListeners, ipcHandlers, windows, protocolHandlers, session, privileged: [] as unknown[], enableSandbox, openExternal };
});

let nextId = 100;
function fakeWebContents() {
  const handlers = new Map<string, Listener>();
  return {
    id: nextId++,
    handlers,
    openHandler: null as null | Listener,
    on(ev: string, fn: Listener) {
      handlers.set(ev, fn);
      return this;
    },
    once(ev: string, fn: Listener) {
      handlers.set(ev, fn);
      return this;
    },
    send: vi.fn(),
    isDestroyed: () => false,
    setWindowOpenHandler(fn: Listener) {
      this.openHandler = fn;
    },
  };
}

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = fakeWebContents();
    loadURL = vi.fn(async () => {});
    constructor(readonly options: Record<string, unknown>) {
      e.windows.push(this);
    }
    once() {}
    on() {}
    show() {}
    static getAllWindows() {
      return e.windows;
    }
  }
  return {
    app: {
      enableSandbox: e.enableSandbox,
      requestSingleInstanceLock: () => true,
      on: (ev: string, fn: Listener) => e.appListeners.set(ev, fn),
      whenReady: () => Promise.resolve(),
      isPackaged: false,
      getPath: () => path.join(os.tmpdir(), 'mira-index-test-userdata-unused'),
      getAppPath: () => process.cwd(),
      quit: vi.fn(),
      exit: vi.fn(),
    },
    BrowserWindow,
    dialog: { showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] })), showErrorBox: vi.fn(), showMessageBoxSync: vi.fn(() => 1) },
    ipcMain: { handle: (ch: string, fn: Listener) => e.ipcHandlers.set(ch, fn), removeHandler: (ch: string) => e.ipcHandlers.delete(ch) },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: vi.fn() },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => e.privileged.push(...s),
      handle: (scheme: string, fn: (req: Request) => Promise<Response>) => e.protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Listener) => (e.session.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Listener) => (e.session.permissionCheck = fn),
        webRequest: { onHeadersReceived: (fn: Listener) => (e.session.headers = fn) },
      },
    },
    shell: { openExternal: e.openExternal },
    // A stand-in keychain: reversible, but never the plain text, as the real one.
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (v: string) => Buffer.from(`enc:${Buffer.from(v).toString('hex')}`),
      decryptString: (b: Buffer) => Buffer.from(b.toString().slice(4), 'hex').toString(),
    },
  };
});

describe('Electron shell (src/main/index.ts)', () => {
  let home: string;
  let project: string;
  const argv = process.argv;

  beforeAll(async () => {
    home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mira-shell-home-')));
    project = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mira-shell-project-')));
    fs.writeFileSync(path.join(project, 'a.txt'), 'hello\n');
    vi.stubEnv('MIRA_HOME', home);
    process.argv = [argv[0]!, 'electron-entry'];
    await import('./index');
    // start() runs after whenReady(); let its promise chain settle.
    await vi.waitFor(() => expect(e.windows.length).toBe(1));
  });

  afterAll(() => {
    process.argv = argv;
    e.appListeners.get('will-quit')?.();
    vi.unstubAllEnvs();
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(project, { recursive: true, force: true });
  });

  it('opens one window with the hardened preferences and the app URL', () => {
    const win = e.windows[0]!;
    const wp = win.options.webPreferences as ReturnType<typeof webPreferences>;
    expect(wp).toEqual(webPreferences(wp.preload));
    expect(wp.preload.endsWith(path.join('preload', 'index.cjs'))).toBe(true);
    expect(win.loadURL).toHaveBeenCalledWith(APP_INDEX_URL);
    // Every renderer sandboxed, including any window that forgets to ask for it.
    expect(e.enableSandbox).toHaveBeenCalled();
  });

  it('serves the renderer from the app protocol with the CSP, and nothing outside it', async () => {
    expect(e.privileged).toEqual([{ scheme: 'mira-app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    const handler = e.protocolHandlers.get('mira-app')!;
    // Under the test the renderer folder is src/renderer (next to src/main), so index.html is the source page.
    const ok = await handler(new Request('mira-app://renderer/index.html'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(await ok.text()).toContain('<div id="root">');
    expect((await handler(new Request('mira-app://renderer/..%2f..%2fpackage.json'))).status).toBe(404);
    expect((await handler(new Request('mira-app://renderer/nope.js'))).status).toBe(404);
  });

  it('denies every permission and sets the CSP on app responses', () => {
    const cb = vi.fn();
    e.session.permissionRequest!({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(e.session.permissionCheck!({}, 'notifications')).toBe(false);
    const done = vi.fn();
    e.session.headers!({ url: APP_INDEX_URL, responseHeaders: { 'content-security-policy': ['default-src *'] } }, done);
    expect(done).toHaveBeenCalledWith({ responseHeaders: { 'Content-Security-Policy': [contentSecurityPolicy()] } });
  });

  it('blocks navigation away from the app, new windows and webviews', () => {
    const wc = fakeWebContents();
    e.appListeners.get('web-contents-created')!({}, wc);
    const nav = { preventDefault: vi.fn() };
    wc.handlers.get('will-navigate')!(nav, 'https://example.com/');
    expect(nav.preventDefault).toHaveBeenCalled();
    const ours = { preventDefault: vi.fn() };
    wc.handlers.get('will-navigate')!(ours, 'mira-app://renderer/index.html');
    expect(ours.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    wc.handlers.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    const openExternal = e.openExternal;
    openExternal.mockClear();
    expect(wc.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(wc.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    // A middle-clicked link reaches the same handler (disposition background-tab): no window opens.
    expect(wc.openHandler!({ url: 'https://example.com/docs', disposition: 'background-tab' })).toEqual({ action: 'deny' });
    for (const url of ['ms-msdt:/id PCWDiagnostic', 'smb://host/share', 'javascript:alert(1)', 'mira-app://renderer/index.html']) {
      expect(wc.openHandler!({ url }), url).toEqual({ action: 'deny' });
    }
    // Only web links leave for the system browser; nothing else ever reaches openExternal.
    expect(openExternal.mock.calls.map((c) => c[0])).toEqual(['https://example.com/', 'https://example.com/docs']);
  });

  it('answers the window over mira: IPC and records opened projects in config.json', async () => {
    expect([...e.ipcHandlers.keys()].sort()).toEqual([IPC.openFolder, IPC.request].sort());
    const wc = e.windows[0]!.webContents as { id: number };
    const event = { sender: wc, senderFrame: { url: APP_INDEX_URL, parent: null } };
    const opened = (await e.ipcHandlers.get(IPC.request)!(event, 'project/open', { root: project })) as { ok: boolean; result: { root: string } };
    expect(opened).toMatchObject({ ok: true, result: { root: project } });
    const listed = (await e.ipcHandlers.get(IPC.request)!(event, 'fs/list', { path: '' })) as { ok: boolean; result: { entries: { name: string }[] } };
    expect(listed.result.entries.map((x) => x.name)).toEqual(['a.txt']);
    const config = JSON.parse(fs.readFileSync(path.join(home, 'config.json'), 'utf8')) as { recentProjects: string[] };
    expect(config.recentProjects[0]).toBe(project);
    // A frame that is not the app's own page gets nothing, and neither does the folder dialog.
    const foreign = { sender: wc, senderFrame: { url: 'https://example.com/', parent: null } };
    expect(await e.ipcHandlers.get(IPC.request)!(foreign, 'app/info')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    await expect(async () => e.ipcHandlers.get(IPC.openFolder)!(foreign)).rejects.toThrow(/untrusted/);
  });

  it('keeps a key set in the app with safeStorage, never in plain text', async () => {
    const wc = e.windows[0]!.webContents as { id: number };
    const event = { sender: wc, senderFrame: { url: APP_INDEX_URL, parent: null } };
    const key = 'sk-test-SAFESTORAGE-0123456789abcdef';
    const r = (await e.ipcHandlers.get(IPC.request)!(event, 'settings/set', { openai_api_key: key })) as { ok: boolean; result: { api_key_set: boolean; key_storage: string } };
    expect(r).toMatchObject({ ok: true, result: { api_key_set: true, key_storage: 'safe-storage' } });
    const secrets = fs.readFileSync(path.join(home, 'secrets.json'), 'utf8');
    expect(secrets).not.toContain(key);
    expect(JSON.parse(secrets).openaiApiKey).toBeTruthy();
    expect(fs.readFileSync(path.join(home, 'config.json'), 'utf8')).not.toContain(key);
    const got = (await e.ipcHandlers.get(IPC.request)!(event, 'settings/get', {})) as { result: Record<string, unknown> };
    expect(JSON.stringify(got)).not.toContain(key);
  });
});
