// Tests the streaming parser of `git log -z` output: records, renames, binary files, names mode, and chunk boundaries.
import { describe, expect, it } from 'vitest';
import { LogStreamParser, parseRecord, type LogCommit } from './log-parser';

const SHA1 = 'a'.repeat(40);
const SHA2 = 'b'.repeat(40);

function header(sha: string, parents: string, message: string): string {
  return `\x1e${sha}\x1f${parents}\x1fJosé Núñez\x1fJOSE@Example.COM\x1f1700000000\x1f1700000100\x1f${message}\0`;
}

describe('log parser', () => {
  it('reads header fields, message, numstat entries, renames and binary files', () => {
    const rec = header(SHA1, SHA2, 'Fix the thing\n\nLonger body\nwith lines\n') + '\n3\t1\tsrc/a.ts\0-\t-\timg/logo.png\x000\t0\t\0old/name.ts\0new/name.ts\0';
    const c = parseRecord(rec.slice(1), 'numstat')!;
    expect(c.sha).toBe(SHA1);
    expect(c.parents).toEqual([SHA2]);
    expect(c.authorName).toBe('José Núñez');
    expect(c.authorEmail).toBe('jose@example.com');
    expect(c.authoredAt).toBe(1700000000);
    expect(c.committedAt).toBe(1700000100);
    expect(c.subject).toBe('Fix the thing');
    expect(c.body).toBe('Longer body\nwith lines');
    expect(c.files).toEqual([
      { path: 'src/a.ts', oldPath: null, added: 3, deleted: 1 },
      { path: 'img/logo.png', oldPath: null, added: null, deleted: null },
      { path: 'new/name.ts', oldPath: 'old/name.ts', added: 0, deleted: 0 },
    ]);
  });

  it('keeps tabs inside paths and reads names mode', () => {
    const c = parseRecord((header(SHA1, '', 'x') + '\n1\t2\ta\tb.txt\0').slice(1), 'numstat')!;
    expect(c.files[0]!.path).toBe('a\tb.txt');
    const n = parseRecord((header(SHA1, '', 'x') + '\nsrc/a.ts\0src/b.ts\0').slice(1), 'names')!;
    expect(n.files.map((f) => f.path)).toEqual(['src/a.ts', 'src/b.ts']);
    expect(n.files[0]!.added).toBeNull();
  });

  it('handles merges (no entries), several parents and garbage', () => {
    const c = parseRecord(header(SHA1, `${SHA2} ${SHA1}`, 'Merge branch x').slice(1), 'numstat')!;
    expect(c.parents).toHaveLength(2);
    expect(c.files).toEqual([]);
    expect(parseRecord('not a record', 'numstat')).toBeNull();
  });

  it('gives the same commits whatever the chunk boundaries, even inside a multi-byte character', () => {
    const text = header(SHA1, SHA2, 'Ünïcödé 🎉 subject') + '\n1\t1\tdocs/ü.md\0' + header(SHA2, '', 'root') + '\n5\t0\tREADME\0';
    const bytes = Buffer.from(text, 'utf8');
    const whole: LogCommit[] = [];
    const p1 = new LogStreamParser('numstat', (c) => whole.push(c));
    p1.push(bytes);
    p1.end();
    expect(whole.map((c) => c.subject)).toEqual(['Ünïcödé 🎉 subject', 'root']);
    for (let size = 1; size < 12; size++) {
      const got: LogCommit[] = [];
      const p = new LogStreamParser('numstat', (c) => got.push(c));
      for (let i = 0; i < bytes.length; i += size) p.push(bytes.subarray(i, i + size));
      p.end();
      expect(got).toEqual(whole);
    }
  });

  it('does not emit a half record unless end() is called', () => {
    const got: LogCommit[] = [];
    const p = new LogStreamParser('numstat', (c) => got.push(c));
    p.push(Buffer.from(header(SHA1, '', 'one') + '\n1\t1\ta\0' + header(SHA2, '', 'two') + '\n1\t1\tb'));
    expect(got.map((c) => c.subject)).toEqual(['one']);
  });
});
