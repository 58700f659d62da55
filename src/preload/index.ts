// The sandboxed preload: exposes `window.mira`, one function per API method plus event and dialog helpers; never ipcRenderer.
import { contextBridge, ipcRenderer } from 'electron';
import type { BridgeMethods, MenuCommand, MiraBridge } from '../renderer/bridge';

// Filled in at build time from src/shared/api (see electron.vite.config.ts), so the preload carries no zod schemas.
declare const __MIRA_METHOD_NAMES__: readonly string[];
declare const __MIRA_EVENT_NAMES__: readonly string[];

// These literals must match IPC in src/main/window-options.ts; a sandboxed preload cannot import shared modules at run time
// without bundling them, and a four-string duplicate is cheaper than a second bundle entry.
const CH_REQUEST = 'mira:request';
const CH_EVENT = 'mira:event';
const CH_OPEN_FOLDER = 'mira:dialog/openFolder';
const CH_MENU = 'mira:menu';

const METHOD_NAMES = __MIRA_METHOD_NAMES__;
const EVENT_NAMES = new Set(__MIRA_EVENT_NAMES__);
const MENU_COMMANDS = new Set(['open-folder', 'save', 'toggle-sidebar', 'toggle-terminal', 'quick-open', 'run-index']);

const eventListeners = new Map<string, Set<(data: unknown) => void>>();
const menuListeners = new Set<(cmd: MenuCommand) => void>();

// One IPC listener per channel for the page's whole life; page callbacks hang off these and never see the IPC event.
ipcRenderer.on(CH_EVENT, (_event, name: unknown, data: unknown) => {
  if (typeof name !== 'string') return;
  for (const cb of eventListeners.get(name) ?? []) {
    try {
      cb(data);
    } catch (e) {
      console.error(`mira: a listener for ${name} failed`, e);
    }
  }
});

ipcRenderer.on(CH_MENU, (_event, cmd: unknown) => {
  if (!cmd || typeof cmd !== 'object' || !MENU_COMMANDS.has(String((cmd as { command?: unknown }).command))) return;
  for (const cb of menuListeners) cb(cmd as MenuCommand);
});

const api: Record<string, unknown> = {};
for (const name of METHOD_NAMES) {
  api[name] = (params?: unknown) => ipcRenderer.invoke(CH_REQUEST, name, params);
}

const extras: Omit<MiraBridge, keyof BridgeMethods> = {
  on(event, cb) {
    if (!EVENT_NAMES.has(event)) throw new Error(`mira: unknown event ${String(event)}`);
    if (typeof cb !== 'function') throw new Error('mira: on(event, cb) needs a function');
    let set = eventListeners.get(event);
    if (!set) eventListeners.set(event, (set = new Set()));
    // A fresh wrapper per subscription, so subscribing the same function twice still unsubscribes one at a time.
    const wrapped = (data: unknown) => cb(data);
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  },
  openFolder: () => ipcRenderer.invoke(CH_OPEN_FOLDER) as Promise<string | null>,
  onMenu(cb) {
    if (typeof cb !== 'function') throw new Error('mira: onMenu(cb) needs a function');
    const wrapped = (cmd: MenuCommand) => cb(cmd);
    menuListeners.add(wrapped);
    return () => {
      menuListeners.delete(wrapped);
    };
  },
  events: [...EVENT_NAMES] as MiraBridge['events'],
  platform: process.platform,
};

contextBridge.exposeInMainWorld('mira', Object.freeze({ ...api, ...extras }));
