// The terminal keeps only Ctrl+M (and Tab in "Tab moves focus" mode) from the shell.
import { describe, expect, it } from 'vitest';
import { terminalKeyAction } from './terminal-keys';

const key = (k: string, o: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> & { code?: string } = {}) => ({
  key: k,
  code: o.code ?? (k.length === 1 ? `Key${k.toUpperCase()}` : k),
  ctrlKey: !!o.ctrlKey,
  metaKey: !!o.metaKey,
  shiftKey: !!o.shiftKey,
  altKey: !!o.altKey,
});

describe('terminalKeyAction', () => {
  it('toggles the mode on Ctrl+M, in either mode and on any layout', () => {
    expect(terminalKeyAction(key('m', { ctrlKey: true }), false)).toBe('toggle-tab-focus');
    expect(terminalKeyAction(key('m', { ctrlKey: true }), true)).toBe('toggle-tab-focus');
    expect(terminalKeyAction(key('µ', { ctrlKey: true, code: 'KeyM' }), false)).toBe('toggle-tab-focus');
  });

  it('lets Tab and Shift+Tab move the focus only in the mode', () => {
    expect(terminalKeyAction(key('Tab'), false)).toBeNull();
    expect(terminalKeyAction(key('Tab', { shiftKey: true }), false)).toBeNull();
    expect(terminalKeyAction(key('Tab'), true)).toBe('move-focus');
    expect(terminalKeyAction(key('Tab', { shiftKey: true }), true)).toBe('move-focus');
  });

  it('leaves the keys a shell needs to the shell', () => {
    for (const mode of [false, true]) {
      expect(terminalKeyAction(key('Escape'), mode)).toBeNull();
      expect(terminalKeyAction(key('c', { ctrlKey: true }), mode)).toBeNull();
      expect(terminalKeyAction(key('m'), mode)).toBeNull();
      expect(terminalKeyAction(key('m', { ctrlKey: true, shiftKey: true }), mode)).toBeNull();
      expect(terminalKeyAction(key('m', { ctrlKey: true, altKey: true }), mode)).toBeNull();
      expect(terminalKeyAction(key('Tab', { ctrlKey: true }), mode)).toBeNull();
    }
  });
});
