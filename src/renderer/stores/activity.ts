// The activity log: activity/log events as the server pushes them, newest last, bounded.
import { create } from 'zustand';
import type { EventData } from '../../shared/api';

const MAX = 500;

interface ActivityState {
  entries: EventData<'activity/log'>[];
  add(e: EventData<'activity/log'>): void;
  clear(): void;
}

export const useActivity = create<ActivityState>()((set) => ({
  entries: [],
  add: (e) => set((s) => ({ entries: s.entries.length >= MAX ? [...s.entries.slice(-MAX + 1), e] : [...s.entries, e] })),
  clear: () => set({ entries: [] }),
}));
