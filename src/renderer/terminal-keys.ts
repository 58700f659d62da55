// Which key presses the terminal keeps from the shell: Ctrl+M toggles "Tab moves focus", and in that mode Tab leaves (pure).

/** The key that toggles the mode, as VS Code binds it (the shell loses Ctrl+M, which is only another Enter there). */
export const TAB_FOCUS_KEY = 'Ctrl+M';

export type TerminalKeyAction = 'toggle-tab-focus' | 'move-focus' | null;

/**
 * What a key event in the terminal means to the app rather than the shell. 'move-focus': let the browser move the
 * focus (Tab or Shift+Tab while the mode is on); null: the shell gets the key.
 */
export function terminalKeyAction(e: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>, tabMovesFocus: boolean): TerminalKeyAction {
  if (e.ctrlKey && !e.metaKey && !e.shiftKey && !e.altKey && (e.code === 'KeyM' || e.key.toLowerCase() === 'm')) return 'toggle-tab-focus';
  if (tabMovesFocus && e.key === 'Tab' && !e.ctrlKey && !e.metaKey && !e.altKey) return 'move-focus';
  return null;
}
