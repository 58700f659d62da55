// LLM spend against the limits (llm/budget), refreshed after each LLM call, and the limits themselves (llm/setLimits).
import { create } from 'zustand';
import type { ErrorInfo } from '../../shared/errors';
import { callOptional, errorInfo, type OptionalResult } from '../optional-api';

export type Budget = OptionalResult<'llm/budget'>;

interface BudgetState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  budget: Budget | null;
  error: ErrorInfo | null;
  saving: boolean;
  saveError: ErrorInfo | null;
  /** Env variables that override what was saved (the config file loses to them). */
  overriddenByEnv: string[];
  load(): Promise<void>;
  setLimits(limits: { daily_usd?: number; monthly_usd?: number }): Promise<boolean>;
  reset(): void;
}

export const useBudget = create<BudgetState>()((set, get) => ({
  status: 'idle',
  budget: null,
  error: null,
  saving: false,
  saveError: null,
  overriddenByEnv: [],
  async load() {
    if (get().status === 'loading') return;
    set({ status: get().budget ? 'ready' : 'loading', error: null });
    try {
      const budget = await callOptional('llm/budget', { days: 30 });
      set({ status: 'ready', budget });
    } catch (e) {
      set({ status: 'error', error: errorInfo(e) });
    }
  },
  async setLimits(limits) {
    set({ saving: true, saveError: null });
    try {
      const r = await callOptional('llm/setLimits', limits);
      set({ saving: false, overriddenByEnv: r.overridden_by_env });
      await get().load();
      return true;
    } catch (e) {
      set({ saving: false, saveError: errorInfo(e) });
      return false;
    }
  },
  reset() {
    set({ status: 'idle', budget: null, error: null, saveError: null });
  },
}));
