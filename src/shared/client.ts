// The typed client every face uses; a transport (IPC, WebSocket, in-process) carries it, and callers cannot tell which.
import type { EventData, EventName, MethodName, Params, Result } from './api';
import { MiraError } from './errors';

export interface Transport {
  request(method: string, params: unknown): Promise<unknown>;
  subscribe(listener: (event: string, data: unknown) => void): () => void;
  close?(): void;
}

export class MiraClient {
  constructor(readonly transport: Transport) {}

  call<M extends MethodName>(method: M, ...args: undefined extends Params<M> ? [params?: Params<M>] : [params: Params<M>]): Promise<Result<M>> {
    return this.transport.request(method, args[0]) as Promise<Result<M>>;
  }

  on<E extends EventName>(event: E, cb: (data: EventData<E>) => void): () => void {
    return this.transport.subscribe((name, data) => {
      if (name === event) cb(data as EventData<E>);
    });
  }

  close(): void {
    this.transport.close?.();
  }
}

/** Minimal WebSocket surface shared by the browser's WebSocket and the `ws` package. */
export interface WebSocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/** The API over a WebSocket: `{id, method, params}` out, `{id, result|error}` and `{event, data}` in. */
export class WebSocketTransport implements Transport {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private readonly listeners = new Set<(event: string, data: unknown) => void>();
  private readonly ready: Promise<void>;
  private closed = false;

  constructor(private readonly ws: WebSocketLike) {
    this.ready = new Promise((resolve, reject) => {
      if (ws.readyState === 1) return resolve();
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new MiraError('unauthorized', 'could not connect to the Mira server (wrong token, or the server is not running)'));
    });
    this.ready.catch(() => {});
    ws.onmessage = (ev) => this.onMessage(String(ev.data));
    ws.onclose = () => {
      this.closed = true;
      for (const p of this.pending.values()) p.reject(new MiraError('internal', 'connection to the Mira server closed'));
      this.pending.clear();
    };
  }

  private onMessage(text: string): void {
    let msg: { id?: number; result?: unknown; error?: { code: string; message: string; hint?: string }; event?: string; data?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof msg.event === 'string') {
      for (const l of this.listeners) l(msg.event, msg.data);
      return;
    }
    if (typeof msg.id !== 'number') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.error) p.reject(new MiraError(msg.error.code, msg.error.message, msg.error.hint));
    else p.resolve(msg.result);
  }

  async request(method: string, params: unknown): Promise<unknown> {
    await this.ready;
    if (this.closed) throw new MiraError('internal', 'connection to the Mira server is closed');
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, method, params: params ?? {} }));
    });
  }

  subscribe(listener: (event: string, data: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.ws.close();
  }
}
