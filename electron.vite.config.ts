// Build of the three Electron bundles (main, sandboxed preload, renderer) into out/; the renderer is also what `mira serve` serves.
import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
// Bundled into the config at load time: the preload gets the method and event names as constants, not the zod schemas.
import { EVENT_NAMES, METHOD_NAMES } from './src/shared/api';
import { rendererConfig } from './vite.renderer.config';

const root = import.meta.dirname;

/**
 * Main-process entries. Worker threads need their own file next to index.js (src/main/code/parse-pool.ts starts
 * out/main/parse-worker.js in a build), so each worker entry is listed here when its source exists.
 */
const MAIN_ENTRIES: Record<string, string> = Object.fromEntries(
  Object.entries({ index: 'src/main/index.ts', 'parse-worker': 'src/main/code/parse-worker.ts' })
    .filter(([, src]) => fs.existsSync(path.join(root, src)))
    .map(([name, src]) => [name, path.join(root, src)]),
);

/** Loaded at run time from node_modules, never bundled: native addons and packages that read their own files. */
const MAIN_EXTERNAL = ['better-sqlite3', 'node-pty', 'sqlite-vec', 'web-tree-sitter', /^tree-sitter-/, 'electron'];

/**
 * electron-vite prepends `const require = createRequire(...)` to any ES chunk whose text merely mentions `require(`.
 * Our code declares its own `createRequire` where it needs one (src/main/code/parse.ts at module level), and the
 * two declarations make the chunk a SyntaxError. Nothing in src/main uses CommonJS globals, so drop the shim.
 */
function withoutCjsShim(): Plugin {
  return {
    name: 'mira:without-cjs-shim',
    configResolved(config) {
      const plugins = config.plugins as Plugin[];
      const i = plugins.findIndex((p) => p.name === 'vite:esm-shim');
      if (i >= 0) plugins.splice(i, 1);
    },
  };
}

export default defineConfig({
  main: {
    plugins: [withoutCjsShim()],
    build: {
      outDir: path.join(root, 'out/main'),
      lib: { entry: MAIN_ENTRIES, formats: ['es'] },
      // Every package in "dependencies" stays a runtime import; the list below makes the native ones explicit.
      externalizeDeps: true,
      rolldownOptions: { external: MAIN_EXTERNAL },
    },
  },
  preload: {
    define: {
      __MIRA_METHOD_NAMES__: JSON.stringify(METHOD_NAMES),
      __MIRA_EVENT_NAMES__: JSON.stringify(EVENT_NAMES),
    },
    build: {
      outDir: path.join(root, 'out/preload'),
      // A sandboxed preload is a classic script: CommonJS with only 'electron' left as a require, everything else inlined.
      externalizeDeps: false,
      lib: { entry: path.join(root, 'src/preload/index.ts'), formats: ['cjs'] },
      rolldownOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: rendererConfig,
});
