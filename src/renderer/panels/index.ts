// The built-in panels; a new capability adds one line here (or calls registerPanel from its own module).
import { registerPanel } from './registry';
import { FilesPanel } from './FilesPanel';
import { TerminalPanel } from './TerminalPanel';
import { ActivityPanel } from './ActivityPanel';

let registered = false;

export function registerBuiltinPanels(): void {
  if (registered) return;
  registered = true;
  registerPanel({ id: 'files', title: 'Files', area: 'side', order: 10, component: FilesPanel, shortcut: 'Ctrl+B' });
  registerPanel({ id: 'terminal', title: 'Terminal', area: 'bottom', order: 10, component: TerminalPanel, keepMounted: true, shortcut: 'Ctrl+`' });
  registerPanel({ id: 'activity', title: 'Activity', area: 'bottom', order: 90, component: ActivityPanel });
}
