// Symbols, calls and imports of Java: classes, interfaces, enums, records, methods, constructors and fields.
import type { Node } from 'web-tree-sitter';
import type { SymbolKind, Visibility } from '../model';
import { bareType, Extraction, kids } from './context';

interface Scope {
  container: number;
  caller: number;
  cls: number;
  vars: Map<string, string>;
  params: Set<string>;
  iterVars: Set<string> | null;
}

const TYPE_DECLS: Record<string, SymbolKind> = {
  class_declaration: 'class',
  interface_declaration: 'interface',
  enum_declaration: 'enum',
  record_declaration: 'class',
  annotation_type_declaration: 'interface',
};

export function extractJava(x: Extraction, root: Node): void {
  const w = new JavaWalker(x);
  w.walkChildren(root, { container: -1, caller: -1, cls: -1, vars: new Map(), params: new Set(), iterVars: null });
  for (const c of x.calls) {
    if (c.receiver_type || !c.receiver || c.caller < 0) continue;
    const field = c.receiver.startsWith('this.') ? c.receiver.slice(5) : c.receiver;
    if (field.includes('.')) continue;
    const cls = x.enclosing(c.caller, new Set<SymbolKind>(['class', 'enum', 'interface']));
    const f = cls >= 0 ? x.symbols[cls]!.facts.fields?.find(([n]) => n === field) : undefined;
    if (f?.[1]) c.receiver_type = f[1];
  }
}

function modifiersOf(node: Node): { text: string; annotations: string[] } {
  const m = kids(node).find((k) => k.type === 'modifiers');
  if (!m) return { text: '', annotations: [] };
  const annotations = kids(m)
    .filter((k) => k.type === 'marker_annotation' || k.type === 'annotation')
    .map((a) => bareType(a.childForFieldName('name')?.text))
    .filter(Boolean);
  return { text: m.text, annotations };
}

function visibility(mods: string): Visibility | null {
  const m = /\b(public|private|protected)\b/.exec(mods);
  return m ? (m[1] as Visibility) : null;
}

class JavaWalker {
  constructor(private readonly x: Extraction) {}

  walkChildren(node: Node, s: Scope): void {
    for (const c of node.namedChildren) if (c) this.walk(c, s);
  }

  walk(node: Node, s: Scope): void {
    const typeKind = TYPE_DECLS[node.type];
    if (typeKind) return this.typeDecl(node, typeKind, s);
    switch (node.type) {
      case 'line_comment':
      case 'block_comment':
        return;
      case 'package_declaration':
        this.x.pkg = kids(node).find((k) => k.type === 'scoped_identifier' || k.type === 'identifier')?.text ?? null;
        return;
      case 'import_declaration': {
        const id = kids(node).find((k) => k.type === 'scoped_identifier' || k.type === 'identifier');
        if (!id) return;
        const wildcard = kids(node).some((k) => k.type === 'asterisk');
        if (wildcard) this.x.import(id.text, null, '', node, 'wildcard');
        else {
          const parts = id.text.split('.');
          const last = parts.pop()!;
          this.x.import(parts.join('.'), last, last, node, 'named');
        }
        return;
      }
      case 'method_declaration':
      case 'constructor_declaration':
      case 'compact_constructor_declaration':
      case 'annotation_type_element_declaration':
        return this.method(node, s);
      case 'field_declaration':
      case 'constant_declaration': {
        const mods = modifiersOf(node);
        const type = bareType(node.childForFieldName('type')?.text);
        for (const d of kids(node)) {
          if (d.type !== 'variable_declarator') continue;
          const name = d.childForFieldName('name')?.text;
          if (!name) continue;
          const isStatic = /\bstatic\b/.test(mods.text) || node.type === 'constant_declaration';
          this.x.symbol({
            node: d,
            name,
            kind: isStatic && /\bfinal\b/.test(mods.text) ? 'constant' : 'field',
            parent: s.container,
            outer: node,
            visibility: visibility(mods.text),
            facts: { ...(type ? { type } : {}), ...(isStatic ? { is_static: true } : {}) },
          });
          if (s.cls >= 0) this.x.addFact(s.cls, 'fields', [name, type]);
          const value = d.childForFieldName('value');
          if (value) this.walk(value, s);
        }
        return;
      }
      case 'enum_constant': {
        const name = node.childForFieldName('name')?.text;
        if (name) this.x.symbol({ node, name, kind: 'enum_member', parent: s.container, visibility: 'public' });
        const body = node.childForFieldName('body');
        if (body) this.walkChildren(body, s);
        return;
      }
      case 'local_variable_declaration': {
        const type = bareType(node.childForFieldName('type')?.text);
        for (const d of kids(node)) {
          if (d.type !== 'variable_declarator') continue;
          const name = d.childForFieldName('name')?.text;
          const value = d.childForFieldName('value');
          const t = type === 'var' && value?.type === 'object_creation_expression' ? bareType(value.childForFieldName('type')?.text) : type;
          if (name && t && t !== 'var') s.vars.set(name, t);
          if (value) this.walk(value, s);
        }
        return;
      }
      case 'method_invocation': {
        const name = node.childForFieldName('name')?.text ?? '';
        const obj = node.childForFieldName('object');
        let receiver: string | null = null;
        let rtype: string | null = null;
        if (obj) {
          if (obj.type === 'this') receiver = 'this';
          else if (obj.type === 'super') receiver = 'super';
          else if (obj.type === 'identifier') {
            receiver = obj.text;
            rtype = s.vars.get(obj.text) ?? null;
          } else if (obj.type === 'field_access' && /^[\w.]+$/.test(obj.text)) receiver = obj.text;
          else {
            receiver = '<expr>';
            this.walk(obj, s);
          }
        }
        this.x.call(name, receiver, node, s.caller, 'call', rtype);
        if (s.caller >= 0 && !receiver && s.iterVars?.has(name)) this.x.symbols[s.caller]!.facts.notifies = true;
        if (s.caller >= 0 && receiver && s.iterVars?.has(receiver)) this.x.symbols[s.caller]!.facts.notifies = true;
        if (s.caller >= 0 && receiver && s.params.has(receiver) && /^(apply|accept|run|call|handle|next|proceed|doFilter|invoke|execute)$/.test(name)) this.x.addFact(s.caller, 'calls_param', receiver);
        const args = node.childForFieldName('arguments');
        if (s.caller >= 0 && receiver && /^(this\.)?\w+$/.test(receiver) && /^(add|put|addAll|offer|push)$/.test(name)) {
          const last = args?.namedChild(args.namedChildCount - 1);
          if (last?.type === 'identifier' && s.params.has(last.text) && !s.vars.has(receiver)) this.x.symbols[s.caller]!.facts.stores_param = true;
        }
        if (args) this.walkChildren(args, s);
        return;
      }
      case 'object_creation_expression': {
        const t = bareType(node.childForFieldName('type')?.text);
        if (t) {
          this.x.call(t, null, node, s.caller, 'new');
          if (s.caller >= 0) this.x.addFact(s.caller, 'creates', t);
        }
        const args = node.childForFieldName('arguments');
        if (args) this.walkChildren(args, s);
        const body = kids(node).find((k) => k.type === 'class_body');
        if (body) this.walkChildren(body, s);
        return;
      }
      case 'return_statement': {
        const v = node.namedChild(0);
        if (v && s.caller >= 0) {
          if (v.type === 'this') this.x.symbols[s.caller]!.facts.returns_self = true;
          else if (v.type === 'object_creation_expression') {
            const t = bareType(v.childForFieldName('type')?.text);
            if (t) this.x.addFact(s.caller, 'returns_new', t);
          }
        }
        return this.walkChildren(node, s);
      }
      case 'enhanced_for_statement': {
        const value = node.childForFieldName('value');
        const name = node.childForFieldName('name')?.text;
        if (value && name && /^(this\.)?\w+$/.test(value.text) && s.cls >= 0 && this.x.symbols[s.cls]!.facts.fields?.some(([f]) => f === value.text.replace(/^this\./, ''))) {
          return this.walkChildren(node, { ...s, iterVars: new Set([...(s.iterVars ?? []), name]) });
        }
        return this.walkChildren(node, s);
      }
      case 'lambda_expression': {
        const params = new Set(s.params);
        const ps = node.childForFieldName('parameters');
        if (ps) for (const id of ps.type === 'identifier' ? [ps] : ps.descendantsOfType('identifier')) if (id) params.add(id.text);
        const body = node.childForFieldName('body');
        if (body) this.walk(body, { ...s, params });
        return;
      }
      default:
        if (node.namedChildCount) this.walkChildren(node, s);
    }
  }

  private typeDecl(node: Node, kind: SymbolKind, s: Scope): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const mods = modifiersOf(node);
    const bases: string[] = [];
    const sup = node.childForFieldName('superclass');
    if (sup) bases.push(...kids(sup).map((t) => bareType(t.text)));
    const ifaces = node.childForFieldName('interfaces') ?? kids(node).find((k) => k.type === 'extends_interfaces' || k.type === 'super_interfaces');
    if (ifaces) for (const t of ifaces.descendantsOfType(['type_identifier', 'generic_type', 'scoped_type_identifier'])) if (t && t.parent?.type === 'type_list') bases.push(bareType(t.text));
    const body = node.childForFieldName('body');
    const idx = this.x.symbol({
      node,
      name,
      kind,
      parent: s.container,
      body,
      visibility: visibility(mods.text),
      is_test: this.x.testFile && /Test/.test(name),
      facts: {
        ...(bases.length ? { bases: bases.filter(Boolean) } : {}),
        ...(mods.annotations.length ? { decorators: mods.annotations } : {}),
        ...(/\babstract\b/.test(mods.text) ? { is_abstract: true } : {}),
      },
    });
    const inner: Scope = { container: idx, caller: s.caller, cls: idx, vars: new Map(), params: new Set(), iterVars: null };
    if (node.type === 'record_declaration') {
      const ps = node.childForFieldName('parameters');
      if (ps) for (const p of kids(ps)) {
        const n = p.childForFieldName('name')?.text;
        const t = bareType(p.childForFieldName('type')?.text);
        if (n) {
          this.x.symbol({ node: p, name: n, kind: 'field', parent: idx, visibility: 'private', facts: t ? { type: t } : {} });
          this.x.addFact(idx, 'fields', [n, t]);
        }
      }
    }
    if (!body) return;
    // Fields first, so methods see their types whatever the order in the file.
    for (const m of kids(body)) if (m.type === 'field_declaration') for (const d of kids(m)) if (d.type === 'variable_declarator') {
      const n = d.childForFieldName('name')?.text;
      if (n) this.x.addFact(idx, 'fields', [n, bareType(m.childForFieldName('type')?.text)]);
    }
    for (const m of kids(body)) {
      if (m.type === 'enum_body_declarations') this.walkChildren(m, inner);
      else this.walk(m, inner);
    }
    if (kind === 'interface') for (const sym of this.x.symbols) if (sym.parent === idx && sym.kind === 'method' && !sym.visibility) sym.visibility = 'public';
  }

  private method(node: Node, s: Scope): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const mods = modifiersOf(node);
    const body = node.childForFieldName('body');
    const type = bareType(node.childForFieldName('type')?.text);
    const idx = this.x.symbol({
      node,
      name,
      kind: 'method',
      parent: s.container,
      body,
      visibility: visibility(mods.text),
      is_test: mods.annotations.some((a) => /^(Test|ParameterizedTest|RepeatedTest)$/.test(a)),
      facts: {
        ...(type ? { type } : {}),
        ...(/\bstatic\b/.test(mods.text) ? { is_static: true } : {}),
        ...(/\babstract\b/.test(mods.text) || (!body && node.type === 'method_declaration') ? { is_abstract: true } : {}),
        ...(mods.annotations.length ? { decorators: mods.annotations } : {}),
      },
    });
    const sym = this.x.symbols[idx]!;
    const vars = new Map<string, string>();
    const params = new Set<string>();
    const ps = node.childForFieldName('parameters');
    if (ps)
      for (const p of kids(ps)) {
        const n = p.childForFieldName('name')?.text;
        const t = bareType(p.childForFieldName('type')?.text);
        if (!n) continue;
        params.add(n);
        if (t) vars.set(n, t);
        (sym.facts.params ??= []).push([n, t]);
      }
    if (body) this.walkChildren(body, { container: idx, caller: idx, cls: s.cls, vars, params, iterVars: null });
  }
}
