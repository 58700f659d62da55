// File side of the apply engine: read with encoding detection, check the expected hash, apply, write atomically.

import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { applyEdit, type ApplyResult, type EditFormat } from './apply';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Write a file so that readers see either the old or the new content, never a partial one: write a temporary file
 * in the same directory (same filesystem, so the rename is atomic), flush it, then rename it over the target. The
 * target's permission bits are kept; a symlink is followed so the link itself stays a link.
 */
export async function atomicWriteFile(path: string, content: string | Buffer): Promise<void> {
  let target = path;
  try {
    target = await fs.realpath(path);
  } catch {
    // a new file: write where asked
  }
  let mode: number | undefined;
  try {
    mode = (await fs.stat(target)).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  const dir = nodePath.dirname(target);
  const tmp = nodePath.join(dir, `.${nodePath.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await fs.open(tmp, 'wx', mode ?? 0o666);
  try {
    try {
      await fh.writeFile(content);
      // the open mode is filtered by the umask; set the old bits exactly
      if (mode !== undefined) await fh.chmod(mode);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

export interface ApplyToFileOptions {
  format?: EditFormat;
  /** compute the result without writing it */
  dryRun?: boolean;
  /** sha256 (hex, optionally `sha256:`-prefixed) of the file as the edit's author saw it; refuse if it changed since */
  expectedHash?: string;
  /** the path shown in the diff headers (default: `path` as given) */
  displayPath?: string;
}

export type ApplyToFileResult = ApplyResult & {
  path: string;
  /** whether the file was written (false on dry runs, refusals and no-op edits) */
  written: boolean;
  /** sha256 of the file's bytes before, and after when applied */
  beforeHash: string | null;
  afterHash?: string;
};

function refusal(path: string, beforeHash: string | null, code: string, message: string): ApplyToFileResult {
  return { applied: false, format: null, error: { code, message }, path, written: false, beforeHash };
}

/** Text files only: a NUL byte in the first 8 KB marks a binary file, which an edit must not touch. */
function looksBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}

/**
 * Read `path`, apply `edit`, and write the result atomically (unless dryRun). The file's encoding is kept: UTF-8
 * with or without a byte-order mark; anything else (binary, invalid UTF-8) is refused rather than re-encoded.
 * A missing file is treated as empty, so a whole-file edit or an empty search block creates it.
 */
export async function applyToFile(path: string, edit: string, opts: ApplyToFileOptions = {}): Promise<ApplyToFileResult> {
  let buf: Buffer;
  let exists = true;
  try {
    buf = await fs.readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return refusal(path, null, 'read_error', String((e as Error).message));
    buf = Buffer.alloc(0);
    exists = false;
  }
  const beforeHash = exists ? sha256(buf) : null;
  if (opts.expectedHash !== undefined) {
    const want = opts.expectedHash.trim().toLowerCase().replace(/^sha256:/, '');
    if (want !== (beforeHash ?? ''))
      return refusal(path, beforeHash, 'hash_mismatch', `the file changed since the edit was made (expected sha256 ${want.slice(0, 12)}, found ${beforeHash ? beforeHash.slice(0, 12) : 'no file'})`);
  }
  if (looksBinary(buf)) return refusal(path, beforeHash, 'binary', 'the file looks binary (it has NUL bytes); refusing to edit it as text');
  const bom = buf.subarray(0, 3).equals(BOM);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bom ? buf.subarray(3) : buf);
  } catch {
    return refusal(path, beforeHash, 'encoding', 'the file is not valid UTF-8; refusing to re-encode it');
  }
  const r = applyEdit(text, edit, { path: opts.displayPath ?? path, ...(opts.format ? { format: opts.format } : {}) });
  if (!r.applied) return { ...r, path, written: false, beforeHash };
  const out = bom ? Buffer.concat([BOM, Buffer.from(r.content, 'utf8')]) : Buffer.from(r.content, 'utf8');
  const afterHash = sha256(out);
  const changed = !exists || afterHash !== beforeHash;
  if (!opts.dryRun && changed) await atomicWriteFile(path, out);
  return { ...r, path, written: !opts.dryRun && changed, beforeHash, afterHash };
}
