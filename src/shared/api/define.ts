// Helpers for declaring API methods and events as runtime schemas whose types are inferred from them.
import type { z } from 'zod';

export interface MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  params: P;
  result: R;
  /** Methods with side effects on the user's files or machine (the assistant must ask before calling them). */
  sideEffect?: boolean;
}

export function method<P extends z.ZodType, R extends z.ZodType>(params: P, result: R, opts: { sideEffect?: boolean } = {}): MethodSpec<P, R> {
  return { params, result, ...opts };
}
