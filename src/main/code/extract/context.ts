// Shared machinery for the per-language extractors: collecting symbols, calls and imports, doc comments, signatures.
import crypto from 'node:crypto';
import type { Node } from 'web-tree-sitter';
import type { CallKind, ImportKind, ParsedCall, ParsedFile, ParsedImpl, ParsedImport, ParsedSymbol, SymbolFacts, SymbolKind, Visibility } from '../model';

const TEST_PATH = /(^|\/)(tests?|__tests__|spec|specs|testing|testdata)\/|(^|\/)test_[^/]*\.py$|_test\.(go|py)$|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)conftest\.py$|Tests?\.(java|cs)$/;

export function isTestPath(p: string): boolean {
  return TEST_PATH.test(p);
}

export interface SymbolInput {
  node: Node;
  name: string;
  kind: SymbolKind;
  parent: number;
  /** Owning type when it is declared elsewhere (Rust impl, Go receiver): used for the qualified name and `self` calls. */
  owner?: string;
  /** Where the doc comment is looked for (a wrapping export or decorated node); defaults to `node`. */
  outer?: Node;
  /** Where the signature stops (the body); without one the first line is used. */
  body?: Node | null;
  doc?: string | null;
  /** A signature written by the extractor (when the node's own head reads badly). */
  signature?: string;
  visibility?: Visibility | null;
  exported?: boolean;
  is_async?: boolean;
  is_test?: boolean;
  facts?: SymbolFacts;
}

export class Extraction {
  readonly symbols: ParsedSymbol[] = [];
  readonly calls: ParsedCall[] = [];
  readonly imports: ParsedImport[] = [];
  readonly impls: ParsedImpl[] = [];
  pkg: string | null = null;
  readonly testFile: boolean;

  constructor(readonly path: string, readonly language: string, readonly src: string) {
    this.testFile = isTestPath(path);
  }

  symbol(s: SymbolInput): number {
    const parent = s.parent >= 0 ? this.symbols[s.parent] : undefined;
    const outer = s.outer ?? s.node;
    const text = s.node.text;
    this.symbols.push({
      name: s.name,
      kind: s.kind,
      qualified: parent ? `${parent.qualified}.${s.name}` : s.owner ? `${s.owner}.${s.name}` : s.name,
      parent: parent ? s.parent : -1,
      ...(s.owner ? { owner: s.owner } : {}),
      start_line: outer.startPosition.row + 1,
      end_line: s.node.endPosition.row + 1,
      signature: s.signature ?? signatureOf(this.src, s.node, s.body ?? null),
      doc: s.doc !== undefined ? s.doc : docBefore(outer),
      visibility: s.visibility ?? null,
      exported: s.exported ?? false,
      is_test: s.is_test ?? false,
      is_async: s.is_async ?? false,
      hash: crypto.createHash('sha1').update(text).digest('hex').slice(0, 16),
      facts: s.facts ?? {},
    });
    return this.symbols.length - 1;
  }

  call(name: string, receiver: string | null, node: Node, caller: number, kind: CallKind = 'call', receiverType: string | null = null): void {
    if (!name) return;
    this.calls.push({ name, receiver, receiver_type: receiverType, line: node.startPosition.row + 1, caller, kind });
  }

  import(source: string, name: string | null, alias: string, node: Node, kind: ImportKind): void {
    if (!source) return;
    this.imports.push({ source, name, alias, line: node.startPosition.row + 1, kind });
  }

  /** The nearest enclosing symbol of one of the kinds, walking parents. */
  enclosing(idx: number, kinds: ReadonlySet<SymbolKind>): number {
    let i = idx;
    while (i >= 0) {
      const s = this.symbols[i]!;
      if (kinds.has(s.kind)) return i;
      i = s.parent;
    }
    return -1;
  }

  addFact<K extends keyof SymbolFacts>(idx: number, key: K, value: NonNullable<SymbolFacts[K]> extends (infer E)[] ? E : never): void {
    if (idx < 0) return;
    const f = this.symbols[idx]!.facts as Record<string, unknown[]>;
    const arr = (f[key] ??= []);
    if (arr.length < 32 && !arr.some((v) => JSON.stringify(v) === JSON.stringify(value))) arr.push(value);
  }

  result(errors: number): ParsedFile {
    return { path: this.path, language: this.language, symbols: this.symbols, calls: this.calls, imports: this.imports, impls: this.impls, package: this.pkg, errors };
  }
}

/** The declaration's head: from its start to its body (or its first line), whitespace collapsed. */
export function signatureOf(src: string, node: Node, body: Node | null): string | null {
  let text: string;
  if (body && body.startIndex > node.startIndex) text = src.slice(node.startIndex, body.startIndex);
  else {
    const full = src.slice(node.startIndex, Math.min(node.endIndex, node.startIndex + 400));
    const nl = full.indexOf('\n');
    text = nl >= 0 ? full.slice(0, nl) : full;
  }
  text = text.replace(/\s+/g, ' ').trim().replace(/[{:=]\s*$/, '').trim();
  if (!text) return null;
  return text.length > 240 ? text.slice(0, 239) + '…' : text;
}

const COMMENT_TYPES = new Set(['comment', 'line_comment', 'block_comment']);
const SKIP_BEFORE_DOC = new Set(['attribute_item', 'decorator', 'annotation', 'marker_annotation', 'inner_attribute_item']);

/** The comment block written directly above a declaration (skipping attributes and decorators in between). */
export function docBefore(node: Node): string | null {
  const parts: string[] = [];
  let expectRow = node.startPosition.row;
  let prev = node.previousNamedSibling;
  while (prev) {
    if (SKIP_BEFORE_DOC.has(prev.type)) {
      expectRow = prev.startPosition.row;
      prev = prev.previousNamedSibling;
      continue;
    }
    if (!COMMENT_TYPES.has(prev.type)) break;
    if (prev.endPosition.row < expectRow - 1) break;
    parts.unshift(prev.text);
    expectRow = prev.startPosition.row;
    prev = prev.previousNamedSibling;
    if (parts.length > 40) break;
  }
  if (!parts.length) return null;
  return cleanComment(parts.join('\n'));
}

export function cleanComment(raw: string): string | null {
  const lines = raw
    .replace(/^\s*\/\*+!?/, '')
    .replace(/\*+\/\s*$/, '')
    .split('\n')
    .map((l) =>
      l
        .replace(/^\s*(\/\/[/!]?|#+|--|\*+(?!\/))\s?/, '')
        .replace(/\s*\*+\/\s*$/, '')
        .replace(/^\s*\/\*+!?\s?/, '')
        .trimEnd(),
    );
  const text = lines.join('\n').trim();
  if (!text) return null;
  return text.length > 1200 ? text.slice(0, 1199) + '…' : text;
}

/** Text of a string literal node without its quotes. */
export function stringValue(node: Node | null): string {
  if (!node) return '';
  const t = node.text;
  const m = /^(?:[rbuf]|br|rb)?("""|'''|"|'|`)([\s\S]*)\1$/i.exec(t);
  return m ? m[2]! : t.replace(/^["'`<]|["'`>]$/g, '');
}

/** A type's bare name: `&mut Vec<Foo>` → `Vec`, `*pkg.Foo` → `Foo`, `Foo[]` → '' (collections are not the element type). */
export function bareType(text: string | null | undefined): string {
  if (!text) return '';
  let t = text.trim().replace(/^:\s*/, '');
  if (/\[\]$/.test(t)) return '';
  t = t.replace(/^(&\s*('\w+\s+)?(mut\s+)?|\*+|dyn\s+|impl\s+|readonly\s+|const\s+|struct\s+|class\s+)+/, '');
  const m = /^[A-Za-z_$][\w$]*(?:(?:\.|::)[A-Za-z_$][\w$]*)*/.exec(t);
  if (!m) return '';
  const parts = m[0].split(/\.|::/);
  const head = parts[parts.length - 1] ?? '';
  // Smart pointers and optionals stand for what they hold: `Box<dyn Hasher>` is a Hasher here.
  if (WRAPPERS.has(head)) {
    const inner = /^[^<\[]*[<\[]\s*(.+?)\s*[>\]]?$/.exec(t.slice(m[0].length) ? t : '')?.[1];
    if (inner) return bareType(inner.replace(/,.*$/, ''));
  }
  return head;
}

const WRAPPERS = new Set(['Box', 'Arc', 'Rc', 'Option', 'RefCell', 'Cell', 'Mutex', 'RwLock', 'Weak', 'Pin', 'Optional']);

/** First anonymous token children (modifiers like `async`, `static`, `get`) of a node. */
export function hasToken(node: Node, token: string): boolean {
  for (let i = 0; i < node.childCount; i++) {
    const c = node.child(i);
    if (!c) continue;
    if (c.type === token) return true;
    if (c.isNamed && c.type !== 'accessibility_modifier' && c.type !== 'decorator' && c.type !== 'function_modifiers' && c.type !== 'modifiers' && c.type !== 'visibility_modifier') {
      // Modifiers come before the name; stop at the first real part.
      if (c.type !== 'comment') return false;
    }
  }
  return false;
}

/** Named children without nulls (web-tree-sitter types them as nullable). */
export function kids(node: Node): Node[] {
  const out: Node[] = [];
  for (const c of node.namedChildren) if (c) out.push(c);
  return out;
}

/** Counts ERROR and MISSING nodes, capped (a badly broken file does not need an exact count). */
export function countErrors(root: Node): number {
  if (!root.hasError) return 0;
  let n = 0;
  const stack: Node[] = [root];
  while (stack.length && n < 100) {
    const node = stack.pop()!;
    if (node.isError || node.isMissing) {
      n++;
      continue;
    }
    if (!node.hasError) continue;
    for (const c of node.children) if (c) stack.push(c);
  }
  return n;
}
