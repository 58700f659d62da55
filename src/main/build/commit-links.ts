// Links resolved build errors to the commit that carried the fix, once it is committed.
import { execFileSync } from 'node:child_process';
import type { BuildStore } from './store';

export interface LinkedFix {
  resolution_id: number;
  error_id: number;
  sha: string;
  message: string;
  file: string;
}

/**
 * For each resolution still without a commit, the first commit touching its file after the HEAD the fixing run saw
 * (by ancestry, so commit dates do not matter), or, when HEAD was unknown, after the resolution's time.
 */
export function linkResolutionsToCommits(store: BuildStore, root: string): LinkedFix[] {
  const linked: LinkedFix[] = [];
  for (const p of store.pendingCommitLinks()) {
    if (!p.file) continue;
    let out: string;
    try {
      // A minute of slack on the time fallback: the fix may have been committed just before the run that noticed it.
      const range = p.head_sha ? [`${p.head_sha}..HEAD`] : [`--since=${new Date(Date.parse(p.created_at) - 60_000).toISOString()}`];
      out = execFileSync('git', ['log', '--reverse', ...range, '--format=%H%x1f%s', '--', p.file], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'ignore'],
        encoding: 'utf8',
        maxBuffer: 4 * 1024 * 1024,
      });
    } catch {
      return linked; // not a git repository, or git is unavailable: try again later
    }
    const first = out.split('\n').find(Boolean);
    if (!first) continue;
    const [sha, message = ''] = first.split('\x1f');
    if (!sha) continue;
    store.linkCommit(p.id, sha, message);
    linked.push({ resolution_id: p.id, error_id: p.error_id, sha, message, file: p.file });
  }
  return linked;
}
