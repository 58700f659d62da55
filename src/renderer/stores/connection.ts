// Connection state: which carrier the page uses, whether it works (or is reconnecting), and the server's app/info.
import { create } from 'zustand';
import type { Result } from '../../shared/api';
import type { MiraClient } from '../../shared/client';
import { MiraError, type ErrorInfo } from '../../shared/errors';
import { connect, type ApiMode, type Connection } from '../api';
import { DISCONNECTED_HINT, REFUSED_HINT, type LinkState } from '../reconnect';

type AppInfo = Result<'app/info'>;

interface ConnectionState {
  /** lost: it worked, then dropped; the page keeps everything and reconnects by itself (see `link`). */
  status: 'connecting' | 'ready' | 'failed' | 'lost';
  /** While lost: down (server unreachable, retrying) or refused (the server runs but no longer accepts this page's token). */
  link: Extract<LinkState, 'down' | 'refused'> | null;
  mode: ApiMode | null;
  error: ErrorInfo | null;
  info: AppInfo | null;
  /** When the page last got its connection back (for a quiet "Reconnected"); bumps on each reconnect. */
  reconnectedAt: number | null;
  start(): Promise<void>;
}

let connection: Connection | null = null;

/** The API client; every store calls through it. Only valid after start() (the app renders nothing before). */
export function api(): MiraClient {
  if (!connection) throw new MiraError('internal', 'the API connection has not been started');
  return connection.client;
}

export function bridge(): Connection['bridge'] {
  return connection?.bridge ?? null;
}

const LOST: Record<'down' | 'refused', ErrorInfo> = {
  down: { code: 'disconnected', message: 'The connection to the Mira server was lost. Reconnecting…', hint: DISCONNECTED_HINT },
  refused: { code: 'unauthorized', message: 'The Mira server is running again but no longer accepts this page’s access token.', hint: REFUSED_HINT },
};

export const useConnection = create<ConnectionState>()((set, get) => ({
  status: 'connecting',
  link: null,
  mode: null,
  error: null,
  info: null,
  reconnectedAt: null,
  async start() {
    if (connection) return;
    const conn = connect();
    connection = conn;
    set({ mode: conn.mode, status: 'connecting', error: null });
    conn.onState((s) => {
      const { status } = get();
      if (status !== 'ready' && status !== 'lost') return;
      if (s === 'down' || s === 'refused') {
        set({ status: 'lost', link: s, error: LOST[s] });
        return;
      }
      if (s !== 'open' || status !== 'lost') return;
      // Back: read what may have changed while away, then say so quietly.
      conn.client.call('app/info').then(
        (info) => set({ status: 'ready', link: null, error: null, info, reconnectedAt: Date.now() }),
        () => {}, // dropped again at once: the next reconnect tries again
      );
    });
    try {
      await conn.ready;
      const info = await conn.client.call('app/info');
      set({ status: 'ready', info });
    } catch (e) {
      set({ status: 'failed', error: MiraError.from(e).toJSON() });
    }
  },
}));
