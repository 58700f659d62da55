// The layering rules of ARCHITECTURE.md for the window, preload and shell, checked by scanning imports (no lint rule yet).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return files(p);
    return /\.(ts|tsx)$/.test(d.name) && !/\.test\.tsx?$/.test(d.name) ? [p] : [];
  });
}

function imports(file: string): { spec: string; typeOnly: boolean }[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: { spec: string; typeOnly: boolean }[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)) {
    const spec = m[3] ?? m[4] ?? m[5];
    // An inline `import('x')` is counted as a run-time import: write type imports as `import type` instead.
    if (spec) out.push({ spec, typeOnly: !!m[2] });
  }
  return out;
}

const rel = (f: string) => path.relative(SRC, f).split(path.sep).join('/');

describe('layering', () => {
  it('the renderer imports only src/shared, its own code and browser packages', () => {
    const allowed = /^(react|react-dom|react-dom\/client|react\/jsx-runtime|zustand|zustand\/.+|monaco-editor\/.+|@xterm\/.+)$/;
    const bad: string[] = [];
    for (const f of files(path.join(SRC, 'renderer'))) {
      for (const { spec } of imports(f)) {
        if (spec.startsWith('.')) {
          const target = rel(path.resolve(path.dirname(f), spec));
          if (!target.startsWith('renderer/') && !target.startsWith('shared/')) bad.push(`${rel(f)} -> ${spec}`);
        } else if (!allowed.test(spec)) bad.push(`${rel(f)} -> ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the preload imports electron and nothing else at run time', () => {
    const bad: string[] = [];
    for (const f of files(path.join(SRC, 'preload'))) {
      for (const { spec, typeOnly } of imports(f)) if (spec !== 'electron' && !typeOnly) bad.push(`${rel(f)} -> ${spec}`);
    }
    expect(bad).toEqual([]);
  });

  it("only the shell and the IPC adapter import 'electron' in src/main", () => {
    const users = files(path.join(SRC, 'main'))
      .filter((f) => imports(f).some((i) => i.spec === 'electron' || i.spec.startsWith('electron/')))
      .map(rel)
      .sort();
    for (const u of users) expect(u, u).toMatch(/^main\/(index\.ts|transport\/ipc[^/]*\.ts)$/);
  });
});
