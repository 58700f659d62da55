// The panel registry: each panel (files, search, chat, code, build, memory...) declares where it lives.
import type { ComponentType } from 'react';

/** side: left of the editor; right: the secondary sidebar (chat, code intelligence); bottom: under the editor. */
export type PanelArea = 'side' | 'bottom' | 'right';

export interface PanelDef {
  /** Stable id, used in the layout store and in test selectors. */
  id: string;
  title: string;
  area: PanelArea;
  /** Position among the area's tabs, lowest first. */
  order: number;
  component: ComponentType;
  /** Keep the panel mounted while hidden (a terminal must not lose its session when another tab is shown). */
  keepMounted?: boolean;
  /** Shown as a hint on the tab, e.g. "Ctrl+`". */
  shortcut?: string;
}

const panels = new Map<string, PanelDef>();
const listeners = new Set<() => void>();

export function registerPanel(def: PanelDef): void {
  if (panels.has(def.id)) throw new Error(`panel ${def.id} is registered twice`);
  panels.set(def.id, def);
  for (const l of listeners) l();
}

export function panelsIn(area: PanelArea): PanelDef[] {
  return [...panels.values()].filter((p) => p.area === area).sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
}

export function getPanel(id: string): PanelDef | undefined {
  return panels.get(id);
}

/** For a view that must re-render when a panel registers late (a lazily loaded capability). */
export function onPanelsChanged(cb: () => void): () => void {
  listeners.add(cb);
  return () => listeners.delete(cb);
}
