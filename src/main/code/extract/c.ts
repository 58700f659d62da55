// Symbols, calls and includes of C and C++: functions, out-of-line methods (`A::f`), classes, structs, enums, macros.
import type { Node } from 'web-tree-sitter';
import type { SymbolKind, Visibility } from '../model';
import { bareType, Extraction, kids, stringValue } from './context';

interface Scope {
  container: number;
  caller: number;
  cls: number;
  access: Visibility | null;
  vars: Map<string, string> | null;
  params: Set<string> | null;
}

const RECORDS: Record<string, SymbolKind> = { class_specifier: 'class', struct_specifier: 'struct', union_specifier: 'struct' };

export function extractC(x: Extraction, root: Node): void {
  new CWalker(x).walkChildren(root, { container: -1, caller: -1, cls: -1, access: null, vars: null, params: null });
}

/** The function_declarator inside pointer/reference wrappers, or null. */
function functionDeclarator(d: Node | null): Node | null {
  let n = d;
  for (let i = 0; n && i < 6; i++) {
    if (n.type === 'function_declarator') return n;
    n = n.childForFieldName('declarator') ?? (n.type === 'reference_declarator' || n.type === 'pointer_declarator' ? n.namedChild(n.namedChildCount - 1) : null);
  }
  return null;
}

/** Name and owner scope of a declarator name: `ns::A::f` → f owned by A. */
function splitName(n: Node): { name: string; scope: string[] } {
  if (n.type === 'qualified_identifier') {
    const scope = n.childForFieldName('scope')?.text ?? '';
    const inner = n.childForFieldName('name');
    if (!inner) return { name: '', scope: [] };
    const rest = splitName(inner);
    return { name: rest.name, scope: [...scope.split('::').map((p) => p.replace(/<.*>$/, '')).filter(Boolean), ...rest.scope] };
  }
  if (n.type === 'template_function' || n.type === 'template_type') return splitName(n.childForFieldName('name') ?? n);
  return { name: n.text, scope: [] };
}

class CWalker {
  constructor(private readonly x: Extraction) {}

  walkChildren(node: Node, s: Scope): void {
    for (const c of node.namedChildren) if (c) this.walk(c, s);
  }

  walk(node: Node, s: Scope): void {
    const rec = RECORDS[node.type];
    if (rec) return this.record(node, rec, s);
    switch (node.type) {
      case 'comment':
        return;
      case 'preproc_include': {
        const p = node.childForFieldName('path');
        if (p) this.x.import(p.type === 'system_lib_string' ? p.text : stringValue(p), null, '', node, 'module');
        return;
      }
      case 'preproc_def':
      case 'preproc_function_def': {
        const name = node.childForFieldName('name')?.text;
        if (name && s.caller < 0) this.x.symbol({ node, name, kind: 'macro', parent: -1 });
        return;
      }
      case 'namespace_definition': {
        const name = node.childForFieldName('name')?.text;
        const body = node.childForFieldName('body');
        if (!name) {
          if (body) this.walkChildren(body, s);
          return;
        }
        const idx = this.x.symbol({ node, name, kind: 'namespace', parent: s.container, body });
        if (body) this.walkChildren(body, { ...s, container: idx });
        return;
      }
      case 'function_definition':
        return this.func(node, s);
      case 'enum_specifier': {
        const name = node.childForFieldName('name')?.text;
        const body = node.childForFieldName('body');
        if (!name || !body) return;
        const idx = this.x.symbol({ node, name, kind: 'enum', parent: s.container, body, visibility: s.access });
        for (const e of kids(body)) if (e.type === 'enumerator') {
          const en = e.childForFieldName('name')?.text;
          if (en) this.x.symbol({ node: e, name: en, kind: 'enum_member', parent: idx });
        }
        return;
      }
      case 'type_definition': {
        const type = node.childForFieldName('type');
        const decl = node.childForFieldName('declarator');
        const name = decl?.type === 'type_identifier' ? decl.text : '';
        if (type && RECORDS[type.type] && type.childForFieldName('body')) {
          // typedef struct { ... } Name;  — the struct is known by the typedef's name.
          return this.record(type, RECORDS[type.type]!, s, type.childForFieldName('name')?.text || name, node);
        }
        if (type?.type === 'enum_specifier' && type.childForFieldName('body')) {
          this.walk(type, s);
          if (!type.childForFieldName('name') && name) this.x.symbol({ node, name, kind: 'enum', parent: s.container });
          return;
        }
        if (name && s.caller < 0) this.x.symbol({ node, name, kind: 'type', parent: s.container, facts: { type: bareType(type?.text) } });
        return;
      }
      case 'template_declaration':
      case 'linkage_specification':
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_else':
      case 'preproc_elif':
      case 'declaration_list':
        return this.walkChildren(node, s);
      case 'declaration':
      case 'field_declaration':
        return this.declaration(node, s);
      case 'access_specifier':
        return;
      case 'call_expression': {
        const fn = node.childForFieldName('function');
        const args = node.childForFieldName('arguments');
        if (fn?.type === 'identifier') this.x.call(fn.text, null, node, s.caller);
        else if (fn?.type === 'field_expression') {
          const arg = fn.childForFieldName('argument');
          const field = fn.childForFieldName('field')?.text ?? '';
          let receiver = '<expr>';
          let rtype: string | null = null;
          if (arg?.type === 'this') receiver = 'this';
          else if (arg?.type === 'identifier') {
            receiver = arg.text;
            rtype = s.vars?.get(arg.text) ?? null;
          } else if (arg) this.walk(arg, s);
          this.x.call(field, receiver, node, s.caller, 'call', rtype);
        } else if (fn?.type === 'qualified_identifier') {
          const { name, scope } = splitName(fn);
          this.x.call(name, scope.join('::') || null, node, s.caller);
        } else if (fn?.type === 'template_function') {
          this.x.call(splitName(fn).name, null, node, s.caller);
        } else if (fn) this.walk(fn, s);
        if (args) this.walkChildren(args, s);
        return;
      }
      case 'new_expression': {
        const t = bareType(node.childForFieldName('type')?.text);
        if (t) {
          this.x.call(t, null, node, s.caller, 'new');
          if (s.caller >= 0) this.x.addFact(s.caller, 'creates', t);
        }
        const args = node.childForFieldName('arguments');
        if (args) this.walkChildren(args, s);
        return;
      }
      case 'return_statement': {
        const v = node.namedChild(0);
        if (v && s.caller >= 0) {
          if (v.type === 'pointer_expression' && v.childForFieldName('argument')?.type === 'this') this.x.symbols[s.caller]!.facts.returns_self = true;
          if (v.type === 'this') this.x.symbols[s.caller]!.facts.returns_self = true;
          if (v.type === 'new_expression') {
            const t = bareType(v.childForFieldName('type')?.text);
            if (t) this.x.addFact(s.caller, 'returns_new', t);
          }
        }
        return this.walkChildren(node, s);
      }
      default:
        if (node.namedChildCount) this.walkChildren(node, s);
    }
  }

  private record(node: Node, kind: SymbolKind, s: Scope, nameOverride?: string, outer?: Node): void {
    const name = nameOverride ?? node.childForFieldName('name')?.text;
    const body = node.childForFieldName('body');
    if (!body) return;
    if (!name) return this.walkChildren(body, s);
    const bases: string[] = [];
    for (const k of kids(node)) if (k.type === 'base_class_clause') for (const t of kids(k)) if (t.type !== 'access_specifier') bases.push(bareType(t.text));
    const idx = this.x.symbol({ node, name: splitName(node.childForFieldName('name') ?? node).name && !nameOverride ? splitName(node.childForFieldName('name')!).name : name, kind, parent: s.container, outer, body, visibility: s.access, facts: bases.length ? { bases: bases.filter(Boolean) } : {} });
    const inner: Scope = { container: idx, caller: -1, cls: idx, access: node.type === 'class_specifier' ? 'private' : 'public', vars: null, params: null };
    for (const m of kids(body)) {
      if (m.type === 'access_specifier') {
        inner.access = m.text.replace(/:$/, '').trim() as Visibility;
        continue;
      }
      this.walk(m, inner);
    }
  }

  private declaration(node: Node, s: Scope): void {
    const type = node.childForFieldName('type');
    if (type && (RECORDS[type.type] || type.type === 'enum_specifier') && type.childForFieldName('body')) this.walk(type, s);
    const typeName = bareType(type?.text);
    for (const d of node.childrenForFieldName('declarator')) {
      if (!d) continue;
      const fd = functionDeclarator(d);
      // `void (*cb)(int);` is a data member (or variable) holding a function pointer, not a function.
      const fnPointer = fd ? pointerName(fd.childForFieldName('declarator')) : null;
      if (fnPointer) {
        if (s.caller >= 0) continue;
        this.x.symbol({ node, name: fnPointer, kind: s.cls >= 0 ? 'field' : 'variable', parent: s.container, visibility: s.access, facts: { type: 'function' } });
        if (s.cls >= 0) this.x.addFact(s.cls, 'fields', [fnPointer, '']);
        continue;
      }
      if (fd) {
        // A declaration inside a class is the method's declaration; at file level it is a prototype (not a definition).
        if (s.cls < 0 || s.caller >= 0) continue;
        const nameNode = fd.childForFieldName('declarator');
        if (!nameNode) continue;
        const { name } = splitName(nameNode);
        if (name) this.x.symbol({ node, name, kind: 'method', parent: s.container, visibility: s.access, facts: { ...(/\bvirtual\b/.test(node.text) && /=\s*0\s*;?$/.test(node.text) ? { is_abstract: true } : {}), ...(/^\s*static\b/.test(node.text) ? { is_static: true } : {}) } });
        continue;
      }
      let n: Node | null = d.type === 'init_declarator' ? d.childForFieldName('declarator') : d;
      while (n && (n.type === 'pointer_declarator' || n.type === 'array_declarator' || n.type === 'reference_declarator')) n = n.childForFieldName('declarator') ?? n.namedChild(n.namedChildCount - 1);
      if (!n || (n.type !== 'identifier' && n.type !== 'field_identifier')) continue;
      const value = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
      if (s.caller >= 0) {
        const t = typeName === 'auto' && value?.type === 'new_expression' ? bareType(value.childForFieldName('type')?.text) : typeName;
        if (s.vars && t && t !== 'auto') s.vars.set(n.text, t);
      } else if (s.cls >= 0) {
        this.x.symbol({ node, name: n.text, kind: 'field', parent: s.container, visibility: s.access, facts: typeName ? { type: typeName } : {} });
        this.x.addFact(s.cls, 'fields', [n.text, typeName]);
      } else if (!/^\s*extern\b/.test(node.text)) {
        this.x.symbol({ node, name: n.text, kind: /\bconst\b/.test(type?.text ?? '') || /^\s*(static\s+)?const\b/.test(node.text) ? 'constant' : 'variable', parent: s.container, visibility: /^\s*static\b/.test(node.text) ? 'internal' : null });
      }
      if (value) this.walk(value, s);
    }
  }

  private func(node: Node, s: Scope): void {
    const fd = functionDeclarator(node.childForFieldName('declarator'));
    const nameNode = fd?.childForFieldName('declarator');
    const body = node.childForFieldName('body');
    if (!fd || !nameNode) {
      if (body) this.walkChildren(body, s);
      return;
    }
    const { name, scope } = splitName(nameNode);
    if (!name) return;
    const owner = scope.length ? scope[scope.length - 1]! : null;
    let parent = s.container;
    if (owner) {
      const local = this.x.symbols.findIndex((sym) => sym.name === owner && (sym.kind === 'class' || sym.kind === 'struct'));
      if (local >= 0) parent = local;
    }
    const isMember = s.cls >= 0 || !!owner;
    const isStatic = kids(node).some((k) => k.type === 'storage_class_specifier' && k.text === 'static');
    const idx = this.x.symbol({
      node,
      name,
      kind: isMember && (s.cls >= 0 || !this.isNamespace(owner)) ? 'method' : 'function',
      parent: owner && parent === s.container && s.cls < 0 ? -1 : parent,
      ...(owner && !(parent >= 0 && this.x.symbols[parent]!.name === owner) ? { owner } : {}),
      body,
      visibility: s.cls >= 0 ? s.access : isStatic ? 'internal' : null,
      is_test: this.x.testFile && /^test_?/i.test(name),
      facts: { ...(bareType(node.childForFieldName('type')?.text) ? { type: bareType(node.childForFieldName('type')?.text) } : {}), ...(isStatic && isMember ? { is_static: true } : {}) },
    });
    const sym = this.x.symbols[idx]!;
    if (owner && sym.parent < 0 && !this.isNamespace(owner)) sym.owner = owner;
    const vars = new Map<string, string>();
    const params = new Set<string>();
    const ps = fd.childForFieldName('parameters');
    if (ps)
      for (const p of kids(ps)) {
        let d = p.childForFieldName('declarator');
        while (d && d.type !== 'identifier') d = d.childForFieldName('declarator') ?? (d.namedChildCount ? d.namedChild(d.namedChildCount - 1) : null);
        if (!d) continue;
        const t = bareType(p.childForFieldName('type')?.text);
        params.add(d.text);
        if (t) vars.set(d.text, t);
        (sym.facts.params ??= []).push([d.text, t]);
      }
    if (body) this.walkChildren(body, { container: idx, caller: idx, cls: s.cls >= 0 ? s.cls : parent !== s.container ? parent : -1, access: null, vars, params });
  }

  private isNamespace(name: string | null): boolean {
    if (!name) return false;
    return this.x.symbols.some((s) => s.name === name && s.kind === 'namespace');
  }
}

/** The name inside `(*name)`, when a function declarator declares a pointer to a function. */
function pointerName(n: Node | null): string | null {
  if (n?.type !== 'parenthesized_declarator') return null;
  let d: Node | null = n.namedChild(0);
  while (d && (d.type === 'pointer_declarator' || d.type === 'parenthesized_declarator')) d = d.childForFieldName('declarator') ?? d.namedChild(0);
  return d && (d.type === 'identifier' || d.type === 'field_identifier') ? d.text : null;
}
