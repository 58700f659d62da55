// A WebSocket API carrier that survives a restarted `mira serve`: it reconnects with backoff, keeps every event
// listener across sockets, and refuses calls while down with an error that says so.
import { WebSocketTransport, type Transport, type WebSocketLike } from '../shared/client';
import { MiraError } from '../shared/errors';

/** open: usable; down: the server is unreachable, retrying; refused: the server answers but refuses this page's token. */
export type LinkState = 'connecting' | 'open' | 'down' | 'refused';

export interface ReconnectOptions {
  /** Makes a socket; it must also support addEventListener('open' | 'close'). */
  socket(): WebSocketLike & { addEventListener(type: 'open' | 'close', cb: () => void): void };
  /** Whether the HTTP server answers at all: after a refused socket, tells "wrong token" from "not running". */
  serverAnswers(): Promise<boolean>;
  /** Retry delays in ms; the last one repeats. */
  delays?: number[];
  setTimer?: (fn: () => void, ms: number) => unknown;
}

export const DEFAULT_DELAYS = [500, 1000, 2000, 4000, 5000];

export const DISCONNECTED_HINT = 'Mira reconnects by itself; try again once it says "Reconnected". Unsaved edits stay in the editor.';

export class ReconnectingTransport implements Transport {
  private inner: WebSocketTransport | null = null;
  private state: LinkState = 'connecting';
  private attempt = 0;
  private closed = false;
  private everOpened = false;
  private readonly listeners = new Set<(event: string, data: unknown) => void>();
  private readonly stateListeners = new Set<(state: LinkState) => void>();
  private readonly delays: number[];
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  /** Settles on the first outcome: opened, or the first socket closed before opening (the page cannot connect at all). */
  readonly ready: Promise<void>;
  private settleReady!: { resolve: () => void; reject: (e: unknown) => void };

  constructor(private readonly opts: ReconnectOptions) {
    this.delays = opts.delays ?? DEFAULT_DELAYS;
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.ready = new Promise<void>((resolve, reject) => (this.settleReady = { resolve, reject }));
    this.ready.catch(() => {});
    this.open();
  }

  get linkState(): LinkState {
    return this.state;
  }

  onState(cb: (state: LinkState) => void): () => void {
    this.stateListeners.add(cb);
    return () => this.stateListeners.delete(cb);
  }

  private setState(s: LinkState): void {
    if (s === this.state) return;
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }

  private open(): void {
    if (this.closed) return;
    const ws = this.opts.socket();
    const inner = new WebSocketTransport(ws);
    let opened = false;
    ws.addEventListener('open', () => {
      opened = true;
      this.everOpened = true;
      this.attempt = 0;
      this.inner = inner;
      this.settleReady.resolve();
      this.setState('open');
    });
    ws.addEventListener('close', () => {
      if (this.inner === inner) this.inner = null;
      if (this.closed) return;
      if (!this.everOpened) {
        // The first socket never opened: the page has no API (the caller explains why); no retries.
        this.settleReady.reject(new MiraError('unauthorized', 'Missing or wrong access token, or the Mira server is not running.'));
        return;
      }
      if (opened) {
        this.setState('down');
        this.retry();
        return;
      }
      // Refused before opening: a browser cannot see the status of a refused upgrade, so ask whether HTTP answers.
      void this.opts.serverAnswers().then(
        (up) => {
          if (this.closed) return;
          if (this.state !== 'open') this.setState(up ? 'refused' : 'down');
          this.retry();
        },
        () => this.retry(),
      );
    });
    // Events from whichever socket is current reach every listener, so subscriptions outlive a reconnect.
    inner.subscribe((event, data) => {
      for (const l of this.listeners) l(event, data);
    });
  }

  private retry(): void {
    const ms = this.delays[Math.min(this.attempt, this.delays.length - 1)]!;
    this.attempt++;
    this.setTimer(() => this.open(), ms);
  }

  async request(method: string, params: unknown): Promise<unknown> {
    if (!this.everOpened) await this.ready;
    const inner = this.inner;
    if (!inner || this.state !== 'open') {
      throw new MiraError(
        'disconnected',
        this.state === 'refused' ? 'The Mira server no longer accepts this page’s access token.' : 'Not connected to the Mira server (reconnecting…); nothing was sent. Try again once it says Reconnected.',
        this.state === 'refused' ? REFUSED_HINT : DISCONNECTED_HINT,
      );
    }
    try {
      return await inner.request(method, params);
    } catch (e) {
      const err = MiraError.from(e);
      // A call cut off by the socket closing: say it plainly (the server may or may not have done it).
      if (this.inner !== inner && err.code === 'internal') throw new MiraError('disconnected', 'The connection to the Mira server dropped before it answered.', DISCONNECTED_HINT);
      throw err;
    }
  }

  subscribe(listener: (event: string, data: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.inner?.close();
  }
}

export const REFUSED_HINT =
  'The server was restarted with a new token (for example with --new-token, or a different MIRA_SERVE_TOKEN or --home). ' +
  'Open the address `mira serve` printed when it started (it includes ?token=…). Unsaved edits are kept in this browser and offered again there.';
