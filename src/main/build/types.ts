// Shared shapes for build-output parsing: the diagnostics we produce and the options/context parsers receive.

export type Severity = 'error' | 'warning' | 'note' | 'info';

export interface DiagnosticNote {
  file: string | null;
  line: number | null;
  column: number | null;
  message: string;
}

export interface BuildDiagnostic {
  tool: string;
  file: string | null;
  line: number | null;
  column: number | null;
  severity: Severity;
  code: string | null;
  message: string;
  notes: DiagnosticNote[];
}

export interface ParseOptions {
  tool?: string;
  command?: string;
  root?: string;
  /** The command's exit status, when known: 127 means a command was not found. */
  exitCode?: number | null;
}

/** What a parser may fill in; `tool` and path normalisation are applied by the context. */
export interface DiagnosticInit {
  file?: string | null;
  line?: number | null;
  column?: number | null;
  severity: Severity;
  code?: string | null;
  message: string;
  notes?: DiagnosticNote[];
}

export interface ParseContext {
  tool: string;
  root: string | null;
  command: string | null;
  /** Normalise a path as printed by the tool: `/` separators, relative to root when inside it. */
  path(raw: string): string;
  /** Whether a (normalised) path is project code rather than a library, runtime or toolchain file. */
  inProject(file: string): boolean;
  diag(init: DiagnosticInit): BuildDiagnostic;
  note(file: string | null, line: number | null, column: number | null, message: string): DiagnosticNote;
}

/** A parser receives text that already had ANSI codes and `\r` progress removed. */
export type Parser = (text: string, ctx: ParseContext) => BuildDiagnostic[];
