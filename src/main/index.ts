// The Electron shell: one hardened window, the app:// protocol, menus, the folder dialog and IPC wiring around createMira().
import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, shell, type MenuItemConstructorOptions, type WebContents } from 'electron';
import { createMira, type Mira } from './app';
import type { SecretStore } from './settings';
import { defaultHome, loadConfig, readConfigFile, writeConfigFile } from './config';
import { MiraError } from '../shared/errors';
import { assertTrustedSender, forwardEvents, registerIpc, trustWebContents } from './transport/ipc';
import {
  APP_INDEX_URL,
  APP_SCHEME,
  IPC,
  appRequestPath,
  contentSecurityPolicy,
  isAppUrl,
  isExternalLink,
  windowOptions,
  type MenuCommandName,
} from './window-options';

const MAX_RECENT = 10;
const here = import.meta.dirname;
const preloadPath = path.join(here, '../preload/index.cjs');
const rendererDir = path.resolve(here, '../renderer');
// The dev server only ever counts in an unpackaged run started by `electron-vite dev`.
const devServerUrl = !app.isPackaged && process.env.ELECTRON_RENDERER_URL ? process.env.ELECTRON_RENDERER_URL : undefined;
const csp = contentSecurityPolicy({ devServerUrl });
const urlOpts = { devServerUrl };

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ttf': 'font/ttf', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ico': 'image/x-icon', '.wasm': 'application/wasm',
};

let mira: Mira | null = null;
let home = '';
let mainWindow: BrowserWindow | null = null;

// Every renderer sandboxed, whatever a future window forgets to set.
app.enableSandbox();
// Must precede 'ready': a standard, secure scheme gives the page a real origin for CSP 'self' and module workers.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_e, argv) => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    const folder = folderFromArgs(argv.slice(1));
    if (folder) sendMenu({ command: 'open-folder', root: folder });
  });
  app.whenReady().then(start).catch(fatal);
}

function stateHome(): string {
  // MIRA_HOME wins, as for the CLI; otherwise the platform's per-user app data folder.
  return process.env.MIRA_HOME?.trim() ? defaultHome(process.env) : app.getPath('userData');
}

function folderFromArgs(args: string[]): string | undefined {
  for (const a of args) {
    if (a.startsWith('-')) continue;
    const abs = path.resolve(a);
    if (abs === path.resolve(app.getAppPath())) continue;
    try {
      if (fs.statSync(abs).isDirectory()) return abs;
    } catch {
      /* not a path */
    }
  }
  return undefined;
}

function recentProjects(): string[] {
  try {
    return (readConfigFile(home).recentProjects ?? []).filter((p) => typeof p === 'string');
  } catch {
    return [];
  }
}

function rememberProject(root: string): void {
  try {
    const next = [root, ...recentProjects().filter((p) => p !== root)].slice(0, MAX_RECENT);
    writeConfigFile(home, { recentProjects: next });
    buildMenu();
  } catch (e) {
    // A config file the user broke by hand is reported by loadConfig; never overwrite it from here.
    mira?.log.warn({ err: (e as Error).message }, 'could not record the recent project');
  }
}

async function start(): Promise<void> {
  home = stateHome();
  const config = loadConfig(home);
  const secrets = safeStorageSecrets(home);
  // The environment wins; otherwise the key the user saved in the app, decrypted by the OS keychain.
  if (!config.openaiApiKey) config.openaiApiKey = secrets?.get('openaiApiKey') ?? undefined;
  const argFolder = folderFromArgs(process.argv.slice(app.isPackaged ? 1 : 2));
  const lastFolder = recentProjects().find((p) => fs.existsSync(p));
  mira = createMira({ config, mode: 'electron' });
  mira.secrets = secrets;
  const initial = argFolder ?? lastFolder;
  if (initial) {
    try {
      mira.openProject(initial);
      rememberProject(mira.project().root);
      mira.watch();
    } catch (e) {
      mira.log.warn({ err: (e as Error).message, root: initial }, 'could not reopen the project');
    }
  }

  hardenSessions();
  protocol.handle(APP_SCHEME, serveRenderer);
  registerIpc(mira, {
    isAppUrl: (url) => isAppUrl(url, urlOpts),
    onResult: (method, result) => {
      if (method === 'project/open' && result && typeof result === 'object' && 'root' in result) rememberProject(String(result.root));
    },
  });
  ipcMain.handle(IPC.openFolder, async (event) => {
    assertTrustedSender(event, { isAppUrl: (url) => isAppUrl(url, urlOpts) });
    return pickFolder();
  });

  buildMenu();
  createWindow();
}

function hardenSessions(): void {
  const ses = session.defaultSession;
  // Camera, microphone, notifications, geolocation...: a code editor needs none of them.
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // The app protocol sets its own CSP; this covers the dev server and anything else that reaches the window.
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    if (isAppUrl(details.url, urlOpts)) {
      // Ours replaces any policy the response brought, whatever the header's spelling.
      for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-security-policy') delete headers[k];
      headers['Content-Security-Policy'] = [csp];
    }
    callback({ responseHeaders: headers });
  });
}

async function serveRenderer(req: Request): Promise<Response> {
  const rel = appRequestPath(req.url);
  const file = rel ? path.resolve(rendererDir, rel) : null;
  if (!file || !file.startsWith(rendererDir + path.sep)) return new Response('not found', { status: 404 });
  try {
    const body = await fs.promises.readFile(file);
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
      },
    });
  } catch {
    return new Response('not found', { status: 404 });
  }
}

// Guards for every web contents, present and future: no navigation away, no new windows, no <webview>.
app.on('web-contents-created', (_e, wc) => {
  wc.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, urlOpts)) event.preventDefault();
  });
  wc.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, urlOpts)) event.preventDefault();
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());
  wc.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

function createWindow(): void {
  const win = new BrowserWindow(windowOptions(preloadPath));
  mainWindow = win;
  trustWebContents(win.webContents);
  if (mira) forwardEvents(mira, win.webContents);
  win.once('ready-to-show', () => win.show());
  // The page refuses to unload while files have unsaved edits; Electron shows nothing by itself, so ask here.
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: ['Close without saving', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      title: 'Unsaved changes',
      message: 'Some files have unsaved changes.',
      detail: 'Close Mira anyway? Your unsaved edits will be lost.',
    });
    if (choice === 0) event.preventDefault();
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(devServerUrl ?? APP_INDEX_URL);
}

async function pickFolder(): Promise<string | null> {
  const opts = { title: 'Open Folder', properties: ['openDirectory' as const, 'createDirectory' as const] };
  const r = mainWindow ? await dialog.showOpenDialog(mainWindow, opts) : await dialog.showOpenDialog(opts);
  return r.canceled ? null : (r.filePaths[0] ?? null);
}

function sendMenu(cmd: { command: MenuCommandName; root?: string }): void {
  const wc: WebContents | undefined = mainWindow?.webContents;
  if (wc && !wc.isDestroyed()) wc.send(IPC.menu, cmd);
}

function buildMenu(): void {
  const recent = recentProjects();
  const cmd = (command: MenuCommandName) => () => sendMenu({ command });
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Folder…',
          accelerator: 'CmdOrCtrl+O',
          click: async () => {
            const root = await pickFolder();
            if (root) sendMenu({ command: 'open-folder', root });
          },
        },
        {
          label: 'Open Recent',
          enabled: recent.length > 0,
          submenu: recent.map((root) => ({ label: root, click: () => sendMenu({ command: 'open-folder', root }) })),
        },
        { type: 'separator' },
        { label: 'Save', accelerator: 'CmdOrCtrl+S', click: cmd('save') },
        { label: 'Quick Open…', accelerator: 'CmdOrCtrl+P', click: cmd('quick-open') },
        { type: 'separator' },
        { role: process.platform === 'darwin' ? 'close' : 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Toggle Sidebar', accelerator: 'CmdOrCtrl+B', click: cmd('toggle-sidebar') },
        { label: 'Toggle Terminal', accelerator: 'CmdOrCtrl+`', click: cmd('toggle-terminal') },
        { type: 'separator' },
        { label: 'Index Project', accelerator: 'CmdOrCtrl+Alt+I', click: cmd('run-index') },
        ...(app.isPackaged ? [] : [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function fatal(e: unknown): void {
  const err = MiraError.from(e);
  dialog.showErrorBox('Mira could not start', err.hint ? `${err.message}\n\n${err.hint}` : err.message);
  app.exit(1);
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('activate', () => {
  if (mira && BrowserWindow.getAllWindows().length === 0) createWindow();
});

app.on('will-quit', () => {
  mira?.close();
  mira = null;
});

/** Secrets encrypted with Electron safeStorage (the OS keychain) in $MIRA_HOME/secrets.json; never plain text. */
function safeStorageSecrets(dir: string): (SecretStore & { get(name: string): string | null }) | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  const file = path.join(dir, 'secrets.json');
  const read = (): Record<string, string> => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  return {
    kind: 'safe-storage',
    get(name) {
      const v = read()[name];
      if (!v) return null;
      try {
        return safeStorage.decryptString(Buffer.from(v, 'base64'));
      } catch {
        return null;
      }
    },
    set(name, value) {
      const all = read();
      if (value === null) delete all[name];
      else all[name] = safeStorage.encryptString(value).toString('base64');
      fs.writeFileSync(file, JSON.stringify(all, null, 2) + '\n', { mode: 0o600 });
    },
  };
}
