// The `mira serve` access token, kept per Mira home (mode 0600) so a restarted server accepts the pages already open.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MiraError } from '../../shared/errors';

export const TOKEN_FILE = 'serve-token';

const VALID = /^[A-Za-z0-9_-]{24,256}$/;

export interface ServeToken {
  token: string;
  /** Where it came from: MIRA_SERVE_TOKEN, the home's token file, or newly made (and stored). */
  source: 'env' | 'file' | 'new';
}

/**
 * The token `mira serve` requires: MIRA_SERVE_TOKEN when set (never stored), else the one stored in `<home>/serve-token`,
 * else a new random one written there with mode 0600. `rotate` throws the stored one away first.
 */
export function serveToken(home: string, opts: { env?: string; rotate?: boolean } = {}): ServeToken {
  const fromEnv = opts.env?.trim();
  if (fromEnv) return { token: fromEnv, source: 'env' };
  fs.mkdirSync(home, { recursive: true });
  const file = path.join(home, TOKEN_FILE);
  if (opts.rotate) fs.rmSync(file, { force: true });
  const stored = readStored(file);
  if (stored) return { token: stored, source: 'file' };
  const token = crypto.randomBytes(24).toString('base64url');
  // Write to a private temp file, then rename: no reader ever sees a partial token or a wider mode.
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeSync(fd, `${token}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(tmp, 0o600); // a umask cannot widen it, but make the mode explicit
  fs.renameSync(tmp, file);
  return { token, source: 'new' };
}

function readStored(file: string): string | null {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return null;
  }
  if (!st.isFile()) {
    throw new MiraError('refused', `${file} is not a regular file; refusing to use it as the serve token`, `remove it, or start with --new-token`);
  }
  // Someone widened it: tighten it back before using it.
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  const text = fs.readFileSync(file, 'utf8').trim();
  return VALID.test(text) ? text : null;
}
