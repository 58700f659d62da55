// Symbols, calls and imports of Rust: items, impl blocks (methods owned by their type), traits, modules and `use` trees.
import type { Node } from 'web-tree-sitter';
import type { SymbolKind, Visibility } from '../model';
import { bareType, Extraction, kids } from './context';

interface Scope {
  container: number;
  caller: number;
  /** Type of `self`/`Self` inside an impl or trait. */
  selfType: string | null;
  vars: Map<string, string> | null;
  params: Set<string> | null;
  inTest: boolean;
  iterVars: Set<string> | null;
  /** Inside `impl T` where T is declared in another file: the methods' owner by name. */
  implOwner?: string;
}

/** Macros of std and common crates: calls to them are noise in the call graph. */
const STD_MACROS = new Set([
  'println', 'print', 'eprintln', 'eprint', 'format', 'write', 'writeln', 'vec', 'assert', 'assert_eq', 'assert_ne', 'debug_assert',
  'debug_assert_eq', 'debug_assert_ne', 'panic', 'unreachable', 'unimplemented', 'todo', 'matches', 'format_args', 'concat', 'stringify',
  'include_str', 'include_bytes', 'env', 'option_env', 'cfg', 'line', 'file', 'column', 'module_path', 'dbg', 'compile_error', 'thread_local',
]);

export function extractRust(x: Extraction, root: Node): void {
  const w = new RustWalker(x);
  w.items(root, { container: -1, caller: -1, selfType: null, vars: null, params: null, inTest: false, iterVars: null });
}

function visibilityOf(node: Node): Visibility | null {
  const v = kids(node).find((k) => k.type === 'visibility_modifier');
  if (!v) return null;
  return v.text === 'pub' ? 'public' : 'internal';
}

function attributes(node: Node): string[] {
  const out: string[] = [];
  let prev = node.previousNamedSibling;
  while (prev && (prev.type === 'attribute_item' || prev.type === 'line_comment' || prev.type === 'block_comment')) {
    if (prev.type === 'attribute_item') out.push(prev.text.replace(/^#\[|\]$/g, ''));
    prev = prev.previousNamedSibling;
  }
  return out;
}

class RustWalker {
  constructor(private readonly x: Extraction) {}

  items(node: Node, s: Scope): void {
    for (const c of node.namedChildren) if (c) this.walk(c, s);
  }

  walk(node: Node, s: Scope): void {
    switch (node.type) {
      case 'line_comment':
      case 'block_comment':
      case 'attribute_item':
      case 'inner_attribute_item':
        return;
      case 'function_item':
      case 'function_signature_item':
        return this.func(node, s);
      case 'struct_item':
      case 'union_item': {
        const name = node.childForFieldName('name')?.text;
        if (!name) return;
        const body = node.childForFieldName('body');
        const fields: [string, string][] = [];
        const idx = this.x.symbol({ node, name, kind: 'struct', parent: s.container, body, visibility: visibilityOf(node), facts: { decorators: attributes(node) } });
        if (body?.type === 'field_declaration_list') {
          for (const f of kids(body)) {
            if (f.type !== 'field_declaration') continue;
            const fname = f.childForFieldName('name')?.text;
            if (!fname) continue;
            const type = bareType(f.childForFieldName('type')?.text);
            fields.push([fname, type]);
            this.x.symbol({ node: f, name: fname, kind: 'field', parent: idx, visibility: visibilityOf(f) ?? 'private', facts: type ? { type } : {} });
          }
        }
        if (fields.length) this.x.symbols[idx]!.facts.fields = fields;
        return;
      }
      case 'enum_item': {
        const name = node.childForFieldName('name')?.text;
        if (!name) return;
        const body = node.childForFieldName('body');
        const idx = this.x.symbol({ node, name, kind: 'enum', parent: s.container, body, visibility: visibilityOf(node) });
        if (body) for (const v of kids(body)) if (v.type === 'enum_variant') {
          const vn = v.childForFieldName('name')?.text;
          if (vn) this.x.symbol({ node: v, name: vn, kind: 'enum_member', parent: idx, visibility: 'public' });
        }
        return;
      }
      case 'trait_item': {
        const name = node.childForFieldName('name')?.text;
        if (!name) return;
        const body = node.childForFieldName('body');
        const bounds = node.childForFieldName('bounds');
        const bases = bounds ? kids(bounds).map((b) => bareType(b.text)).filter(Boolean) : [];
        const idx = this.x.symbol({ node, name, kind: 'trait', parent: s.container, body, visibility: visibilityOf(node), facts: bases.length ? { bases } : {} });
        if (body) this.items(body, { ...s, container: idx, selfType: name });
        return;
      }
      case 'impl_item': {
        const typeNode = node.childForFieldName('type');
        const type = bareType(typeNode?.text) || (typeNode?.text.replace(/\s+/g, '') ?? '');
        const trait = bareType(node.childForFieldName('trait')?.text);
        const body = node.childForFieldName('body');
        if (!type) return;
        // Methods belong to the type: its symbol when declared in this file, otherwise an owner by name.
        const local = this.findType(type);
        if (trait) {
          if (local >= 0) this.x.addFact(local, 'bases', trait);
          else this.x.impls.push({ type, base: trait, line: node.startPosition.row + 1 });
        }
        if (body) this.items(body, { ...s, container: local >= 0 ? local : s.container, selfType: type, implOwner: local < 0 ? type : undefined });
        return;
      }
      case 'mod_item': {
        const name = node.childForFieldName('name')?.text;
        if (!name) return;
        const body = node.childForFieldName('body');
        const attrs = attributes(node);
        const idx = this.x.symbol({ node, name, kind: 'module', parent: s.container, body, visibility: visibilityOf(node) });
        if (body) this.items(body, { ...s, container: idx, inTest: s.inTest || attrs.some((a) => /cfg\(test\)/.test(a)) });
        return;
      }
      case 'const_item':
      case 'static_item': {
        const name = node.childForFieldName('name')?.text;
        if (name && s.caller < 0) this.x.symbol({ node, name, kind: 'constant', parent: s.container, visibility: visibilityOf(node), facts: { type: bareType(node.childForFieldName('type')?.text) } });
        const v = node.childForFieldName('value');
        if (v) this.walk(v, s);
        return;
      }
      case 'type_item': {
        const name = node.childForFieldName('name')?.text;
        if (name && s.caller < 0) this.x.symbol({ node, name, kind: 'type', parent: s.container, visibility: visibilityOf(node) });
        return;
      }
      case 'macro_definition': {
        const name = node.childForFieldName('name')?.text;
        if (name) this.x.symbol({ node, name, kind: 'macro', parent: s.container, visibility: 'public' });
        return;
      }
      case 'use_declaration': {
        const arg = node.childForFieldName('argument');
        if (arg) this.useTree(arg, '', node);
        return;
      }
      case 'extern_crate_declaration': {
        const name = node.childForFieldName('name')?.text;
        const alias = node.childForFieldName('alias')?.text;
        if (name) this.x.import(name, null, alias ?? name, node, 'module');
        return;
      }
      case 'call_expression':
        return this.callExpr(node, s);
      case 'macro_invocation': {
        const m = node.childForFieldName('macro');
        if (m) {
          const name = m.type === 'scoped_identifier' ? (m.childForFieldName('name')?.text ?? '') : m.text;
          const path = m.type === 'scoped_identifier' ? (m.childForFieldName('path')?.text ?? null) : null;
          if (name && !STD_MACROS.has(name)) this.x.call(name, path, node, s.caller, 'macro');
        }
        return;
      }
      case 'struct_expression': {
        const name = bareType(node.childForFieldName('name')?.text);
        if (name && s.caller >= 0) this.x.addFact(s.caller, 'creates', name === 'Self' && s.selfType ? s.selfType : name);
        return this.items(node, s);
      }
      case 'let_declaration': {
        const pat = node.childForFieldName('pattern');
        const value = node.childForFieldName('value');
        if (pat?.type === 'identifier' && s.vars) {
          const t = bareType(node.childForFieldName('type')?.text) || this.valueType(value, s);
          if (t) s.vars.set(pat.text, t);
        }
        if (value) this.walk(value, s);
        const alt = node.childForFieldName('alternative');
        if (alt) this.walk(alt, s);
        return;
      }
      case 'for_expression': {
        const value = node.childForFieldName('value');
        const pat = node.childForFieldName('pattern');
        if (value && pat?.type === 'identifier' && /^&?(mut\s+)?self\.\w+(\.iter(_mut)?\(\))?$/.test(value.text)) {
          const iv = new Set(s.iterVars ?? []);
          iv.add(pat.text);
          return this.items(node, { ...s, iterVars: iv });
        }
        return this.items(node, s);
      }
      case 'return_expression': {
        const v = node.namedChild(0);
        if (v && s.caller >= 0) this.returnFacts(v, s);
        return this.items(node, s);
      }
      case 'closure_expression': {
        const params = new Set(s.params ?? []);
        const ps = node.childForFieldName('parameters');
        if (ps) for (const id of ps.descendantsOfType('identifier')) if (id) params.add(id.text);
        const body = node.childForFieldName('body');
        if (body) this.walk(body, { ...s, params });
        return;
      }
      default:
        if (node.namedChildCount) this.items(node, s);
    }
  }

  private findType(name: string): number {
    for (let i = this.x.symbols.length - 1; i >= 0; i--) {
      const sym = this.x.symbols[i]!;
      if (sym.name === name && (sym.kind === 'struct' || sym.kind === 'enum' || sym.kind === 'type' || sym.kind === 'trait')) return i;
    }
    return -1;
  }

  private valueType(value: Node | null, s: Scope): string {
    if (!value) return '';
    if (value.type === 'struct_expression') return bareType(value.childForFieldName('name')?.text);
    if (value.type === 'call_expression') {
      const fn = value.childForFieldName('function');
      if (fn?.type === 'scoped_identifier') {
        const path = fn.childForFieldName('path')?.text ?? '';
        const t = bareType(path);
        if (t === 'Self') return s.selfType ?? '';
        if (/^[A-Z]/.test(t) && /^(new|default|with_\w+|from\w*|builder|create|open)$/.test(fn.childForFieldName('name')?.text ?? '')) return t;
      }
    }
    return '';
  }

  private returnFacts(v: Node, s: Scope): void {
    if (v.type === 'self') this.x.symbols[s.caller]!.facts.returns_self = true;
    else if (v.type === 'struct_expression') {
      const t = bareType(v.childForFieldName('name')?.text);
      if (t) this.x.addFact(s.caller, 'returns_new', t === 'Self' && s.selfType ? s.selfType : t);
    }
  }

  private func(node: Node, s: Scope): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const implOwner = s.implOwner;
    const inType = s.selfType !== null && s.caller < 0;
    const attrs = attributes(node);
    const mods = kids(node).find((k) => k.type === 'function_modifiers');
    const body = node.childForFieldName('body');
    const kind: SymbolKind = inType ? 'method' : 'function';
    const ret = node.childForFieldName('return_type');
    const retType = bareType(ret?.text);
    const parentSym = s.container >= 0 ? this.x.symbols[s.container] : undefined;
    const idx = this.x.symbol({
      node,
      name,
      kind,
      parent: s.container,
      ...(inType && implOwner ? { owner: implOwner } : {}),
      body,
      visibility: visibilityOf(node) ?? (parentSym?.kind === 'trait' ? parentSym.visibility : null),
      is_async: !!mods && /\basync\b/.test(mods.text),
      is_test: attrs.some((a) => /(^|::)test\b/.test(a)) || (s.inTest && this.x.testFile),
      facts: {
        ...(attrs.length ? { decorators: attrs.map((a) => a.split('(')[0]!) } : {}),
        ...(retType ? { type: retType === 'Self' && s.selfType ? s.selfType : retType } : {}),
        ...(node.type === 'function_signature_item' ? { is_abstract: true } : {}),
      },
    });
    const sym = this.x.symbols[idx]!;
    if (inType && implOwner && sym.parent < 0) sym.owner = implOwner;
    const vars = new Map<string, string>();
    const params = new Set<string>();
    let hasSelf = false;
    const ps = node.childForFieldName('parameters');
    if (ps)
      for (const p of kids(ps)) {
        if (p.type === 'self_parameter') {
          hasSelf = true;
          continue;
        }
        if (p.type !== 'parameter') continue;
        const pat = p.childForFieldName('pattern');
        if (pat?.type !== 'identifier') continue;
        const type = bareType(p.childForFieldName('type')?.text);
        params.add(pat.text);
        if (type) vars.set(pat.text, type);
        (sym.facts.params ??= []).push([pat.text, type]);
      }
    if (!hasSelf && inType) sym.facts.is_static = true;
    if (hasSelf && retType && (retType === 'Self' || retType === s.selfType)) sym.facts.returns_self = true;
    if (body) this.items(body, { container: idx, caller: idx, selfType: s.selfType, vars, params, inTest: s.inTest, iterVars: null });
    if (body) {
      // A block's tail expression is its return value.
      const last = body.namedChild(body.namedChildCount - 1);
      if (last && last.type !== 'expression_statement' && last.type !== 'let_declaration') this.returnFacts(last, { ...s, caller: idx });
    }
  }

  private callExpr(node: Node, s: Scope): void {
    let fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (fn?.type === 'generic_function') fn = fn.childForFieldName('function');
    if (fn) {
      if (fn.type === 'identifier') {
        this.x.call(fn.text, null, node, s.caller);
        if (s.caller >= 0 && s.params?.has(fn.text)) this.x.addFact(s.caller, 'calls_param', fn.text);
        if (s.caller >= 0 && s.iterVars?.has(fn.text)) this.x.symbols[s.caller]!.facts.notifies = true;
      } else if (fn.type === 'scoped_identifier') {
        const name = fn.childForFieldName('name')?.text ?? '';
        let path = fn.childForFieldName('path')?.text ?? null;
        if (path) path = path.replace(/<.*>$/, '');
        if (path === 'Self' && s.selfType) path = 'Self';
        this.x.call(name, path, node, s.caller, 'call', path === 'Self' ? s.selfType : null);
        if (s.caller >= 0 && path && /^[A-Z]/.test(bareType(path)) && /^(new|default|with_\w+)$/.test(name)) {
          this.x.addFact(s.caller, 'creates', path === 'Self' ? (s.selfType ?? path) : bareType(path));
        }
      } else if (fn.type === 'field_expression') {
        const field = fn.childForFieldName('field')?.text ?? '';
        const value = fn.childForFieldName('value');
        let receiver = '<expr>';
        let rtype: string | null = null;
        if (value?.type === 'self') {
          receiver = 'self';
          rtype = s.selfType;
        } else if (value?.type === 'identifier') {
          receiver = value.text;
          rtype = s.vars?.get(value.text) ?? null;
          if (s.caller >= 0 && s.iterVars?.has(value.text)) this.x.symbols[s.caller]!.facts.notifies = true;
        } else if (value?.type === 'field_expression' && /^self\.\w+$/.test(value.text)) {
          receiver = value.text;
          rtype = this.fieldType(s, value.text.slice(5));
        } else if (value) this.walk(value, s);
        if (field) this.x.call(field, receiver, node, s.caller, 'call', rtype);
        if (s.caller >= 0 && /^self\.\w+$/.test(receiver) && /^(push|insert|push_back|push_front|extend)$/.test(field)) {
          const last = args?.namedChild(args.namedChildCount - 1);
          if (last?.type === 'identifier' && s.params?.has(last.text)) this.x.symbols[s.caller]!.facts.stores_param = true;
        }
      } else this.walk(fn, s);
    }
    if (args) this.items(args, s);
  }

  private fieldType(s: Scope, field: string): string | null {
    if (!s.selfType) return null;
    const t = this.findType(s.selfType);
    const f = t >= 0 ? this.x.symbols[t]!.facts.fields?.find(([n]) => n === field) : undefined;
    return f?.[1] || null;
  }

  /** Flattens a `use` tree into one import per bound name: `a::{b as c, d::*}`. */
  private useTree(node: Node, prefix: string, at: Node): void {
    const join = (a: string, b: string) => (a ? `${a}::${b}` : b);
    switch (node.type) {
      case 'scoped_identifier':
      case 'identifier':
      case 'crate':
      case 'self':
      case 'super': {
        const full = join(prefix, node.text);
        const parts = full.split('::');
        const last = parts[parts.length - 1]!;
        if (last === 'self') {
          const mod = parts.slice(0, -1).join('::');
          this.x.import(mod, null, parts[parts.length - 2] ?? mod, at, 'module');
        } else this.x.import(parts.slice(0, -1).join('::'), last, last, at, 'named');
        return;
      }
      case 'use_as_clause': {
        const path = node.childForFieldName('path');
        const alias = node.childForFieldName('alias')?.text;
        if (!path || !alias) return;
        const full = join(prefix, path.text);
        const parts = full.split('::');
        const last = parts[parts.length - 1]!;
        if (last === 'self') this.x.import(parts.slice(0, -1).join('::'), null, alias, at, 'module');
        else this.x.import(parts.slice(0, -1).join('::'), last, alias, at, 'named');
        return;
      }
      case 'use_wildcard': {
        const base = node.namedChild(0);
        this.x.import(join(prefix, base?.text ?? ''), null, '', at, 'wildcard');
        return;
      }
      case 'scoped_use_list': {
        const path = node.childForFieldName('path');
        const list = node.childForFieldName('list');
        const p = join(prefix, path?.text ?? '');
        if (list) for (const item of kids(list)) this.useTree(item, p, at);
        return;
      }
      case 'use_list':
        for (const item of kids(node)) this.useTree(item, prefix, at);
        return;
    }
  }
}
