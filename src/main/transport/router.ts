// Dispatches validated API calls to handlers; every carrier (in-process, WebSocket, IPC) goes through here.
import { events, isMethod, methods, type EventData, type EventName, type MethodName, type ParsedParams, type Result } from '../../shared/api';
import { MiraError } from '../../shared/errors';

export interface CallContext {
  /** Which carrier the call came through; handlers never branch on it for behaviour, only for logs. */
  via: 'in-process' | 'websocket' | 'ipc';
  signal?: AbortSignal;
}

/** A handler for every method: a method without one is a compile error where the handlers are assembled. */
export type Handlers = {
  [M in MethodName]: (params: ParsedParams<M>, ctx: CallContext) => Promise<Result<M>> | Result<M>;
};

type Listener = (event: string, data: unknown) => void;

export class EventBus {
  private readonly listeners = new Set<Listener>();

  emit<E extends EventName>(event: E, data: EventData<E>): void {
    for (const l of [...this.listeners]) {
      try {
        l(event, data);
      } catch {
        // One broken subscriber must not stop the others from hearing the event.
      }
    }
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Validates an event against the contract (tests use this to check what services emit). */
  static validate(event: string, data: unknown): boolean {
    const schema = (events as Record<string, { safeParse(d: unknown): { success: boolean } }>)[event];
    return !!schema && schema.safeParse(data).success;
  }
}

export class Router {
  constructor(private readonly handlers: Handlers) {}

  async call(method: unknown, params: unknown, ctx: CallContext): Promise<unknown> {
    if (!isMethod(method)) throw new MiraError('unknown_method', `unknown method ${JSON.stringify(method)}`, 'see src/shared/api for the list of methods');
    const spec = methods[method];
    const parsed = spec.params.safeParse(params === null ? undefined : params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : 'params';
      throw new MiraError('bad_request', `${method}: ${where}: ${issue?.message ?? 'invalid'}`);
    }
    const handler = this.handlers[method] as (p: unknown, c: CallContext) => unknown;
    return await handler(parsed.data, ctx);
  }
}
