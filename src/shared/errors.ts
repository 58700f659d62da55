// The one error shape that crosses every boundary: a stable code, a message for people, and a hint saying what to do.

export type ErrorCode =
  | 'bad_request'
  | 'bad_usage'
  | 'not_found'
  | 'unknown_method'
  | 'path_outside_root'
  | 'conflict'
  | 'too_large'
  | 'binary_file'
  | 'not_a_directory'
  | 'not_a_git_repo'
  | 'db_newer'
  | 'db_migration_changed'
  | 'db_corrupt'
  | 'config_invalid'
  | 'budget_exceeded'
  | 'llm_not_configured'
  | 'llm_error'
  | 'llm_unreachable'
  | 'llm_model_not_found'
  | 'unauthorized'
  | 'rate_limited'
  | 'cancelled'
  | 'timeout'
  | 'refused'
  | 'internal';

export interface ErrorInfo {
  code: ErrorCode | string;
  message: string;
  hint?: string;
}

export class MiraError extends Error {
  readonly code: ErrorCode | string;
  readonly hint?: string;
  constructor(code: ErrorCode | string, message: string, hint?: string) {
    super(message);
    this.name = 'MiraError';
    this.code = code;
    this.hint = hint;
  }
  toJSON(): ErrorInfo {
    return this.hint ? { code: this.code, message: this.message, hint: this.hint } : { code: this.code, message: this.message };
  }
  static from(err: unknown): MiraError {
    if (err instanceof MiraError) return err;
    if (err && typeof err === 'object' && 'code' in err && 'message' in err && typeof (err as ErrorInfo).message === 'string' && !(err instanceof Error)) {
      const e = err as ErrorInfo;
      return new MiraError(String(e.code), e.message, e.hint);
    }
    const message = err instanceof Error ? err.message : String(err);
    // SQLite finding a damaged page mid-query (the full check on open runs after crashes and daily, not every time).
    const sqlite = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
    if (sqlite === 'SQLITE_CORRUPT' || sqlite === 'SQLITE_NOTADB') {
      return new MiraError('db_corrupt', `the database is damaged: ${message}`, 'run `mira repair`: it keeps your memory, conversations and budget, and the next `mira index` rebuilds the index');
    }
    return new MiraError('internal', message);
  }
}
