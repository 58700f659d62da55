// The API over Electron IPC: one `mira:` channel prefix, the sender's frame checked on every message, events pushed per window.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { isMethod } from '../../shared/api';
import { MiraError, type ErrorInfo } from '../../shared/errors';
import type { Mira } from '../app';
import { IPC } from '../window-options';

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ErrorInfo };

export interface IpcOptions {
  /** Whether a frame URL is the app's own page (the custom scheme, or the dev server in development). */
  isAppUrl(url: string): boolean;
  /** Called after every successful call (the shell records opened projects as recent). */
  onResult?(method: string, result: unknown): void;
}

/** The web contents allowed to call the API: only the windows the shell created and registered. */
const trusted = new Set<number>();

export function trustWebContents(wc: WebContents): void {
  trusted.add(wc.id);
  wc.once('destroyed', () => trusted.delete(wc.id));
}

/**
 * Refuses messages from anything but the top frame of one of our windows showing our own page: a navigated-away
 * window, an iframe or a foreign web contents must not reach the API (Electron security checklist item 17).
 */
export function assertTrustedSender(event: IpcMainInvokeEvent, opts: Pick<IpcOptions, 'isAppUrl'>): void {
  const frame = event.senderFrame;
  if (!trusted.has(event.sender.id) || !frame || frame.parent !== null || !opts.isAppUrl(frame.url)) {
    throw new MiraError('unauthorized', 'IPC message from an untrusted frame refused');
  }
}

/** Registers the request channel; returns a function that removes it. */
export function registerIpc(mira: Mira, opts: IpcOptions): () => void {
  ipcMain.handle(IPC.request, async (event, method: unknown, params: unknown): Promise<IpcReply> => {
    try {
      assertTrustedSender(event, opts);
      // The router validates params against the contract's zod schema; here only the envelope is checked.
      if (!isMethod(method)) throw new MiraError('unknown_method', `unknown method ${JSON.stringify(method)}`);
      const result = await mira.router.call(method, params, { via: 'ipc' });
      try {
        opts.onResult?.(method, result);
      } catch (e) {
        mira.log.warn({ err: (e as Error).message, method }, 'ipc onResult hook failed');
      }
      return { ok: true, result: result ?? null };
    } catch (e) {
      const err = MiraError.from(e);
      if (err.code === 'internal') mira.log.error({ err: err.message, method }, 'ipc request failed');
      return { ok: false, error: err.toJSON() };
    }
  });
  return () => ipcMain.removeHandler(IPC.request);
}

/** Forwards every API event to one window until it is destroyed. */
export function forwardEvents(mira: Mira, wc: WebContents): () => void {
  const off = mira.events.subscribe((event, data) => {
    if (wc.isDestroyed()) return;
    wc.send(IPC.event, event, data);
  });
  wc.once('destroyed', off);
  return off;
}
