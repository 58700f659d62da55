// `mira serve`: the built renderer over HTTP and the API over a token-guarded WebSocket, on 127.0.0.1 by default.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Mira } from '../app';
import { MiraError } from '../../shared/errors';
import { packagePath } from '../db/open';

export interface ServeOptions {
  port?: number;
  host?: string;
  token?: string;
  staticDir?: string;
  /** Largest accepted frame, bytes. */
  maxFrameBytes?: number;
  /** Requests per second per connection (token bucket; bursts up to twice that). */
  rateLimit?: number;
  /** A client whose unsent data passes this stops receiving events until it catches up. */
  maxBufferedBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  token: string;
  close(): Promise<void>;
  clients(): number;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ttf': 'font/ttf', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ico': 'image/x-icon', '.map': 'application/json', '.wasm': 'application/wasm',
};

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export async function startServer(mira: Mira, opts: ServeOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  const staticDir = opts.staticDir ?? packagePath('out', 'renderer');
  const maxFrame = opts.maxFrameBytes ?? 16 * 1024 * 1024;
  const rate = opts.rateLimit ?? 200;
  const maxBuffered = opts.maxBufferedBytes ?? 8 * 1024 * 1024;
  let actualPort = opts.port ?? 3001;

  const allowedHosts = () => {
    const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
    if (host !== '0.0.0.0' && host !== '::') names.add(host);
    return new Set([...names].map((n) => `${n}:${actualPort}`));
  };
  const hostOk = (h: string | undefined) => {
    if (!h) return false;
    if (host === '0.0.0.0' || host === '::') return true; // explicitly exposed: any interface address
    return allowedHosts().has(h.toLowerCase());
  };
  const originOk = (origin: string | undefined, h: string | undefined) => {
    if (origin === undefined) return true; // not a browser (CLI, tests): the token alone decides
    try {
      const u = new URL(origin);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !!h && u.host.toLowerCase() === h.toLowerCase();
    } catch {
      return false;
    }
  };

  const server = http.createServer((req, res) => {
    if (!hostOk(req.headers.host)) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('misdirected request');
      return;
    }
    serveStatic(staticDir, req, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrame, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    const reject = (code: number, msg: string) => {
      socket.write(`HTTP/1.1 ${code} ${msg}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api') return reject(404, 'Not Found');
    if (!hostOk(req.headers.host)) return reject(403, 'Forbidden');
    if (!originOk(req.headers.origin, req.headers.host)) return reject(403, 'Forbidden');
    const given = url.searchParams.get('token') ?? '';
    if (!safeEqual(given, token)) return reject(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    let tokens = rate * 2;
    let last = Date.now();
    const send = (msg: unknown) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(JSON.stringify(msg));
    };
    const unsubscribe = mira.events.subscribe((event, data) => {
      // Back-pressure: a client that does not read loses events rather than growing our memory.
      if (ws.bufferedAmount > maxBuffered) return;
      send({ event, data });
    });
    ws.on('message', async (raw, isBinary) => {
      const now = Date.now();
      tokens = Math.min(rate * 2, tokens + ((now - last) / 1000) * rate);
      last = now;
      let id: number | string | null = null;
      try {
        if (isBinary) throw new MiraError('bad_request', 'binary frames are not accepted; send JSON text');
        let msg: unknown;
        try {
          msg = JSON.parse(raw.toString());
        } catch {
          throw new MiraError('bad_request', 'frame is not valid JSON');
        }
        if (!msg || typeof msg !== 'object' || Array.isArray(msg)) throw new MiraError('bad_request', 'frame must be a JSON object {id, method, params}');
        const m = msg as { id?: unknown; method?: unknown; params?: unknown };
        if (typeof m.id === 'number' || typeof m.id === 'string') id = m.id;
        if (tokens < 1) throw new MiraError('rate_limited', 'too many requests on this connection', 'slow down');
        tokens -= 1;
        if (typeof m.method !== 'string') throw new MiraError('bad_request', 'frame has no method');
        const result = await mira.router.call(m.method, m.params, { via: 'websocket' });
        if (ws.bufferedAmount > maxBuffered * 8) {
          ws.terminate();
          return;
        }
        send({ id, result: result ?? null });
      } catch (e) {
        const err = MiraError.from(e);
        if (err.code === 'internal') mira.log.error({ err: err.message }, 'request failed');
        send({ id, error: err.toJSON() });
      }
    });
    ws.on('close', unsubscribe);
    ws.on('error', () => unsubscribe());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new MiraError('bad_request', `port ${actualPort} is already in use`, 'pass --port N, or --port 0 for any free port') : e),
    );
    server.listen(actualPort, host, () => resolve());
  });
  const addr = server.address();
  if (addr && typeof addr === 'object') actualPort = addr.port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost}:${actualPort}/?token=${token}`,
    port: actualPort,
    host,
    token,
    clients: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        // Idle and busy connections alike are cut; a socket that still lingers must not hold up shutting down.
        const timer = setTimeout(resolve, 1000);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeAllConnections?.();
      }),
  };
}

function serveStatic(dir: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const headers = {
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end();
    return;
  }
  let rel: string;
  try {
    rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    res.writeHead(400, headers).end();
    return;
  }
  if (rel.includes('\0')) {
    res.writeHead(400, headers).end();
    return;
  }
  let file = path.join(dir, path.normalize(rel).replace(/^(\.\.[/\\])+/, ''));
  if (!file.startsWith(path.resolve(dir))) {
    res.writeHead(403, headers).end();
    return;
  }
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(dir, 'index.html');
  if (!fs.existsSync(file)) {
    res.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('The renderer is not built. Run `npm run build` first.\n');
    return;
  }
  const type = MIME[path.extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, { ...headers, 'content-type': type, 'cache-control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=3600' });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  fs.createReadStream(file).pipe(res);
}
