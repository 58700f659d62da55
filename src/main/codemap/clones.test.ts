// Clone detection: renamed copies are found across files, unrelated code and repeated imports are not.
import { describe, expect, it } from 'vitest';
import { analyzeFile } from './analyze';
import { detectClones, fingerprints, packFingerprints, unpackFingerprints } from './clones';

const original = `import { a, b, c, d, e, f, g } from './x';
export function parse(input: string, options: Options): Result {
  const out: Result = { items: [], errors: [] };
  for (const line of input.split('\\n')) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const [key, value] = trimmed.split('=');
    if (!key || value === undefined) {
      out.errors.push({ line, message: 'missing value' });
      continue;
    }
    out.items.push({ key: key.trim(), value: value.trim(), raw: line });
  }
  return out;
}
`;
// The same function with every name and string changed: still a clone once identifiers and literals are normalised.
const renamed = `export function load(text: string, opts: Settings): Output {
  const res: Output = { items: [], errors: [] };
  for (const row of text.split('\\r\\n')) {
    const t = row.trim();
    if (!t || t.startsWith(';')) continue;
    const [name, val] = t.split(':');
    if (!name || val === undefined) {
      res.errors.push({ row, message: 'no value' });
      continue;
    }
    res.items.push({ key: name.trim(), value: val.trim(), raw: row });
  }
  return res;
}
`;
const unrelated = `import { a, b, c, d, e, f, g } from './x';
export class Queue<T> {
  private items: T[] = [];
  push(x: T): void { this.items.push(x); }
  pop(): T | undefined { return this.items.shift(); }
  get size(): number { return this.items.length; }
  drain(fn: (x: T) => void): number {
    let n = 0;
    while (this.items.length) { fn(this.items.shift()!); n++; }
    return n;
  }
}
`;

describe('clone detection', () => {
  it('finds a renamed copy in another file and leaves unrelated files alone', async () => {
    const files = new Map<string, Awaited<ReturnType<typeof analyzeFile>>['fingerprints']>();
    for (const [p, code] of [['src/a.ts', original], ['src/b.ts', renamed], ['src/c.ts', unrelated]] as const) files.set(p, (await analyzeFile(p, 'typescript', code)).fingerprints);
    const clones = detectClones(files);
    expect(clones.get('src/a.ts')?.duplicated_lines).toBeGreaterThanOrEqual(8);
    expect(clones.get('src/a.ts')?.partners[0]?.path).toBe('src/b.ts');
    expect(clones.get('src/b.ts')?.partners[0]?.path).toBe('src/a.ts');
    // Same import line in a.ts and c.ts is not code: imports are left out of the token stream.
    expect(clones.has('src/c.ts')).toBe(false);
  });

  it('finds a copy inside one file, listed once from the first to the second place', async () => {
    const body = original.split('\n').slice(1).join('\n');
    const fps = (await analyzeFile('d.ts', 'typescript', body + '\n' + body.replace('parse', 'parse2'))).fingerprints;
    const c = detectClones(new Map([['d.ts', fps]])).get('d.ts');
    expect(c?.duplicated_lines).toBeGreaterThan(16);
    expect(c?.partners).toHaveLength(1);
    expect(c!.partners[0]!.lines[0]).toBeLessThan(c!.partners[0]!.other_lines[0]);
  });

  it('winnowing keeps a fingerprint in every window and survives packing', () => {
    const tokens = Array.from({ length: 400 }, (_, i) => (i * 7919) % 97);
    const rows = tokens.map((_, i) => Math.floor(i / 10));
    const fps = fingerprints(tokens, rows, 50, 16);
    expect(fps.length).toBeGreaterThan(400 / 16 - 2);
    expect(unpackFingerprints(packFingerprints(fps))).toEqual(fps);
  });
});
