#!/usr/bin/env node
// `npm start`: builds what is missing and runs the desktop app, or says in one line why it cannot (no Electron binary).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

/** The Electron executable, or null when the package or its downloaded binary is missing. */
function electronBinary() {
  try {
    // Under plain Node the 'electron' package exports the path of its binary; it throws when the download was skipped.
    const bin = require('electron');
    return typeof bin === 'string' && fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const bin = electronBinary();
if (!bin) {
  console.error('mira: the Electron binary is not installed here (installed with ELECTRON_SKIP_BINARY_DOWNLOAD?); run `npm run serve` to use Mira in a browser instead.');
  process.exit(1);
}

const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
if (process.argv.includes('--rebuild') || outputs.some((f) => !fs.existsSync(path.join(root, f)))) {
  const vite = path.join(root, 'node_modules/electron-vite/bin/electron-vite.js');
  const r = spawnSync(process.execPath, [vite, 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('mira: `electron-vite build` failed; see the errors above.');
    process.exit(1);
  }
}

// ELECTRON_RUN_AS_NODE left over from a CLI run would start Electron as plain Node instead of the app.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const args = [root, ...process.argv.slice(2).filter((a) => a !== '--rebuild')];
const child = spawn(bin, args, { cwd: root, env, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
