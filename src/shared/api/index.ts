// The one typed API: every method ('domain/verb') and pushed event, as runtime schemas with inferred types.
import type { z } from 'zod';
import { coreEvents, coreMethods } from './core';
import { codeEvents, codeMethods } from './code';
import { gitEvents, gitMethods } from './git';
import { buildEvents, buildMethods } from './build';
import { oracleEvents, oracleMethods } from './oracle';
import { applyEvents, applyMethods } from './apply';
import { llmEvents, llmMethods } from './llm';
import { memoryEvents, memoryMethods } from './memory';
import { opsEvents, opsMethods } from './ops';
import { docsEvents, docsMethods } from './docs';
import { toolsEvents, toolsMethods } from './tools';
import { codemapEvents, codemapMethods } from './codemap';

export const methods = {
  ...coreMethods,
  ...codeMethods,
  ...gitMethods,
  ...buildMethods,
  ...oracleMethods,
  ...applyMethods,
  ...llmMethods,
  ...memoryMethods,
  ...opsMethods,
  ...docsMethods,
  ...toolsMethods,
  ...codemapMethods,
};

export const events = {
  ...coreEvents,
  ...codeEvents,
  ...gitEvents,
  ...buildEvents,
  ...oracleEvents,
  ...applyEvents,
  ...llmEvents,
  ...memoryEvents,
  ...opsEvents,
  ...docsEvents,
  ...toolsEvents,
  ...codemapEvents,
};

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type Params<M extends MethodName> = z.input<Methods[M]['params']>;
/** Params after validation and defaults, as handlers receive them. */
export type ParsedParams<M extends MethodName> = z.output<Methods[M]['params']>;
export type Result<M extends MethodName> = z.output<Methods[M]['result']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventData<E extends EventName> = z.output<Events[E]>;

export const METHOD_NAMES = Object.keys(methods) as MethodName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isMethod(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}

export * from './core';
export * from './code';
export * from './git';
export * from './build';
export * from './oracle';
export * from './apply';
export * from './llm';
export * from './memory';
export * from './ops';
export * from './docs';
export * from './tools';
export * from './codemap';
