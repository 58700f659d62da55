// The built-in panels; a new capability adds one line here (or calls registerPanel from its own module).
import { registerPanel } from './registry';
import { FilesPanel } from './FilesPanel';
import { SearchPanel } from './SearchPanel';
import { CochangePanel } from './CochangePanel';
import { ChatPanel } from './ChatPanel';
import { CodePanel } from './CodePanel';
import { TerminalPanel } from './TerminalPanel';
import { BuildPanel } from './BuildPanel';
import { OpsPanel } from './OpsPanel';
import { ActivityPanel } from './ActivityPanel';
import { MemoryPanel } from './MemoryPanel';
import { DocumentsPanel } from './DocumentsPanel';
import { ToolsPanel } from './ToolsPanel';
import { BudgetPanel } from './BudgetPanel';
import { SettingsPanel } from './SettingsPanel';
import { CodeMapPanel } from './CodeMapPanel';

let registered = false;

export function registerBuiltinPanels(): void {
  if (registered) return;
  registered = true;
  registerPanel({ id: 'files', title: 'Files', area: 'side', order: 10, component: FilesPanel, shortcut: 'Ctrl+B' });
  registerPanel({ id: 'search', title: 'Search', area: 'side', order: 20, component: SearchPanel, shortcut: 'Ctrl+Shift+F' });
  registerPanel({ id: 'cochange', title: 'Co-change', area: 'side', order: 30, component: CochangePanel });
  registerPanel({ id: 'chat', title: 'Chat', area: 'right', order: 10, component: ChatPanel, shortcut: 'Ctrl+Alt+B' });
  registerPanel({ id: 'code', title: 'Code', area: 'right', order: 20, component: CodePanel });
  registerPanel({ id: 'terminal', title: 'Terminal', area: 'bottom', order: 10, component: TerminalPanel, keepMounted: true, shortcut: 'Ctrl+`' });
  registerPanel({ id: 'build', title: 'Build', area: 'bottom', order: 20, component: BuildPanel });
  registerPanel({ id: 'ops', title: 'Operations', area: 'bottom', order: 25, component: OpsPanel });
  registerPanel({ id: 'codemap', title: 'Code map', area: 'bottom', order: 27, component: CodeMapPanel });
  registerPanel({ id: 'activity', title: 'Activity', area: 'bottom', order: 30, component: ActivityPanel });
  registerPanel({ id: 'memory', title: 'Memory', area: 'bottom', order: 40, component: MemoryPanel });
  registerPanel({ id: 'docs', title: 'Documents', area: 'bottom', order: 45, component: DocumentsPanel });
  registerPanel({ id: 'tools', title: 'Tools', area: 'bottom', order: 50, component: ToolsPanel });
  registerPanel({ id: 'budget', title: 'Budget', area: 'bottom', order: 60, component: BudgetPanel });
  registerPanel({ id: 'settings', title: 'Settings', area: 'bottom', order: 70, component: SettingsPanel });
}
