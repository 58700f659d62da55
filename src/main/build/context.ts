// Builds the ParseContext handed to parsers: path normalisation against the project root and "is this project code" checks.

import path from 'node:path';
import type { BuildDiagnostic, DiagnosticInit, DiagnosticNote, ParseContext } from './types';

const WINDOWS_ABS = /^[A-Za-z]:\//;

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || WINDOWS_ABS.test(p);
}

function cleanRoot(root: string | undefined): string | null {
  if (!root) return null;
  let r = root.replace(/\\/g, '/');
  // Keep "/" and "C:/" intact; strip any other trailing slash so prefix checks are exact.
  while (r.length > 1 && r.endsWith('/') && !/^[A-Za-z]:\/$/.test(r)) r = r.slice(0, -1);
  return r;
}

export function normalizePath(raw: string, rootIn: string | null): string {
  const root = cleanRoot(rootIn ?? undefined);
  let p = raw.trim();
  if (p.startsWith('file://')) p = decodeURIComponent(p.slice('file://'.length));
  // Windows file URLs look like file:///C:/x; after stripping the scheme we have /C:/x.
  if (/^\/[A-Za-z]:\//.test(p)) p = p.slice(1);
  p = p.replace(/\\/g, '/');
  if (p === '') return p;
  if (root && isAbsolute(p)) {
    // Drive letters and Windows paths compare case-insensitively; POSIX paths do not.
    const windows = WINDOWS_ABS.test(root);
    const hay = windows ? p.toLowerCase() : p;
    const needle = windows ? root.toLowerCase() : root;
    if (hay === needle) return '.';
    const prefix = needle.endsWith('/') ? needle : needle + '/';
    if (hay.startsWith(prefix)) p = p.slice(prefix.length);
  }
  // posix.normalize folds "./" and "a/../" but keeps leading "../" and absolute roots.
  const norm = path.posix.normalize(p);
  return norm === '.' && p !== '.' ? p : norm;
}

// Where libraries, runtimes and toolchains live; frames there are never "the user's code".
const LIBRARY_MARKERS = [
  '/node_modules/',
  '/site-packages/',
  '/dist-packages/',
  '/.cargo/registry/',
  '/.rustup/',
  '/rustc/',
  '/go/pkg/mod/',
  '/usr/lib/',
  '/usr/include/',
  '/usr/local/lib/',
  '/.pyenv/',
  '/lib/python2',
  '/lib/python3',
];

export function isProjectPath(file: string, root: string | null): boolean {
  if (!file) return false;
  if (file.startsWith('<') || file.startsWith('node:') || file.startsWith('internal/')) return false;
  if (file.startsWith('node_modules/')) return false;
  const probe = '/' + file;
  if (LIBRARY_MARKERS.some((m) => probe.includes(m))) return false;
  // With a root, anything still absolute after normalisation lies outside the project.
  if (root && isAbsolute(file)) return false;
  return true;
}

export function createContext(tool: string, rootOpt?: string, command?: string): ParseContext {
  const root = cleanRoot(rootOpt);
  const ctx: ParseContext = {
    tool,
    root,
    command: command ?? null,
    path: (raw) => normalizePath(raw, root),
    inProject: (file) => isProjectPath(file, root),
    note: (file, line, column, message): DiagnosticNote => ({
      file: file === null ? null : normalizePath(file, root),
      line,
      column,
      message: message.trim(),
    }),
    diag: (init: DiagnosticInit): BuildDiagnostic => ({
      tool,
      file: init.file ? normalizePath(init.file, root) : null,
      line: init.line ?? null,
      column: init.column ?? null,
      severity: init.severity,
      code: init.code ?? null,
      message: init.message.replace(/\s+$/, ''),
      notes: init.notes ?? [],
    }),
  };
  return ctx;
}
