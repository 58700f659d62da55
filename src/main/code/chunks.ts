// Splits a file into search chunks: one per symbol body (innermost wins), line windows for the rest and for unparsed files.
import type { ParsedSymbol, SymbolKind } from './model';

export interface Chunk {
  start_line: number;
  end_line: number;
  /** Index into the file's symbols, or -1 for a plain line window. */
  symbol: number;
  text: string;
}

const CHUNK_KINDS: ReadonlySet<SymbolKind> = new Set(['function', 'method', 'class', 'struct', 'interface', 'trait', 'enum', 'type', 'macro']);
const WINDOW = 40;
const MAX_SYMBOL_LINES = 120;
const SPLIT_LINES = 80;

export function chunkFile(text: string, symbols: ParsedSymbol[]): Chunk[] {
  const lines = text.split('\n');
  const n = lines.length;
  // owner[i]: innermost chunkable symbol covering line i+1 (symbols come parent-first, so later ones are inner).
  const owner = new Int32Array(n).fill(-1);
  const span = new Int32Array(n).fill(0x7fffffff);
  symbols.forEach((s, i) => {
    const multiLineData = (s.kind === 'variable' || s.kind === 'constant') && s.end_line - s.start_line >= 3;
    if (!CHUNK_KINDS.has(s.kind) && !multiLineData) return;
    const len = s.end_line - s.start_line;
    for (let l = Math.max(1, s.start_line); l <= Math.min(n, s.end_line); l++) {
      if (len <= span[l - 1]!) {
        owner[l - 1] = i;
        span[l - 1] = len;
      }
    }
  });
  const chunks: Chunk[] = [];
  let start = 0;
  while (start < n) {
    const o = owner[start]!;
    let end = start;
    const limit = o >= 0 ? MAX_SYMBOL_LINES : WINDOW;
    while (end + 1 < n && owner[end + 1] === o && end + 1 - start < limit) end++;
    // A symbol longer than the limit continues in further chunks of SPLIT_LINES.
    if (o >= 0 && end + 1 - start >= limit && end + 1 < n && owner[end + 1] === o) end = start + SPLIT_LINES - 1;
    // Blank lines at either end are left out: a hit's line is where its text starts, not the gap before it.
    let from = start;
    let to = end;
    while (from < to && !lines[from]!.trim()) from++;
    while (to > from && !lines[to]!.trim()) to--;
    const body = lines.slice(from, to + 1).join('\n');
    if (/[A-Za-z0-9]/.test(body) && !(o >= 0 && /^[\s{}();,\]]*$/.test(body.replace(/\/\/.*$/gm, '')))) chunks.push({ start_line: from + 1, end_line: to + 1, symbol: o, text: body });
    start = end + 1;
  }
  return chunks;
}
