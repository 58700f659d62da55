// Parses one file with web-tree-sitter and runs its language's extractor; used inside workers and as the in-thread fallback.
import { createRequire } from 'node:module';
import { Language, Parser, type ParseState, type Tree } from 'web-tree-sitter';
import { analyzeTreePacked, type PackedFileMetrics } from '../codemap/metrics';
import type { ParsedFile } from './model';
import { countErrors, Extraction } from './extract/context';
import { extractTypeScript } from './extract/typescript';
import { extractPython } from './extract/python';
import { extractRust } from './extract/rust';
import { extractGo } from './extract/go';
import { extractJava } from './extract/java';
import { extractC } from './extract/c';
import { finishVisibility } from './extract/visibility';

type Extractor = (x: Extraction, root: import('web-tree-sitter').Node) => void;

interface Grammar {
  /** Package-relative path of the .wasm file. */
  wasm: string;
  extract: Extractor;
}

/**
 * Languages with a grammar and an extractor. TypeScript, Python, Rust and Go come from their own packages (newer grammars);
 * the rest from tree-sitter-wasms. Keys are the language names of project/languages.ts.
 */
const GRAMMARS: Record<string, Grammar> = {
  typescript: { wasm: 'tree-sitter-typescript/tree-sitter-typescript.wasm', extract: extractTypeScript },
  tsx: { wasm: 'tree-sitter-typescript/tree-sitter-tsx.wasm', extract: extractTypeScript },
  javascript: { wasm: 'tree-sitter-wasms/out/tree-sitter-javascript.wasm', extract: extractTypeScript },
  python: { wasm: 'tree-sitter-python/tree-sitter-python.wasm', extract: extractPython },
  rust: { wasm: 'tree-sitter-rust/tree-sitter-rust.wasm', extract: extractRust },
  go: { wasm: 'tree-sitter-go/tree-sitter-go.wasm', extract: extractGo },
  java: { wasm: 'tree-sitter-wasms/out/tree-sitter-java.wasm', extract: extractJava },
  c: { wasm: 'tree-sitter-wasms/out/tree-sitter-c.wasm', extract: extractC },
  cpp: { wasm: 'tree-sitter-wasms/out/tree-sitter-cpp.wasm', extract: extractC },
};

export const PARSED_LANGUAGES: ReadonlySet<string> = new Set(Object.keys(GRAMMARS));

/** The package-relative .wasm file of a grammar (a key of GRAMMARS, after grammarFor), for other passes over trees. */
export function grammarWasm(grammar: string): string | undefined {
  return GRAMMARS[grammar]?.wasm;
}

/** Whether a file of this language (and path) gets a syntax tree; others are indexed as text only. */
export function isParsed(language: string | null): boolean {
  return !!language && PARSED_LANGUAGES.has(language);
}

/** `.jsx` files use the JS grammar, which has JSX; `.h` files that are C++ parse fine enough as C++. */
export function grammarFor(language: string, path: string): string {
  if (language === 'c' && path.endsWith('.h')) return 'cpp';
  return language;
}

const PARSE_DEADLINE_MS = 10_000;

/**
 * Syntax trees parsed in this thread, here and by the code map's own parse (codemap/grammars.ts). Tests read it to check
 * that an index parses each file once.
 */
export const treesParsed = { count: 0 };

export interface ParseOptions {
  /** Also take the code map's quality metrics from the tree (ParsedFile.quality), so the code map need not parse again. */
  quality?: boolean;
}

let initialised: Promise<void> | null = null;
const languages = new Map<string, Promise<Language>>();
const parsers = new Map<string, Parser>();
const require = createRequire(import.meta.url);

async function languageFor(name: string): Promise<Language> {
  let p = languages.get(name);
  if (!p) {
    const g = GRAMMARS[name];
    if (!g) throw new Error(`no grammar for ${name}`);
    initialised ??= Parser.init();
    p = initialised.then(() => Language.load(require.resolve(g.wasm)));
    languages.set(name, p);
  }
  return p;
}

/** Parses and extracts one file; never throws (a failure comes back as `failed` with the message). */
export async function parseFile(path: string, language: string, text: string, opts: ParseOptions = {}): Promise<ParsedFile> {
  const grammar = grammarFor(language, path);
  const g = GRAMMARS[grammar];
  if (!g) return { path, language, symbols: [], calls: [], imports: [], impls: [], package: null, errors: 0, failed: `no grammar for ${language}` };
  let tree: import('web-tree-sitter').Tree | null = null;
  try {
    const lang = await languageFor(grammar);
    let parser = parsers.get(grammar);
    if (!parser) {
      parser = new Parser();
      parser.setLanguage(lang);
      parsers.set(grammar, parser);
    }
    // A pathological file must not stall the whole index: the parse is cancelled past its deadline.
    const deadline = performance.now() + PARSE_DEADLINE_MS;
    const progressCallback = (() => performance.now() > deadline) as unknown as (state: ParseState) => void;
    const parse = (src: string) => {
      treesParsed.count++;
      return parser!.parse(src, null, { progressCallback });
    };
    // C++ export and annotation macros (`class FMT_API Foo {`, `f() const LOCKS_REQUIRED(mu) {`) are not syntax the
    // grammar knows; blanking them (same length, so positions hold) keeps the declarations parseable.
    const source = grammar === 'cpp' ? blankCppMacros(text) : text;
    tree = parse(source);
    if (!tree) throw new Error(`parsing took longer than ${PARSE_DEADLINE_MS / 1000} s and was stopped`);
    let x = new Extraction(path, language, text);
    g.extract(x, tree.rootNode);
    let errors = countErrors(tree.rootNode);
    // Unbalanced #if/#else branches can turn a whole C/C++ file into one ERROR node. Parsing it again with the
    // conditional directives blanked out (lines kept, so positions hold) recovers its definitions.
    if ((grammar === 'c' || grammar === 'cpp') && brokenByPreprocessor(tree.rootNode)) {
      const second = parse(blankConditionals(source));
      if (second) {
        const y = new Extraction(path, language, text);
        g.extract(y, second.rootNode);
        if (y.symbols.length > x.symbols.length) {
          x = y;
          errors = countErrors(second.rootNode);
        }
        second.delete();
      }
    }
    finishVisibility(x);
    const result = x.result(errors);
    if (opts.quality) {
      const quality = measure(tree, grammar, source, text, parse);
      if (quality) result.quality = quality;
    }
    return result;
  } catch (e) {
    dropParser(grammar);
    return { path, language, symbols: [], calls: [], imports: [], impls: [], package: null, errors: 0, failed: (e as Error).message || String(e) };
  } finally {
    tree?.delete();
  }
}

/**
 * The code map's metrics (codemap/metrics.ts) of this parse's tree. They are of the text as written, as the code map's
 * own parse would see it: when C++ macros were blanked for the extraction, that text is parsed once more here (in the
 * worker). Undefined when that fails; the code map then measures the file itself, as it does for files not parsed here.
 */
function measure(tree: Tree, grammar: string, source: string, text: string, parse: (src: string) => Tree | null): PackedFileMetrics | undefined {
  let own: Tree | null = null;
  if (source !== text) {
    try {
      own = parse(text);
    } catch {
      dropParser(grammar);
    }
    if (!own) return undefined;
  }
  try {
    return analyzeTreePacked(own ?? tree, grammar, text);
  } catch {
    return undefined;
  } finally {
    own?.delete();
  }
}

/** A parser crash can leave the wasm instance in a bad state: the language starts afresh next time. */
function dropParser(grammar: string): void {
  parsers.get(grammar)?.delete();
  parsers.delete(grammar);
}

/** A top-level ERROR node spanning a large part of the file. */
function brokenByPreprocessor(root: import('web-tree-sitter').Node): boolean {
  if (!root.hasError) return false;
  const lines = root.endPosition.row + 1;
  for (const c of root.namedChildren) if (c?.type === 'ERROR' && c.endPosition.row - c.startPosition.row > lines * 0.25) return true;
  return false;
}

/** Replaces #if/#ifdef/#else/#elif/#endif lines (and their continuations) with empty lines. */
export function blankConditionals(text: string): string {
  const lines = text.split('\n');
  let continued = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (continued || /^\s*#\s*(if|ifdef|ifndef|else|elif|elifdef|elifndef|endif)\b/.test(l)) {
      continued = /\\\s*$/.test(l);
      lines[i] = '';
    }
  }
  return lines.join('\n');
}

/** Blanks macro words the C++ grammar cannot read: between `class`/`struct` and the name, and before a body. */
export function blankCppMacros(text: string): string {
  const spaces = (m: string) => ' '.repeat(m.length);
  return text
    .replace(/\b(class|struct)(\s+)([A-Z][A-Z0-9_]{2,})(?=\s+[A-Za-z_][\w:]*\s*(final\s*)?[:{])/g, (_m, kw: string, ws: string, macro: string) => kw + ws + spaces(macro))
    .replace(/(\)\s*(?:const\s*)?(?:noexcept\s*)?(?:override\s*)?)([A-Z][A-Z0-9_]{2,}(?:\([^()\n]*\))?)(?=\s*\{)/g, (_m, head: string, macro: string) => head + spaces(macro))
    .replace(/^(\s*(?:(?:friend|static|inline|virtual|constexpr|explicit|extern)\s+)*)([A-Z][A-Z0-9]*_[A-Z0-9_]*)(?=\s+(?:[A-Za-z_]))/gm, (_m, head: string, macro: string) => head + spaces(macro));
}
