// Builds the renderer once before the end-to-end tests when out/renderer is missing (CI runs `npm run build` first anyway).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  if (fs.existsSync(path.join(root, 'out/renderer/index.html'))) return;
  console.log('e2e: out/renderer/index.html is missing; building the renderer (vite build --config vite.renderer.config.ts)');
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('e2e: building the renderer failed; run `npm run build` and look at its errors');
}
