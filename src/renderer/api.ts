// The renderer's one API client: Electron IPC through window.mira when present, else the WebSocket of `mira serve`.
import { MiraClient, WebSocketTransport, type WebSocketLike } from '../shared/client';
import { MiraError } from '../shared/errors';
import { IpcTransport, type MiraBridge } from './bridge';

export type ApiMode = 'electron' | 'browser';

export interface Connection {
  client: MiraClient;
  mode: ApiMode;
  /** Present in Electron only: native dialogs and menu commands. */
  bridge: MiraBridge | null;
  /** Resolves when the carrier is usable; rejects with a MiraError saying why not. */
  ready: Promise<void>;
  /** Called once if a working connection drops (the server stopped). */
  onLost(cb: () => void): void;
}

export const TOKEN_HINT = 'Open the exact address that `mira serve` printed, including its ?token=… part.';

export function tokenFromLocation(search: string = globalThis.location?.search ?? ''): string | null {
  const t = new URLSearchParams(search).get('token');
  return t && t.trim() ? t.trim() : null;
}

export function apiUrl(loc: Pick<Location, 'protocol' | 'host'>, token: string): string {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${loc.host}/api?token=${encodeURIComponent(token)}`;
}

/** Opens the connection the page can use, or a rejected `ready` that explains why there is none. */
export function connect(): Connection {
  const bridge = typeof window !== 'undefined' ? window.mira : undefined;
  if (bridge) {
    return { client: new MiraClient(new IpcTransport(bridge)), mode: 'electron', bridge, ready: Promise.resolve(), onLost: () => {} };
  }
  const token = tokenFromLocation();
  if (!token) {
    // Without a token the server refuses the socket anyway; do not even try, and say what to do.
    const err = new MiraError('unauthorized', 'Missing or wrong access token: this page has no API access.', TOKEN_HINT);
    const ready = Promise.reject(err);
    ready.catch(() => {});
    const client = new MiraClient({ request: () => Promise.reject(err), subscribe: () => () => {} });
    return { client, mode: 'browser', bridge: null, ready, onLost: () => {} };
  }
  const ws = new WebSocket(apiUrl(location, token));
  const transport = new WebSocketTransport(ws as unknown as WebSocketLike);
  let opened = false;
  const lost = new Set<() => void>();
  const ready = new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => {
      opened = true;
      resolve();
    });
    ws.addEventListener('close', () => {
      if (!opened) {
        // A browser cannot see the HTTP status of a refused upgrade: a 401 and a stopped server look the same.
        reject(new MiraError('unauthorized', 'Missing or wrong access token, or the Mira server is not running.', TOKEN_HINT));
        return;
      }
      for (const cb of lost) cb();
    });
  });
  ready.catch(() => {});
  return { client: new MiraClient(transport), mode: 'browser', bridge: null, ready, onLost: (cb) => lost.add(cb) };
}
