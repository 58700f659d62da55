// Symbols, calls and imports of Go: types first (so methods find their receiver type), then functions and methods.
import type { Node } from 'web-tree-sitter';
import { bareType, Extraction, kids, stringValue } from './context';

interface Scope {
  caller: number;
  vars: Map<string, string>;
  params: Set<string>;
  receiver: string | null;
  recvType: string | null;
  iterVars: Set<string> | null;
}

export function extractGo(x: Extraction, root: Node): void {
  const w = new GoWalker(x);
  const top = kids(root);
  for (const n of top) if (n.type === 'package_clause') x.pkg = n.namedChild(0)?.text ?? null;
  for (const n of top) if (n.type === 'type_declaration') w.typeDecl(n);
  for (const n of top) if (n.type !== 'type_declaration') w.top(n);
}

class GoWalker {
  constructor(private readonly x: Extraction) {}

  typeDecl(node: Node): void {
    for (const spec of kids(node)) {
      if (spec.type !== 'type_spec' && spec.type !== 'type_alias') continue;
      const name = spec.childForFieldName('name')?.text;
      const type = spec.childForFieldName('type');
      if (!name || !type) continue;
      const outer = kids(node).length === 1 ? node : spec;
      if (type.type === 'struct_type') {
        const idx = this.x.symbol({ node: spec, name, kind: 'struct', parent: -1, outer, body: type, signature: `type ${name} struct` });
        const list = kids(type).find((k) => k.type === 'field_declaration_list');
        const fields: [string, string][] = [];
        const bases: string[] = [];
        if (list)
          for (const f of kids(list)) {
            if (f.type !== 'field_declaration') continue;
            const ftype = bareType(f.childForFieldName('type')?.text);
            const names = kids(f).filter((k) => k.type === 'field_identifier');
            if (!names.length) {
              if (ftype) bases.push(ftype);
              continue;
            }
            for (const n of names) {
              fields.push([n.text, ftype]);
              this.x.symbol({ node: f, name: n.text, kind: 'field', parent: idx, facts: ftype ? { type: ftype } : {} });
            }
          }
        const facts = this.x.symbols[idx]!.facts;
        if (fields.length) facts.fields = fields;
        if (bases.length) facts.bases = bases;
      } else if (type.type === 'interface_type') {
        const idx = this.x.symbol({ node: spec, name, kind: 'interface', parent: -1, outer, body: type, signature: `type ${name} interface` });
        const bases: string[] = [];
        for (const m of kids(type)) {
          if (m.type === 'method_elem' || m.type === 'method_spec') {
            const mn = m.childForFieldName('name')?.text;
            if (mn) this.x.symbol({ node: m, name: mn, kind: 'method', parent: idx, facts: { is_abstract: true } });
          } else if (m.type === 'type_elem' || m.type === 'constraint_elem') {
            const b = bareType(m.text);
            if (b) bases.push(b);
          }
        }
        if (bases.length) this.x.symbols[idx]!.facts.bases = bases;
      } else {
        this.x.symbol({ node: spec, name, kind: 'type', parent: -1, outer, signature: `type ${spec.text.replace(/\s+/g, ' ').slice(0, 200)}`, facts: { type: bareType(type.text) } });
      }
    }
  }

  top(node: Node): void {
    switch (node.type) {
      case 'import_declaration':
        for (const spec of node.descendantsOfType('import_spec')) {
          if (!spec) continue;
          const path = stringValue(spec.childForFieldName('path'));
          const name = spec.childForFieldName('name')?.text;
          if (!path) continue;
          if (name === '.') this.x.import(path, null, '', spec, 'wildcard');
          else if (name === '_') this.x.import(path, null, '', spec, 'module');
          else this.x.import(path, null, name ?? path.split('/').pop()!.replace(/^go-|[.-]go$/g, '').replace(/-/g, '_'), spec, 'module');
        }
        return;
      case 'function_declaration':
      case 'method_declaration':
        return this.func(node);
      case 'const_declaration':
      case 'var_declaration':
        for (const spec of kids(node)) {
          if (spec.type !== 'const_spec' && spec.type !== 'var_spec') continue;
          const type = bareType(spec.childForFieldName('type')?.text);
          for (const n of kids(spec)) {
            if (n.type !== 'identifier' || n.text === '_') continue;
            if (spec.childForFieldName('value')?.id === n.id) continue;
            this.x.symbol({ node: spec, name: n.text, kind: node.type === 'const_declaration' ? 'constant' : 'variable', parent: -1, outer: kids(node).length === 1 ? node : spec, facts: type ? { type } : {} });
          }
          const value = spec.childForFieldName('value');
          if (value) this.body(value, { caller: -1, vars: new Map(), params: new Set(), receiver: null, recvType: null, iterVars: null });
        }
        return;
    }
  }

  private func(node: Node): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    let recvName: string | null = null;
    let recvType: string | null = null;
    let parent = -1;
    const recv = node.childForFieldName('receiver');
    if (recv) {
      const p = kids(recv).find((k) => k.type === 'parameter_declaration');
      recvName = p?.childForFieldName('name')?.text ?? null;
      recvType = bareType(p?.childForFieldName('type')?.text.replace(/\[.*\]$/, '')) || null;
      if (recvType) parent = this.x.symbols.findIndex((s) => s.parent < 0 && s.name === recvType && (s.kind === 'struct' || s.kind === 'type' || s.kind === 'interface'));
    }
    const result = node.childForFieldName('result');
    const retType = result && result.type !== 'parameter_list' ? bareType(result.text) : result ? bareType(kids(result)[0]?.childForFieldName('type')?.text) : '';
    const body = node.childForFieldName('body');
    const isTest = this.x.path.endsWith('_test.go') && /^(Test|Benchmark|Example|Fuzz)/.test(name);
    const idx = this.x.symbol({
      node,
      name,
      kind: recv ? 'method' : 'function',
      parent,
      ...(recv && parent < 0 && recvType ? { owner: recvType } : {}),
      body,
      is_test: isTest,
      facts: retType ? { type: retType } : {},
    });
    const sym = this.x.symbols[idx]!;
    if (recv && recvType && parent < 0) sym.owner = recvType;
    const vars = new Map<string, string>();
    const params = new Set<string>();
    if (recvName && recvType) vars.set(recvName, recvType);
    const ps = node.childForFieldName('parameters');
    if (ps)
      for (const p of kids(ps)) {
        const type = bareType(p.childForFieldName('type')?.text);
        for (const n of kids(p)) {
          if (n.type !== 'identifier') continue;
          params.add(n.text);
          if (type) vars.set(n.text, type);
          (sym.facts.params ??= []).push([n.text, type]);
        }
      }
    if (body) this.body(body, { caller: idx, vars, params, receiver: recvName, recvType, iterVars: null });
  }

  private body(node: Node, s: Scope): void {
    for (const c of node.namedChildren) if (c) this.walk(c, s);
  }

  private walk(node: Node, s: Scope): void {
    switch (node.type) {
      case 'comment':
        return;
      case 'call_expression': {
        const fn = node.childForFieldName('function');
        const args = node.childForFieldName('arguments');
        if (fn?.type === 'identifier') {
          this.x.call(fn.text, null, node, s.caller);
          if (s.caller >= 0 && s.params.has(fn.text)) this.x.addFact(s.caller, 'calls_param', fn.text);
          if (s.caller >= 0 && s.iterVars?.has(fn.text)) this.x.symbols[s.caller]!.facts.notifies = true;
        } else if (fn?.type === 'selector_expression') {
          const field = fn.childForFieldName('field')?.text ?? '';
          const operand = fn.childForFieldName('operand');
          let receiver = '<expr>';
          let rtype: string | null = null;
          if (operand?.type === 'identifier') {
            receiver = operand.text === s.receiver ? 'self' : operand.text;
            rtype = s.vars.get(operand.text) ?? null;
            if (s.caller >= 0 && s.iterVars?.has(operand.text)) this.x.symbols[s.caller]!.facts.notifies = true;
          } else if (operand?.type === 'selector_expression' && /^\w+\.\w+$/.test(operand.text)) {
            const [base, f] = operand.text.split('.') as [string, string];
            receiver = base === s.receiver ? `self.${f}` : operand.text;
            if (base === s.receiver) rtype = this.fieldType(s.recvType, f);
          } else if (operand) this.walk(operand, s);
          this.x.call(field, receiver, node, s.caller, 'call', rtype);
          // `next.ServeHTTP(w, r)`: calling through a handler parameter is how Go middleware continues the chain.
          if (s.caller >= 0 && operand?.type === 'identifier' && s.params.has(operand.text) && /^(ServeHTTP|Handle|Next|Call|Invoke|Run|Do)$/.test(field)) this.x.addFact(s.caller, 'calls_param', operand.text);
        } else if (fn) this.walk(fn, s);
        if (fn?.type === 'identifier' && fn.text === 'append' && args && s.caller >= 0) {
          const first = args.namedChild(0);
          const last = args.namedChild(args.namedChildCount - 1);
          if (first && s.receiver && first.text.startsWith(`${s.receiver}.`) && last?.type === 'identifier' && s.params.has(last.text)) this.x.symbols[s.caller]!.facts.stores_param = true;
        }
        if (args) this.body(args, s);
        return;
      }
      case 'composite_literal': {
        const t = bareType(node.childForFieldName('type')?.text);
        if (t && s.caller >= 0 && /^[A-Za-z]/.test(t) && !/^(map|struct)$/.test(t)) this.x.addFact(s.caller, 'creates', t);
        const body = node.childForFieldName('body');
        if (body) this.body(body, s);
        return;
      }
      case 'short_var_declaration':
      case 'assignment_statement': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const l0 = left?.namedChild(0);
        const r0 = right?.namedChild(0);
        if (l0?.type === 'identifier' && r0) {
          const t = this.exprType(r0);
          if (t) s.vars.set(l0.text, t);
        }
        if (right) this.body(right, s);
        return;
      }
      case 'var_declaration':
        for (const spec of node.descendantsOfType('var_spec')) {
          if (!spec) continue;
          const t = bareType(spec.childForFieldName('type')?.text);
          for (const n of kids(spec)) if (n.type === 'identifier' && t) s.vars.set(n.text, t);
          const value = spec.childForFieldName('value');
          if (value) this.body(value, s);
        }
        return;
      case 'return_statement': {
        const list = node.namedChild(0);
        const v = list?.type === 'expression_list' ? list.namedChild(0) : list;
        if (v && s.caller >= 0) {
          if (v.type === 'identifier' && v.text === s.receiver) this.x.symbols[s.caller]!.facts.returns_self = true;
          if (v.type === 'func_literal' || (v.type === 'call_expression' && v.childForFieldName('arguments')?.namedChild(0)?.type === 'func_literal')) this.x.symbols[s.caller]!.facts.returns_fn = true;
          const t = v.type === 'unary_expression' || v.type === 'composite_literal' ? this.exprType(v) : '';
          if (t) this.x.addFact(s.caller, 'returns_new', t);
        }
        return this.body(node, s);
      }
      case 'for_statement': {
        const rc = kids(node).find((k) => k.type === 'range_clause');
        const right = rc?.childForFieldName('right');
        const left = rc?.childForFieldName('left');
        if (rc && right && left && s.receiver && right.text.startsWith(`${s.receiver}.`)) {
          const ids = kids(left).filter((k) => k.type === 'identifier');
          const v = ids[ids.length - 1];
          if (v) return this.body(node, { ...s, iterVars: new Set([...(s.iterVars ?? []), v.text]) });
        }
        return this.body(node, s);
      }
      case 'func_literal': {
        const params = new Set(s.params);
        const ps = node.childForFieldName('parameters');
        if (ps) for (const id of ps.descendantsOfType('identifier')) if (id) params.add(id.text);
        const body = node.childForFieldName('body');
        if (body) this.body(body, { ...s, params });
        return;
      }
      default:
        if (node.namedChildCount) this.body(node, s);
    }
  }

  private exprType(e: Node): string {
    let n: Node | null = e;
    if (n.type === 'unary_expression') n = n.childForFieldName('operand');
    if (n?.type === 'composite_literal') return bareType(n.childForFieldName('type')?.text);
    if (n?.type === 'call_expression') {
      const fn = n.childForFieldName('function');
      const name = fn?.type === 'identifier' ? fn.text : fn?.type === 'selector_expression' ? (fn.childForFieldName('field')?.text ?? '') : '';
      const m = /^New([A-Z]\w*)$/.exec(name);
      if (m) return m[1]!;
    }
    return '';
  }

  private fieldType(type: string | null, field: string): string | null {
    if (!type) return null;
    const t = this.x.symbols.find((s) => s.parent < 0 && s.name === type && s.kind === 'struct');
    const f = t?.facts.fields?.find(([n]) => n === field);
    return f?.[1] || null;
  }
}
