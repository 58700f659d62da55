// Pins the desktop window's security settings: isolation, sandbox, no Node in the page, web security, CSP and URL guards.
import { describe, expect, it } from 'vitest';
import { APP_INDEX_URL, appRequestPath, contentSecurityPolicy, IPC, isAppUrl, isExternalLink, webPreferences, windowOptions } from './window-options';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
}

describe('window options', () => {
  const wp = webPreferences('/app/out/preload/index.cjs');

  it('isolates and sandboxes the page and gives it no Node', () => {
    expect(wp.contextIsolation).toBe(true);
    expect(wp.sandbox).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).toBe(false);
    expect(wp.nodeIntegrationInSubFrames).toBe(false);
    expect(wp.webviewTag).toBe(false);
  });

  it('keeps web security on', () => {
    expect(wp.webSecurity).toBe(true);
    expect(wp.allowRunningInsecureContent).toBe(false);
    expect(wp.experimentalFeatures).toBe(false);
    expect(wp.navigateOnDragDrop).toBe(false);
  });

  it('uses a CommonJS preload, the only kind a sandboxed renderer can run', () => {
    expect(wp.preload.endsWith('.cjs')).toBe(true);
    expect(windowOptions('/x/index.cjs').webPreferences).toEqual(webPreferences('/x/index.cjs'));
  });

  it('opens hidden until the first paint, in the theme colour', () => {
    const o = windowOptions('/x/index.cjs');
    expect(o.show).toBe(false);
    expect(o.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it('uses one IPC channel prefix', () => {
    for (const ch of Object.values(IPC)) expect(ch.startsWith('mira:')).toBe(true);
  });
});

describe('content security policy', () => {
  const csp = contentSecurityPolicy();
  const d = directives(csp);

  it('denies by default and allows scripts only from the app itself', () => {
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(csp).not.toContain('unsafe-eval');
    expect(d.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('blocks plugins, framing, base rewriting, forms and network access beyond the app', () => {
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('frame-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
  });

  it('relaxes only what the dev server needs, and only when one is given', () => {
    const dev = directives(contentSecurityPolicy({ devServerUrl: 'http://localhost:5173/' }));
    expect(dev.get('script-src')).toEqual(["'self'", "'unsafe-inline'", 'http://localhost:5173']);
    expect(dev.get('connect-src')).toContain('ws://localhost:5173');
    expect(dev.get('object-src')).toEqual(["'none'"]);
    expect(contentSecurityPolicy()).toBe(csp);
  });
});

describe('navigation guards', () => {
  it('accepts only the app origin (and the dev server when running one)', () => {
    expect(isAppUrl(APP_INDEX_URL)).toBe(true);
    expect(isAppUrl('mira-app://renderer/assets/index.js')).toBe(true);
    for (const bad of ['file:///etc/passwd', 'https://example.com/', 'mira-app://other/index.html', 'javascript:alert(1)', 'http://localhost:5173/', 'not a url']) {
      expect(isAppUrl(bad), bad).toBe(false);
    }
    expect(isAppUrl('http://localhost:5173/src/main.tsx', { devServerUrl: 'http://localhost:5173' })).toBe(true);
    expect(isAppUrl('http://localhost:5174/', { devServerUrl: 'http://localhost:5173' })).toBe(false);
  });

  it('sends only web links to the system browser', () => {
    expect(isExternalLink('https://electronjs.org/docs')).toBe(true);
    expect(isExternalLink('file:///etc/passwd')).toBe(false);
    expect(isExternalLink('smb://host/share')).toBe(false);
    // Nothing that would launch a local program through a protocol handler, nor the app's own scheme.
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', 'ms-msdt:/id PCWDiagnostic', 'vscode://file/etc/passwd', 'mira-app://renderer/index.html', 'not a url']) {
      expect(isExternalLink(bad), bad).toBe(false);
    }
  });

  it('maps app URLs to files inside out/renderer only', () => {
    expect(appRequestPath('mira-app://renderer/')).toBe('index.html');
    expect(appRequestPath('mira-app://renderer/assets/a.js?x=1')).toBe('assets/a.js');
    // The URL parser already folds dot segments, so an escape attempt lands inside out/renderer (and 404s there).
    expect(appRequestPath('mira-app://renderer/%2e%2e/%2e%2e/etc/passwd')).toBe('etc/passwd');
    expect(appRequestPath('mira-app://renderer/a/..%2f..%2fb')).toBeNull();
    expect(appRequestPath('mira-app://renderer/a%5c..%5cb')).toBeNull();
    expect(appRequestPath('mira-app://renderer/a%00b')).toBeNull();
    expect(appRequestPath('mira-app://elsewhere/index.html')).toBeNull();
    expect(appRequestPath('https://renderer/index.html')).toBeNull();
  });
});
