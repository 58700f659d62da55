// The full integrity check on open runs when it can find something: after a process died with the database open,
// and once a day; a clean close leaves nothing behind that would trigger it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/git-repo';
import { endSession, needsCheck, openDb } from './open';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function fresh(): string {
  const dir = tempDir('mira-sessions-');
  dirs.push(dir);
  const file = path.join(dir, 'mira.db');
  const { db } = openDb(file);
  db.prepare(`INSERT INTO settings (scope, key, value) VALUES ('', 'k', 'v')`).run();
  db.close();
  endSession(file);
  return file;
}

describe('integrity check on open', () => {
  it('a clean close leaves no marker, and the next open skips the check', () => {
    const file = fresh();
    const { db } = openDb(file); // the first reopen checks (no stamp yet) and stamps
    expect(fs.existsSync(`${file}.checked`)).toBe(true);
    expect(fs.readdirSync(`${file}.sessions`)).toEqual([String(process.pid)]);
    db.close();
    endSession(file);
    expect(fs.readdirSync(`${file}.sessions`)).toEqual([]);
    expect(needsCheck(file)).toBe(false);
  });

  it('a marker left by a process that died asks for the check, which settles it', () => {
    const file = fresh();
    openDb(file).db.close();
    endSession(file);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    fs.writeFileSync(path.join(`${file}.sessions`, String(dead)), '');
    expect(needsCheck(file)).toBe(true);
    const { db } = openDb(file);
    db.close();
    endSession(file);
    expect(fs.readdirSync(`${file}.sessions`)).toEqual([]);
    expect(needsCheck(file)).toBe(false);
  });

  it('checks again after a day', () => {
    const file = fresh();
    openDb(file).db.close();
    endSession(file);
    const old = new Date(Date.now() - 2 * 86_400_000);
    fs.utimesSync(`${file}.checked`, old, old);
    expect(needsCheck(file)).toBe(true);
  });

  it('after an unclean end, a damaged page is reported on open with the way to repair', () => {
    const file = fresh();
    openDb(file).db.close();
    endSession(file);
    const ro = new Database(file, { readonly: true });
    const { rootpage } = ro.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'settings'`).get() as { rootpage: number };
    const size = ro.pragma('page_size', { simple: true }) as number;
    ro.close();
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(size, 0x33), 0, size, (rootpage - 1) * size);
    fs.closeSync(fd);
    fs.writeFileSync(path.join(`${file}.sessions`, String(spawnSync(process.execPath, ['-e', '0']).pid!)), '');
    expect(() => openDb(file)).toThrow(/damaged/);
  });
});
