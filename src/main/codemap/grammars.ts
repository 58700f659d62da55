// Loads tree-sitter grammars for the quality pass (the same .wasm files the code capability parses with).
import { createRequire } from 'node:module';
import { Language, Parser, type ParseState, type Tree } from 'web-tree-sitter';

/**
 * Grammar files per language name of project/languages.ts. These mirror code/parse.ts, which keeps its table private:
 * the cleaner hook would be an optional per-file analysis run on the code stage's own tree inside its parse workers,
 * so the file is parsed once (see the report to the lead).
 */
const WASM: Record<string, string> = {
  typescript: 'tree-sitter-typescript/tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-typescript/tree-sitter-tsx.wasm',
  javascript: 'tree-sitter-wasms/out/tree-sitter-javascript.wasm',
  python: 'tree-sitter-python/tree-sitter-python.wasm',
  rust: 'tree-sitter-rust/tree-sitter-rust.wasm',
  go: 'tree-sitter-go/tree-sitter-go.wasm',
  java: 'tree-sitter-wasms/out/tree-sitter-java.wasm',
  c: 'tree-sitter-wasms/out/tree-sitter-c.wasm',
  cpp: 'tree-sitter-wasms/out/tree-sitter-cpp.wasm',
};

export function hasGrammar(language: string | null): language is string {
  return !!language && language in WASM;
}

/** `.h` headers parse as C++ (a superset that reads C headers well enough), as the code stage does. */
export function grammarOf(language: string, path: string): string {
  return language === 'c' && path.endsWith('.h') ? 'cpp' : language;
}

const PARSE_DEADLINE_MS = 10_000;
const require = createRequire(import.meta.url);
let init: Promise<void> | null = null;
/** Grammar loads run one after another: two wasm modules linking at once can fail with undefined scanner symbols. */
let loading: Promise<unknown> = Promise.resolve();
const languages = new Map<string, Promise<Language>>();
const parsers = new Map<string, Parser>();

async function load(grammar: string): Promise<Language> {
  let p = languages.get(grammar);
  if (!p) {
    const wasm = WASM[grammar];
    if (!wasm) throw new Error(`no grammar for ${grammar}`);
    init ??= Parser.init();
    const initialised = init;
    p = loading.catch(() => undefined).then(() => initialised).then(() => Language.load(require.resolve(wasm)));
    loading = p;
    languages.set(grammar, p);
  }
  return p;
}

/** Parses text with the grammar; the caller deletes the tree. Null when the parse ran past its deadline or failed. */
export async function parseTree(grammar: string, text: string): Promise<Tree | null> {
  const lang = await load(grammar);
  let parser = parsers.get(grammar);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(lang);
    parsers.set(grammar, parser);
  }
  const deadline = performance.now() + PARSE_DEADLINE_MS;
  const progressCallback = (() => performance.now() > deadline) as unknown as (state: ParseState) => void;
  try {
    return parser.parse(text, null, { progressCallback });
  } catch {
    // A crash can leave the wasm parser unusable: start this grammar afresh next time.
    parser.delete();
    parsers.delete(grammar);
    return null;
  }
}
