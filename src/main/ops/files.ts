// File access for operations: read a file as an artifact's base, write or restore it only if it is still what we expect (atomic writes).
import fs from 'node:fs';
import path from 'node:path';
import { MiraError } from '../../shared/errors';
import { atomicWriteFile, sha256 } from '../apply';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const MAX_BYTES = 4 * 1024 * 1024;

export interface FileState {
  exists: boolean;
  /** sha256 of the bytes on disk (null when the file does not exist). */
  hash: string | null;
  bom: boolean;
  /** The text without its byte-order mark ('' for a missing file). */
  text: string;
}

/** Reads a text file the way the apply engine does: UTF-8 with or without BOM; binary and other encodings are refused. */
export function readState(abs: string, rel: string): FileState {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, hash: null, bom: false, text: '' };
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') throw new MiraError('bad_request', `${rel} is a folder, not a file`);
    throw new MiraError('internal', `cannot read ${rel}: ${(e as Error).message}`);
  }
  if (buf.length > MAX_BYTES) throw new MiraError('too_large', `${rel} is over ${MAX_BYTES / 1048576} MB`, 'edit large files by hand');
  if (buf.subarray(0, 8192).includes(0)) throw new MiraError('binary_file', `${rel} looks binary; operations edit text files only`);
  const bom = buf.subarray(0, 3).equals(BOM);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bom ? buf.subarray(3) : buf);
  } catch {
    throw new MiraError('binary_file', `${rel} is not valid UTF-8; refusing to re-encode it`);
  }
  return { exists: true, hash: sha256(buf), bom, text };
}

export function hashOnDisk(abs: string): string | null {
  try {
    return sha256(fs.readFileSync(abs));
  } catch {
    return null;
  }
}

export function encode(text: string, bom: boolean): Buffer {
  return bom ? Buffer.concat([BOM, Buffer.from(text, 'utf8')]) : Buffer.from(text, 'utf8');
}

/**
 * Writes `text` if the file still has the expected hash (null: must not exist); returns the new hash.
 * The check and the write are a few microseconds apart; the editor's own saves go through fs/write's hash check too.
 */
export async function writeIfUnchanged(abs: string, rel: string, expected: string | null, text: string, bom: boolean): Promise<string> {
  const now = hashOnDisk(abs);
  if (now !== expected) {
    throw new MiraError(
      'conflict',
      expected === null ? `${rel} was created by someone else since the edit was proposed` : now === null ? `${rel} was deleted since the edit was proposed` : `${rel} changed on disk since the edit was proposed`,
      'review the file, then start the operation again (or resume it) so the edit is made against the current content',
    );
  }
  const bytes = encode(text, bom);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  await atomicWriteFile(abs, bytes);
  return sha256(bytes);
}

/** Puts a file back as it was (or removes one that did not exist), if it still holds what we wrote, unless forced. */
export async function restore(abs: string, rel: string, opts: { expected: string | null; existed: boolean; text: string; bom: boolean; force?: boolean }): Promise<'restored' | 'deleted'> {
  const now = hashOnDisk(abs);
  if (!opts.force && now !== opts.expected) {
    throw new MiraError('conflict', `${rel} changed since the operation wrote it`, 'undo with force to overwrite those later changes, or restore the file by hand');
  }
  if (!opts.existed) {
    fs.rmSync(abs, { force: true });
    return 'deleted';
  }
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  await atomicWriteFile(abs, encode(opts.text, opts.bom));
  return 'restored';
}
