// What the end-to-end tests share: a temp git project, a real `mira serve` on port 0, and Debian Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const ARTIFACTS = path.join(ROOT, 'e2e/artifacts');
export const CHROMIUM = process.env.MIRA_E2E_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Why the browser tests cannot run here, or null when they can. */
export function skipReason(): string | null {
  if (!fs.existsSync(CHROMIUM)) return `${CHROMIUM} is not installed (apt-get install -y chromium); browser tests skipped`;
  if (!fs.existsSync(path.join(ROOT, 'out/renderer/index.html'))) return 'out/renderer is not built (npm run build)';
  return null;
}

export function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export interface Served {
  url: string;
  origin: string;
  token: string;
  stop(): Promise<void>;
  stderr(): string;
}

/** Starts `mira serve --port 0 --json` (or on a given port, with extra arguments) and reads the URL it prints; its stderr is kept for failure messages. */
export async function startServe(opts: { home: string; project: string; env?: NodeJS.ProcessEnv; port?: number; args?: string[] }): Promise<Served> {
  const args = ['serve', '--port', String(opts.port ?? 0), '--json', '--home', opts.home, '--project', opts.project, ...(opts.args ?? [])];
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'bin/mira.mjs'), ...args], {
    cwd: opts.project,
    // A known shell for the terminal test; no inherited MIRA_HOME so only --home decides where state goes.
    env: { ...process.env, SHELL: '/bin/bash', MIRA_HOME: '', MIRA_SERVE_TOKEN: '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mira serve printed no URL within 60 s; stderr:\n${err}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mira serve exited with ${code} before printing its URL; stderr:\n${err}`));
    });
  });
  const info = JSON.parse(first) as { url: string; port: number };
  const u = new URL(info.url);
  return {
    url: info.url,
    origin: u.origin,
    token: u.searchParams.get('token') ?? '',
    stderr: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export interface Browser {
  context: BrowserContext;
  page(): Promise<Page & { problems: string[] }>;
  close(): Promise<void>;
}

/** Debian Chromium with a fresh profile folder; every page records console errors and page errors. */
export async function launchBrowser(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const profile = tempDir('mira-e2e-profile-');
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport });
  return {
    context,
    async page() {
      const page = (await context.newPage()) as Page & { problems: string[] };
      page.problems = [];
      page.on('console', (m) => {
        if (m.type() === 'error') page.problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
      return page;
    },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

// The page functions below run in Chromium; this project's Node tsconfig has no DOM lib, so they name what they use.
interface PageElement {
  textContent: string | null;
  style: { top: string };
}
interface PageGlobals {
  document: { querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement> };
}

/** The xterm screen as lines of text (DOM renderer rows), non-breaking spaces made plain. */
export async function terminalText(page: Page): Promise<string> {
  return page.evaluate(() =>
    [...(globalThis as unknown as PageGlobals).document.querySelectorAll('.terminal-host .xterm-rows > div')]
      .map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd())
      .join('\n'),
  );
}

/** The visible lines of the Monaco editor as text, in screen order. */
export async function editorText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const lines = [...(globalThis as unknown as PageGlobals).document.querySelectorAll('[data-testid="editor"] .view-lines .view-line')];
    lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    return lines.map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n');
  });
}

export async function waitFor<T>(fn: () => Promise<T> | T, ok: (v: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < until) {
    last = await fn();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 2000)}`);
}

/** Calls the served API from the test (over the same WebSocket the page uses): to probe which capabilities this server has. */
export async function callApi(served: Served, method: string, params: Record<string, unknown> = {}): Promise<{ result?: unknown; error?: { code: string; message: string } }> {
  const { default: WebSocket } = await import('ws');
  const { MiraClient, WebSocketTransport } = await import('../src/shared/client');
  const ws = new WebSocket(`${served.origin.replace('http', 'ws')}/api?token=${encodeURIComponent(served.token)}`, { headers: { origin: served.origin } });
  const client = new MiraClient(new WebSocketTransport(ws as unknown as import('../src/shared/client').WebSocketLike));
  try {
    return { result: await client.transport.request(method, params) };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return { error: { code: String(err.code ?? 'internal'), message: String(err.message ?? e) } };
  } finally {
    client.close();
  }
}

/** Whether the server answers a method (false when it says unknown_method). */
export async function hasMethod(served: Served, method: string, params: Record<string, unknown> = {}): Promise<boolean> {
  const r = await callApi(served, method, params);
  return r.error?.code !== 'unknown_method';
}

/** Shows a registered panel by clicking its tab (ids are stable; titles may repeat inside panels). */
export async function showPanel(page: Page, id: string): Promise<void> {
  await page.locator(`#tab-${id}`).click();
  await page.locator(`#panel-${id}`).waitFor();
}
