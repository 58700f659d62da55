// The open project and the recently opened ones, as the server knows them.
import { create } from 'zustand';
import type { ProjectInfo } from '../../shared/api';
import { MiraError, type ErrorInfo } from '../../shared/errors';
import { api } from './connection';

interface ProjectState {
  project: ProjectInfo | null;
  recent: ProjectInfo[];
  recentStatus: 'idle' | 'loading' | 'ready' | 'error';
  recentError: ErrorInfo | null;
  opening: string | null;
  openError: ErrorInfo | null;
  /** Bumped on every project switch, so views keyed on it start fresh. */
  generation: number;
  setProject(p: ProjectInfo | null): void;
  open(root: string): Promise<boolean>;
  loadRecent(): Promise<void>;
}

export const useProject = create<ProjectState>()((set, get) => ({
  project: null,
  recent: [],
  recentStatus: 'idle',
  recentError: null,
  opening: null,
  openError: null,
  generation: 0,
  setProject(project) {
    if (project?.root === get().project?.root) return set({ project });
    set((s) => ({ project, generation: s.generation + 1 }));
  },
  async open(root) {
    const trimmed = root.trim();
    if (!trimmed) {
      set({ openError: { code: 'bad_request', message: 'Enter the path of a folder to open.' } });
      return false;
    }
    set({ opening: trimmed, openError: null });
    try {
      const p = await api().call('project/open', { root: trimmed });
      get().setProject(p);
      set({ opening: null });
      void get().loadRecent();
      return true;
    } catch (e) {
      set({ opening: null, openError: MiraError.from(e).toJSON() });
      return false;
    }
  },
  async loadRecent() {
    set({ recentStatus: 'loading', recentError: null });
    try {
      const r = await api().call('project/recent');
      set({ recent: r.results, recentStatus: 'ready' });
    } catch (e) {
      set({ recentStatus: 'error', recentError: MiraError.from(e).toJSON() });
    }
  },
}));
