// Layout state: which areas are visible and which panel each area shows.
import { create } from 'zustand';

interface LayoutState {
  sidebarVisible: boolean;
  bottomVisible: boolean;
  sidePanel: string;
  bottomPanel: string;
  quickOpen: boolean;
  projectPicker: boolean;
  sidebarWidth: number;
  bottomHeight: number;
  resize(which: 'sidebar' | 'bottom', px: number): void;
  toggleSidebar(): void;
  toggleBottom(): void;
  showPanel(area: 'side' | 'bottom', id: string): void;
  setQuickOpen(open: boolean): void;
  setProjectPicker(open: boolean): void;
}

export const useLayout = create<LayoutState>()((set) => ({
  sidebarVisible: true,
  bottomVisible: true,
  sidePanel: 'files',
  bottomPanel: 'terminal',
  quickOpen: false,
  projectPicker: false,
  sidebarWidth: 260,
  bottomHeight: 240,
  resize: (which, px) =>
    set(which === 'sidebar' ? { sidebarWidth: Math.round(Math.min(Math.max(px, 160), 640)) } : { bottomHeight: Math.round(Math.min(Math.max(px, 100), 900)) }),
  toggleSidebar: () => set((s) => ({ sidebarVisible: !s.sidebarVisible })),
  toggleBottom: () => set((s) => ({ bottomVisible: !s.bottomVisible })),
  showPanel: (area, id) => set(area === 'side' ? { sidePanel: id, sidebarVisible: true } : { bottomPanel: id, bottomVisible: true }),
  setQuickOpen: (quickOpen) => set({ quickOpen }),
  setProjectPicker: (projectPicker) => set({ projectPicker }),
}));
