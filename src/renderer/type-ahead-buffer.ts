// Keys typed between Ctrl+P and the quick-open input taking the focus (a busy page can take a while to show it):
// caught here from the moment the shortcut fires, then handed to the input, so none of them lands elsewhere or is lost.

let buffer: string | null = null;
let enter = false;

function onKey(e: KeyboardEvent): void {
  if (buffer === null) return;
  const target = e.target as HTMLElement | null;
  if (target?.closest?.('.quick-open')) return; // the input has it now
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key.length === 1) buffer += e.key;
  else if (e.key === 'Backspace') buffer = buffer.slice(0, -1);
  else if (e.key === 'Enter') enter = true;
  else return;
  e.preventDefault();
  e.stopPropagation();
}

/** Starts catching typed keys (call when the shortcut opens quick open). */
export function startTypeAhead(): void {
  if (buffer === null) window.addEventListener('keydown', onKey, true);
  buffer = '';
  enter = false;
}

/** Stops catching and returns what was typed, and whether Enter was pressed after it. */
export function takeTypeAhead(): { text: string; enter: boolean } {
  const out = { text: buffer ?? '', enter };
  if (buffer !== null) window.removeEventListener('keydown', onKey, true);
  buffer = null;
  enter = false;
  return out;
}
