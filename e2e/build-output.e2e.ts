// Checks what `npm run build` emits: a CommonJS sandbox-ready preload without zod, native modules left external, a relative renderer.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES } from '../src/shared/api';
import { ROOT } from './harness';

const out = (p: string) => path.join(ROOT, 'out', p);
const built = fs.existsSync(out('main/index.js')) && fs.existsSync(out('preload/index.cjs'));
const reason = built ? null : 'out/main or out/preload is missing: run `npm run build` first';
if (reason) console.warn(`build-output checks skipped: ${reason}`);

describe.skipIf(!built)(`electron-vite build output${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('emits the preload as CommonJS, with every method and event name and no zod', () => {
    const src = fs.readFileSync(out('preload/index.cjs'), 'utf8');
    expect(src).toMatch(/require\("electron"\)/);
    expect(src).not.toMatch(/^\s*(import|export)\s/m);
    // The only require is electron: a sandboxed preload cannot load anything else.
    expect([...src.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(src).not.toMatch(/zod|ZodType|safeParse/);
    for (const m of METHOD_NAMES) expect(src).toContain(`"${m}"`);
    for (const e of EVENT_NAMES) expect(src).toContain(`"${e}"`);
    expect(src).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
    expect(fs.existsSync(out('preload/index.mjs'))).toBe(false);
  });

  it('keeps native modules out of the main bundle', () => {
    const src = fs.readFileSync(out('main/index.js'), 'utf8');
    expect(src).toMatch(/from "better-sqlite3"/);
    expect(src).toMatch(/from "electron"/);
    expect(src).not.toMatch(/node_modules\/(better-sqlite3|node-pty|sqlite-vec|web-tree-sitter)/);
    // node-pty and sqlite-vec are loaded lazily with require at run time, by name.
    expect(src).toContain('"node-pty"');
  });

  it('emits worker-thread entries next to the main bundle, and every main chunk parses', () => {
    if (fs.existsSync(path.join(ROOT, 'src/main/code/parse-worker.ts'))) expect(fs.existsSync(out('main/parse-worker.js'))).toBe(true);
    // A chunk that declares `require` twice (a CommonJS shim on top of our own createRequire) fails here, not at launch.
    for (const f of fs.readdirSync(out('main')).filter((n) => n.endsWith('.js'))) {
      const r = spawnSync(process.execPath, ['--check', out(`main/${f}`)], { encoding: 'utf8' });
      expect(r.status, `${f}: ${r.stderr}`).toBe(0);
    }
  });

  it('builds a renderer that loads over plain HTTP and from the app protocol, with no CDN', () => {
    const html = fs.readFileSync(out('renderer/index.html'), 'utf8');
    const srcs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(srcs.length).toBeGreaterThan(0);
    for (const s of srcs) expect(s.startsWith('./'), s).toBe(true);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = fs.readdirSync(out('renderer/assets'));
    expect(assets.some((a) => a.startsWith('editor.worker'))).toBe(true);
    for (const a of assets.filter((f) => f.endsWith('.js'))) {
      expect(fs.readFileSync(out(`renderer/assets/${a}`), 'utf8'), a).not.toMatch(/cdn\.jsdelivr\.net|unpkg\.com/);
    }
  });
});
