// The LLM capability's public face: one LlmService and Assistant per Mira instance, plus the types other capabilities use (tools, context providers, the analysis cache).
import type { Logger } from 'pino';
import type { MiraConfig } from '../../shared/config';
import type { Db } from '../db/open';
import { memoryFor, type Memory } from '../memory';
import { Assistant, type AssistantEvents } from './chat';
import type { PromptProject } from './prompts';
import { LlmService, type LlmCallEvent } from './service';
import { loadLlmSettings } from './settings';

export * from './analysis';
export * from './budget';
export * from './cache';
export * from './canonical';
export * from './chat';
export * from './context';
export * from './models';
export * from './provider';
export * from './service';
export * from './settings';
export * from './tools';

/** What the LLM layer needs from its host (Mira): storage, live config, events, logs and the open project. */
export interface LlmHost {
  db: Db;
  config: MiraConfig;
  log?: Pick<Logger, 'info' | 'warn' | 'debug'>;
  emit(event: string, data: unknown): void;
  project(): (PromptProject & { id: number }) | null;
}

export interface LlmServices {
  llm: LlmService;
  assistant: Assistant;
  memory: Memory;
}

const byHost = new WeakMap<object, LlmServices>();
const hostOf = new WeakMap<object, LlmHost>();

/**
 * The services of one Mira instance, made on first use. `key` is the Mira object; the host is built only once.
 * Limits are read live from config, so `mira budget set` and llm/setLimits apply to calls already under way.
 */
export function llmServicesFor(key: object, makeHost: () => LlmHost): LlmServices {
  let s = byHost.get(key);
  if (s) return s;
  const host = makeHost();
  const settings = loadLlmSettings(host.config);
  const llm = new LlmService({
    db: host.db,
    settings,
    limits: () => ({ dailyUsd: host.config.dailyLimitUsd, monthlyUsd: host.config.monthlyLimitUsd }),
    emit: (event, data: LlmCallEvent) => host.emit(event, data),
    log: host.log,
  });
  const memory = memoryFor(host.db);
  const events: AssistantEvents = { emit: (event: string, data: unknown) => host.emit(event, data) };
  const assistant = new Assistant({ llm, memory, settings, events, project: host.project, log: host.log });
  s = { llm, assistant, memory };
  byHost.set(key, s);
  hostOf.set(key, host);
  return s;
}

/**
 * Re-reads the LLM settings from the live config after settings/set: model, endpoint, key and effort apply to the
 * next call. The settings object is shared by the service and the assistant and is updated in place; the service
 * makes a new client when the endpoint, key or timeouts differ from the one it holds. Nothing to do before first use.
 */
export function reloadLlmSettings(key: object): void {
  const s = byHost.get(key);
  const host = hostOf.get(key);
  if (!s || !host) return;
  Object.assign(s.llm.settings, loadLlmSettings(host.config));
}
