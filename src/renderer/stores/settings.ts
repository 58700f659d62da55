// Settings: the LLM as the server reports it (llm/status, llm/models), and saving endpoint, model, key, embedder and vector store through settings/set when the server offers it.
import { create } from 'zustand';
import type { ErrorInfo } from '../../shared/errors';
import { callOptional, callUntyped, errorInfo, isUnavailable, type OptionalResult } from '../optional-api';
import { api, useConnection } from './connection';

export type LlmStatus = OptionalResult<'llm/status'>;

/**
 * What the window sends to `settings/set` (not in src/shared yet; see the report of issue 8). The API key travels once
 * and is never kept here: the server stores it (in Electron, the shell with safeStorage).
 */
export interface SettingsPatch {
  openai_base_url?: string;
  model?: string;
  openai_api_key?: string;
  reasoning_effort?: 'none' | 'minimal' | 'low' | 'medium' | 'high';
  embedding_model?: string;
  vector_store?: 'embedded' | 'qdrant';
  qdrant_url?: string;
}

interface SettingsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  llm: LlmStatus | null;
  error: ErrorInfo | null;
  models: string[];
  saving: boolean;
  saveError: ErrorInfo | null;
  /** settings/set answered unknown_method: the form explains how to configure by hand instead. */
  saveUnavailable: boolean;
  savedAt: number | null;
  /** The last save changed something the server only picks up on restart (the embedder, the vector store). */
  restartRequired: boolean;
  load(): Promise<void>;
  loadModels(): Promise<void>;
  save(patch: SettingsPatch): Promise<boolean>;
  reset(): void;
}

export const useSettings = create<SettingsState>()((set, get) => ({
  status: 'idle',
  llm: null,
  error: null,
  models: [],
  saving: false,
  saveError: null,
  saveUnavailable: false,
  savedAt: null,
  restartRequired: false,
  async load() {
    set({ status: get().llm ? 'ready' : 'loading', error: null });
    try {
      const llm = await callOptional('llm/status');
      set({ status: 'ready', llm });
      if (llm.configured) void get().loadModels();
    } catch (e) {
      set({ status: 'error', error: errorInfo(e) });
    }
  },
  async loadModels() {
    try {
      const r = await callOptional('llm/models');
      set({ models: r.results.map((m) => m.id).sort() });
    } catch {
      // Suggestions only: an endpoint without /models leaves the field free text.
      set({ models: [] });
    }
  },
  async save(patch) {
    set({ saving: true, saveError: null });
    try {
      const r = (await callUntyped('settings/set', patch as Record<string, unknown>)) as { restart_required?: unknown } | null;
      set({ saving: false, savedAt: Date.now(), restartRequired: r?.restart_required === true });
      // The server's view changed (llm on or off): app/info and llm/status say so.
      const info = await api().call('app/info').catch(() => null);
      if (info) useConnection.setState({ info });
      await get().load();
      return true;
    } catch (e) {
      const err = errorInfo(e);
      set({ saving: false, saveError: isUnavailable(err) ? null : err, saveUnavailable: isUnavailable(err) });
      return false;
    }
  },
  reset() {
    set({ status: 'idle', llm: null, error: null, models: [], saveError: null, savedAt: null, restartRequired: false });
  },
}));
