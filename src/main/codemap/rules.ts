// Per-grammar node types for the quality pass: which nodes are functions, branches, loops, cases, operators.
import type { Node } from 'web-tree-sitter';

export interface LanguageRules {
  functions: ReadonlySet<string>;
  /** Types that qualify the names of the functions inside them (classes, impl blocks). */
  containers: ReadonlySet<string>;
  ifs: ReadonlySet<string>;
  /** Python's `elif`: a branch that costs 1 and does not nest. */
  elifs: ReadonlySet<string>;
  loops: ReadonlySet<string>;
  switches: ReadonlySet<string>;
  cases: ReadonlySet<string>;
  catches: ReadonlySet<string>;
  tries: ReadonlySet<string>;
  ternaries: ReadonlySet<string>;
  /** Comprehension `for` / `if` clauses (Python): each a branch. */
  comprehensionClauses: ReadonlySet<string>;
  logical: ReadonlySet<string>;
  jumps: ReadonlySet<string>;
  /** Subtrees left out of the token stream (imports). */
  skipTokens: ReadonlySet<string>;
  /** The function's name, or null for an anonymous one. */
  nameOf(n: Node): string | null;
  containerName(n: Node): string | null;
  paramsOf(n: Node): number;
  isElseIf(n: Node): boolean;
  /** The if has a final `else` (not an else-if). */
  hasPlainElse(n: Node): boolean;
  isDefaultCase(n: Node): boolean;
  /** `&&` / `||` (and `??`, `and`, `or`) or null for any other operator. */
  logicalOp(n: Node): string | null;
  isLabelledJump(n: Node): boolean;
}

const set = (...xs: string[]) => new Set(xs);
const LOGICAL_OPS = set('&&', '||', '??', 'and', 'or');

function operatorOf(n: Node): string | null {
  const op = n.childForFieldName('operator');
  if (op) return LOGICAL_OPS.has(op.type) ? op.type : null;
  for (let i = 0; i < n.childCount; i++) {
    const c = n.child(i);
    if (c && !c.isNamed && LOGICAL_OPS.has(c.type)) return c.type;
  }
  return null;
}

const fieldText = (n: Node | null, field: string): string | null => n?.childForFieldName(field)?.text ?? null;

/** Counts named children that are not comments (and not the listed types). */
function countNamed(n: Node | null, skip: ReadonlySet<string> = new Set()): number {
  if (!n) return 0;
  let k = 0;
  for (const c of n.namedChildren) if (c && !c.type.includes('comment') && !skip.has(c.type)) k++;
  return k;
}

/** The `else` part of an if, unwrapped from its else_clause; null when there is none. */
function alternativeOf(n: Node): Node | null {
  const alt = n.childForFieldName('alternative');
  if (!alt) return null;
  if (alt.type === 'else_clause') return alt.namedChildren.find((c) => c && !c.type.includes('comment')) ?? null;
  return alt;
}

function elseIfBy(ifTypes: ReadonlySet<string>) {
  return (n: Node): boolean => {
    const p = n.parent;
    if (!p) return false;
    if (p.type === 'else_clause') return !!p.parent && ifTypes.has(p.parent.type);
    return ifTypes.has(p.type) && p.childForFieldName('alternative')?.id === n.id;
  };
}

function plainElseBy(ifTypes: ReadonlySet<string>) {
  return (n: Node): boolean => {
    const alt = alternativeOf(n);
    return !!alt && !ifTypes.has(alt.type);
  };
}

const noLabel = () => false;

// ---- JavaScript / TypeScript / TSX ---------------------------------------------------------------------------------

const JS_IFS = set('if_statement');
function jsName(n: Node): string | null {
  const own = fieldText(n, 'name');
  if (own) return own;
  const p = n.parent;
  if (!p) return null;
  switch (p.type) {
    case 'variable_declarator':
      return fieldText(p, 'name');
    case 'pair':
      return fieldText(p, 'key');
    case 'public_field_definition':
    case 'field_definition':
      return fieldText(p, 'name') ?? fieldText(p, 'property');
    case 'assignment_expression': {
      const left = p.childForFieldName('left');
      return left ? (left.type === 'member_expression' ? fieldText(left, 'property') : left.text) : null;
    }
    default:
      return null;
  }
}
const JS: LanguageRules = {
  functions: set('function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'generator_function', 'arrow_function', 'method_definition'),
  containers: set('class_declaration', 'class', 'abstract_class_declaration', 'interface_declaration'),
  ifs: JS_IFS,
  elifs: set(),
  loops: set('for_statement', 'for_in_statement', 'while_statement', 'do_statement'),
  switches: set('switch_statement'),
  cases: set('switch_case'),
  catches: set('catch_clause'),
  tries: set('try_statement'),
  ternaries: set('ternary_expression'),
  comprehensionClauses: set(),
  logical: set('binary_expression'),
  jumps: set('break_statement', 'continue_statement'),
  skipTokens: set('import_statement'),
  nameOf: jsName,
  containerName: (n) => fieldText(n, 'name'),
  paramsOf: (n) => (n.childForFieldName('parameter') ? 1 : countNamed(n.childForFieldName('parameters'))),
  isElseIf: elseIfBy(JS_IFS),
  hasPlainElse: plainElseBy(JS_IFS),
  isDefaultCase: () => false,
  logicalOp: operatorOf,
  isLabelledJump: (n) => !!n.childForFieldName('label'),
};

// ---- Python --------------------------------------------------------------------------------------------------------

const PY_SELF = set('self', 'cls');
const PY: LanguageRules = {
  functions: set('function_definition', 'lambda'),
  containers: set('class_definition'),
  ifs: set('if_statement'),
  elifs: set('elif_clause'),
  loops: set('for_statement', 'while_statement'),
  switches: set('match_statement'),
  cases: set('case_clause'),
  catches: set('except_clause', 'except_group_clause'),
  tries: set('try_statement', 'with_statement'),
  ternaries: set('conditional_expression'),
  comprehensionClauses: set('for_in_clause', 'if_clause'),
  logical: set('boolean_operator'),
  jumps: set(),
  skipTokens: set('import_statement', 'import_from_statement', 'future_import_statement'),
  nameOf: (n) => fieldText(n, 'name'),
  containerName: (n) => fieldText(n, 'name'),
  paramsOf: (n) => {
    const ps = n.childForFieldName('parameters');
    if (!ps) return 0;
    let k = 0;
    ps.namedChildren.forEach((c, i) => {
      if (!c || c.type.includes('comment') || c.type === 'keyword_separator' || c.type === 'positional_separator') return;
      if (i === 0 && c.type === 'identifier' && PY_SELF.has(c.text)) return;
      k++;
    });
    return k;
  },
  isElseIf: () => false,
  hasPlainElse: (n) => n.namedChildren.some((c) => c?.type === 'else_clause'),
  isDefaultCase: (n) => {
    const pat = n.namedChildren.find((c) => c?.type === 'case_pattern');
    return !!pat && (pat.text === '_' || pat.namedChildCount === 0);
  },
  logicalOp: operatorOf,
  isLabelledJump: noLabel,
};

// ---- Rust ----------------------------------------------------------------------------------------------------------

const RS_IFS = set('if_expression');
const RS: LanguageRules = {
  functions: set('function_item', 'closure_expression'),
  containers: set('impl_item', 'trait_item', 'mod_item'),
  ifs: RS_IFS,
  elifs: set(),
  loops: set('for_expression', 'while_expression', 'loop_expression'),
  switches: set('match_expression'),
  cases: set('match_arm'),
  catches: set(),
  tries: set(),
  ternaries: set(),
  comprehensionClauses: set(),
  logical: set('binary_expression'),
  jumps: set('break_expression', 'continue_expression'),
  skipTokens: set('use_declaration', 'extern_crate_declaration'),
  nameOf: (n) => fieldText(n, 'name'),
  containerName: (n) => {
    if (n.type === 'impl_item') {
      const t = n.childForFieldName('type');
      return t ? (t.childForFieldName('name')?.text ?? t.text.replace(/<.*$/s, '')) : null;
    }
    return fieldText(n, 'name');
  },
  paramsOf: (n) => {
    const ps = n.childForFieldName('parameters');
    return countNamed(ps, set('self_parameter', 'attribute_item'));
  },
  isElseIf: elseIfBy(RS_IFS),
  hasPlainElse: plainElseBy(RS_IFS),
  isDefaultCase: (n) => {
    const pat = n.childForFieldName('pattern');
    return !!pat && pat.text.trim() === '_';
  },
  logicalOp: operatorOf,
  isLabelledJump: (n) => n.namedChildren.some((c) => c?.type === 'label' || c?.type === 'lifetime'),
};

// ---- Go ------------------------------------------------------------------------------------------------------------

const GO_IFS = set('if_statement');
const GO: LanguageRules = {
  functions: set('function_declaration', 'method_declaration', 'func_literal'),
  containers: set(),
  ifs: GO_IFS,
  elifs: set(),
  loops: set('for_statement'),
  switches: set('expression_switch_statement', 'type_switch_statement', 'select_statement'),
  cases: set('expression_case', 'type_case', 'communication_case', 'default_case'),
  catches: set(),
  tries: set(),
  ternaries: set(),
  comprehensionClauses: set(),
  logical: set('binary_expression'),
  jumps: set('break_statement', 'continue_statement', 'goto_statement'),
  skipTokens: set('import_declaration', 'package_clause'),
  nameOf: (n) => {
    const name = fieldText(n, 'name');
    if (!name || n.type !== 'method_declaration') return name;
    // Methods read as Receiver.name, as the code index names them.
    const recv = n.childForFieldName('receiver')?.text.match(/([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[[^\]]*\])?\s*\)\s*$/)?.[1];
    return recv ? `${recv}.${name}` : name;
  },
  containerName: () => null,
  paramsOf: (n) => {
    const ps = n.childForFieldName('parameters');
    if (!ps) return 0;
    let k = 0;
    for (const c of ps.namedChildren) {
      if (!c || c.type.includes('comment')) continue;
      k += Math.max(1, c.childrenForFieldName('name').length);
    }
    return k;
  },
  isElseIf: elseIfBy(GO_IFS),
  hasPlainElse: plainElseBy(GO_IFS),
  isDefaultCase: (n) => n.type === 'default_case',
  logicalOp: operatorOf,
  isLabelledJump: (n) => n.type === 'goto_statement' || !!n.namedChildren.find((c) => c?.type === 'label_name'),
};

// ---- Java ----------------------------------------------------------------------------------------------------------

const JAVA_IFS = set('if_statement');
const JAVA: LanguageRules = {
  functions: set('method_declaration', 'constructor_declaration', 'compact_constructor_declaration', 'lambda_expression'),
  containers: set('class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration'),
  ifs: JAVA_IFS,
  elifs: set(),
  loops: set('for_statement', 'enhanced_for_statement', 'while_statement', 'do_statement'),
  switches: set('switch_expression', 'switch_statement'),
  cases: set('switch_label'),
  catches: set('catch_clause'),
  tries: set('try_statement', 'try_with_resources_statement'),
  ternaries: set('ternary_expression'),
  comprehensionClauses: set(),
  logical: set('binary_expression'),
  jumps: set('break_statement', 'continue_statement'),
  skipTokens: set('import_declaration', 'package_declaration'),
  nameOf: (n) => fieldText(n, 'name'),
  containerName: (n) => fieldText(n, 'name'),
  paramsOf: (n) => countNamed(n.childForFieldName('parameters'), set('receiver_parameter')),
  isElseIf: elseIfBy(JAVA_IFS),
  hasPlainElse: plainElseBy(JAVA_IFS),
  isDefaultCase: (n) => n.child(0)?.type === 'default',
  logicalOp: operatorOf,
  isLabelledJump: (n) => n.namedChildren.some((c) => c?.type === 'identifier'),
};

// ---- C / C++ -------------------------------------------------------------------------------------------------------

const C_IFS = set('if_statement');
function cDeclaratorName(n: Node | null): string | null {
  let d = n;
  for (let i = 0; d && i < 8; i++) {
    if (d.type === 'function_declarator') {
      const inner = d.childForFieldName('declarator');
      if (!inner) return null;
      if (inner.type === 'qualified_identifier') return inner.text.replace(/\s+/g, '').replace(/::/g, '.');
      return inner.type.includes('identifier') || inner.type === 'destructor_name' || inner.type === 'operator_name' ? inner.text : cDeclaratorName(inner);
    }
    d = d.childForFieldName('declarator');
  }
  return null;
}
function cFunctionDeclarator(n: Node): Node | null {
  let d = n.childForFieldName('declarator');
  for (let i = 0; d && i < 8; i++) {
    if (d.type === 'function_declarator' || d.type === 'abstract_function_declarator') return d;
    d = d.childForFieldName('declarator');
  }
  return null;
}
const C: LanguageRules = {
  functions: set('function_definition', 'lambda_expression'),
  containers: set('class_specifier', 'struct_specifier', 'namespace_definition'),
  ifs: C_IFS,
  elifs: set(),
  loops: set('for_statement', 'for_range_loop', 'while_statement', 'do_statement'),
  switches: set('switch_statement'),
  cases: set('case_statement'),
  catches: set('catch_clause'),
  tries: set('try_statement'),
  ternaries: set('conditional_expression'),
  comprehensionClauses: set(),
  logical: set('binary_expression'),
  jumps: set('goto_statement'),
  skipTokens: set('preproc_include', 'using_declaration'),
  nameOf: (n) => (n.type === 'lambda_expression' ? null : cDeclaratorName(n.childForFieldName('declarator'))),
  containerName: (n) => fieldText(n, 'name'),
  paramsOf: (n) => {
    const ps = cFunctionDeclarator(n)?.childForFieldName('parameters') ?? null;
    if (!ps) return 0;
    const named = ps.namedChildren.filter((c) => c && !c.type.includes('comment'));
    // `f(void)` takes nothing.
    if (named.length === 1 && named[0]!.type === 'parameter_declaration' && !named[0]!.childForFieldName('declarator') && named[0]!.text.trim() === 'void') return 0;
    return named.length;
  },
  isElseIf: elseIfBy(C_IFS),
  hasPlainElse: plainElseBy(C_IFS),
  isDefaultCase: (n) => !n.childForFieldName('value'),
  logicalOp: operatorOf,
  isLabelledJump: (n) => n.type === 'goto_statement',
};

const RULES: Record<string, LanguageRules> = { typescript: JS, tsx: JS, javascript: JS, python: PY, rust: RS, go: GO, java: JAVA, c: C, cpp: C };

export function rulesFor(grammar: string): LanguageRules {
  const r = RULES[grammar];
  if (!r) throw new Error(`no quality rules for ${grammar}`);
  return r;
}
