// The browser's copy of unsaved edits: keyed by project, forgotten when empty, and a damaged entry ignored.
import { describe, expect, it, vi } from 'vitest';

vi.mock('./editor/documents', () => ({ getModel: () => null, textOf: () => null }));
vi.mock('./stores/editor', () => ({ useEditor: { getState: () => ({ tabs: [] }) } }));

const { clearStash, readStash, stashKey, writeStash } = await import('./unsaved');

function memory() {
  const m = new Map<string, string>();
  return { m, getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
}

describe('unsaved-edit stash', () => {
  it('keeps texts per project and path, and forgets them when there are none', () => {
    const s = memory();
    expect(writeStash('/p/a', { 'README.md': 'x', 'src/a.ts': 'y' }, s)).toBe(2);
    expect(writeStash('/p/b', { 'README.md': 'other' }, s)).toBe(1);
    expect(readStash('/p/a', s)?.files).toEqual({ 'README.md': 'x', 'src/a.ts': 'y' });
    expect(readStash('/p/b', s)?.files).toEqual({ 'README.md': 'other' });
    writeStash('/p/a', {}, s);
    expect(readStash('/p/a', s)).toBeNull();
    clearStash('/p/b', s);
    expect(s.m.size).toBe(0);
  });

  it('ignores a damaged entry', () => {
    const s = memory();
    s.setItem(stashKey('/p'), '{not json');
    expect(readStash('/p', s)).toBeNull();
    s.setItem(stashKey('/p'), JSON.stringify({ at: 1, files: { a: 1, b: 'ok' } }));
    expect(readStash('/p', s)?.files).toEqual({ b: 'ok' });
  });
});
