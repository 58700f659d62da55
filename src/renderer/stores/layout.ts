// Layout state: which areas are visible and which panel each area shows.
import { create } from 'zustand';

interface LayoutState {
  sidebarVisible: boolean;
  bottomVisible: boolean;
  rightVisible: boolean;
  sidePanel: string;
  bottomPanel: string;
  rightPanel: string;
  quickOpen: boolean;
  projectPicker: boolean;
  sidebarWidth: number;
  bottomHeight: number;
  rightWidth: number;
  resize(which: 'sidebar' | 'bottom' | 'right', px: number): void;
  toggleSidebar(): void;
  toggleBottom(): void;
  toggleRight(): void;
  showPanel(area: 'side' | 'bottom' | 'right', id: string): void;
  setQuickOpen(open: boolean): void;
  setProjectPicker(open: boolean): void;
}

export const useLayout = create<LayoutState>()((set) => ({
  sidebarVisible: true,
  bottomVisible: true,
  rightVisible: true,
  sidePanel: 'files',
  bottomPanel: 'terminal',
  rightPanel: 'chat',
  quickOpen: false,
  projectPicker: false,
  sidebarWidth: 260,
  bottomHeight: 260,
  rightWidth: 380,
  resize: (which, px) =>
    set(
      which === 'sidebar'
        ? { sidebarWidth: Math.round(Math.min(Math.max(px, 160), 640)) }
        : which === 'right'
          ? { rightWidth: Math.round(Math.min(Math.max(px, 240), 900)) }
          : { bottomHeight: Math.round(Math.min(Math.max(px, 100), 900)) },
    ),
  toggleSidebar: () => set((s) => ({ sidebarVisible: !s.sidebarVisible })),
  toggleBottom: () => set((s) => ({ bottomVisible: !s.bottomVisible })),
  toggleRight: () => set((s) => ({ rightVisible: !s.rightVisible })),
  showPanel: (area, id) =>
    set(area === 'side' ? { sidePanel: id, sidebarVisible: true } : area === 'right' ? { rightPanel: id, rightVisible: true } : { bottomPanel: id, bottomVisible: true }),
  setQuickOpen: (quickOpen) => set({ quickOpen }),
  setProjectPicker: (projectPicker) => set({ projectPicker }),
}));
