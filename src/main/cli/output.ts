// CLI output: JSON documents or JSON Lines on stdout, aligned tables for people, a progress bar on stderr.
import type { Writable } from 'node:stream';

export interface Out {
  json: boolean;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
}

const useColor = (s: { isTTY?: boolean }) => !!s.isTTY && !process.env.NO_COLOR;

export function color(out: Out, code: number, text: string): string {
  return useColor(out.stdout) ? `\x1b[${code}m${text}\x1b[0m` : text;
}

export function printJson(out: Out, value: unknown): void {
  out.stdout.write(JSON.stringify(value) + '\n');
}

/** Aligned columns; numbers right-aligned; long cells are cut so one row stays one line. */
export function printTable(out: Out, rows: Record<string, unknown>[], columns: { key: string; label?: string; max?: number }[]): void {
  if (!rows.length) {
    out.stdout.write(color(out, 2, '(no results)') + '\n');
    return;
  }
  const cell = (v: unknown, max: number) => {
    let s = v === null || v === undefined ? '' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : typeof v === 'object' ? JSON.stringify(v) : String(v);
    s = s.replace(/\s+/g, ' ');
    return s.length > max ? s.slice(0, max - 1) + '…' : s;
  };
  const cells = rows.map((r) => columns.map((c) => cell(r[c.key], c.max ?? 60)));
  const widths = columns.map((c, i) => Math.max((c.label ?? c.key).length, ...cells.map((row) => row[i]!.length)));
  const numeric = columns.map((c) => rows.every((r) => typeof r[c.key] === 'number' || r[c.key] == null));
  const line = (vals: string[]) => vals.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  out.stdout.write(color(out, 1, line(columns.map((c) => c.label ?? c.key))) + '\n');
  for (const row of cells) out.stdout.write(line(row) + '\n');
}

export class ProgressBar {
  private lastDraw = 0;
  private active = false;
  constructor(private readonly out: Out) {}

  update(label: string, done: number, total: number): void {
    if (!this.out.stderr.isTTY || this.out.json) return;
    const now = Date.now();
    if (now - this.lastDraw < 80 && done < total) return;
    this.lastDraw = now;
    this.active = true;
    const width = 28;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const bar = total > 0 ? '█'.repeat(Math.round(frac * width)).padEnd(width, '░') : '·'.repeat(width);
    const count = total > 0 ? ` ${done}/${total}` : '';
    this.out.stderr.write(`\r\x1b[2K${label.padEnd(8)} ${bar}${count}`);
  }

  done(): void {
    if (this.active) this.out.stderr.write('\r\x1b[2K');
    this.active = false;
  }
}
