// Line-splitting and small text helpers shared by the line-oriented parsers.

/** Lines longer than this are skipped by regex matching so pathological input stays linear. */
export const MAX_LINE = 8000;

export function splitLines(text: string): string[] {
  return text.split('\n');
}

/** Run a regex against a line only when the line is short enough to match cheaply. */
export function match(re: RegExp, line: string): RegExpExecArray | null {
  if (line.length > MAX_LINE) return null;
  return re.exec(line);
}

export function toInt(s: string | undefined): number | null {
  if (s === undefined || s === '') return null;
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) ? n : null;
}
