// The app's commands, shared by keyboard shortcuts, the native menu (Electron) and buttons.
import type { MenuCommand } from './bridge';
import { focusEditor } from './editor/focus';
import { bridge } from './stores/connection';
import { useEditor } from './stores/editor';
import { useIndexing } from './stores/indexing';
import { useLayout } from './stores/layout';
import { useProject } from './stores/project';
import { shortcutOf, type ActionName } from './shortcuts';
import { startTypeAhead } from './type-ahead-buffer';

export type { ActionName };

function focusTerminal(): void {
  requestAnimationFrame(() => document.querySelector<HTMLTextAreaElement>('.terminal-host .xterm-helper-textarea')?.focus());
}

type Source = 'key' | 'menu' | 'ui';
const recent = new Map<ActionName, { at: number; source: Source }>();

export function runAction(name: ActionName, source: Source = 'ui'): void {
  // Where both a menu accelerator and the page see one key press, act once; two real presses in a row both count.
  const now = performance.now();
  const prev = recent.get(name);
  recent.set(name, { at: now, source });
  if (prev && prev.source !== source && source !== 'ui' && prev.source !== 'ui' && now - prev.at < 250) return;

  const hasProject = !!useProject.getState().project && !useLayout.getState().projectPicker;
  const layout = useLayout.getState();
  switch (name) {
    case 'open-folder': {
      const b = bridge();
      if (b) {
        void b.openFolder().then(async (root) => {
          if (root && (await useProject.getState().open(root))) layout.setProjectPicker(false);
        });
      } else layout.setProjectPicker(true);
      return;
    }
    case 'save':
      if (hasProject) void useEditor.getState().save();
      return;
    case 'toggle-sidebar':
      if (hasProject) layout.toggleSidebar();
      return;
    case 'toggle-terminal':
      if (!hasProject) return;
      if (layout.bottomVisible && layout.bottomPanel === 'terminal') {
        layout.toggleBottom();
        focusEditor();
      } else {
        layout.showPanel('bottom', 'terminal');
        focusTerminal();
      }
      return;
    case 'quick-open':
      if (!hasProject) return;
      if (!layout.quickOpen) startTypeAhead();
      layout.setQuickOpen(!layout.quickOpen);
      return;
    case 'run-index':
      if (hasProject) void useIndexing.getState().run();
      return;
    case 'search':
      if (!hasProject) return;
      layout.showPanel('side', 'search');
      requestAnimationFrame(() => document.querySelector<HTMLInputElement>('[data-testid="search-input"]')?.focus());
      return;
    case 'toggle-right':
      if (hasProject) layout.toggleRight();
      return;
  }
}

/** Installs the global shortcuts in the capture phase, so they work inside Monaco and the terminal too. */
export function installShortcuts(): () => void {
  const onKey = (e: KeyboardEvent) => {
    const action = shortcutOf(e);
    if (!action) return;
    e.preventDefault();
    e.stopPropagation();
    runAction(action, 'key');
  };
  window.addEventListener('keydown', onKey, true);
  return () => window.removeEventListener('keydown', onKey, true);
}

export function onMenuCommand(cmd: MenuCommand): void {
  if (cmd.command === 'open-folder') {
    void useProject.getState().open(cmd.root).then((ok) => ok && useLayout.getState().setProjectPicker(false));
    return;
  }
  runAction(cmd.command, 'menu');
}
