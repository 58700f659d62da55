// One API suite, run over the in-process and the WebSocket carriers: callers cannot tell them apart.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from '../../../test/helpers/git-repo';
import { startTestMira, type Carrier, type TestMira } from '../../../test/helpers/mira';
import { MiraError } from '../../shared/errors';
import { EventBus } from './router';

async function rejects(p: Promise<unknown>, code: string): Promise<MiraError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(MiraError);
    expect((e as MiraError).code).toBe(code);
    return e as MiraError;
  }
  throw new Error(`expected a ${code} error`);
}

for (const carrier of ['in-process', 'websocket'] as Carrier[]) {
  describe(`API over ${carrier}`, () => {
    let repo: TestRepo;
    let t: TestMira;
    let outside: string;

    beforeAll(async () => {
      repo = createRepo();
      repo.write('.gitignore', 'secret.txt\nlogs/\n');
      repo.write('src/app.ts', 'export function main() {\n  return 1;\n}\n');
      repo.write('src/util/strings.ts', 'export const shout = (s: string) => s.toUpperCase();\n');
      repo.write('README.md', '# demo\n');
      repo.write('secret.txt', 'ignored by .gitignore\n');
      repo.write('logs/a.log', 'ignored folder\n');
      repo.write('node_modules/pkg/index.js', 'module.exports = 1;\n');
      repo.commit('init');
      outside = fs.mkdtempSync(path.join(path.dirname(repo.root), 'mira-outside-'));
      fs.writeFileSync(path.join(outside, 'stolen.txt'), 'do not read me');
      fs.symlinkSync(outside, path.join(repo.root, 'escape-dir'));
      fs.symlinkSync(path.join(outside, 'stolen.txt'), path.join(repo.root, 'escape-file.txt'));
      t = await startTestMira(repo.root, carrier);
    });

    afterAll(async () => {
      await t.close();
      repo.cleanup();
      fs.rmSync(outside, { recursive: true, force: true });
    });

    it('app/info describes the open project', async () => {
      const info = await t.client.call('app/info');
      expect(info.project?.root).toBe(repo.root);
      expect(info.llm).toBe(false);
      expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    });

    it('fs/list lists a folder lazily, folders first, with ignores applied', async () => {
      const top = await t.client.call('fs/list', { path: '' });
      const names = top.entries.map((e) => e.name);
      expect(names).toEqual(['src', '.gitignore', 'README.md']);
      expect(top.entries[0]).toMatchObject({ type: 'dir', path: 'src' });
      const src = await t.client.call('fs/list', { path: 'src' });
      expect(src.entries.map((e) => e.path)).toEqual(['src/util', 'src/app.ts']);
    });

    it('fs/read returns the content, hash and language', async () => {
      const r = await t.client.call('fs/read', { path: 'src/app.ts' });
      expect(r.content).toContain('export function main');
      expect(r.language).toBe('typescript');
      expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('fs/write saves atomically and refuses when the file changed on disk', async () => {
      const r = await t.client.call('fs/read', { path: 'README.md' });
      const w = await t.client.call('fs/write', { path: 'README.md', content: '# changed\n', expected_hash: r.hash });
      expect(fs.readFileSync(path.join(repo.root, 'README.md'), 'utf8')).toBe('# changed\n');
      fs.writeFileSync(path.join(repo.root, 'README.md'), '# changed by someone else\n');
      await rejects(t.client.call('fs/write', { path: 'README.md', content: '# mine\n', expected_hash: w.hash }), 'conflict');
      expect(fs.readFileSync(path.join(repo.root, 'README.md'), 'utf8')).toBe('# changed by someone else\n');
      expect(fs.readdirSync(repo.root).filter((f) => f.includes('.tmp'))).toEqual([]);
    });

    it('refuses every path that leaves the root: ../, absolute, symlinks out', async () => {
      for (const p of ['../outside.txt', 'src/../../x', '/etc/passwd', 'escape-dir/stolen.txt', 'escape-file.txt', 'escape-dir/new.txt', 'a\0b']) {
        await rejects(t.client.call('fs/read', { path: p }), 'path_outside_root');
        await rejects(t.client.call('fs/write', { path: p, content: 'x' }), 'path_outside_root');
      }
      // Git's own folder is never written: a hook there would run on the next commit.
      for (const p of ['.git/hooks/pre-commit', '.git/config', 'vendor/lib/.git/hooks/post-checkout']) await rejects(t.client.call('fs/write', { path: p, content: 'x' }), 'refused');
      expect(fs.existsSync(path.join(t.mira.project().root, '.git/hooks/pre-commit'))).toBe(false);
      await rejects(t.client.call('fs/list', { path: '..' }), 'path_outside_root');
      await rejects(t.client.call('fs/list', { path: 'escape-dir' }), 'path_outside_root');
      expect(fs.existsSync(path.join(outside, 'new.txt'))).toBe(false);
      // The symlinks out of the root are not even listed.
      const top = await t.client.call('fs/list', { path: '' });
      expect(top.entries.map((e) => e.name)).not.toContain('escape-dir');
    });

    it('rejects unknown methods and wrong parameter types with error codes', async () => {
      await rejects(t.client.call('nope/nothing' as never, {} as never), 'unknown_method');
      await rejects(t.client.call('fs/read', { path: 42 } as never), 'bad_request');
      await rejects(t.client.call('fs/read', { path: 'missing.txt' }), 'not_found');
    });

    it('index/run indexes incrementally and streams index/progress events', async () => {
      const seen: unknown[] = [];
      const off = t.client.on('index/progress', (d) => seen.push(d));
      const first = await t.client.call('index/run', { git: false });
      // .gitignore, README.md, src/app.ts, src/util/strings.ts: ignored files and symlinks out of the root are not indexed.
      expect(first.files).toBe(4);
      expect(first.added).toBe(4);
      expect(first.skipped.symlink_outside_root).toBe(2);
      const second = await t.client.call('index/run', { git: false });
      expect(second.changed_files).toBe(0);
      expect(second.unchanged).toBe(4);
      off();
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((d) => EventBus.validate('index/progress', d))).toBe(true);
    });

    it('runs a terminal in the project root and streams its output', async () => {
      const chunks: string[] = [];
      let termId = '';
      const off = t.client.on('terminal/data', (d) => {
        if (d.id === termId) chunks.push(d.data);
      });
      const term = await t.client.call('terminal/create', { cols: 100, rows: 30, shell: '/bin/sh' });
      termId = term.id;
      expect(term.cwd).toBe(repo.root);
      await t.client.call('terminal/write', { id: term.id, data: 'echo "mira-$((40+2))"; pwd\n' });
      const deadline = Date.now() + 10_000;
      while (!chunks.join('').includes('mira-42') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      off();
      expect(chunks.join('')).toContain('mira-42');
      expect(chunks.join('')).toContain(repo.root);
      expect((await t.client.call('terminal/kill', { id: term.id })).ok).toBe(true);
      await rejects(t.client.call('terminal/write', { id: term.id, data: 'x' }), 'not_found');
    });
  });
}
