// The user's settings as the app edits them: config.json for plain values, a secret store (the desktop app's
// safeStorage) for the key, or this process's memory when there is none. The key is never written in plain text.
import { readConfigFile, writeConfigFile } from './config';
import { registerSecret } from './log';
import type { MiraConfig } from '../shared/config';

export interface SecretStore {
  kind: 'safe-storage';
  set(name: string, value: string | null): void;
}

export interface SettingsView {
  openai_base_url: string | null;
  model: string;
  reasoning_effort: string;
  embedding_model: string;
  vector_store: 'embedded' | 'qdrant';
  qdrant_url: string | null;
  api_key_set: boolean;
  key_storage: 'safe-storage' | 'session';
  build_command: string | null;
  test_command: string | null;
}

export type SettingsPatch = Partial<{
  openai_base_url: string | null;
  model: string;
  openai_api_key: string | null;
  reasoning_effort: MiraConfig['reasoningEffort'];
  embedding_model: string;
  vector_store: 'embedded' | 'qdrant';
  qdrant_url: string | null;
  build_command: string | null;
  test_command: string | null;
}>;

export function viewSettings(config: MiraConfig, secrets: SecretStore | null): SettingsView {
  return {
    openai_base_url: config.openaiBaseUrl ?? null,
    model: config.model,
    reasoning_effort: config.reasoningEffort,
    embedding_model: config.embeddingModel,
    vector_store: config.qdrantUrl ? 'qdrant' : 'embedded',
    qdrant_url: config.qdrantUrl ?? null,
    api_key_set: !!config.openaiApiKey,
    key_storage: secrets ? 'safe-storage' : 'session',
    build_command: config.buildCommand ?? null,
    test_command: config.testCommand ?? null,
  };
}

/**
 * Applies a patch: plain values go to config.json (and to the live config), the key to the secret store or memory.
 * Returns whether services made at start-up need a restart to see it: the embedder and the vector store do; the LLM
 * settings (endpoint, model, effort, key) do not, the caller reloads them (reloadLlmSettings) for the next call.
 */
export function applySettings(config: MiraConfig, patch: SettingsPatch, secrets: SecretStore | null): { restartRequired: boolean } {
  const file: Record<string, unknown> = {};
  let restart = false;
  const none = (v: string | null | undefined) => (v === null || v === '' ? undefined : v);
  if (patch.openai_base_url !== undefined) {
    file.openaiBaseUrl = none(patch.openai_base_url);
    config.openaiBaseUrl = none(patch.openai_base_url);
  }
  if (patch.model !== undefined) {
    file.model = patch.model;
    config.model = patch.model;
  }
  if (patch.reasoning_effort !== undefined) {
    file.reasoningEffort = patch.reasoning_effort;
    config.reasoningEffort = patch.reasoning_effort;
  }
  if (patch.embedding_model !== undefined) {
    file.embeddingModel = patch.embedding_model;
    config.embeddingModel = patch.embedding_model;
    restart = true;
  }
  if (patch.vector_store === 'embedded' || patch.qdrant_url !== undefined) {
    const url = patch.vector_store === 'embedded' ? undefined : none(patch.qdrant_url ?? undefined);
    file.qdrantUrl = url;
    config.qdrantUrl = url;
    restart = true;
  }
  if (patch.build_command !== undefined) {
    file.buildCommand = none(patch.build_command);
    config.buildCommand = none(patch.build_command);
  }
  if (patch.test_command !== undefined) {
    file.testCommand = none(patch.test_command);
    config.testCommand = none(patch.test_command);
  }
  if (Object.keys(file).length) {
    const current = readConfigFile(config.home);
    writeConfigFile(config.home, { ...file, openaiApiKey: current.openaiApiKey });
  }
  if (patch.openai_api_key !== undefined) {
    const key = none(patch.openai_api_key);
    registerSecret(key);
    secrets?.set('openaiApiKey', key ?? null);
    config.openaiApiKey = key;
  }
  return { restartRequired: restart };
}
