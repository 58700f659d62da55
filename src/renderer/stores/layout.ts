// Layout state: which areas are visible and which panel each area shows, and whether the window is too narrow to dock the right sidebar.
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
  /** The window is narrower than NARROW_WIDTH: the right sidebar is an overlay, closed unless asked for. */
  narrow: boolean;
  /** Whether the right sidebar was docked open before the window became narrow (restored when it widens). */
  rightWhenWide: boolean;
  setNarrow(narrow: boolean): void;
  resize(which: 'sidebar' | 'bottom' | 'right', px: number): void;
  toggleSidebar(): void;
  toggleBottom(): void;
  toggleRight(): void;
  showPanel(area: 'side' | 'bottom' | 'right', id: string): void;
  setQuickOpen(open: boolean): void;
  setProjectPicker(open: boolean): void;
}

/**
 * Below this width a docked right sidebar (380 px) next to the sidebar (260 px) leaves the editor too little room
 * (about 330 px at 1024), so the right sidebar becomes an overlay.
 */
export const NARROW_WIDTH = 1200;

// Decided before the first render, so a small window never flashes the docked sidebar.
const startsNarrow = typeof window !== 'undefined' && window.innerWidth < NARROW_WIDTH;

export const useLayout = create<LayoutState>()((set) => ({
  sidebarVisible: true,
  bottomVisible: true,
  rightVisible: !startsNarrow,
  sidePanel: 'files',
  bottomPanel: 'terminal',
  rightPanel: 'chat',
  quickOpen: false,
  projectPicker: false,
  sidebarWidth: 260,
  bottomHeight: 260,
  rightWidth: 380,
  narrow: startsNarrow,
  rightWhenWide: true,
  setNarrow: (narrow) =>
    set((s) => {
      if (s.narrow === narrow) return {};
      return narrow ? { narrow, rightWhenWide: s.rightVisible, rightVisible: false } : { narrow, rightVisible: s.rightWhenWide };
    }),
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
