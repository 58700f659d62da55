// Symbols, calls and imports of TypeScript, TSX, JavaScript and JSX (one walker: TS's grammar extends JS's).
import type { Node } from 'web-tree-sitter';
import type { SymbolKind, Visibility } from '../model';
import { bareType, Extraction, hasToken, kids, stringValue } from './context';

interface Scope {
  /** Parent for new symbols. */
  container: number;
  /** Symbol the calls are attributed to (-1: module level). */
  caller: number;
  /** Enclosing class, for `this`. */
  cls: number;
  /** Local variable → type name, for typed receivers. */
  vars: Map<string, string> | null;
  /** At module or namespace level (declarations here are the module's own). */
  top: boolean;
  /** Parameter names of the enclosing callable (callbacks, `next`). */
  params: Set<string> | null;
  /** Loop variables iterating over a field (`for (const l of this.listeners)`). */
  iterVars: Set<string> | null;
}

const FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);
const CLASS_DECLS = new Set(['class_declaration', 'abstract_class_declaration', 'class']);

export function extractTypeScript(x: Extraction, root: Node): void {
  const w = new TsWalker(x);
  w.walkChildren(root, { container: -1, caller: -1, cls: -1, vars: null, top: true, params: null, iterVars: null });
  w.finish();
}

class TsWalker {
  private readonly exportedNames = new Set<string>();
  private defaultName: string | null = null;
  constructor(private readonly x: Extraction) {}

  walkChildren(node: Node, s: Scope): void {
    for (const c of node.namedChildren) if (c) this.walk(c, s);
  }

  walk(node: Node, s: Scope, exported = false, outer?: Node): void {
    switch (node.type) {
      case 'comment':
        return;
      case 'export_statement':
        return this.exportStatement(node, s);
      case 'import_statement':
        return this.importStatement(node);
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'function_signature': {
        const name = node.childForFieldName('name');
        if (!name) return this.walkChildren(node, s);
        // Overload signatures followed by their implementation would double the symbol.
        if (node.type === 'function_signature' && node.nextNamedSibling?.type === 'function_declaration' && node.nextNamedSibling.childForFieldName('name')?.text === name.text) return;
        this.func(node, name.text, s.top || s.container < 0 ? 'function' : 'function', s, exported, outer);
        return;
      }
      case 'class_declaration':
      case 'abstract_class_declaration':
      case 'class': {
        const name = node.childForFieldName('name');
        if (!name) return this.classBody(node, -1, s);
        this.klass(node, name.text, s, exported, outer);
        return;
      }
      case 'interface_declaration':
        return this.iface(node, s, exported, outer);
      case 'enum_declaration': {
        const name = node.childForFieldName('name');
        if (!name) return;
        const idx = this.x.symbol({ node, name: name.text, kind: 'enum', parent: s.container, outer, exported, body: node.childForFieldName('body') });
        const body = node.childForFieldName('body');
        if (body)
          for (const m of kids(body)) {
            const n = m.type === 'enum_assignment' ? m.childForFieldName('name') : m.type === 'property_identifier' || m.type === 'string' ? m : null;
            if (n) this.x.symbol({ node: m, name: stringValue(n), kind: 'enum_member', parent: idx, doc: null });
          }
        return;
      }
      case 'type_alias_declaration': {
        const name = node.childForFieldName('name');
        if (name) this.x.symbol({ node, name: name.text, kind: 'type', parent: s.container, outer, exported, body: node.childForFieldName('value') });
        return;
      }
      case 'internal_module':
      case 'module': {
        const name = node.childForFieldName('name');
        const body = node.childForFieldName('body');
        if (!name) return;
        const idx = this.x.symbol({ node, name: stringValue(name), kind: node.type === 'module' ? 'module' : 'namespace', parent: s.container, outer, exported, body });
        if (body) this.walkChildren(body, { ...s, container: idx, top: true });
        return;
      }
      case 'ambient_declaration':
        return this.walkChildren(node, s);
      case 'lexical_declaration':
      case 'variable_declaration':
        for (const d of kids(node)) if (d.type === 'variable_declarator') this.declarator(d, node, s, exported, outer);
        return;
      case 'expression_statement': {
        const e = node.namedChild(0);
        if (e?.type === 'assignment_expression') return this.assignment(e, node, s);
        return this.walkChildren(node, s);
      }
      case 'assignment_expression':
        return this.assignment(node, node, s);
      case 'call_expression':
        return this.callExpr(node, s);
      case 'new_expression': {
        const ctor = node.childForFieldName('constructor');
        if (ctor) {
          const { name, receiver } = this.callee(ctor);
          if (name) {
            this.x.call(name, receiver, node, s.caller, 'new');
            if (s.caller >= 0) this.x.addFact(s.caller, 'creates', name);
          }
        }
        const args = node.childForFieldName('arguments');
        if (args) this.walkChildren(args, s);
        return;
      }
      case 'return_statement': {
        const v = node.namedChild(0);
        if (v && s.caller >= 0) this.returnFacts(v, s.caller);
        return this.walkChildren(node, s);
      }
      case 'for_in_statement': {
        const right = node.childForFieldName('right');
        const left = node.childForFieldName('left');
        if (right && left && /^this\.\w+$/.test(right.text)) {
          const names = new Set(s.iterVars ?? []);
          for (const id of left.type === 'identifier' ? [left] : left.descendantsOfType('identifier')) if (id) names.add(id.text);
          return this.walkChildren(node, { ...s, iterVars: names });
        }
        return this.walkChildren(node, s);
      }
      case 'arrow_function':
      case 'function_expression':
      case 'function':
      case 'generator_function': {
        // A named function expression passed somewhere (`app.get('/', function handler() {})`) is still a definition.
        const name = node.childForFieldName('name');
        if (name && node.type !== 'arrow_function') {
          this.func(node, name.text, 'function', s, false);
          return;
        }
        return this.anonymousFunction(node, s);
      }
      case 'jsx_opening_element':
      case 'jsx_self_closing_element': {
        const name = node.childForFieldName('name');
        if (name && /^[A-Z]/.test(name.text)) {
          const parts = name.text.split('.');
          this.x.call(parts[parts.length - 1]!, parts.length > 1 ? parts.slice(0, -1).join('.') : null, node, s.caller, 'new');
        }
        return this.walkChildren(node, s);
      }
      default:
        if (node.namedChildCount) this.walkChildren(node, s);
    }
  }

  finish(): void {
    // `export { a, b }` lists names declared elsewhere in the file.
    for (const sym of this.x.symbols) {
      if (sym.parent >= 0) continue;
      if (this.exportedNames.has(sym.name)) sym.exported = true;
      if (this.defaultName === sym.name) sym.facts.default_export = true;
    }
    for (const c of this.x.calls) {
      if (c.receiver_type || !c.receiver || !c.receiver.startsWith('this.') || c.caller < 0) continue;
      const field = c.receiver.slice(5);
      if (field.includes('.')) continue;
      const cls = this.x.enclosing(c.caller, CLASSES);
      const f = cls >= 0 ? this.x.symbols[cls]!.facts.fields?.find(([n]) => n === field) : undefined;
      if (f?.[1]) c.receiver_type = f[1];
    }
  }

  private exportStatement(node: Node, s: Scope): void {
    const decl = node.childForFieldName('declaration');
    const source = node.childForFieldName('source');
    if (decl) {
      const before = this.x.symbols.length;
      this.walk(decl, s, true, node);
      if (hasToken(node, 'default') && this.x.symbols.length > before) this.x.symbols[before]!.facts.default_export = true;
      return;
    }
    if (source) {
      const src = stringValue(source);
      const clause = kids(node).find((k) => k.type === 'export_clause');
      if (clause) {
        for (const spec of kids(clause)) {
          const name = spec.childForFieldName('name');
          const alias = spec.childForFieldName('alias');
          if (name) this.x.import(src, name.text, (alias ?? name).text, spec, 'reexport');
        }
      } else {
        const ns = kids(node).find((k) => k.type === 'namespace_export');
        const nsName = ns?.namedChild(0)?.text;
        if (nsName) this.x.import(src, null, nsName, node, 'module');
        else this.x.import(src, null, '', node, 'reexport_all');
      }
      return;
    }
    const clause = kids(node).find((k) => k.type === 'export_clause');
    if (clause) {
      for (const spec of kids(clause)) {
        const name = spec.childForFieldName('name');
        if (name) this.exportedNames.add(name.text);
      }
      return;
    }
    // export default <expression>
    const value = node.childForFieldName('value') ?? kids(node).find((k) => k.type !== 'comment' && k.type !== 'decorator');
    if (!value) return;
    if (value.type === 'identifier') {
      this.exportedNames.add(value.text);
      this.defaultName = value.text;
      return;
    }
    if (FUNCTION_VALUES.has(value.type) || CLASS_DECLS.has(value.type)) {
      const name = value.childForFieldName('name');
      const idx = CLASS_DECLS.has(value.type) ? this.klass(value, name?.text ?? 'default', s, true, node) : this.func(value, name?.text ?? 'default', 'function', s, true, node);
      this.x.symbols[idx]!.facts.default_export = true;
      return;
    }
    this.walk(value, s);
  }

  private importStatement(node: Node): void {
    const source = stringValue(node.childForFieldName('source'));
    const clause = kids(node).find((k) => k.type === 'import_clause');
    const req = kids(node).find((k) => k.type === 'import_require_clause');
    if (req) {
      const id = req.namedChild(0);
      const src = req.childForFieldName('source');
      if (id && src) this.x.import(stringValue(src), null, id.text, node, 'module');
      return;
    }
    if (!clause) {
      this.x.import(source, null, '', node, 'module');
      return;
    }
    for (const part of kids(clause)) {
      if (part.type === 'identifier') this.x.import(source, 'default', part.text, part, 'default');
      else if (part.type === 'namespace_import') {
        const id = part.namedChild(0);
        if (id) this.x.import(source, null, id.text, part, 'module');
      } else if (part.type === 'named_imports') {
        for (const spec of kids(part)) {
          if (spec.type !== 'import_specifier') continue;
          const name = spec.childForFieldName('name');
          const alias = spec.childForFieldName('alias');
          if (name) this.x.import(source, stringValue(name), stringValue(alias ?? name), spec, 'named');
        }
      }
    }
  }

  private func(node: Node, name: string, kind: SymbolKind, s: Scope, exported: boolean, outer?: Node, parentOverride?: number): number {
    const body = node.childForFieldName('body');
    const parent = parentOverride ?? s.container;
    const idx = this.x.symbol({
      node,
      name,
      kind,
      parent,
      outer,
      exported,
      body,
      is_async: hasToken(node, 'async'),
      is_test: this.x.testFile && /^test/i.test(name),
    });
    this.callableBody(node, idx, s);
    return idx;
  }

  /** Parameters, return type and body of a callable, walked in its own scope. */
  private callableBody(node: Node, idx: number, s: Scope): void {
    const vars = new Map<string, string>();
    const params = new Set<string>();
    const paramsNode = node.childForFieldName('parameters') ?? node.childForFieldName('parameter');
    const sym = this.x.symbols[idx]!;
    if (paramsNode) {
      const list = paramsNode.type === 'identifier' ? [paramsNode] : kids(paramsNode);
      for (const p of list) {
        const pat = p.type === 'identifier' ? p : (p.childForFieldName('pattern') ?? p.childForFieldName('name'));
        if (!pat || pat.type !== 'identifier') continue;
        const type = bareType(p.childForFieldName('type')?.text);
        params.add(pat.text);
        if (type) vars.set(pat.text, type);
        (sym.facts.params ??= []).push([pat.text, type]);
        // Constructor parameter properties (`constructor(private repo: Repo)`) are fields of the class.
        if (sym.name === 'constructor' && kids(p).some((k) => k.type === 'accessibility_modifier' || k.text === 'readonly') && s.cls >= 0) {
          this.x.addFact(s.cls, 'fields', [pat.text, type]);
        }
      }
    }
    const ret = bareType(node.childForFieldName('return_type')?.text);
    if (ret) sym.facts.type = ret;
    const body = node.childForFieldName('body');
    if (!body) return;
    const inner: Scope = { container: idx, caller: idx, cls: s.cls, vars: chain(s.vars, vars), top: false, params, iterVars: null };
    if (body.type === 'statement_block') this.walkChildren(body, inner);
    else {
      this.returnFacts(body, idx);
      this.walk(body, inner);
    }
  }

  private anonymousFunction(node: Node, s: Scope): void {
    const body = node.childForFieldName('body');
    if (!body) return;
    const paramsNode = node.childForFieldName('parameters') ?? node.childForFieldName('parameter');
    const params = new Set(s.params ?? []);
    if (paramsNode) for (const id of paramsNode.type === 'identifier' ? [paramsNode] : paramsNode.descendantsOfType('identifier')) if (id) params.add(id.text);
    // Calls inside a callback belong to the enclosing named symbol.
    this.walk(body, { ...s, top: false, params, vars: s.vars });
  }

  private klass(node: Node, name: string, s: Scope, exported: boolean, outer?: Node, parentOverride?: number): number {
    const bases: string[] = [];
    for (const h of kids(node)) {
      if (h.type !== 'class_heritage') continue;
      for (const clause of kids(h)) {
        if (clause.type === 'extends_clause' || clause.type === 'implements_clause') {
          for (const t of kids(clause)) {
            if (t.type === 'type_arguments' || t.type === 'arguments') continue;
            const b = bareType(t.text);
            if (b) bases.push(b);
          }
        } else {
          const b = bareType(clause.text);
          if (b) bases.push(b);
        }
      }
    }
    const decorators = kids(node).filter((k) => k.type === 'decorator').map((d) => bareType(d.text.replace(/^@/, '')));
    const abstract = node.type === 'abstract_class_declaration';
    const idx = this.x.symbol({
      node,
      name,
      kind: 'class',
      parent: parentOverride ?? s.container,
      outer,
      exported,
      body: node.childForFieldName('body'),
      is_test: false,
      facts: { ...(bases.length ? { bases } : {}), ...(decorators.length ? { decorators } : {}), ...(abstract ? { is_abstract: true } : {}) },
    });
    this.classBody(node, idx, s);
    return idx;
  }

  private classBody(node: Node, idx: number, s: Scope): void {
    const body = node.childForFieldName('body');
    if (!body) return;
    const inClass: Scope = { container: idx, caller: s.caller, cls: idx, vars: s.vars, top: false, params: null, iterVars: null };
    const implemented = new Set(kids(body).filter((m) => m.type === 'method_definition').map((m) => m.childForFieldName('name')?.text));
    let pendingDecorators: string[] = [];
    for (const m of kids(body)) {
      if (m.type === 'decorator') {
        pendingDecorators.push(bareType(m.text.replace(/^@/, '')));
        continue;
      }
      const decorators = [...pendingDecorators, ...kids(m).filter((k) => k.type === 'decorator').map((d) => bareType(d.text.replace(/^@/, '')))].filter(Boolean);
      pendingDecorators = [];
      const nameNode = m.childForFieldName('name');
      const name = nameNode ? memberName(nameNode) : '';
      const isStatic = hasToken(m, 'static');
      const visibility = memberVisibility(m, name);
      const base = { ...(isStatic ? { is_static: true } : {}), ...(decorators.length ? { decorators } : {}) };
      switch (m.type) {
        case 'method_definition': {
          if (!name) break;
          const mi = this.x.symbol({
            node: m,
            name,
            kind: 'method',
            parent: idx,
            visibility,
            body: m.childForFieldName('body'),
            is_async: hasToken(m, 'async'),
            is_test: this.x.testFile && /^test/i.test(name),
            exported: idx >= 0 && this.x.symbols[idx]!.exported,
            facts: { ...base },
          });
          this.callableBody(m, mi, inClass);
          break;
        }
        case 'method_signature':
        case 'abstract_method_signature': {
          if (!name || (m.type === 'method_signature' && implemented.has(name))) break;
          const mi = this.x.symbol({ node: m, name, kind: 'method', parent: idx, visibility, facts: { ...base, ...(m.type === 'abstract_method_signature' ? { is_abstract: true } : {}) } });
          this.callableBody(m, mi, inClass);
          break;
        }
        case 'public_field_definition':
        case 'field_definition': {
          const prop = nameNode ?? m.childForFieldName('property');
          const fname = prop ? memberName(prop) : '';
          if (!fname) break;
          const value = m.childForFieldName('value');
          const type = bareType(m.childForFieldName('type')?.text) || (value?.type === 'new_expression' ? bareType(value.childForFieldName('constructor')?.text) : '');
          if (idx >= 0) this.x.addFact(idx, 'fields', [fname, type]);
          if (value && FUNCTION_VALUES.has(value.type)) {
            const mi = this.x.symbol({ node: m, name: fname, kind: 'method', parent: idx, visibility, body: value.childForFieldName('body'), is_async: hasToken(value, 'async'), facts: { ...base } });
            this.callableBody(value, mi, inClass);
          } else {
            this.x.symbol({ node: m, name: fname, kind: 'field', parent: idx, visibility, facts: { ...base, ...(type ? { type } : {}) } });
            if (value) this.walk(value, inClass);
          }
          break;
        }
        case 'class_static_block':
          this.walkChildren(m, inClass);
          break;
        default:
          this.walk(m, inClass);
      }
    }
  }

  private iface(node: Node, s: Scope, exported: boolean, outer?: Node): void {
    const name = node.childForFieldName('name');
    if (!name) return;
    const bases: string[] = [];
    for (const k of kids(node)) if (k.type === 'extends_type_clause') for (const t of kids(k)) bases.push(bareType(t.text));
    const body = node.childForFieldName('body');
    const idx = this.x.symbol({ node, name: name.text, kind: 'interface', parent: s.container, outer, exported, body, facts: bases.length ? { bases: bases.filter(Boolean) } : {} });
    if (!body) return;
    for (const m of kids(body)) {
      const n = m.childForFieldName('name');
      if (!n) continue;
      if (m.type === 'method_signature') this.x.symbol({ node: m, name: memberName(n), kind: 'method', parent: idx, facts: { is_abstract: true } });
      else if (m.type === 'property_signature') {
        const t = m.childForFieldName('type');
        const isFn = t?.namedChild(0)?.type === 'function_type';
        this.x.symbol({ node: m, name: memberName(n), kind: isFn ? 'method' : 'field', parent: idx, facts: isFn ? { is_abstract: true } : { type: bareType(t?.text) } });
      }
    }
  }

  private declarator(d: Node, decl: Node, s: Scope, exported: boolean, outer?: Node): void {
    const nameNode = d.childForFieldName('name');
    const value = d.childForFieldName('value');
    if (!nameNode) return;
    // `const x = require('y')` and `const { a, b: c } = require('y')` are imports.
    if (value?.type === 'call_expression' && value.childForFieldName('function')?.text === 'require') {
      const arg = value.childForFieldName('arguments')?.namedChild(0);
      if (arg && (arg.type === 'string' || arg.type === 'template_string')) {
        const src = stringValue(arg);
        if (nameNode.type === 'identifier') this.x.import(src, null, nameNode.text, d, 'module');
        else if (nameNode.type === 'object_pattern') {
          for (const p of kids(nameNode)) {
            if (p.type === 'shorthand_property_identifier_pattern') this.x.import(src, p.text, p.text, p, 'named');
            else if (p.type === 'pair_pattern') {
              const k = p.childForFieldName('key');
              const v = p.childForFieldName('value');
              if (k && v?.type === 'identifier') this.x.import(src, k.text, v.text, p, 'named');
            }
          }
        }
        return;
      }
    }
    if (nameNode.type !== 'identifier') {
      if (value) this.walk(value, s);
      return;
    }
    const name = nameNode.text;
    const docNode = outer ?? decl;
    if (value && FUNCTION_VALUES.has(value.type)) {
      this.funcValue(value, d, name, s, exported, docNode);
      return;
    }
    if (value && CLASS_DECLS.has(value.type)) {
      this.klass(value, name, s, exported, docNode);
      return;
    }
    const annotated = bareType(d.childForFieldName('type')?.text);
    const created = value?.type === 'new_expression' ? bareType(value.childForFieldName('constructor')?.text) : '';
    if (!s.top) {
      if (s.vars && (annotated || created)) s.vars.set(name, annotated || created);
      // A local object literal is a small definition of its own (ctags tags these too); its function members are methods.
      if (value?.type === 'object' && value.namedChildCount > 0) {
        const idx = this.x.symbol({ node: d, name, kind: 'variable', parent: s.container, outer: docNode, visibility: 'private', doc: null });
        this.objectMembers(value, idx, s);
        return;
      }
      if (value) this.walk(value, s);
      return;
    }
    const isConst = decl.type === 'lexical_declaration' && decl.text.startsWith('const');
    const idx = this.x.symbol({
      node: d,
      name,
      kind: isConst ? 'constant' : 'variable',
      parent: s.container,
      outer: docNode,
      exported,
      facts: annotated || created ? { type: annotated || created } : {},
    });
    if (!value) return;
    if (value.type === 'object') this.objectMembers(value, idx, s);
    else this.walk(value, { ...s, caller: s.caller >= 0 ? s.caller : -1 });
  }

  /** A function written as a value (`const f = () => ...`, `x.y = function () {}`): a function or method symbol. */
  private funcValue(value: Node, at: Node, name: string, s: Scope, exported: boolean, docNode: Node, kind: SymbolKind = 'function', parent?: number): number {
    const idx = this.x.symbol({
      node: at,
      name,
      kind,
      parent: parent ?? s.container,
      outer: docNode,
      exported,
      body: value.childForFieldName('body'),
      is_async: hasToken(value, 'async'),
      is_test: this.x.testFile && /^test/i.test(name),
    });
    this.callableBody(value, idx, s);
    return idx;
  }

  /** Members of an object literal bound to a name: function-valued ones are methods of that name. */
  private objectMembers(obj: Node, parent: number, s: Scope, exported = false): void {
    // Members of `module.exports = { ... }` are the module's exported functions.
    const kind: SymbolKind = parent < 0 ? 'function' : 'method';
    for (const p of kids(obj)) {
      if (p.type === 'method_definition') {
        const n = p.childForFieldName('name');
        if (!n) continue;
        const mi = this.x.symbol({ node: p, name: memberName(n), kind, parent, exported, body: p.childForFieldName('body'), is_async: hasToken(p, 'async') });
        this.callableBody(p, mi, s);
      } else if (p.type === 'pair') {
        const k = p.childForFieldName('key');
        const v = p.childForFieldName('value');
        if (!k || !v) continue;
        if (FUNCTION_VALUES.has(v.type)) this.funcValue(v, p, memberName(k), s, exported, p, kind, parent);
        else this.walk(v, s);
      } else if (p.type === 'shorthand_property_identifier' && exported) {
        this.exportedNames.add(p.text);
      } else this.walk(p, s);
    }
  }

  private assignment(e: Node, stmt: Node, s: Scope): void {
    const left = e.childForFieldName('left');
    const right = e.childForFieldName('right');
    if (!left || !right) return this.walkChildren(e, s);
    if (left.type !== 'member_expression') {
      if (left.type === 'identifier' && s.vars && right.type === 'new_expression') {
        const t = bareType(right.childForFieldName('constructor')?.text);
        if (t) s.vars.set(left.text, t);
      }
      return this.walk(right, s);
    }
    const obj = left.childForFieldName('object');
    const prop = left.childForFieldName('property');
    if (!obj || !prop) return this.walk(right, s);
    const name = prop.text;
    const objText = obj.text;
    // this.x = ... inside a class: a field of that class (with its type when it is constructed right there).
    if (obj.type === 'this' && s.cls >= 0 && !FUNCTION_VALUES.has(right.type)) {
      const t = right.type === 'new_expression' ? bareType(right.childForFieldName('constructor')?.text) : right.type === 'identifier' ? (s.vars?.get(right.text) ?? '') : '';
      this.x.addFact(s.cls, 'fields', [name, t]);
      if (right.type === 'array' || right.type === 'new_expression') {
        /* a collection or object field: nothing more to walk but its arguments */
      }
      return this.walk(right, s);
    }
    if (objText === 'module' && name === 'exports') {
      // module.exports = ...: the value is the module's export.
      if (right.type === 'identifier') {
        this.exportedNames.add(right.text);
        this.defaultName = right.text;
      } else if (FUNCTION_VALUES.has(right.type)) {
        const n = right.childForFieldName('name')?.text;
        const idx = this.funcValue(right, stmt, n ?? 'exports', s, true, stmt);
        this.x.symbols[idx]!.facts.default_export = true;
      } else if (right.type === 'object') this.objectMembers(right, s.container, s, true);
      else if (CLASS_DECLS.has(right.type)) {
        const idx = this.klass(right, right.childForFieldName('name')?.text ?? 'exports', s, true, stmt);
        this.x.symbols[idx]!.facts.default_export = true;
      } else this.walk(right, s);
      return;
    }
    if (!FUNCTION_VALUES.has(right.type)) {
      // `X.prototype = { ... }` gives X its methods.
      if (name === 'prototype' && right.type === 'object') {
        const owner = this.topSymbol(objText);
        if (owner >= 0) return this.objectMembers(right, owner, s);
      }
      if (right.type === 'object' && s.top && /^[\w$.]+$/.test(objText)) {
        const owner = this.topSymbol(objText.split('.')[0]!);
        if (owner >= 0) return this.objectMembers(right, owner, s);
      }
      // `a.b.name = { ... }` defines an object under that name.
      if (right.type === 'object' && right.namedChildCount > 0 && obj.type !== 'this') {
        const idx = this.x.symbol({ node: stmt, name, kind: 'variable', parent: s.container, doc: null, visibility: s.top ? null : 'private' });
        return this.objectMembers(right, idx, s);
      }
      return this.walk(right, s);
    }
    // exports.foo = function () {}, X.prototype.m = function () {}, obj.m = function m() {}
    let parent = s.container;
    let kind: SymbolKind = 'function';
    let exported = false;
    const target = objText.replace(/\.prototype$/, '');
    if (objText === 'exports' || objText === 'module.exports') exported = true;
    else if (obj.type === 'this') {
      kind = 'method';
    } else if (/^[\w$]+(\.[\w$]+)*$/.test(target)) {
      const owner = this.topSymbol(target.split('.')[0]!);
      if (owner >= 0) {
        parent = owner;
        kind = 'method';
      }
    }
    this.funcValue(right, stmt, name, s, exported, stmt, kind, parent);
  }

  /** A top-level symbol of this file by name (for `X.prototype.m = ...` and `obj.m = ...`). */
  private topSymbol(name: string): number {
    for (let i = this.x.symbols.length - 1; i >= 0; i--) {
      const sym = this.x.symbols[i]!;
      if (sym.name === name && sym.parent < 0) return i;
    }
    return -1;
  }

  private callExpr(node: Node, s: Scope): void {
    const fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (fn) {
      if (fn.type === 'identifier' && fn.text === 'require') {
        const arg = args?.namedChild(0);
        if (arg?.type === 'string') this.x.import(stringValue(arg), null, '', node, 'module');
      } else if (fn.type === 'import') {
        /* dynamic import(): nothing to call */
      } else {
        const { name, receiver } = this.callee(fn);
        if (name) {
          let rtype: string | null = null;
          if (receiver && s.vars && /^[\w$]+$/.test(receiver)) rtype = s.vars.get(receiver) ?? null;
          this.x.call(name, receiver, node, s.caller, 'call', rtype);
          if (s.caller >= 0) this.callFacts(name, receiver, args, s);
        }
        // Chained and computed callees hold calls of their own (`a().b()`).
        if (fn.type === 'member_expression') {
          const obj = fn.childForFieldName('object');
          if (obj && obj.type !== 'identifier' && obj.type !== 'this' && obj.type !== 'member_expression') this.walk(obj, s);
          else if (obj?.type === 'member_expression') this.walkCallsIn(obj, s);
        } else if (fn.type !== 'identifier') this.walk(fn, s);
      }
    }
    if (args) this.walkChildren(args, s);
  }

  private walkCallsIn(node: Node, s: Scope): void {
    const obj = node.childForFieldName('object');
    if (!obj) return;
    if (obj.type === 'member_expression') this.walkCallsIn(obj, s);
    else if (obj.type !== 'identifier' && obj.type !== 'this') this.walk(obj, s);
  }

  private callFacts(name: string, receiver: string | null, args: Node | null, s: Scope): void {
    if (!receiver && s.params?.has(name)) this.x.addFact(s.caller, 'calls_param', name);
    if (s.iterVars?.has(receiver ?? name)) this.x.symbols[s.caller]!.facts.notifies = true;
    if (receiver && /^this\.\w+$/.test(receiver) && args) {
      const first = args.namedChild(args.namedChildCount - 1);
      if (/^(push|add|set|append|unshift|addListener)$/.test(name) && first?.type === 'identifier' && s.params?.has(first.text)) this.x.symbols[s.caller]!.facts.stores_param = true;
      if (/^(forEach|map|some|every)$/.test(name) && first && (first.type === 'arrow_function' || first.type === 'function_expression')) {
        const ps = first.childForFieldName('parameters') ?? first.childForFieldName('parameter');
        const pn = ps?.type === 'identifier' ? ps.text : ps?.descendantsOfType('identifier')[0]?.text;
        if (pn && first.childForFieldName('body')?.descendantsOfType('call_expression').some((c) => c?.childForFieldName('function')?.text === pn)) this.x.symbols[s.caller]!.facts.notifies = true;
      }
    }
  }

  private returnFacts(v: Node, caller: number): void {
    const facts = this.x.symbols[caller]!.facts;
    if (v.type === 'this') facts.returns_self = true;
    else if (FUNCTION_VALUES.has(v.type)) facts.returns_fn = true;
    else if (v.type === 'identifier' && this.x.symbols.some((sym) => sym.parent === caller && sym.name === v.text && sym.kind === 'function')) facts.returns_fn = true;
    else if (v.type === 'new_expression') {
      const t = bareType(v.childForFieldName('constructor')?.text);
      if (t) this.x.addFact(caller, 'returns_new', t);
    } else if (v.type === 'parenthesized_expression' && v.namedChild(0)) this.returnFacts(v.namedChild(0)!, caller);
  }

  /** The called name and its receiver's text (`this`, `a.b`), or '<expr>' when the receiver is computed. */
  private callee(fn: Node): { name: string; receiver: string | null } {
    if (fn.type === 'identifier') return { name: fn.text, receiver: null };
    if (fn.type === 'member_expression') {
      const prop = fn.childForFieldName('property');
      const obj = fn.childForFieldName('object');
      if (!prop || !obj) return { name: '', receiver: null };
      return { name: memberName(prop), receiver: simpleReceiver(obj) };
    }
    if (fn.type === 'super') return { name: 'constructor', receiver: 'super' };
    if (fn.type === 'parenthesized_expression' || fn.type === 'non_null_expression') {
      const inner = fn.namedChild(fn.namedChildCount - 1);
      return inner ? this.callee(inner) : { name: '', receiver: null };
    }
    return { name: '', receiver: null };
  }
}

const CLASSES = new Set<SymbolKind>(['class']);

function chain(outer: Map<string, string> | null, inner: Map<string, string>): Map<string, string> {
  if (outer) for (const [k, v] of outer) if (!inner.has(k)) inner.set(k, v);
  return inner;
}

function memberName(n: Node): string {
  if (n.type === 'string') return stringValue(n);
  if (n.type === 'computed_property_name') return '';
  return n.text;
}

function memberVisibility(m: Node, name: string): Visibility | null {
  if (name.startsWith('#')) return 'private';
  for (const k of kids(m)) if (k.type === 'accessibility_modifier') return k.text as Visibility;
  return null;
}

function simpleReceiver(obj: Node): string {
  if (obj.type === 'this') return 'this';
  if (obj.type === 'super') return 'super';
  if (obj.type === 'identifier') return obj.text;
  if (obj.type === 'member_expression' && /^[\w$.]+$/.test(obj.text) && obj.text.length < 80) return obj.text;
  return '<expr>';
}
