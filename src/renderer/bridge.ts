// The shape of `window.mira` that the Electron preload exposes, and the transport that turns it into a MiraClient.
import type { EventName, MethodName, Params, Result } from '../shared/api';
import type { Transport } from '../shared/client';
import { MiraError, type ErrorInfo } from '../shared/errors';

/**
 * Errors do not survive Electron's IPC and context bridge with their code and hint, so every call answers with
 * an envelope that the renderer unwraps into a MiraError.
 */
export type BridgeReply<R> = { ok: true; result: R } | { ok: false; error: ErrorInfo };

export type BridgeMethods = { [M in MethodName]: (params?: Params<M>) => Promise<BridgeReply<Result<M>>> };

export type MenuCommand =
  | { command: 'open-folder'; root: string }
  | { command: 'save' | 'toggle-sidebar' | 'toggle-terminal' | 'quick-open' | 'run-index' };

export interface BridgeExtras {
  /** Subscribes to one pushed event; the callback sees only the event's data, never the IPC event. */
  on(event: EventName, cb: (data: unknown) => void): () => void;
  /** The native folder picker; resolves to the chosen folder or null when cancelled. */
  openFolder(): Promise<string | null>;
  /** Menu commands from the native application menu. */
  onMenu(cb: (cmd: MenuCommand) => void): () => void;
  /** The event names the preload forwards (so a transport can subscribe to all of them). */
  readonly events: readonly EventName[];
  readonly platform: string;
}

export type MiraBridge = BridgeMethods & BridgeExtras;

/** The API over the preload's functions: same contract and errors as the WebSocket transport. */
export class IpcTransport implements Transport {
  constructor(private readonly bridge: MiraBridge) {}

  async request(method: string, params: unknown): Promise<unknown> {
    const fn = (this.bridge as unknown as Record<string, ((p: unknown) => Promise<BridgeReply<unknown>>) | undefined>)[method];
    if (typeof fn !== 'function' || !method.includes('/')) throw new MiraError('unknown_method', `unknown method ${JSON.stringify(method)}`);
    const reply = await fn(params);
    if (reply.ok) return reply.result;
    throw new MiraError(reply.error.code, reply.error.message, reply.error.hint);
  }

  subscribe(listener: (event: string, data: unknown) => void): () => void {
    const offs = this.bridge.events.map((name) => this.bridge.on(name, (data) => listener(name, data)));
    return () => offs.forEach((off) => off());
  }
}
