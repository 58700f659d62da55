// The desktop window's security settings as plain data (no Electron import), so a unit test can pin every one of them.

/** The custom scheme the renderer loads from: a real origin for CSP 'self', and no file:// access to the whole disk. */
export const APP_SCHEME = 'mira-app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** One IPC channel prefix; the preload and the IPC adapter use nothing else. */
export const IPC = {
  request: 'mira:request',
  event: 'mira:event',
  openFolder: 'mira:dialog/openFolder',
  menu: 'mira:menu',
} as const;

/** Menu commands the shell forwards to the renderer (Electron menu accelerators swallow their keys). */
export const MENU_COMMANDS = ['open-folder', 'save', 'toggle-sidebar', 'toggle-terminal', 'quick-open', 'run-index'] as const;
export type MenuCommandName = (typeof MENU_COMMANDS)[number];

const CSP_BASE: Record<string, string[]> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  // Monaco and xterm set inline styles on their own elements; scripts stay 'self' only.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'worker-src': ["'self'", 'blob:'],
  // The window talks to Mira over IPC only; it has no reason to open any network connection.
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * The Content-Security-Policy of the desktop window. In development the Vite dev server needs its inline
 * React-refresh preamble and its HMR socket; nothing else is relaxed, and never in a packaged app.
 */
export function contentSecurityPolicy(opts: { devServerUrl?: string } = {}): string {
  const d: Record<string, string[]> = Object.fromEntries(Object.entries(CSP_BASE).map(([k, v]) => [k, [...v]]));
  if (opts.devServerUrl) {
    const u = new URL(opts.devServerUrl);
    d['script-src']!.push("'unsafe-inline'", u.origin);
    d['style-src']!.push(u.origin);
    d['connect-src']!.push(u.origin, `ws://${u.host}`);
    d['img-src']!.push(u.origin);
    d['font-src']!.push(u.origin);
    d['worker-src']!.push(u.origin);
  }
  return Object.entries(d)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');
}

/** Mirrors the subset of Electron's WebPreferences the shell sets; index.ts passes it straight to BrowserWindow. */
export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  sandbox: true;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  experimentalFeatures: false;
  navigateOnDragDrop: false;
  spellcheck: boolean;
  safeDialogs: true;
}

export function webPreferences(preloadPath: string): SecureWebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    // A sandboxed preload must be a CommonJS script (out/preload/index.cjs); an .mjs preload would need sandbox: false.
    sandbox: true,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

export interface WindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  title: string;
  backgroundColor: string;
  show: boolean;
  webPreferences: SecureWebPreferences;
}

export function windowOptions(preloadPath: string): WindowOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'Mira',
    // The theme's background, so the window does not flash white before the first paint.
    backgroundColor: '#1e1f22',
    show: false,
    webPreferences: webPreferences(preloadPath),
  };
}

/** Whether a URL belongs to the app itself: the custom scheme in production, the dev server only in development. */
export function isAppUrl(url: string, opts: { devServerUrl?: string } = {}): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST) return true;
  if (opts.devServerUrl) {
    try {
      return u.origin === new URL(opts.devServerUrl).origin;
    } catch {
      return false;
    }
  }
  return false;
}

/** Links the user clicks may leave the app only for the web, opened in the system browser, never inside Mira. */
export function isExternalLink(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Maps a request path under the app origin to a file under out/renderer; null for anything that leaves it. */
export function appRequestPath(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let p: string;
  try {
    p = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (p.includes('\0') || p.includes('\\')) return null;
  const parts = p.split('/').filter((s) => s && s !== '.');
  if (parts.some((s) => s === '..')) return null;
  return parts.length ? parts.join('/') : 'index.html';
}
