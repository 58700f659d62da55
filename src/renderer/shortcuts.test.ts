// Which key presses are the app's shortcuts (Ctrl or Cmd), and which are left to the editor and the shell.
import { describe, expect, it } from 'vitest';
import { shortcutOf } from './shortcuts';

const key = (k: string, o: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> & { code?: string } = {}) => ({
  key: k,
  code: o.code ?? `Key${k.toUpperCase()}`,
  ctrlKey: !!o.ctrlKey,
  metaKey: !!o.metaKey,
  shiftKey: !!o.shiftKey,
  altKey: !!o.altKey,
});

describe('shortcutOf', () => {
  it('maps the basic shortcuts with Ctrl and with Cmd', () => {
    expect(shortcutOf(key('s', { ctrlKey: true }))).toBe('save');
    expect(shortcutOf(key('s', { metaKey: true }))).toBe('save');
    expect(shortcutOf(key('b', { ctrlKey: true }))).toBe('toggle-sidebar');
    expect(shortcutOf(key('p', { ctrlKey: true }))).toBe('quick-open');
    expect(shortcutOf(key('o', { ctrlKey: true }))).toBe('open-folder');
    expect(shortcutOf(key('`', { ctrlKey: true, code: 'Backquote' }))).toBe('toggle-terminal');
    // A non-US layout still reports the physical key.
    expect(shortcutOf(key('ö', { ctrlKey: true, code: 'Backquote' }))).toBe('toggle-terminal');
    expect(shortcutOf(key('i', { ctrlKey: true, altKey: true }))).toBe('run-index');
    expect(shortcutOf(key('F', { ctrlKey: true, shiftKey: true }))).toBe('search');
    expect(shortcutOf(key('b', { ctrlKey: true, altKey: true }))).toBe('toggle-right');
  });

  it('leaves other keys to Monaco and the shell', () => {
    expect(shortcutOf(key('s'))).toBeNull();
    expect(shortcutOf(key('c', { ctrlKey: true }))).toBeNull();
    expect(shortcutOf(key('s', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(shortcutOf(key('p', { ctrlKey: true, altKey: true }))).toBeNull();
  });
});
