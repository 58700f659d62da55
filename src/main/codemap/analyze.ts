// Quality analysis of one file: from its syntax tree when Mira has the grammar, from keywords and a plain lexer otherwise.
import { fingerprints, tokenId } from './clones';
import { grammarOf, hasGrammar, parseTree } from './grammars';
import { analyzeTree, type FileMetrics } from './metrics';

export interface FileAnalysis extends FileMetrics {
  /** Metrics came from keywords, not a tree (no grammar for the language, or the parse failed). */
  approx: boolean;
}

/** Languages that hold code but have no grammar here: they get approximate metrics so hotspots still see them. */
const APPROX_LANGUAGES = new Set(['kotlin', 'scala', 'swift', 'c_sharp', 'ruby', 'php', 'lua', 'bash', 'dart', 'zig', 'elixir', 'erlang', 'haskell', 'ocaml', 'vue', 'svelte']);

export function analysable(language: string | null): boolean {
  return hasGrammar(language) || (!!language && APPROX_LANGUAGES.has(language));
}

export async function analyzeFile(path: string, language: string, text: string): Promise<FileAnalysis> {
  if (hasGrammar(language)) {
    const grammar = grammarOf(language, path);
    const tree = await parseTree(grammar, text);
    if (tree) {
      try {
        return { ...analyzeTree(tree, grammar, text), approx: false };
      } catch {
        /* fall back to the keyword count below */
      } finally {
        tree.delete();
      }
    }
  }
  return approximate(text);
}

const BRANCH = /\b(?:if|elif|elsif|else\s+if|for|foreach|while|until|unless|case|when|catch|rescue|except)\b|&&|\|\||\?\?/g;
const LEX = /[A-Za-z_$][A-Za-z0-9_$]*|\d[\d_.xXa-fA-F]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`|\S/g;
const LINE_COMMENT = /^\s*(?:\/\/|#|--|\*|\/\*)/;

/** Keyword-based metrics: one function-less unit for the whole file, complexity from branch keywords. */
export function approximate(text: string): FileAnalysis {
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const tokens: number[] = [];
  const rows: number[] = [];
  let code = 0;
  let complexity = 1;
  lines.forEach((line, row) => {
    if (!line.trim() || LINE_COMMENT.test(line)) return;
    code++;
    complexity += line.match(BRANCH)?.length ?? 0;
    for (const m of line.matchAll(LEX)) {
      const t = m[0];
      const c = t.charCodeAt(0);
      tokens.push(tokenId(/[A-Za-z_$]/.test(t[0]!) ? 'I' : c >= 48 && c <= 57 ? 'L' : c === 34 || c === 39 || c === 96 ? 'L' : t));
      rows.push(row);
    }
  });
  return { units: [], lines: lines.length, code_lines: code, complexity, cognitive: 0, nesting: 0, fingerprints: fingerprints(tokens, rows), approx: true };
}
