// The parse pool: worker threads give the same results as in-thread parsing, and broken workers fall back in-thread.
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeFile } from '../codemap/analyze';
import { unpackFingerprints } from '../codemap/clones';
import { ParsePool, type ParseInput } from './parse-pool';

const files: ParseInput[] = [
  { path: 'a.ts', language: 'typescript', text: 'export function a() { return b(); }\nfunction b() { return 1; }\n' },
  { path: 'b.py', language: 'python', text: 'class K:\n    def m(self):\n        return helper()\n' },
  { path: 'c.rs', language: 'rust', text: 'pub struct S;\nimpl S { pub fn new() -> Self { S } }\n' },
  { path: 'd.go', language: 'go', text: 'package d\nfunc D() int { return e() }\nfunc e() int { return 1 }\n' },
  { path: 'e.java', language: 'java', text: 'class E { void m() { n(); } void n() {} }\n' },
  { path: 'f.c', language: 'c', text: 'static int f(void) { return g(); }\nint g(void) { return 0; }\n' },
];

const pools: ParsePool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
});

describe('ParsePool', () => {
  it('parses in worker threads with the same result as in-thread', async () => {
    const inThread = new ParsePool({ size: 0 });
    const workers = new ParsePool({ size: 2, minFiles: 1, shareWork: false });
    pools.push(inThread, workers);
    const a = await inThread.parseAll(files);
    const b = await workers.parseAll(files);
    expect(workers.usedWorkers).toBe(true);
    expect(b.map((r) => r.path)).toEqual(files.map((f) => f.path));
    expect(b).toEqual(a);
    expect(a.find((r) => r.path === 'a.ts')!.symbols.map((s) => s.name)).toEqual(['a', 'b']);
    expect(a.every((r) => !r.failed)).toBe(true);
  });

  it("measures the code map's metrics of the same trees in workers, as the code map's own parse does", async () => {
    const workers = new ParsePool({ size: 2, minFiles: 1, shareWork: false });
    pools.push(workers);
    const body = (n: string) => `function ${n}(a, b) {\n  if (a && b) {\n    for (const x of a) {\n      while (x > b) b++;\n    }\n  }\n  return a ? b : [a, b, 1, 2, 3, 'x'];\n}\n`;
    const more: ParseInput[] = [
      ...files,
      { path: 'g.js', language: 'javascript', text: body('one') + body('two') + body('three') },
      { path: 'h.cpp', language: 'cpp', text: 'class FMT_API Foo {\n  int f(int a) { return a > 1 ? a : 0; }\n};\n' },
    ];
    const plain = await workers.parseAll(more);
    expect(plain.every((r) => r.quality === undefined)).toBe(true);
    const measured = await workers.parseAll(more, { quality: true });
    expect(workers.usedWorkers).toBe(true);
    for (const [i, f] of more.entries()) {
      const q = measured[i]!.quality!;
      const { approx, fingerprints, ...own } = await analyzeFile(f.path, f.language, f.text);
      expect(approx).toBe(false);
      expect({ ...q, fingerprints: unpackFingerprints(Buffer.from(q.fingerprints)) }, f.path).toEqual({ ...own, fingerprints });
      expect({ ...measured[i], quality: undefined }).toEqual({ ...plain[i], quality: undefined });
    }
    expect(measured.find((r) => r.path === 'g.js')!.quality!.fingerprints.byteLength).toBeGreaterThan(0);
  });

  it('falls back to in-thread parsing when workers cannot start or die', async () => {
    const dead = new ParsePool({ size: 2, minFiles: 1, shareWork: false, spawn: () => new Worker('throw new Error("boom")', { eval: true }) });
    const none = new ParsePool({ size: 2, minFiles: 1, shareWork: false, spawn: () => null });
    pools.push(dead, none);
    for (const pool of [dead, none]) {
      const r = await pool.parseAll(files);
      expect(r).toHaveLength(files.length);
      expect(r.every((x) => !x.failed)).toBe(true);
    }
  });

  it('reports a file it cannot parse instead of throwing', async () => {
    const pool = new ParsePool({ size: 0 });
    pools.push(pool);
    const [r] = await pool.parseAll([{ path: 'x.zig', language: 'zig', text: 'const x = 1;' }]);
    expect(r!.failed).toMatch(/no grammar/);
    const [broken] = await pool.parseAll([{ path: 'y.ts', language: 'typescript', text: 'function (((( {{{{ class' }]);
    expect(broken!.failed).toBeUndefined();
    expect(broken!.errors).toBeGreaterThan(0);
  });
});
