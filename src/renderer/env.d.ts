// Globals the renderer sees: `window.mira` exists only inside the Electron window (the preload puts it there).
/// <reference types="vite/client" />
import type { MiraBridge } from './bridge';

declare global {
  interface Window {
    mira?: MiraBridge;
  }
}
