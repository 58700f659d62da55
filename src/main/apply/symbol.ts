// Symbol placement: a bare snippet (no markers, no search part) that is exactly one whole declaration — a function,
// class or method whose header occurs once in the file — replaces that declaration. Anything less certain is refused.
//
// The rule, all of which must hold:
// - the snippet, blank edges aside, is one declaration: its first line is a declaration header naming a symbol, and
//   its block (braces, or indentation after a Python `def`/`class ...:`) ends at its last line;
// - the file has exactly one declaration line with that header (compared ignoring whitespace, so the signature must
//   be the same), and no other declaration of the same name;
// - the file's block starting there can be delimited the same way, and closes at the header's own indentation.

import { isBlank, leadOf, newLines, type Line } from './lines';

export interface SymbolPlacement {
  start: number;
  end: number;
  lines: Line[];
  name: string;
}

/** Declaration headers that name a symbol, one regex per shape; group 1 is the name. Deliberately keyword-led
 * (a bare `name(args) {` is also `if (x) {`). */
const HEADERS: RegExp[] = [
  // JS/TS: function declarations, exported or not
  /^(?:export\s+(?:default\s+)?)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\(/,
  // JS/TS: const f = (...) => / function, exports.f = function, a.b.prototype.f = function
  /^(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\(|[A-Za-z_$][\w$]*\s*=>)/,
  /^((?:module\.)?exports\.[A-Za-z_$][\w$]*|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+)\s*=\s*(?:async\s+)?function\b/,
  // classes, interfaces, enums (JS/TS/Java/C#/Kotlin/Swift/Python)
  /^(?:export\s+(?:default\s+)?)?(?:(?:public|private|protected|internal|abstract|final|sealed|static|data|open)\s+)*(?:class|interface|enum|struct|trait|object)\s+([A-Za-z_$][\w$]*)/,
  // Rust
  /^(?:pub(?:\([^)]*\))?\s+)?(?:(?:async|const|unsafe|extern\s+"[^"]*")\s+)*fn\s+([A-Za-z_]\w*)/,
  /^(?:pub(?:\([^)]*\))?\s+)?(?:struct|enum|trait|union|mod)\s+([A-Za-z_]\w*)/,
  // Go: func f(, func (r *T) f(
  /^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*\(/,
  // Python
  /^(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(/,
];

/** The declared name of a header line, or null when the line is not a declaration we recognise. */
export function declaredName(line: string): string | null {
  const t = line.trim();
  for (const re of HEADERS) {
    const m = re.exec(t);
    if (m) return m[1]!;
  }
  return null;
}

const squash = (s: string): string => s.replace(/\s+/g, '');

/** Whether a block is delimited by indentation (Python) rather than braces. */
function indentBlock(header: string): boolean {
  return /^\s*(?:async\s+)?(?:def|class)\b.*:\s*(?:#.*)?$/.test(header);
}

/**
 * The 0-based index of the last line of the brace block starting at `from`, or null when it does not close, closes
 * on a line that is not at the header's indentation, or has a brace we cannot read with confidence. Strings and
 * comments are skipped; template literals are refused when they contain `${`.
 */
function braceEnd(text: readonly string[], from: number): number | null {
  let depth = 0;
  let opened = false;
  let inBlock = false;
  for (let i = from; i < text.length; i++) {
    const s = text[i]!;
    let quote: string | null = null;
    for (let j = 0; j < s.length; j++) {
      const c = s[j]!;
      if (inBlock) {
        if (c === '*' && s[j + 1] === '/') {
          inBlock = false;
          j++;
        }
        continue;
      }
      if (quote) {
        if (c === '\\') j++;
        else if (c === quote) quote = null;
        else if (quote === '`' && c === '$' && s[j + 1] === '{') return null;
        continue;
      }
      if (c === '/' && s[j + 1] === '/') break;
      if (c === '#' && /^\s*#/.test(s)) break;
      if (c === '/' && s[j + 1] === '*') {
        inBlock = true;
        j++;
        continue;
      }
      if (c === '"' || c === "'" || c === '`') {
        // a Rust lifetime or char ('a) is not a string: only treat ' as a quote when it closes on this line
        if (c === "'" && s.indexOf("'", j + 1) < 0) continue;
        quote = c;
        continue;
      }
      if (c === '{') {
        depth++;
        opened = true;
      } else if (c === '}') {
        depth--;
        if (depth < 0) return null;
        if (opened && depth === 0) {
          // the block must close at the end of this line (trailing `;`, `,` or `)` allowed) and at the header's indentation
          if (!/^[\s;,)]*(?:\/\/.*)?$/.test(s.slice(j + 1))) return null;
          if (leadOf(s) !== leadOf(text[from]!)) return null;
          return i;
        }
      }
    }
    if (quote === '`') return null; // multi-line template: give up rather than guess
    if (!opened && i > from + 2) return null; // the header's brace must come within a few lines
  }
  return null;
}

/** The last line of an indentation block (Python) starting at `from`: the lines after it that are blank or more
 * indented; trailing blank lines are not part of it. */
function indentEnd(text: readonly string[], from: number): number | null {
  const base = leadOf(text[from]!).length;
  let last = from;
  for (let i = from + 1; i < text.length; i++) {
    const s = text[i]!;
    if (isBlank(s)) continue;
    if (leadOf(s).length <= base) break;
    last = i;
  }
  return last > from ? last : null;
}

function blockEnd(text: readonly string[], from: number): number | null {
  return indentBlock(text[from]!) ? indentEnd(text, from) : braceEnd(text, from);
}

/**
 * Where a bare snippet goes when it is one whole declaration whose header occurs exactly once in the file; null when
 * that cannot be known for certain.
 */
export function placeSymbol(file: readonly Line[], snippet: readonly string[]): SymbolPlacement | null {
  let a = 0;
  let b = snippet.length;
  while (a < b && isBlank(snippet[a]!)) a++;
  while (b > a && isBlank(snippet[b - 1]!)) b--;
  const w = snippet.slice(a, b);
  if (w.length < 2) return null;
  const name = declaredName(w[0]!);
  if (!name) return null;
  // the snippet is exactly one declaration
  if (blockEnd(w, 0) !== w.length - 1) return null;
  const text = file.map((l) => l.text);
  const header = squash(w[0]!);
  const sameName: number[] = [];
  text.forEach((t, i) => {
    if (declaredName(t) === name) sameName.push(i);
  });
  if (sameName.length !== 1) return null;
  const start = sameName[0]!;
  if (squash(text[start]!) !== header) return null;
  const end = blockEnd(text, start);
  if (end === null) return null;
  // the snippet takes the file's indentation for the declaration
  const from = leadOf(w[0]!);
  const to = leadOf(text[start]!);
  const moved: string[] = [];
  for (const l of w) {
    if (isBlank(l)) moved.push('');
    else if (!l.startsWith(from)) return null;
    else moved.push(to + l.slice(from.length));
  }
  // unchanged lines keep their own line endings
  const old = file.slice(start, end + 1);
  const lines = moved.map((t, i) => (old[i] && old[i]!.text === t ? old[i]! : newLines([t])[0]!));
  return { start, end: end + 1, lines, name };
}
