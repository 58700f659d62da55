// The editor that keyboard focus returns to; kept apart from MonacoHost so callers do not load Monaco to move focus.
import { useEditor } from '../stores/editor';

interface FocusTarget {
  focus(): void;
  getModel(): unknown;
}

let current: FocusTarget | null = null;
// A focus request made before the editor could take it (Monaco still loading, or no file shown yet), and when.
let pendingSince: number | null = null;
const PENDING_MS = 3000;

export function setFocusTarget(editor: FocusTarget | null): void {
  current = editor;
}

export function isFocusTarget(editor: FocusTarget): boolean {
  return current === editor;
}

/** For the editor once it shows a file: whether a recent focusEditor() is still waiting for it. */
export function takePendingFocus(): boolean {
  const wanted = pendingSince !== null && performance.now() - pendingSince < PENDING_MS;
  pendingSince = null;
  return wanted;
}

/** Moves keyboard focus into the editor (after quick open, for instance), or into it as soon as it shows the file. */
export function focusEditor(): void {
  requestAnimationFrame(() => {
    // An editor without a file cannot take the focus; the first file opened also waits for Monaco to load.
    if (current?.getModel()) current.focus();
    // Only while a file is on its way: with no file open there is nothing to wait for.
    else if (useEditor.getState().active) pendingSince = performance.now();
  });
}
