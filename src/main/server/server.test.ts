// `mira serve`: token, Origin and Host checks, malformed frames, frame size and rate limits, static files with a CSP.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMira, type Mira } from '../app';
import { loadConfig } from '../config';
import { createRepo, tempDir, type TestRepo } from '../../../test/helpers/git-repo';
import { connectWs } from '../../../test/helpers/mira';
import { startServer, type RunningServer } from './server';

function upgrade(server: RunningServer, opts: { token?: string | null; origin?: string; host?: string; path?: string }): Promise<number> {
  return new Promise((resolve) => {
    const q = opts.token === null ? '' : `?token=${encodeURIComponent(opts.token ?? server.token)}`;
    const headers: Record<string, string> = {};
    if (opts.origin) headers.origin = opts.origin;
    if (opts.host) headers.host = opts.host;
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${opts.path ?? '/api'}${q}`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

function rawSocket(server: RunningServer): Promise<{ ws: WebSocket; replies: unknown[]; closed: () => boolean }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
    const replies: unknown[] = [];
    let closed = false;
    ws.on('message', (m) => {
      const msg = JSON.parse(m.toString());
      if (!('event' in msg)) replies.push(msg);
    });
    ws.on('close', () => (closed = true));
    ws.on('open', () => resolve({ ws, replies, closed: () => closed }));
    ws.on('error', reject);
  });
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

describe('mira serve', () => {
  let repo: TestRepo;
  let home: string;
  let mira: Mira;
  let server: RunningServer;
  let staticDir: string;

  beforeAll(async () => {
    repo = createRepo();
    repo.write('a.txt', 'hello\n');
    home = tempDir('mira-home-');
    staticDir = path.join(home, 'renderer');
    fs.mkdirSync(staticDir);
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Mira</title>');
    mira = createMira({ config: loadConfig(home, {}), mode: 'test', project: repo.root });
    server = await startServer(mira, { port: 0, staticDir, maxFrameBytes: 64 * 1024, rateLimit: 20 });
  });

  afterAll(async () => {
    await server.close();
    mira.close();
    repo.cleanup();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('binds to 127.0.0.1 and prints a URL carrying a random token', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(24);
  });

  it('refuses upgrades without the token, with a wrong one, or on another path', async () => {
    expect(await upgrade(server, { token: null })).toBe(401);
    expect(await upgrade(server, { token: 'wrong' })).toBe(401);
    expect(await upgrade(server, { token: server.token.slice(0, -1) + 'x' })).toBe(401);
    expect(await upgrade(server, { path: '/other' })).toBe(404);
    expect(await upgrade(server, {})).toBe(101);
  });

  it('refuses a foreign Origin and a foreign Host (DNS rebinding)', async () => {
    expect(await upgrade(server, { origin: 'http://evil.example' })).toBe(403);
    expect(await upgrade(server, { origin: `http://127.0.0.1:${server.port + 1}` })).toBe(403);
    expect(await upgrade(server, { origin: `http://127.0.0.1:${server.port}` })).toBe(101);
    expect(await upgrade(server, { origin: `http://localhost:${server.port}`, host: `localhost:${server.port}` })).toBe(101);
    expect(await upgrade(server, { host: `evil.example:${server.port}`, origin: `http://evil.example:${server.port}` })).toBe(403);
    expect((await get(`http://127.0.0.1:${server.port}/`, { host: 'rebound.example' })).status).toBe(421);
  });

  it('serves the renderer with a strict CSP', async () => {
    const r = await get(`http://127.0.0.1:${server.port}/`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Mira</title>');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    const escape = await get(`http://127.0.0.1:${server.port}/..%2f..%2fetc%2fpasswd`);
    expect(escape.body).not.toContain('root:');
  });

  it('answers malformed frames with errors and keeps every client connected', async () => {
    const bystander = await connectWs(server);
    const a = await rawSocket(server);
    a.ws.send('not json');
    a.ws.send(JSON.stringify([1, 2]));
    a.ws.send(JSON.stringify({ id: 1 }));
    a.ws.send(JSON.stringify({ id: 2, method: 'no/such' }));
    a.ws.send(JSON.stringify({ id: 3, method: 'fs/read', params: { path: 5 } }));
    a.ws.send(JSON.stringify({ id: 4, method: 'fs/read', params: { path: 'a.txt' } }));
    await until(() => a.replies.length >= 6);
    const byId = new Map(a.replies.map((r) => [(r as { id: unknown }).id, r]));
    expect(a.replies.filter((r) => (r as { id: unknown }).id === null)).toHaveLength(2);
    expect(byId.get(1)).toMatchObject({ error: { code: 'bad_request' } });
    expect(byId.get(2)).toMatchObject({ error: { code: 'unknown_method' } });
    expect(byId.get(3)).toMatchObject({ error: { code: 'bad_request' } });
    expect(byId.get(4)).toMatchObject({ result: { content: 'hello\n' } });
    expect(a.closed()).toBe(false);
    expect((await bystander.call('fs/read', { path: 'a.txt' })).content).toBe('hello\n');
    a.ws.close();
    bystander.close();
  });

  it('closes only the connection that sends an oversized frame', async () => {
    const bystander = await connectWs(server);
    const big = await rawSocket(server);
    big.ws.send(JSON.stringify({ id: 1, method: 'fs/write', params: { path: 'big.txt', content: 'x'.repeat(200 * 1024) } }));
    await until(() => big.closed());
    expect(big.closed()).toBe(true);
    expect(fs.existsSync(path.join(repo.root, 'big.txt'))).toBe(false);
    expect((await bystander.call('fs/read', { path: 'a.txt' })).content).toBe('hello\n');
    bystander.close();
  });

  it('rate-limits a flooding connection with error replies', async () => {
    const a = await rawSocket(server);
    for (let i = 0; i < 100; i++) a.ws.send(JSON.stringify({ id: i, method: 'app/info' }));
    await until(() => a.replies.length >= 100);
    const limited = a.replies.filter((r) => (r as { error?: { code: string } }).error?.code === 'rate_limited');
    expect(limited.length).toBeGreaterThan(0);
    expect(a.replies.length).toBe(100);
    a.ws.close();
  });
});
