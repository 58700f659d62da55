// Tests of the file side: atomic writes that keep the mode, encodings kept, hash conflicts and binaries refused.

import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyToFile, atomicWriteFile, sha256 } from './write';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mira-apply-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const EDIT = '<<<<<<< SEARCH\nold line\n=======\nnew line\n>>>>>>> REPLACE\n';

describe('atomicWriteFile', () => {
  it('replaces the content, keeps the mode, and leaves no temporary file', async () => {
    const f = join(dir, 'run.sh');
    writeFileSync(f, 'echo old\n');
    chmodSync(f, 0o750);
    await atomicWriteFile(f, 'echo new\n');
    expect(readFileSync(f, 'utf8')).toBe('echo new\n');
    expect(statSync(f).mode & 0o777).toBe(0o750);
    expect(readdirSync(dir)).toEqual(['run.sh']);
  });

  it('creates a new file', async () => {
    const f = join(dir, 'new.txt');
    await atomicWriteFile(f, Buffer.from('hi\n'));
    expect(readFileSync(f, 'utf8')).toBe('hi\n');
  });

  it('writes through a symlink, which stays a symlink', async () => {
    const target = join(dir, 'target.txt');
    const link = join(dir, 'link.txt');
    writeFileSync(target, 'a\n');
    symlinkSync(target, link);
    await atomicWriteFile(link, 'b\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('b\n');
  });

  it('removes its temporary file when the write fails', async () => {
    await expect(atomicWriteFile(join(dir, 'missing-dir', 'f.txt'), 'x')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('applyToFile', () => {
  it('applies and writes', async () => {
    const f = join(dir, 'a.txt');
    writeFileSync(f, 'first\nold line\nlast\n');
    const r = await applyToFile(f, EDIT);
    expect(r.applied).toBe(true);
    expect(r.written).toBe(true);
    expect(readFileSync(f, 'utf8')).toBe('first\nnew line\nlast\n');
    expect(r.afterHash).toBe(sha256(readFileSync(f)));
  });

  it('dry run computes the result without writing', async () => {
    const f = join(dir, 'a.txt');
    writeFileSync(f, 'old line\n');
    const r = await applyToFile(f, EDIT, { dryRun: true });
    expect(r.applied && r.content).toBe('new line\n');
    expect(r.written).toBe(false);
    expect(readFileSync(f, 'utf8')).toBe('old line\n');
  });

  it('refuses when the file changed since the edit was made (expectedHash)', async () => {
    const f = join(dir, 'a.txt');
    writeFileSync(f, 'old line\n');
    const stale = sha256('something else\n');
    const r = await applyToFile(f, EDIT, { expectedHash: stale });
    expect(r.applied).toBe(false);
    expect(!r.applied && r.error.code).toBe('hash_mismatch');
    expect(readFileSync(f, 'utf8')).toBe('old line\n');
    const ok = await applyToFile(f, EDIT, { expectedHash: 'sha256:' + sha256(readFileSync(f)) });
    expect(ok.applied).toBe(true);
  });

  it('keeps a UTF-8 byte-order mark and CRLF line endings', async () => {
    const f = join(dir, 'bom.cs');
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    writeFileSync(f, Buffer.concat([bom, Buffer.from('class A {\r\n  old line\r\n}\r\n')]));
    const r = await applyToFile(f, '<<<<<<< SEARCH\n  old line\n=======\n  new line\n>>>>>>> REPLACE\n');
    expect(r.applied).toBe(true);
    expect(readFileSync(f)).toEqual(Buffer.concat([bom, Buffer.from('class A {\r\n  new line\r\n}\r\n')]));
  });

  it('refuses binary and non-UTF-8 files without touching them', async () => {
    const bin = join(dir, 'x.bin');
    writeFileSync(bin, Buffer.from([0x6f, 0x6c, 0x64, 0x00, 0x01]));
    const r1 = await applyToFile(bin, EDIT);
    expect(!r1.applied && r1.error.code).toBe('binary');
    const latin = join(dir, 'l.txt');
    writeFileSync(latin, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const r2 = await applyToFile(latin, EDIT);
    expect(!r2.applied && r2.error.code).toBe('encoding');
    expect(readFileSync(latin)).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  });

  it('does not write when the edit is refused', async () => {
    const f = join(dir, 'a.txt');
    writeFileSync(f, 'something\n');
    const before = statSync(f).mtimeMs;
    const r = await applyToFile(f, EDIT);
    expect(!r.applied && r.error.code).toBe('no_match');
    expect(r.written).toBe(false);
    expect(statSync(f).mtimeMs).toBe(before);
  });

  it('creates a missing file from an empty search block', async () => {
    const f = join(dir, 'new.txt');
    const r = await applyToFile(f, '<<<<<<< SEARCH\n=======\nhello\n>>>>>>> REPLACE\n');
    expect(r.applied).toBe(true);
    expect(readFileSync(f, 'utf8')).toBe('hello\n');
  });
});
