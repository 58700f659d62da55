// Rebuilds native modules for Electron's ABI after install, unless the Electron binary is deliberately skipped.
import { spawnSync } from 'node:child_process';
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD || process.env.MIRA_SKIP_ELECTRON_REBUILD) {
  console.log('mira: ELECTRON_SKIP_BINARY_DOWNLOAD is set; native modules stay built for Node (CLI, server and tests).');
  process.exit(0);
}
const r = spawnSync('npx', ['--no-install', 'electron-builder', 'install-app-deps'], { stdio: 'inherit' });
if (r.status !== 0) {
  console.warn('mira: could not rebuild native modules for Electron (needs internet). The CLI and `npm run serve` still work under Node.');
}
