// Line model for the apply engine: split text into lines that remember their own line ending, and join them back.

/** One line of a file. `eol` is the ending it had in the file ('' for a last line without one), or null for a
 * line the edit introduced (it takes the file's dominant ending when joined). */
export interface Line {
  text: string;
  eol: string | null;
}

export interface Doc {
  lines: Line[];
  /** The dominant line ending; CRLF files stay CRLF. */
  eol: '\n' | '\r\n';
  /** Whether the text ended with a line ending; kept as is unless an edit explicitly says otherwise. */
  finalNewline: boolean;
}

export function parseDoc(text: string): Doc {
  const lines: Line[] = [];
  let crlf = 0;
  let lf = 0;
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      lines.push({ text: text.slice(start), eol: '' });
      break;
    }
    if (nl > start && text.charCodeAt(nl - 1) === 13) {
      lines.push({ text: text.slice(start, nl - 1), eol: '\r\n' });
      crlf++;
    } else {
      lines.push({ text: text.slice(start, nl), eol: '\n' });
      lf++;
    }
    start = nl + 1;
  }
  return { lines, eol: crlf > lf ? '\r\n' : '\n', finalNewline: text.length > 0 && text.endsWith('\n') };
}

/** Join lines back into text. Every line but the last ends with its own ending (or the dominant one); the last line
 * ends with one exactly when `finalNewline` says so, so "no newline at end of file" survives an edit. */
export function joinDoc(lines: readonly Line[], eol: string, finalNewline: boolean): string {
  let out = '';
  const last = lines.length - 1;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    out += l.text;
    if (i < last) out += l.eol ? l.eol : eol;
    else if (finalNewline) out += l.eol ? l.eol : eol;
  }
  return out;
}

/** Edit text as bare lines: CRLF/CR tolerated, and a trailing line ending does not make an extra empty line. */
export function editLines(edit: string): string[] {
  const t = edit.replace(/\r\n?/g, '\n');
  if (t === '') return [];
  const ls = t.split('\n');
  if (ls[ls.length - 1] === '') ls.pop();
  return ls;
}

export function isBlank(s: string): boolean {
  return s.trim() === '';
}

export function leadOf(s: string): string {
  const m = /^[ \t]*/.exec(s);
  return m ? m[0] : '';
}

export function newLines(texts: readonly string[]): Line[] {
  return texts.map((text) => ({ text, eol: null }));
}
