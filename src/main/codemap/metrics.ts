// Quality metrics of one syntax tree: per function cyclomatic and cognitive complexity, nesting, parameters and length,
// plus the file's normalised token stream for clone detection. One pass over the tree with a cursor.
import type { Node, Tree, TreeCursor } from 'web-tree-sitter';
import { fingerprints, packFingerprints, tokenId, type Fingerprint } from './clones';
import { rulesFor, type LanguageRules } from './rules';

export interface UnitMetrics {
  /** Dotted name with enclosing types (`Router.handle`); `<anonymous>` for top-level callbacks. */
  name: string;
  kind: 'function' | 'method';
  start_line: number;
  end_line: number;
  /** McCabe: 1 + decision points (branches, loops, cases, catches, ternaries, && / ||). */
  complexity: number;
  /** SonarSource cognitive complexity: structures cost 1 plus their nesting; else / else-if 1; operator sequences 1. */
  cognitive: number;
  /** Deepest nesting of control blocks (if, loops, switch, try) inside the function. */
  nesting: number;
  params: number;
  lines: number;
}

export interface FileMetrics {
  units: UnitMetrics[];
  lines: number;
  /** Lines holding code (not blank, not only comments). */
  code_lines: number;
  /** 1 + every decision point in the file, also outside functions. */
  complexity: number;
  cognitive: number;
  nesting: number;
  fingerprints: Fingerprint[];
}

interface Unit {
  m: UnitMetrics;
  /** Cognitive nesting level inside this unit (structures and nested lambdas raise it). */
  level: number;
  depth: number;
}

/** What entering a node changed, undone when the walk leaves it. */
interface Frame {
  unit?: Unit;
  level?: Unit;
  depth?: Unit;
  container?: boolean;
}

const COMMENT = new Set(['comment', 'line_comment', 'block_comment', 'doc_comment']);

function isLiteral(type: string): boolean {
  return type.includes('string') || type.endsWith('_literal') || type === 'number' || type === 'integer' || type === 'float' || type === 'regex' || type === 'template_string';
}

/** Analyses a parsed file. `language` is the grammar name (grammars.ts). */
export function analyzeTree(tree: Tree, language: string, text: string): FileMetrics {
  const rules = rulesFor(language);
  const units: UnitMetrics[] = [];
  const tokens: number[] = [];
  const tokenRows: number[] = [];
  const codeRows = new Set<number>();
  const file: Unit = { m: { name: '', kind: 'function', start_line: 1, end_line: 1, complexity: 1, cognitive: 0, nesting: 0, params: 0, lines: 0 }, level: 0, depth: 0 };
  let fileNesting = 0;
  let fileComplexity = 1;
  let fileCognitive = 0;
  const unitStack: Unit[] = [];
  const containers: string[] = [];
  const frames: Frame[] = [];
  const cursor: TreeCursor = tree.walk();
  // Every cursor property is a call into wasm: rows come from character offsets and a table of line starts instead.
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  let lastRow = 0;
  const rowOf = (index: number): number => {
    if (index >= lineStarts[lastRow]! && (lastRow + 1 >= lineStarts.length || index < lineStarts[lastRow + 1]!)) return lastRow;
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    lastRow = lo;
    return lo;
  };
  let curType = '';
  const current = () => unitStack[unitStack.length - 1] ?? file;
  const decision = (n = 1) => {
    current().m.complexity += n;
    fileComplexity += n;
  };
  const cognitive = (n: number) => {
    current().m.cognitive += n;
    fileCognitive += n;
  };
  /** A structure that costs 1 plus its nesting and nests what it holds. */
  const structure = (frame: Frame, nests: boolean) => {
    const u = current();
    cognitive(1 + u.level);
    u.level++;
    frame.level = u;
    if (nests) {
      u.depth++;
      if (u.depth > u.m.nesting) u.m.nesting = u.depth;
      if (u.depth > fileNesting) fileNesting = u.depth;
      frame.depth = u;
    }
  };

  const enter = (): { frame: Frame; descend: boolean } => {
    const type = cursor.nodeType;
    curType = type;
    const frame: Frame = {};
    if (COMMENT.has(type)) return { frame, descend: false };
    if (rules.skipTokens.has(type)) {
      // Imports and includes: the same lines in every file are not clones, and hold no logic.
      codeRows.add(rowOf(cursor.startIndex));
      return { frame, descend: false };
    }
    if (isLiteral(type) && type !== 'string_fragment') {
      const first = rowOf(cursor.startIndex);
      tokens.push(tokenId('L'));
      tokenRows.push(first);
      const last = rowOf(Math.max(cursor.startIndex, cursor.endIndex - 1));
      for (let r = first; r <= last; r++) codeRows.add(r);
      lastRow = first;
      if (!type.startsWith('template') && !type.includes('interpolat')) return { frame, descend: false };
    }
    if (rules.functions.has(type)) {
      const node = cursor.currentNode;
      const name = rules.nameOf(node);
      const outer = unitStack.length > 0;
      if (name !== null || !outer) {
        const qualified = [...containers, name ?? '<anonymous>'].join('.');
        const u: Unit = {
          m: {
            name: qualified,
            kind: containers.length ? 'method' : 'function',
            start_line: node.startPosition.row + 1,
            end_line: node.endPosition.row + 1,
            complexity: 1,
            cognitive: 0,
            nesting: 0,
            params: rules.paramsOf(node),
            lines: node.endPosition.row - node.startPosition.row + 1,
          },
          level: 0,
          depth: 0,
        };
        units.push(u.m);
        unitStack.push(u);
        frame.unit = u;
      } else {
        // An anonymous function inside another counts toward it, one level deeper (SonarSource's rule for lambdas).
        const u = current();
        u.level++;
        frame.level = u;
      }
    } else if (rules.containers.has(type)) {
      const name = rules.containerName(cursor.currentNode);
      if (name) {
        containers.push(name);
        frame.container = true;
      }
    } else if (rules.ifs.has(type)) {
      const node = cursor.currentNode;
      decision();
      if (rules.isElseIf(node)) cognitive(1);
      else structure(frame, true);
      if (rules.hasPlainElse(node)) cognitive(1);
    } else if (rules.elifs.has(type)) {
      decision();
      cognitive(1);
    } else if (rules.loops.has(type)) {
      decision();
      structure(frame, true);
    } else if (rules.switches.has(type)) {
      structure(frame, true);
    } else if (rules.cases.has(type)) {
      if (!rules.isDefaultCase(cursor.currentNode)) decision();
    } else if (rules.catches.has(type)) {
      // A handler sits beside the guarded block, not inside it: the try already counted the depth.
      decision();
      structure(frame, false);
    } else if (rules.tries.has(type)) {
      // A try block nests what it guards, for the depth metric only (it has no cost of its own).
      const u = current();
      u.depth++;
      if (u.depth > u.m.nesting) u.m.nesting = u.depth;
      if (u.depth > fileNesting) fileNesting = u.depth;
      frame.depth = u;
    } else if (rules.ternaries.has(type)) {
      decision();
      structure(frame, false);
    } else if (rules.comprehensionClauses.has(type)) {
      decision();
      cognitive(1);
    } else if (rules.logical.has(type)) {
      const node = cursor.currentNode;
      const op = rules.logicalOp(node);
      if (op) {
        decision();
        const parent = skipParens(node.parent);
        if (!parent || !rules.logical.has(parent.type) || !rules.logicalOp(parent)) cognitive(operatorSequences(node, rules));
      }
    } else if (rules.jumps.has(type)) {
      if (rules.isLabelledJump(cursor.currentNode)) cognitive(1);
    }
    return { frame, descend: true };
  };

  const exit = (frame: Frame) => {
    if (frame.unit) unitStack.pop();
    if (frame.level) frame.level.level--;
    if (frame.depth) frame.depth.depth--;
    if (frame.container) containers.pop();
  };

  // Iterative walk: deep trees (long operator chains, generated code) must not overflow the stack.
  let { frame, descend } = enter();
  for (;;) {
    if (descend && cursor.gotoFirstChild()) {
      frames.push(frame);
      ({ frame, descend } = enter());
      continue;
    }
    if (descend) {
      // A leaf token: keywords and punctuation as themselves, identifiers as one token so renamed copies still match.
      const t = curType;
      const row = rowOf(cursor.startIndex);
      tokens.push(tokenId(t.includes('identifier') || t === 'self' || t === 'this' ? 'I' : t));
      tokenRows.push(row);
      codeRows.add(row);
    }
    exit(frame);
    let moved = false;
    while (!moved) {
      if (cursor.gotoNextSibling()) {
        ({ frame, descend } = enter());
        moved = true;
      } else if (frames.length && cursor.gotoParent()) {
        frame = frames.pop()!;
        exit(frame);
      } else break;
    }
    if (!moved) break;
  }
  cursor.delete();

  let lines = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  if (text.endsWith('\n')) lines--;
  return {
    units,
    lines: text.length ? lines : 0,
    code_lines: codeRows.size,
    complexity: fileComplexity,
    cognitive: fileCognitive,
    nesting: fileNesting,
    fingerprints: fingerprints(tokens, tokenRows),
  };
}

/** FileMetrics with the fingerprints packed as packFingerprints stores them: what a parse worker posts back. */
export interface PackedFileMetrics extends Omit<FileMetrics, 'fingerprints'> {
  /** Three int32 per fingerprint (hash, start, end); a byte copy to post, where objects would be cloned one by one. */
  fingerprints: Uint8Array;
}

/** analyzeTree for the code stage's parse (code/parse.ts), which measures the tree it made so no one parses it again. */
export function analyzeTreePacked(tree: Tree, language: string, text: string): PackedFileMetrics {
  const m = analyzeTree(tree, language, text);
  const b = packFingerprints(m.fingerprints);
  return { ...m, fingerprints: new Uint8Array(b.buffer, b.byteOffset, b.byteLength) };
}

function skipParens(n: Node | null): Node | null {
  let p = n;
  while (p && (p.type === 'parenthesized_expression' || p.type === 'condition' || p.type === 'condition_clause')) p = p.parent;
  return p;
}

/** Runs of like operators in a chain of && / || (`a && b && c` is one, `a && b || c` two): each costs 1. */
function operatorSequences(root: Node, rules: LanguageRules): number {
  const ops: string[] = [];
  const visit = (n: Node) => {
    const op = rules.logical.has(n.type) ? rules.logicalOp(n) : null;
    if (!op) return;
    const left = n.childForFieldName('left') ?? n.namedChild(0);
    const right = n.childForFieldName('right') ?? n.namedChild(n.namedChildCount - 1);
    if (left) visit(unwrap(left));
    ops.push(op);
    if (right) visit(unwrap(right));
  };
  visit(root);
  let runs = 0;
  for (let i = 0; i < ops.length; i++) if (i === 0 || ops[i] !== ops[i - 1]) runs++;
  return runs;
}

function unwrap(n: Node): Node {
  let c = n;
  while (c.type === 'parenthesized_expression' && c.namedChildCount === 1) c = c.namedChild(0)!;
  return c;
}
