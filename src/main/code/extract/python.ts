// Symbols, calls and imports of Python: classes, functions, methods, class and module attributes, docstrings.
import type { Node } from 'web-tree-sitter';
import type { SymbolKind } from '../model';
import { bareType, cleanComment, docBefore, Extraction, hasToken, kids, stringValue } from './context';

interface Scope {
  container: number;
  caller: number;
  cls: number;
  vars: Map<string, string> | null;
  /** Module or class body (assignments here are attributes, not locals). */
  level: 'module' | 'class' | 'function';
  params: Set<string> | null;
  iterVars: Set<string> | null;
  /** Parameters of enclosing functions visible in a closure → the function that owns them. */
  closure: Map<string, number> | null;
}

export function extractPython(x: Extraction, root: Node): void {
  const w = new PyWalker(x);
  w.block(root, { container: -1, caller: -1, cls: -1, vars: null, level: 'module', params: null, iterVars: null, closure: null });
  w.finish();
}

class PyWalker {
  private readonly allNames = new Set<string>();
  private hasAll = false;
  constructor(private readonly x: Extraction) {}

  block(node: Node, s: Scope): void {
    for (const c of node.namedChildren) if (c) this.walk(c, s);
  }

  walk(node: Node, s: Scope, decorated?: Node): void {
    switch (node.type) {
      case 'comment':
        return;
      case 'decorated_definition': {
        const def = node.childForFieldName('definition');
        for (const d of kids(node)) if (d.type === 'decorator') this.walkDecorator(d, s);
        if (def) this.walk(def, s, node);
        return;
      }
      case 'function_definition':
        return this.func(node, s, decorated);
      case 'class_definition':
        return this.klass(node, s, decorated);
      case 'import_statement':
        for (const n of kids(node)) {
          if (n.type === 'dotted_name') this.x.import(n.text, null, n.text.split('.')[0]!, n, 'module');
          else if (n.type === 'aliased_import') {
            const name = n.childForFieldName('name');
            const alias = n.childForFieldName('alias');
            if (name && alias) this.x.import(name.text, null, alias.text, n, 'module');
          }
        }
        return;
      case 'import_from_statement': {
        const mod = node.childForFieldName('module_name');
        if (!mod) return;
        const source = mod.text;
        for (const n of kids(node)) {
          if (n === mod || n.id === mod.id) continue;
          if (n.type === 'wildcard_import') this.x.import(source, null, '', n, 'wildcard');
          else if (n.type === 'dotted_name') this.x.import(source, n.text, n.text, n, 'named');
          else if (n.type === 'aliased_import') {
            const name = n.childForFieldName('name');
            const alias = n.childForFieldName('alias');
            if (name && alias) this.x.import(source, name.text, alias.text, n, 'named');
          }
        }
        return;
      }
      case 'future_import_statement':
        return;
      case 'expression_statement': {
        const e = node.namedChild(0);
        if (e?.type === 'assignment' || e?.type === 'augmented_assignment') return this.assignment(e, node, s);
        return this.block(node, s);
      }
      case 'call':
        return this.callExpr(node, s);
      case 'return_statement': {
        const v = node.namedChild(0);
        if (v && s.caller >= 0) {
          if (v.type === 'identifier' && v.text === 'self') this.x.symbols[s.caller]!.facts.returns_self = true;
          else if (v.type === 'lambda' || (v.type === 'identifier' && this.x.symbols.some((sym) => sym.parent === s.caller && sym.name === v.text && sym.kind === 'function'))) this.x.symbols[s.caller]!.facts.returns_fn = true;
          else if (v.type === 'call') {
            const f = v.childForFieldName('function');
            const t = f ? bareType(f.text) : '';
            if (/^[A-Z]/.test(t) || (f?.type === 'identifier' && f.text === 'cls')) this.x.addFact(s.caller, 'returns_new', f?.text === 'cls' ? this.clsName(s) : t);
          }
        }
        return this.block(node, s);
      }
      case 'for_statement': {
        const right = node.childForFieldName('right');
        const left = node.childForFieldName('left');
        if (right && left && /^self\.\w+$/.test(right.text)) {
          const names = new Set(s.iterVars ?? []);
          if (left.type === 'identifier') names.add(left.text);
          return this.block(node, { ...s, iterVars: names });
        }
        return this.block(node, s);
      }
      case 'lambda':
        return this.block(node, s);
      default:
        if (node.namedChildCount) this.block(node, s);
    }
  }

  finish(): void {
    if (this.hasAll) for (const sym of this.x.symbols) if (sym.parent < 0) sym.exported = this.allNames.has(sym.name);
    for (const c of this.x.calls) {
      if (c.receiver_type || !c.receiver?.startsWith('self.') || c.caller < 0) continue;
      const field = c.receiver.slice(5);
      const cls = this.x.enclosing(c.caller, CLASSES);
      const f = cls >= 0 ? this.x.symbols[cls]!.facts.fields?.find(([n]) => n === field) : undefined;
      if (f?.[1]) c.receiver_type = f[1];
    }
  }

  private clsName(s: Scope): string {
    return s.cls >= 0 ? this.x.symbols[s.cls]!.name : '';
  }

  private walkDecorator(d: Node, s: Scope): void {
    const e = d.namedChild(0);
    if (e?.type === 'call') this.callExpr(e, s);
  }

  private decoratorNames(decorated?: Node): string[] {
    if (!decorated) return [];
    return kids(decorated)
      .filter((k) => k.type === 'decorator')
      .map((d) => {
        const e = d.namedChild(0);
        const t = e?.type === 'call' ? e.childForFieldName('function')?.text : e?.text;
        return (t ?? '').split('.').pop() ?? '';
      })
      .filter(Boolean);
  }

  private func(node: Node, s: Scope, decorated?: Node): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const decorators = this.decoratorNames(decorated);
    const kind: SymbolKind = s.level === 'class' ? 'method' : 'function';
    const body = node.childForFieldName('body');
    const isStatic = decorators.includes('staticmethod') || decorators.includes('classmethod');
    const idx = this.x.symbol({
      node,
      name,
      kind,
      parent: s.container,
      outer: decorated ?? node,
      body,
      doc: docstring(body) ?? docBefore(decorated ?? node),
      is_async: hasToken(node, 'async'),
      is_test: /^test/.test(name) && (this.x.testFile || s.cls >= 0),
      facts: { ...(decorators.length ? { decorators } : {}), ...(isStatic ? { is_static: true } : {}), ...(decorators.includes('abstractmethod') ? { is_abstract: true } : {}) },
    });
    const sym = this.x.symbols[idx]!;
    const vars = new Map<string, string>();
    const params = new Set<string>();
    const ps = node.childForFieldName('parameters');
    if (ps) {
      for (const p of kids(ps)) {
        let id: Node | null = null;
        let type = '';
        if (p.type === 'identifier') id = p;
        else if (p.type === 'typed_parameter' || p.type === 'typed_default_parameter') {
          id = p.childForFieldName('name') ?? kids(p).find((k) => k.type === 'identifier') ?? null;
          type = bareType(stringValue(p.childForFieldName('type')));
        } else if (p.type === 'default_parameter') id = p.childForFieldName('name');
        else if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') id = p.namedChild(0);
        if (!id || id.type !== 'identifier') continue;
        if (kind === 'method' && (id.text === 'self' || id.text === 'cls') && !(sym.facts.params ?? []).length && !isStatic) continue;
        params.add(id.text);
        if (type) vars.set(id.text, type);
        (sym.facts.params ??= []).push([id.text, type]);
      }
    }
    const ret = bareType(stringValue(node.childForFieldName('return_type')));
    if (ret) sym.facts.type = ret;
    const closure = new Map(s.closure ?? []);
    for (const p of params) closure.set(p, idx);
    if (body) this.block(body, { container: idx, caller: idx, cls: s.cls, vars, level: 'function', params, iterVars: null, closure });
  }

  private klass(node: Node, s: Scope, decorated?: Node): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const bases: string[] = [];
    const sup = node.childForFieldName('superclasses');
    if (sup) for (const b of kids(sup)) if (b.type === 'identifier' || b.type === 'attribute') bases.push(bareType(b.text));
    const decorators = this.decoratorNames(decorated);
    const body = node.childForFieldName('body');
    const idx = this.x.symbol({
      node,
      name,
      kind: 'class',
      parent: s.container,
      outer: decorated ?? node,
      body,
      doc: docstring(body) ?? docBefore(decorated ?? node),
      is_test: this.x.testFile && /^Test/.test(name),
      facts: { ...(bases.length ? { bases: bases.filter(Boolean) } : {}), ...(decorators.length ? { decorators } : {}), ...(bases.some((b) => b === 'ABC' || b === 'Protocol') ? { is_abstract: true } : {}) },
    });
    if (body) this.block(body, { container: idx, caller: s.caller, cls: idx, vars: null, level: 'class', params: null, iterVars: null, closure: null });
  }

  private assignment(e: Node, stmt: Node, s: Scope): void {
    const left = e.childForFieldName('left');
    const right = e.childForFieldName('right');
    const typeNode = e.childForFieldName('type');
    if (left?.type === 'identifier' && left.text === '__all__' && s.level === 'module' && right) {
      this.hasAll = true;
      for (const str of right.descendantsOfType('string')) if (str) this.allNames.add(stringValue(str));
    }
    const created = right?.type === 'call' ? bareType(right.childForFieldName('function')?.text) : '';
    const type = bareType(stringValue(typeNode)) || (/^[A-Z]/.test(created) ? created : '');
    if (left?.type === 'identifier' && (s.level === 'module' || s.level === 'class') && e.type === 'assignment') {
      const name = left.text;
      if (!this.x.symbols.some((sym) => sym.parent === s.container && sym.name === name)) {
        const kind: SymbolKind = s.level === 'class' ? 'field' : /^[A-Z][A-Z0-9_]*$/.test(name) ? 'constant' : 'variable';
        this.x.symbol({ node: stmt, name, kind, parent: s.container, facts: { ...(type ? { type } : {}), ...(s.level === 'class' ? { is_static: true } : {}) } });
        if (s.level === 'class' && s.cls >= 0) this.x.addFact(s.cls, 'fields', [name, type]);
      }
    } else if (left?.type === 'identifier' && s.vars && type) {
      s.vars.set(left.text, type);
    } else if (left?.type === 'attribute' && s.cls >= 0) {
      const obj = left.childForFieldName('object');
      const attr = left.childForFieldName('attribute');
      if (obj?.text === 'self' && attr) {
        const t = type || (right?.type === 'identifier' ? (s.vars?.get(right.text) ?? '') : '');
        this.x.addFact(s.cls, 'fields', [attr.text, t]);
      }
    }
    if (right) this.walk(right, s);
  }

  private callExpr(node: Node, s: Scope): void {
    const fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (fn) {
      if (fn.type === 'identifier') {
        const name = fn.text;
        this.x.call(name, null, node, s.caller, /^[A-Z]/.test(name) ? 'new' : 'call');
        if (s.caller >= 0) {
          if (/^[A-Z]/.test(name) && name !== name.toUpperCase()) this.x.addFact(s.caller, 'creates', name);
          if (s.params?.has(name)) this.x.addFact(s.caller, 'calls_param', name);
          else if (s.closure?.has(name)) this.x.addFact(s.closure.get(name)!, 'calls_param', name);
          if (s.iterVars?.has(name)) this.x.symbols[s.caller]!.facts.notifies = true;
        }
      } else if (fn.type === 'attribute') {
        const attr = fn.childForFieldName('attribute');
        const obj = fn.childForFieldName('object');
        if (attr && obj) {
          const receiver = obj.type === 'identifier' ? obj.text : obj.type === 'attribute' && /^[\w.]+$/.test(obj.text) ? obj.text : obj.type === 'call' && obj.childForFieldName('function')?.text === 'super' ? 'super' : '<expr>';
          const rtype = obj.type === 'identifier' ? (s.vars?.get(obj.text) ?? null) : null;
          if (s.caller >= 0 && obj.type === 'identifier' && s.iterVars?.has(obj.text)) this.x.symbols[s.caller]!.facts.notifies = true;
          this.x.call(attr.text, receiver, node, s.caller, 'call', rtype);
          if (s.caller >= 0 && /^self\.\w+$/.test(receiver) && /^(append|add|extend|insert|setdefault)$/.test(attr.text)) {
            const last = args?.namedChild(args.namedChildCount - 1);
            if (last?.type === 'identifier' && s.params?.has(last.text)) this.x.symbols[s.caller]!.facts.stores_param = true;
          }
          if (obj.type !== 'identifier' && obj.type !== 'attribute') this.walk(obj, s);
          else if (obj.type === 'attribute') this.walkAttributeCalls(obj, s);
        }
      } else this.walk(fn, s);
    }
    if (args) this.block(args, s);
  }

  private walkAttributeCalls(node: Node, s: Scope): void {
    const obj = node.childForFieldName('object');
    if (!obj) return;
    if (obj.type === 'attribute') this.walkAttributeCalls(obj, s);
    else if (obj.type !== 'identifier') this.walk(obj, s);
  }
}

const CLASSES = new Set<SymbolKind>(['class']);

function docstring(body: Node | null): string | null {
  const first = body?.namedChild(0);
  if (first?.type !== 'expression_statement') return null;
  const str = first.namedChild(0);
  if (str?.type !== 'string') return null;
  return cleanComment(stringValue(str));
}
