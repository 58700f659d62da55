// The renderer build, alone for browser mode (`npm run build:renderer`) and as the renderer part of electron.vite.config.ts.
import path from 'node:path';
import react from '@vitejs/plugin-react';
import type { UserConfig } from 'vite';

const root = import.meta.dirname;

/**
 * Plain Vite config, so `vite build --config vite.renderer.config.ts` and electron-vite produce the same out/renderer.
 * A relative base lets one build load from the app's custom protocol in Electron and over plain HTTP from `mira serve`.
 */
export const rendererConfig: UserConfig = {
  root: path.join(root, 'src/renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: path.join(root, 'out/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
    // Monaco's main chunk and worker are large by nature.
    chunkSizeWarningLimit: 6000,
    reportCompressedSize: false,
    minify: true,
    sourcemap: false,
    rolldownOptions: {
      input: path.join(root, 'src/renderer/index.html'),
      // Monaco's worker bundle takes a second or two to load; that is expected, not worth a warning on every build.
      checks: { bundlerTimings: false },
    },
  },
  worker: { format: 'es' },
};

export default rendererConfig;
