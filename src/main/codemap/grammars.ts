// Loads tree-sitter grammars for the quality pass (the same .wasm files the code capability parses with).
import { createRequire } from 'node:module';
import { Language, Parser, type ParseState, type Tree } from 'web-tree-sitter';
import { grammarFor, grammarWasm, isParsed, treesParsed } from '../code/parse';

/** The same grammars as the code stage (code/parse.ts), whose table and `.h`-as-C++ rule this pass shares. */
export function hasGrammar(language: string | null): language is string {
  return isParsed(language);
}

export const grammarOf = grammarFor;

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
    const wasm = grammarWasm(grammar);
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
    treesParsed.count++;
    return parser.parse(text, null, { progressCallback });
  } catch {
    // A crash can leave the wasm parser unusable: start this grammar afresh next time.
    parser.delete();
    parsers.delete(grammar);
    return null;
  }
}
