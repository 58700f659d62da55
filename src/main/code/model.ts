// The plain data a parse produces for one file (symbols, calls, imports): what workers send back and the stages store.
import type { PackedFileMetrics } from '../codemap/metrics';

export type SymbolKind =
  | 'module'
  | 'namespace'
  | 'class'
  | 'struct'
  | 'enum'
  | 'trait'
  | 'interface'
  | 'type'
  | 'function'
  | 'method'
  | 'field'
  | 'constant'
  | 'variable'
  | 'enum_member'
  | 'macro';

/** Kinds that contain members: their methods resolve `this`/`self` calls and they anchor qualified names. */
export const CONTAINER_KINDS: ReadonlySet<SymbolKind> = new Set(['class', 'struct', 'enum', 'trait', 'interface', 'module', 'namespace']);
export const CALLABLE_KINDS: ReadonlySet<SymbolKind> = new Set(['function', 'method']);
export const TYPE_KINDS: ReadonlySet<SymbolKind> = new Set(['class', 'struct', 'enum', 'trait', 'interface', 'type']);

export type Visibility = 'public' | 'private' | 'protected' | 'internal';

/**
 * Structural facts the pattern detector and resolver read later. Kept small and JSON-serialisable:
 * they are stored as one JSON column, so adding a fact needs no migration.
 */
export interface SymbolFacts {
  /** Types this one extends, implements, embeds or (Rust) has a trait impl for. */
  bases?: string[];
  /** Declared type of a field, or return type of a callable (bare type name). */
  type?: string;
  /** Parameter names and their bare type names ('' when untyped). */
  params?: [string, string][];
  /** A callable returns `this`/`self` (fluent interface). */
  returns_self?: boolean;
  /** Type names a callable constructs (`new X`, `X(...)` for classes, `X{}` literals, `X::new`). */
  creates?: string[];
  /** Type names a callable returns a new instance of. */
  returns_new?: string[];
  /** The callable returns a function (a closure wrapping its argument: decorators, middleware factories). */
  returns_fn?: boolean;
  /** The callable calls one of its own parameters (a callback, `next()`), also from a closure inside it. */
  calls_param?: string[];
  /** The callable stores a parameter into a collection field (`this.listeners.push(fn)`). */
  stores_param?: boolean;
  /** The callable iterates over a field and calls each element (`for l of this.listeners: l()`). */
  notifies?: boolean;
  /** Field or method is static / class-level. */
  is_static?: boolean;
  is_abstract?: boolean;
  /** Decorators or attributes written on the symbol (names only). */
  decorators?: string[];
  /** The module's default export (`export default`, `module.exports =`). */
  default_export?: boolean;
  /** Names of fields (data members) a class stores, with their type when known. */
  fields?: [string, string][];
}

export interface ParsedSymbol {
  name: string;
  kind: SymbolKind;
  /** Dotted path of enclosing containers and the name (`Router.handle`). */
  qualified: string;
  /** Index of the enclosing symbol in the same file's list, or -1 at top level. */
  parent: number;
  /** The type a method belongs to when that type is not its parent here (Rust impl blocks, Go receivers). */
  owner?: string;
  start_line: number;
  end_line: number;
  signature: string | null;
  doc: string | null;
  visibility: Visibility | null;
  exported: boolean;
  is_test: boolean;
  is_async: boolean;
  /** Hash of the symbol's source text: unchanged symbols keep cached enrichments (LLM concepts). */
  hash: string;
  facts: SymbolFacts;
}

export type CallKind = 'call' | 'new' | 'macro';

export interface ParsedCall {
  name: string;
  /**
   * What the call was made on: null for a bare call, `this`/`self` for own members, otherwise the receiver's text
   * (an identifier, `a.b`, or a `::` path in Rust). The resolver decides whether it names a module, a type or a value.
   */
  receiver: string | null;
  /** Type of the receiver when the parse could tell (a typed parameter or `x = new X()` in the same function). */
  receiver_type: string | null;
  line: number;
  /** Index of the enclosing named symbol, or -1 for module level. */
  caller: number;
  kind: CallKind;
}

export type ImportKind = 'module' | 'named' | 'default' | 'wildcard' | 'reexport' | 'reexport_all';

export interface ParsedImport {
  /** The module as written: './x', 'pkg.sub', 'crate::a::b', 'github.com/x/y', 'stdio.h'. */
  source: string;
  /** The imported symbol (null: the module itself). */
  name: string | null;
  /** The local name it is bound to ('' for wildcards and side-effect imports). */
  alias: string;
  line: number;
  kind: ImportKind;
}

/** `impl Trait for Type` (Rust) and other type → base relations whose type is not declared in the same file. */
export interface ParsedImpl {
  type: string;
  base: string;
  line: number;
}

export interface ParsedFile {
  path: string;
  language: string;
  symbols: ParsedSymbol[];
  calls: ParsedCall[];
  imports: ParsedImport[];
  impls: ParsedImpl[];
  /** The file's package/namespace when the language declares one (Go package, Java package, C# namespace). */
  package: string | null;
  /** Syntax errors the parser recovered from (the file is still indexed). */
  errors: number;
  /** Set when the file could not be parsed at all; the file still gets full-text indexing. */
  failed?: string;
  /**
   * The code map's quality metrics of the same tree, when the parse was asked for them (ParseOptions.quality) and they
   * could be taken; otherwise the code map measures the file itself.
   */
  quality?: PackedFileMetrics;
}
