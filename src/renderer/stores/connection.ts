// Connection state: which carrier the page uses, whether it works, and the server's app/info.
import { create } from 'zustand';
import type { Result } from '../../shared/api';
import type { MiraClient } from '../../shared/client';
import { MiraError, type ErrorInfo } from '../../shared/errors';
import { connect, type ApiMode, type Connection } from '../api';

type AppInfo = Result<'app/info'>;

interface ConnectionState {
  status: 'connecting' | 'ready' | 'failed' | 'lost';
  mode: ApiMode | null;
  error: ErrorInfo | null;
  info: AppInfo | null;
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

export const useConnection = create<ConnectionState>()((set, get) => ({
  status: 'connecting',
  mode: null,
  error: null,
  info: null,
  async start() {
    if (connection) return;
    connection = connect();
    set({ mode: connection.mode, status: 'connecting', error: null });
    connection.onLost(() => {
      if (get().status === 'ready') set({ status: 'lost', error: { code: 'internal', message: 'The connection to the Mira server was lost.', hint: 'Restart `mira serve`, then reload this page.' } });
    });
    try {
      await connection.ready;
      const info = await connection.client.call('app/info');
      set({ status: 'ready', info });
    } catch (e) {
      set({ status: 'failed', error: MiraError.from(e).toJSON() });
    }
  },
}));
