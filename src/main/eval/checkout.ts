// Prepares a repository at a cut-off commit for evaluation: a shared clone checked out (detached) at T0, reused across runs.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MiraError } from '../../shared/errors';

export function evalWorkDir(explicit?: string): string {
  const dir = explicit ?? path.join(os.tmpdir(), 'mira-eval');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A work tree of `gitDir` at `t0`; its HEAD history is the history up to T0 and nothing after. */
export function checkoutAt(gitDir: string, t0: string, workDir: string): string {
  if (!fs.existsSync(gitDir)) throw new MiraError('not_found', `repository ${gitDir} does not exist`, 'pass --repo with a git directory (a bare mirror works)');
  const key = crypto.createHash('sha1').update(path.resolve(gitDir)).digest('hex').slice(0, 10);
  const dir = path.join(workDir, `${path.basename(path.dirname(path.resolve(gitDir)))}-${key}-${t0.slice(0, 10)}`);
  const git = (args: string[], cwd?: string) => execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20 });
  if (!fs.existsSync(path.join(dir, '.git'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    git(['clone', '--quiet', '--no-checkout', '--shared', path.resolve(gitDir), dir]);
  }
  // A --no-checkout clone already has HEAD at the tip with no files, so HEAD alone cannot say the tree is there.
  const marker = path.join(dir, '.git', 'mira-checkout');
  const done = fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8').trim() : '';
  if (done !== t0) {
    git(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', '--force', '--detach', t0], dir);
    fs.writeFileSync(marker, t0);
  }
  return dir;
}
