// The keyboard shortcuts: which key press means which command (pure; actions.ts runs the commands).

export type ActionName = 'save' | 'toggle-sidebar' | 'toggle-terminal' | 'quick-open' | 'run-index' | 'open-folder' | 'search' | 'toggle-right';

/** The shortcut a key event stands for, if any. */
export function shortcutOf(e: Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey' | 'key' | 'code'>): ActionName | null {
  const mod = e.ctrlKey || e.metaKey;
  if (!mod) return null;
  const key = e.key.toLowerCase();
  if (e.altKey && !e.shiftKey && e.code === 'KeyI') return 'run-index';
  // VS Code's keys: Ctrl+Shift+F searches the code, Ctrl+Alt+B toggles the secondary (right) sidebar.
  if (e.shiftKey && !e.altKey && e.code === 'KeyF') return 'search';
  if (e.altKey && !e.shiftKey && e.code === 'KeyB') return 'toggle-right';
  if (e.altKey || e.shiftKey) return null;
  if (e.code === 'Backquote' || key === '`') return 'toggle-terminal';
  if (key === 's') return 'save';
  if (key === 'b') return 'toggle-sidebar';
  if (key === 'p') return 'quick-open';
  if (key === 'o') return 'open-folder';
  return null;
}
