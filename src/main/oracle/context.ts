// Assembles the token-budgeted context for an answer: guidelines, unresolved errors, and code around the located symbols.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import type { ContextItem, ContextProvider, GatherOptions, GatheredContext } from '../llm';
import { countTokens, loadEncoder } from '../llm/tokens';
import type { LocateResult } from './locate';
import type { TestOf } from './tests-for';
import { isAuxiliaryPath, queryTerms } from './terms';

export type Preset = 'minimal' | 'default' | 'full' | 'for_error';

export interface PresetSpec {
  files: number;
  linesPerSnippet: number;
  errors: number;
  guidelines: boolean;
  /** Tests shown for the top code files (each file's best test), after the code. */
  tests: number;
}

export const PRESETS: Record<Preset, PresetSpec> = {
  minimal: { files: 3, linesPerSnippet: 40, errors: 1, guidelines: false, tests: 0 },
  default: { files: 6, linesPerSnippet: 80, errors: 3, guidelines: true, tests: 1 },
  full: { files: 12, linesPerSnippet: 200, errors: 5, guidelines: true, tests: 2 },
  for_error: { files: 5, linesPerSnippet: 60, errors: 8, guidelines: true, tests: 1 },
};

const ERROR_TEXT = /(error|exception)\b|\b(traceback|panic|failed|failure|TS\d{4}|E\d{4}|segfault|undefined is not|cannot find|stack trace)\b/i;

/**
 * The preset follows the money: the more of the budget is already spent, the leaner the context. A task that quotes
 * an error gets the error-first preset while there is room for it.
 */
export function choosePreset(o: { task: string; spentFraction: number; openErrors: number }): Preset {
  if (o.spentFraction >= 0.9) return 'minimal';
  if (ERROR_TEXT.test(o.task) || (o.openErrors > 0 && /\b(fix|build|compile|test)\b/i.test(o.task))) return 'for_error';
  if (o.spentFraction >= 0.6) return 'default';
  return o.spentFraction < 0.25 ? 'full' : 'default';
}

export interface Omitted {
  kind: string;
  path?: string;
  reason: string;
}

export interface AssembledContext extends GatheredContext {
  preset: Preset;
  omitted: Omitted[];
}

export interface OracleContextDeps {
  db: Db;
  projectId: number;
  root: string;
  locate(task: string, k: number): LocateResult[];
  openErrors(limit: number): { file: string | null; line: number | null; message: string; snippet: string | null; recurring: boolean }[];
  /** Share of today's budget already spent (0..1). */
  spentFraction(): number;
  /** Extra notes for a file (e.g. "a hotspot: changed often, complex"). */
  noteFor?(path: string): string | null;
  /** The tests of a source file (test code calling into it, its test by name, tests changed with it). */
  testsFor?(path: string, max: number, terms: string[]): TestOf[];
}

const GUIDELINE_FILES = ['AGENTS.md', 'CLAUDE.md', '.cursorrules', '.github/copilot-instructions.md', 'CONTRIBUTING.md', '.mira/guidelines.md'];

export class OracleContextProvider implements ContextProvider {
  constructor(private readonly deps: OracleContextDeps) {}

  async gather(question: string, opts: GatherOptions & { preset?: Preset }): Promise<AssembledContext> {
    await loadEncoder();
    const errors = this.deps.openErrors(20);
    const preset = opts.preset ?? choosePreset({ task: question, spentFraction: this.deps.spentFraction(), openErrors: errors.length });
    const spec = PRESETS[preset];
    const candidates: ContextItem[] = [];
    const omitted: Omitted[] = [];

    if (spec.guidelines) {
      for (const g of GUIDELINE_FILES) {
        const text = this.read(g);
        if (text) candidates.push({ kind: 'guidelines', path: g, text: clip(text, 60), reason: 'project guidelines' });
      }
    }
    errors.slice(0, spec.errors).forEach((e) => {
      const where = e.file ? `${e.file}:${e.line ?? ''}` : '(no file)';
      candidates.push({
        kind: 'build_error',
        path: e.file ?? undefined,
        text: `${where}: ${e.message}${e.snippet ? `\n${e.snippet}` : ''}`,
        reason: e.recurring ? 'an unresolved build error that keeps coming back' : 'an unresolved build error',
      });
    });
    for (const e of errors.slice(spec.errors)) omitted.push({ kind: 'build_error', path: e.file ?? undefined, reason: `the ${preset} preset keeps ${spec.errors} errors` });

    const located = this.deps.locate(question, spec.files + 5);
    located.forEach((r, i) => {
      if (i >= spec.files) {
        omitted.push({ kind: 'code', path: r.path, reason: `ranked ${i + 1}, below the ${preset} preset's ${spec.files} files` });
        return;
      }
      const text = this.read(r.path);
      if (text === null) {
        omitted.push({ kind: 'code', path: r.path, reason: 'could not be read' });
        return;
      }
      const why = r.reasons.map((x) => x.detail).slice(0, 2).join('; ') || 'ranked by the oracle';
      const note = this.deps.noteFor?.(r.path);
      candidates.push({
        kind: 'code',
        path: r.path,
        // The model reads the text, not the reason: a hotspot's note goes first, so an edit there is made with care.
        text: note ? `// Note: ${note}. Keep the change small and covered by a test.\n${snippetFor(text, r, spec.linesPerSnippet)}` : snippetFor(text, r, spec.linesPerSnippet),
        reason: note ? `${why}; ${note}` : why,
        score: r.score,
      });
    });

    // The tests of the top files come after all the code: how the code is exercised, and which test to update. A test
    // that was located as code moves here, shown where it uses the file.
    if (spec.tests > 0 && this.deps.testsFor) {
      const top = candidates.filter((c) => c.kind === 'code' && !isAuxiliaryPath(c.path!)).slice(0, spec.tests);
      const terms = queryTerms(question);
      for (const c of top) {
        const t = this.deps.testsFor(c.path!, 1, terms)[0];
        if (!t || candidates.some((x) => x.kind === 'test' && x.path === t.path)) continue;
        const text = this.read(t.path);
        if (text === null) continue;
        const asCode = candidates.findIndex((x) => x.kind === 'code' && x.path === t.path);
        if (asCode >= 0) candidates.splice(asCode, 1);
        candidates.push({ kind: 'test', path: t.path, text: testSnippet(text, t, spec.linesPerSnippet, terms), reason: t.why });
      }
    }

    const items: ContextItem[] = [];
    let used = 0;
    for (const it of candidates) {
      const t = countTokens(it.text) + 12;
      if (used + t > opts.maxTokens) {
        omitted.push({ kind: it.kind, path: it.path, reason: `over the token budget (${t} tokens, ${opts.maxTokens - used} left)` });
        continue;
      }
      items.push(it);
      used += t;
    }
    return { items, tokens: used, preset, omitted };
  }

  private read(rel: string): string | null {
    const abs = path.resolve(this.deps.root, rel);
    if (!abs.startsWith(this.deps.root + path.sep)) return null;
    try {
      const st = fs.statSync(abs);
      if (!st.isFile() || st.size > 2 * 1024 * 1024) return null;
      return fs.readFileSync(abs, 'utf8');
    } catch {
      return null;
    }
  }
}

/** The lines around the located symbols (or the top of the file), numbered so the model can cite them. */
export function snippetFor(text: string, r: Pick<LocateResult, 'symbols' | 'path'>, maxLines: number): string {
  const lines = text.split('\n');
  const ranges: [number, number][] = [];
  const per = Math.max(10, Math.floor(maxLines / Math.max(1, r.symbols.length || 1)));
  for (const s of r.symbols) ranges.push([Math.max(1, s.line - 3), Math.min(lines.length, s.line + per - 4)]);
  if (!ranges.length) ranges.push([1, Math.min(lines.length, maxLines)]);
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const rg of ranges) {
    const last = merged.at(-1);
    if (last && rg[0] <= last[1] + 1) last[1] = Math.max(last[1], rg[1]);
    else merged.push([...rg]);
  }
  const out: string[] = [`// ${r.path}`];
  for (const [a, b] of merged) {
    if (a > 1) out.push('// ...');
    for (let i = a; i <= b; i++) out.push(`${String(i).padStart(4)} ${lines[i - 1]}`);
  }
  if ((merged.at(-1)?.[1] ?? 0) < lines.length) out.push('// ...');
  return out.join('\n');
}

const IMPORT_LINE = /^\s*(?:import|from|use|using|#include)\b|\brequire\(/;

/**
 * The part of a test that uses the file's symbols (the first few places), else where it speaks of the task's longer
 * terms, else its beginning.
 */
export function testSnippet(text: string, t: Pick<TestOf, 'path' | 'names'>, maxLines: number, terms: string[] = []): string {
  const symbols: LocateResult['symbols'] = [];
  const esc = (n: string) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const long = terms.filter((x) => x.length >= 5);
  const word = t.names.length ? new RegExp(`\\b(?:${t.names.map(esc).join('|')})\\b`) : long.length ? new RegExp(long.map(esc).join('|'), 'i') : null;
  if (word) {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length && symbols.length < 3; i++) {
      const line = lines[i]!;
      if (IMPORT_LINE.test(line) || !word.test(line) || symbols.some((s) => i + 1 - s.line < 8)) continue;
      symbols.push({ name: '', kind: 'use', line: i + 1 });
    }
  }
  return snippetFor(text, { path: t.path, symbols }, maxLines);
}

function clip(text: string, maxLines: number): string {
  const lines = text.split('\n');
  return lines.length <= maxLines ? text : `${lines.slice(0, maxLines).join('\n')}\n…`;
}
