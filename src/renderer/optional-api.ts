// Calls to API methods that a server may not have wired yet (llm, memory, tools): typed from their contract files, and a missing one reported as "not available", never as a crash.
import type { llmEvents, llmMethods } from '../shared/api/llm';
import type { memoryMethods } from '../shared/api/memory';
import { MiraError, type ErrorInfo } from '../shared/errors';
import { api } from './stores/connection';

// The renderer may not import zod (layering rule), so the schemas' types are read from their internals instead of z.input/z.output.
type In<T> = T extends { _zod: { input: infer I } } ? I : never;
type Out<T> = T extends { _zod: { output: infer O } } ? O : never;

type Specs = typeof llmMethods & typeof memoryMethods;
export type OptionalMethod = keyof Specs;
export type OptionalParams<M extends OptionalMethod> = In<Specs[M]['params']>;
export type OptionalResult<M extends OptionalMethod> = Out<Specs[M]['result']>;
export type OptionalEvent = keyof typeof llmEvents;
export type OptionalEventData<E extends OptionalEvent> = Out<(typeof llmEvents)[E]>;

/** Calls a method of the llm or memory contract whether or not src/shared/api/index.ts exports it yet. */
export async function callOptional<M extends OptionalMethod>(method: M, params?: OptionalParams<M>): Promise<OptionalResult<M>> {
  return (await api().transport.request(method, params)) as OptionalResult<M>;
}

/** Calls a method that has no contract in src/shared yet (the tools dashboard); the caller checks the shape it gets. */
export async function callUntyped(method: string, params?: Record<string, unknown>): Promise<unknown> {
  return api().transport.request(method, params);
}

/** Subscribes to an llm event (chat/delta, chat/done, llm/call...) by name. */
export function onOptional<E extends OptionalEvent>(event: E, cb: (data: OptionalEventData<E>) => void): () => void {
  return api().transport.subscribe((name, data) => {
    if (name === event) cb(data as OptionalEventData<E>);
  });
}

/** The server has no such method: the capability is not wired into this build (not a failure of the call). */
export function isUnavailable(e: ErrorInfo | null | undefined): boolean {
  return e?.code === 'unknown_method';
}

export function errorInfo(e: unknown): ErrorInfo {
  return MiraError.from(e).toJSON();
}
