// The renderer's one API client: Electron IPC through window.mira when present, else the WebSocket of `mira serve`.
import { MiraClient, type WebSocketLike } from '../shared/client';
import { MiraError } from '../shared/errors';
import { IpcTransport, type MiraBridge } from './bridge';
import { ReconnectingTransport, type LinkState } from './reconnect';

export type ApiMode = 'electron' | 'browser';

export interface Connection {
  client: MiraClient;
  mode: ApiMode;
  /** Present in Electron only: native dialogs and menu commands. */
  bridge: MiraBridge | null;
  /** Resolves when the carrier is usable; rejects with a MiraError saying why not. */
  ready: Promise<void>;
  /** Follows the link after it first opened: down (reconnecting), refused (token no longer accepted), open again. */
  onState(cb: (state: LinkState) => void): () => void;
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
    return { client: new MiraClient(new IpcTransport(bridge)), mode: 'electron', bridge, ready: Promise.resolve(), onState: () => () => {} };
  }
  const token = tokenFromLocation();
  if (!token) {
    // Without a token the server refuses the socket anyway; do not even try, and say what to do.
    const err = new MiraError('unauthorized', 'Missing or wrong access token: this page has no API access.', TOKEN_HINT);
    const ready = Promise.reject(err);
    ready.catch(() => {});
    const client = new MiraClient({ request: () => Promise.reject(err), subscribe: () => () => {} });
    return { client, mode: 'browser', bridge: null, ready, onState: () => () => {} };
  }
  const transport = new ReconnectingTransport({
    socket: () => new WebSocket(apiUrl(location, token)) as unknown as WebSocketLike & { addEventListener(type: 'open' | 'close', cb: () => void): void },
    // Any HTTP answer means the server runs; then a refused socket means this page's token is not accepted.
    serverAnswers: () => fetch('/', { method: 'HEAD', cache: 'no-store' }).then(() => true, () => false),
  });
  const ready = transport.ready.catch((e: unknown) => {
    // A browser cannot see the HTTP status of a refused upgrade: a 401 and a stopped server look the same.
    throw new MiraError('unauthorized', MiraError.from(e).message, TOKEN_HINT);
  });
  ready.catch(() => {});
  return { client: new MiraClient(transport), mode: 'browser', bridge: null, ready, onState: (cb) => transport.onState(cb) };
}
