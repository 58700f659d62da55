// Splits a document into retrieval-sized chunks: by heading for Markdown, by paragraph otherwise, about 400 tokens each.
import { countTokens } from '../llm/tokens';

export interface DocChunk {
  /** The heading path of the section ("Setup > Install"); empty for text without headings. */
  heading: string;
  text: string;
  tokens: number;
}

export const TARGET_TOKENS = 400;

const FENCE = /^\s{0,3}(```|~~~)/;
const ATX = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const SETEXT_H1 = /^\s{0,3}=+\s*$/;

/** Markdown: one section per heading (headings inside code fences do not count), then paragraphs packed up to the target. */
export function chunkMarkdown(source: string, target = TARGET_TOKENS): DocChunk[] {
  const lines = stripFrontMatter(source.replace(/\r\n?/g, '\n')).split('\n');
  const sections: { heading: string; body: string[] }[] = [{ heading: '', body: [] }];
  const stack: { level: number; title: string }[] = [];
  let inFence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      if (!inFence) inFence = fence[1]!;
      else if (fence[1] === inFence) inFence = null;
      sections.at(-1)!.body.push(line);
      continue;
    }
    if (!inFence) {
      const atx = ATX.exec(line);
      const next = lines[i + 1];
      const setext = !atx && line.trim() && next !== undefined && SETEXT_H1.test(next) ? line.trim() : null;
      if (atx || setext) {
        const level = atx ? atx[1]!.length : 1;
        const title = atx ? atx[2]!.trim() : setext!;
        while (stack.length && stack.at(-1)!.level >= level) stack.pop();
        stack.push({ level, title });
        sections.push({ heading: stack.map((s) => s.title).join(' > '), body: [] });
        if (setext) i++;
        continue;
      }
    }
    sections.at(-1)!.body.push(line);
  }
  const out: DocChunk[] = [];
  for (const s of sections) {
    const paragraphs = splitParagraphs(s.body, true);
    if (!paragraphs.length) continue;
    out.push(...pack(paragraphs, s.heading, target));
  }
  // Headings with nothing under them still say something (a title, a list of chapters): kept when they are all there is.
  if (!out.length) {
    const headings = sections.map((s) => s.heading).filter(Boolean);
    if (headings.length) out.push(...pack(headings, '', target));
  }
  return out;
}

/** Plain text (and text from PDFs): paragraphs packed up to the target; a paragraph too long on its own is cut at lines, then sentences. */
export function chunkText(source: string, target = TARGET_TOKENS): DocChunk[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  return pack(splitParagraphs(lines, false), '', target);
}

/** The first level-1 heading (or any heading) of a Markdown document. */
export function markdownTitle(source: string): string | null {
  let inFence: string | null = null;
  let first: string | null = null;
  for (const line of stripFrontMatter(source.replace(/\r\n?/g, '\n')).split('\n')) {
    const fence = FENCE.exec(line);
    if (fence) {
      if (!inFence) inFence = fence[1]!;
      else if (fence[1] === inFence) inFence = null;
      continue;
    }
    if (inFence) continue;
    const m = ATX.exec(line);
    if (!m) continue;
    if (m[1] === '#') return m[2]!.trim() || null;
    first ??= m[2]!.trim() || null;
  }
  return first;
}

function stripFrontMatter(text: string): string {
  if (!text.startsWith('---\n')) return text;
  const end = text.indexOf('\n---', 4);
  return end < 0 ? text : text.slice(text.indexOf('\n', end + 1) + 1);
}

/** Blank lines separate paragraphs; a fenced block stays one paragraph in Markdown even with blank lines inside. */
function splitParagraphs(lines: string[], markdown: boolean): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  let inFence: string | null = null;
  const flush = () => {
    const text = cur.join('\n').replace(/\s+$/, '').replace(/^\n+/, '');
    if (text.trim()) out.push(text);
    cur = [];
  };
  for (const line of lines) {
    if (markdown) {
      const fence = FENCE.exec(line);
      if (fence) {
        if (!inFence) inFence = fence[1]!;
        else if (fence[1] === inFence) inFence = null;
      }
    }
    if (!inFence && !line.trim()) flush();
    else cur.push(line);
  }
  flush();
  return out;
}

/** Packs paragraphs into chunks of at most `target` tokens (a single longer paragraph is split first). */
function pack(paragraphs: string[], heading: string, target: number): DocChunk[] {
  const out: DocChunk[] = [];
  let cur: string[] = [];
  let curTokens = 0;
  const flush = () => {
    if (!cur.length) return;
    const text = cur.join('\n\n');
    out.push({ heading, text, tokens: countTokens(text) });
    cur = [];
    curTokens = 0;
  };
  for (const p of paragraphs.flatMap((para) => split(para, target))) {
    const t = countTokens(p);
    if (curTokens && curTokens + t > target) flush();
    cur.push(p);
    curTokens += t;
  }
  flush();
  return out;
}

/** Cuts an over-long piece at line breaks, then sentence ends, then (for text with neither) at a character budget. */
function split(text: string, target: number): string[] {
  if (countTokens(text) <= target) return [text];
  for (const sep of [/\n/, /(?<=[.!?;:])\s+/]) {
    const parts = text.split(sep).filter((s) => s.trim());
    if (parts.length > 1) {
      const out: string[] = [];
      let cur = '';
      for (const part of parts.flatMap((x) => split(x, target))) {
        const joined = cur ? `${cur}${sep.source === '\\n' ? '\n' : ' '}${part}` : part;
        if (cur && countTokens(joined) > target) {
          out.push(cur);
          cur = part;
        } else cur = joined;
      }
      if (cur) out.push(cur);
      return out;
    }
  }
  // One unbroken run (a minified line, a table row): cut by characters, about four per token.
  const step = Math.max(200, target * 4);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += step) out.push(text.slice(i, i + step));
  return out;
}
