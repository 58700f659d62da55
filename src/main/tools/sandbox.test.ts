// The sandbox stops tools that reach outside their scratch folder, start processes or run forever, with a clear error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInSandbox } from './sandbox';
import { buildProgram } from './program';
import { runtime, mapIO, type ToolSpec } from './runtime';

const ok = `import fs from 'node:fs';\nconst [root, json] = process.argv.slice(2);\nconst p = JSON.parse(json);\nfs.mkdirSync(root + '/out', { recursive: true });\nfs.writeFileSync(root + '/out/' + p.name + '.txt', 'hello ' + p.name + '\\n');\nfs.writeFileSync(root + '/reg.txt', fs.readFileSync(root + '/reg.txt', 'utf8') + p.name + '\\n');\n`;

describe('sandboxed tool runs', () => {
  it('returns created and modified files, and leaves the seeds it did not touch out', async () => {
    const r = await runInSandbox(ok, { name: 'a' }, new Map([['reg.txt', 'x\n'], ['other.txt', 'same\n']]));
    expect([...r.created]).toEqual([['out/a.txt', 'hello a\n']]);
    expect([...r.modified]).toEqual([['reg.txt', 'x\na\n']]);
  });

  it('stops a tool that writes outside its scratch folder', async () => {
    const target = path.join(os.tmpdir(), `mira-escape-${process.pid}.txt`);
    const evil = `import fs from 'node:fs';\nfs.writeFileSync(${JSON.stringify(target)}, 'pwned');\n`;
    await expect(runInSandbox(evil, { name: 'a' }, new Map(), {}, 'tool evil')).rejects.toThrow(/tool evil tried to write outside its sandbox/);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('stops a tool that reads outside its scratch folder', async () => {
    const evil = `import fs from 'node:fs';\nfs.readFileSync('/etc/hostname', 'utf8');\n`;
    await expect(runInSandbox(evil, { name: 'a' }, new Map())).rejects.toThrow(/tried to read outside its sandbox/);
  });

  it('stops a tool that starts a process', async () => {
    const evil = `import cp from 'node:child_process';\ncp.execSync('touch /tmp/mira-should-not-exist');\n`;
    await expect(runInSandbox(evil, { name: 'a' }, new Map())).rejects.toMatchObject({ code: 'refused', message: expect.stringMatching(/tried to start a process/) });
  });

  it('stops a tool that starts a worker thread', async () => {
    const evil = `import { Worker } from 'node:worker_threads';\nnew Worker('1', { eval: true });\n`;
    await expect(runInSandbox(evil, { name: 'a' }, new Map())).rejects.toThrow(/tried to start a worker thread/);
  });

  it('stops a tool that runs forever at the time limit', async () => {
    const t0 = Date.now();
    await expect(runInSandbox('for (;;) {}\n', { name: 'a' }, new Map(), { timeoutMs: 700 }, 'tool spin')).rejects.toMatchObject({ code: 'timeout', message: 'tool spin ran longer than 700 ms and was stopped' });
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('stops a tool that exhausts its memory limit', async () => {
    const hog = 'const a = []; for (;;) a.push(new Array(1e6).fill(1));\n';
    await expect(runInSandbox(hog, { name: 'a' }, new Map(), { memoryMb: 32, timeoutMs: 10_000 })).rejects.toThrow(/memory limit/);
  });

  it('runs a generated program exactly like the in-process generator', async () => {
    const spec: ToolSpec = {
      format: 1,
      name: 'new-widget',
      description: 'test',
      params: [{ name: 'name', required: true, description: 'the name', style: 'kebab' }],
      files: [
        {
          path: ['widgets/', { name: 'raw' }, '.ts'],
          pattern: '^widgets\\/([^/]+?)\\.ts$',
          lines: [['export const ', { name: 'camel' }, " = '", { name: 'raw' }, "';"]],
          eol: '\n',
          finalNewline: true,
          source: 'history',
          model: { theta: 0.5, halfLife: 8, mode: 'consensus', knn: 0 },
        },
      ],
      registries: [{ path: 'widgets/index.ts', blocks: [{ lines: [["export * from './", { name: 'raw' }, "';"]], rules: [{ kind: 'sorted', pattern: "^export \\* from '\\.\\/.+?';$", ci: false }, { kind: 'end' }] }] }],
    };
    const seeds = new Map([['widgets/index.ts', "export * from './alpha';\nexport * from './gamma';\n"]]);
    const program = buildProgram(spec, { version: 1, examples: [], validation: { cases: 0, path_f1: 0, line_f1: 0 } });
    const r = await runInSandbox(program, { name: 'BetaRay' }, seeds);
    const local = runtime().generate(spec, { name: 'BetaRay' }, mapIO(seeds));
    expect([...r.created]).toEqual([['widgets/beta-ray.ts', "export const betaRay = 'beta-ray';\n"]]);
    expect(local.find((f) => f.path === 'widgets/beta-ray.ts')!.content).toBe(r.created.get('widgets/beta-ray.ts'));
    expect(r.modified.get('widgets/index.ts')).toBe("export * from './alpha';\nexport * from './beta-ray';\nexport * from './gamma';\n");
    // a generated program refuses a name that would leave its folder
    await expect(runInSandbox(program, { name: '../x' }, seeds)).rejects.toMatchObject({ code: 'bad_request' });
  });
});
