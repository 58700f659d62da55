// A small Markdown parser for chat answers: text in, a tree of plain data out (never HTML), so the view renders it with React's escaping.

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'code'; v: string }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 'del'; c: Inline[] }
  | { t: 'link'; href: string; c: Inline[] }
  | { t: 'br' };

export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'h'; level: number; c: Inline[] }
  | { t: 'code'; lang: string; path: string | null; text: string; closed: boolean }
  | { t: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { t: 'quote'; c: Block[] }
  | { t: 'hr' }
  | { t: 'table'; align: ('left' | 'right' | 'center' | null)[]; head: Inline[][]; rows: Inline[][][] };

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`]*)$/;
const HEADING = /^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/;
const HR = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])(\s+|$)(.*)$/;
const TABLE_RULE = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;
const PATHLIKE = /^[\w@.+-]+(\/[\w@.+-]+)*\.[A-Za-z0-9]{1,10}$/;

/** Parses a whole answer; an unterminated code fence (a streamed answer cut mid-block) becomes an open code block. */
export function parseMarkdown(text: string): Block[] {
  return parseBlocks(text.replace(/\r\n?/g, '\n').split('\n'));
}

/** The language and target file of a fence's info string: "ts src/a.ts", "ts:src/a.ts", "ts path=src/a.ts", "src/a.ts". */
export function parseFenceInfo(info: string): { lang: string; path: string | null } {
  const words = info.trim().split(/\s+/).filter(Boolean);
  let lang = '';
  let path: string | null = null;
  words.forEach((raw, i) => {
    const w = raw.replace(/^(path|file|title|filename)=/i, '').replace(/^["']|["']$/g, '');
    if (i === 0 && raw.includes(':') && !raw.includes('=')) {
      const at = raw.indexOf(':');
      lang = raw.slice(0, at);
      const p = raw.slice(at + 1);
      if (PATHLIKE.test(p)) path = p;
    } else if (PATHLIKE.test(w)) path ??= w;
    else if (i === 0) lang = w;
  });
  return { lang: lang.toLowerCase(), path };
}

/** A file path named in inline code (`src/a.ts`) of a block, the last one wins: what a code block right after it edits. */
export function pathMentionedIn(block: Block | undefined): string | null {
  if (!block || (block.t !== 'p' && block.t !== 'h')) return null;
  let found: string | null = null;
  const walk = (xs: Inline[]) => {
    for (const x of xs) {
      if (x.t === 'code' && PATHLIKE.test(x.v.trim())) found = x.v.trim();
      else if ('c' in x) walk(x.c);
    }
  };
  walk(block.c);
  return found;
}

function isBlank(l: string): boolean {
  return l.trim() === '';
}

function startsBlock(l: string): boolean {
  return FENCE.test(l) || HEADING.test(l) || HR.test(l) || QUOTE.test(l) || ITEM.test(l);
}

function splitRow(l: string): string[] {
  let s = l.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cur = '';
  let inCode = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (ch === '`') {
      inCode = !inCode;
      cur += ch;
    } else if (ch === '|' && !inCode) {
      cells.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  cells.push(cur.trim());
  return cells;
}

function parseBlocks(lines: string[]): Block[] {
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const { lang, path } = parseFenceInfo(fence[2] ?? '');
      const indent = line.length - line.trimStart().length;
      const body: string[] = [];
      let closed = false;
      i++;
      while (i < lines.length) {
        const l = lines[i]!;
        const t = l.trim();
        if (t.startsWith(marker[0]!.repeat(marker.length)) && /^(`+|~+)$/.test(t) && t[0] === marker[0]) {
          closed = true;
          i++;
          break;
        }
        // Content indented like its fence loses that indentation, as CommonMark says.
        body.push(indent ? l.replace(new RegExp(`^ {0,${indent}}`), '') : l);
        i++;
      }
      out.push({ t: 'code', lang, path, text: body.join('\n'), closed });
      continue;
    }
    const h = HEADING.exec(line);
    if (h) {
      out.push({ t: 'h', level: h[1]!.length, c: parseInline(h[2] ?? '') });
      i++;
      continue;
    }
    if (HR.test(line)) {
      out.push({ t: 'hr' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && !isBlank(lines[i]!)) {
        const q = QUOTE.exec(lines[i]!);
        body.push(q ? q[1]! : lines[i]!);
        i++;
      }
      out.push({ t: 'quote', c: parseBlocks(body) });
      continue;
    }
    const item = ITEM.exec(line);
    if (item) {
      const ordered = /\d/.test(item[2]!);
      const start = ordered ? parseInt(item[2]!, 10) : 1;
      const items: Block[][] = [];
      while (i < lines.length) {
        const m = ITEM.exec(lines[i]!);
        if (!m || /\d/.test(m[2]!) !== ordered) break;
        const width = m[1]!.length + m[2]!.length + Math.max(1, Math.min(m[3]!.length, 4));
        const body = [m[4] ?? ''];
        i++;
        while (i < lines.length) {
          const l = lines[i]!;
          if (isBlank(l)) {
            // A blank line continues the item only when the next line is indented under it.
            const next = lines[i + 1];
            if (next !== undefined && next.length - next.trimStart().length >= width && !isBlank(next)) {
              body.push('');
              i++;
              continue;
            }
            break;
          }
          const ind = l.length - l.trimStart().length;
          if (ind >= width) body.push(l.slice(width));
          else if (ind >= 2 && ITEM.test(l.slice(ind))) body.push(l.slice(Math.min(ind, width)));
          else if (!startsBlock(l)) body.push(l.trim());
          else break;
          i++;
        }
        items.push(parseBlocks(body));
      }
      out.push({ t: 'list', ordered, start, items });
      continue;
    }
    const next = lines[i + 1];
    if (line.includes('|') && next !== undefined && TABLE_RULE.test(next) && next.includes('-')) {
      const head = splitRow(line);
      const align = splitRow(next).map((c) => (c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : c.startsWith(':') ? 'left' : null));
      i += 2;
      const rows: Inline[][][] = [];
      while (i < lines.length && !isBlank(lines[i]!) && lines[i]!.includes('|')) {
        const cells = splitRow(lines[i]!);
        rows.push(head.map((_, k) => parseInline(cells[k] ?? '')));
        i++;
      }
      out.push({ t: 'table', align, head: head.map((c) => parseInline(c)), rows });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && !isBlank(lines[i]!) && (para.length === 0 || !startsBlock(lines[i]!))) {
      para.push(lines[i]!);
      i++;
    }
    out.push({ t: 'p', c: parseInline(para.join('\n')) });
  }
  return out;
}

const ESCAPABLE = /[\\`*_{}[\]()#+\-.!|<>~]/;

function safeHref(href: string): string | null {
  const h = href.trim();
  return /^(https?:|mailto:)/i.test(h) ? h : null;
}

function findClose(s: string, from: number, delim: string): number {
  let j = from;
  while (j < s.length) {
    if (s[j] === '\\') {
      j += 2;
      continue;
    }
    if (s[j] === '`') {
      // Delimiters inside a code span do not count.
      const run = /^`+/.exec(s.slice(j))![0];
      const end = s.indexOf(run, j + run.length);
      if (end > 0) {
        j = end + run.length;
        continue;
      }
    }
    if (s.startsWith(delim, j) && s[j - 1] !== ' ') {
      // In a run like `***` the closing `**` is its last two stars (the first one closes an inner emphasis).
      if (delim.length > 1 && s[j + delim.length] === delim[0]) {
        j++;
        continue;
      }
      if (delim.length > 1 || s[j + 1] !== delim) return j;
    }
    j++;
  }
  return -1;
}

/** Inline spans: code, strong, emphasis, strikethrough, safe links, autolinks and hard breaks; everything else is text. */
export function parseInline(s: string): Inline[] {
  const out: Inline[] = [];
  let buf = '';
  const flush = () => {
    if (buf) out.push({ t: 'text', v: buf });
    buf = '';
  };
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '\\' && i + 1 < s.length && ESCAPABLE.test(s[i + 1]!)) {
      buf += s[i + 1];
      i += 2;
      continue;
    }
    if (ch === '\\' && s[i + 1] === '\n') {
      flush();
      out.push({ t: 'br' });
      i += 2;
      continue;
    }
    if (ch === ' ' && s.startsWith('  \n', i)) {
      flush();
      out.push({ t: 'br' });
      i += 3;
      continue;
    }
    if (ch === '`') {
      const run = /^`+/.exec(s.slice(i))![0];
      let end = s.indexOf(run, i + run.length);
      while (end > 0 && s[end + run.length] === '`') end = s.indexOf(run, end + run.length + 1);
      if (end > 0) {
        flush();
        let v = s.slice(i + run.length, end).replace(/\n/g, ' ');
        if (v.length > 2 && v.startsWith(' ') && v.endsWith(' ')) v = v.slice(1, -1);
        out.push({ t: 'code', v });
        i = end + run.length;
      } else {
        buf += run;
        i += run.length;
      }
      continue;
    }
    if (ch === '*' || ch === '_' || (ch === '~' && s[i + 1] === '~')) {
      const dbl = s[i + 1] === ch;
      const delim = dbl ? ch + ch : ch;
      // snake_case_names are not emphasis.
      const intraword = ch === '_' && i > 0 && /\w/.test(s[i - 1]!);
      const close = intraword || /\s/.test(s[i + delim.length] ?? ' ') ? -1 : findClose(s, i + delim.length, delim);
      if (close > i + delim.length && !(ch === '_' && /\w/.test(s[close + delim.length] ?? ''))) {
        flush();
        const c = parseInline(s.slice(i + delim.length, close));
        out.push(ch === '~' ? { t: 'del', c } : dbl ? { t: 'strong', c } : { t: 'em', c });
        i = close + delim.length;
        continue;
      }
      buf += delim;
      i += delim.length;
      continue;
    }
    if (ch === '[') {
      const m = /^\[((?:\\.|[^\]\\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/.exec(s.slice(i));
      if (m) {
        flush();
        const href = safeHref(m[2]!);
        const label = parseInline(m[1]!);
        if (href) out.push({ t: 'link', href, c: label });
        else out.push(...label);
        i += m[0].length;
        continue;
      }
    }
    if (ch === '<') {
      const m = /^<((?:https?|mailto):[^>\s]+)>/i.exec(s.slice(i));
      if (m) {
        flush();
        out.push({ t: 'link', href: m[1]!, c: [{ t: 'text', v: m[1]! }] });
        i += m[0].length;
        continue;
      }
    }
    buf += ch;
    i++;
  }
  flush();
  return out;
}
