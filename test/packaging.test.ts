// The desktop packaging configuration, checked as far as an offline machine allows: electron-builder's own schema
// accepts electron-builder.yml, and everything it names exists (the app's entry, migrations, native modules and
// grammar files to unpack). Building the installers needs Electron's download, so that part runs on a connected machine.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { packagePath } from '../src/main/db/open';

const require = createRequire(import.meta.url);
const root = packagePath();

async function loadBuilderConfig(): Promise<Record<string, unknown>> {
  const { load } = require('js-yaml') as { load(s: string): unknown };
  return load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
}

/** Files under node_modules matching a simple `dir/**` or `dir/**\/*.ext` glob of the config. */
function matches(glob: string): string[] {
  const m = /^node_modules\/([^*]+?)(\*?)\/\*\*(?:\/\*(\.[a-z]+))?$/.exec(glob);
  if (!m) throw new Error(`unexpected glob shape ${glob}`);
  const [, prefix, star, ext] = m;
  const base = path.join(root, 'node_modules');
  const dirs = star ? fs.readdirSync(path.join(base, path.dirname(prefix!))).filter((d) => d.startsWith(path.basename(prefix!))).map((d) => path.join(path.dirname(prefix!), d)) : [prefix!];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!ext || e.name.endsWith(ext)) out.push(p);
    }
  };
  for (const d of dirs) if (fs.existsSync(path.join(base, d))) walk(path.join(base, d));
  return out;
}

describe('electron-builder configuration', () => {
  it("passes electron-builder's schema", async () => {
    const config = await loadBuilderConfig();
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration(c: unknown, log: unknown): Promise<void> };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // A typo is caught by the same check (so the check above means something).
    await expect(validateConfiguration({ ...config, asarUnpak: [] }, new DebugLogger(false))).rejects.toThrow(/asarUnpak|unknown property|additional/i);
  });

  it('names files that exist: the entry electron-vite builds, the migrations, and the native modules and grammars to unpack', async () => {
    const config = await loadBuilderConfig();
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
    expect(pkg.main).toBe('out/main/index.js');
    expect(config.files).toContain('out/**');
    expect(pkg.scripts.dist).toMatch(/electron-vite build && electron-builder/);
    const vite = fs.readFileSync(path.join(root, 'electron.vite.config.ts'), 'utf8');
    expect(vite).toMatch(/main/);
    for (const r of config.extraResources as { from: string; to: string }[]) expect(fs.existsSync(path.join(root, r.from)), r.from).toBe(true);
    for (const glob of config.asarUnpack as string[]) expect(matches(glob).length, glob).toBeGreaterThan(0);
    // The native addons are among the unpacked files (they cannot load from inside an asar archive).
    const unpacked = (config.asarUnpack as string[]).flatMap(matches);
    expect(unpacked.some((f) => f.endsWith('better_sqlite3.node'))).toBe(true);
    expect(unpacked.some((f) => /pty\.node$/.test(f))).toBe(true);
    expect(unpacked.some((f) => f.endsWith('tree-sitter-typescript.wasm'))).toBe(true);
  });
});
