// Parses the byte stream of one `git log -z --numstat` (or `--name-only`) with our record format, a commit at a time.

/** The format given to git: record separator, then fields separated by 0x1f, the raw message last. */
export const LOG_FORMAT = '--format=%x1e%H%x1f%P%x1f%aN%x1f%aE%x1f%at%x1f%ct%x1f%B';

export interface LogFile {
  path: string;
  /** Set when git detected a rename (numstat mode only). */
  oldPath: string | null;
  /** Null for binary files and in names mode. */
  added: number | null;
  deleted: number | null;
}

export interface LogCommit {
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  authoredAt: number;
  committedAt: number;
  subject: string;
  body: string;
  files: LogFile[];
}

export type LogMode = 'numstat' | 'names';

const RS = 0x1e;

/**
 * Feed it chunks as they arrive; it calls `onCommit` for every complete record. A record is complete once the
 * next one starts, or at `end()` (call it only when git exited cleanly: a failing git may leave a half record).
 */
export class LogStreamParser {
  private rest: Buffer = Buffer.alloc(0);
  private readonly decoder = new TextDecoder('utf-8');
  count = 0;

  constructor(private readonly mode: LogMode, private readonly onCommit: (c: LogCommit) => void) {}

  push(chunk: Buffer): void {
    let buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    // 0x1e never occurs inside a UTF-8 multi-byte sequence, so splitting bytes here is safe.
    let start = buf.indexOf(RS);
    if (start < 0) {
      this.rest = buf;
      return;
    }
    if (start > 0) buf = buf.subarray(start);
    start = 0;
    for (;;) {
      const next = buf.indexOf(RS, start + 1);
      if (next < 0) break;
      this.emit(buf.subarray(start + 1, next));
      start = next;
    }
    // Copy so the big chunk it came from can be freed.
    this.rest = Buffer.from(buf.subarray(start));
  }

  /** Flushes the last record. */
  end(): void {
    if (this.rest.length > 1 && this.rest[0] === RS) this.emit(this.rest.subarray(1));
    this.rest = Buffer.alloc(0);
  }

  private emit(bytes: Buffer): void {
    const c = parseRecord(this.decoder.decode(bytes), this.mode);
    if (c) {
      this.count++;
      this.onCommit(c);
    }
  }
}

/** One record: header fields up to the first NUL, then the file entries. Returns null for garbage. */
export function parseRecord(rec: string, mode: LogMode): LogCommit | null {
  const nul = rec.indexOf('\0');
  const head = nul < 0 ? rec : rec.slice(0, nul);
  const fields = head.split('\x1f');
  if (fields.length < 7) return null;
  const [sha, parents, name, email, at, ct] = fields as [string, string, string, string, string, string];
  if (!/^[0-9a-f]{40,64}$/.test(sha)) return null;
  const message = fields.slice(6).join('\x1f');
  const nl = message.indexOf('\n');
  const subject = (nl < 0 ? message : message.slice(0, nl)).trim();
  const body = nl < 0 ? '' : message.slice(nl + 1).trim();
  const files = nul < 0 ? [] : parseEntries(rec.slice(nul + 1), mode);
  return {
    sha,
    parents: parents ? parents.split(' ').filter(Boolean) : [],
    authorName: name.trim(),
    authorEmail: email.trim().toLowerCase(),
    authoredAt: Number(at) || 0,
    committedAt: Number(ct) || Number(at) || 0,
    subject,
    body,
    files,
  };
}

function parseEntries(text: string, mode: LogMode): LogFile[] {
  const toks = text.split('\0');
  const out: LogFile[] = [];
  const seen = new Set<string>();
  const add = (f: LogFile) => {
    if (!f.path || seen.has(f.path)) return;
    seen.add(f.path);
    out.push(f);
  };
  for (let i = 0; i < toks.length; i++) {
    // git puts a newline between the header and the first entry.
    const t = i === 0 ? toks[i]!.replace(/^\n+/, '') : toks[i]!;
    if (!t) continue;
    if (mode === 'names') {
      add({ path: t.replace(/^\n+/, ''), oldPath: null, added: null, deleted: null });
      continue;
    }
    const t1 = t.indexOf('\t');
    const t2 = t1 < 0 ? -1 : t.indexOf('\t', t1 + 1);
    if (t1 < 0 || t2 < 0) continue;
    const added = num(t.slice(0, t1).replace(/^\n+/, ''));
    const deleted = num(t.slice(t1 + 1, t2));
    const p = t.slice(t2 + 1);
    if (p === '') {
      // A rename: "A\tD\t" NUL old NUL new.
      const oldPath = toks[i + 1] ?? '';
      const newPath = toks[i + 2] ?? '';
      i += 2;
      add({ path: newPath, oldPath: oldPath || null, added, deleted });
    } else {
      add({ path: p, oldPath: null, added, deleted });
    }
  }
  return out;
}

function num(s: string): number | null {
  if (s === '-' || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}
