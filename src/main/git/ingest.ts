// History ingest: reads the commits not yet read with one streamed `git log` and keeps the derived tables up to date.
// Commits are stored in batches, then the derived tables are updated (incrementally, or rebuilt after a rewrite or a
// rename). Odd repositories end with a recorded reason, never a crash.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import { MiraError } from '../../shared/errors';
import { firstLine, git, gitStream, type GitTarget } from './exec';
import { recordCommitFixes } from './fixes';
import { LOG_FORMAT, LogStreamParser, type LogCommit, type LogMode } from './log-parser';
import { GitStore, type IngestCommit, type SyncReason } from './store';
import { loadStatCommits, MAX_COCHANGE_FILES, RenameMap, StatsAccumulator, toStatCommit, usableCommit, writeDelta, writeFull, writeHeadFiles, type StatCommit } from './stats';

export interface SyncOptions {
  /** Read history up to this commit or ref instead of HEAD (evaluation reads a mirror up to T0). */
  until?: string;
  maxCochangeFiles?: number;
  /** Commits per transaction. */
  batchSize?: number;
  signal?: AbortSignal;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
  progress?: (done: number, detail?: string) => void;
  /** Read paths only, no line counts or renames (what a partial clone gets; tests force it). */
  namesOnly?: boolean;
}

export type SyncStatus = 'ok' | 'unchanged' | 'partial' | 'not_a_git_repo' | 'no_commits' | 'failed';

export interface SyncReport {
  status: SyncStatus;
  head: string | null;
  commits_added: number;
  commits_removed: number;
  commits_total: number;
  fixes_added: number;
  rebuilt: boolean;
  mode: LogMode | null;
  shallow: boolean;
  detached: boolean;
  reasons: SyncReason[];
  took_ms: number;
}

interface RepoProbe {
  prefix: string;
  shallow: Set<string> | null;
  partial: boolean;
}

const MISSING_OBJECT = /unable to read|bad object|missing (blob|tree|object)|could not read|promisor|invalid object|does not point to a valid object|object file .* is empty/i;

/** Syncs the stored history of one project with its repository. */
export async function syncHistory(db: Db, projectId: number, target: GitTarget, opts: SyncOptions = {}): Promise<SyncReport> {
  const started = performance.now();
  const store = new GitStore(db, projectId);
  const reasons: SyncReason[] = [];
  const log = opts.log ?? (() => {});
  const report = (status: SyncStatus, extra: Partial<SyncReport> = {}): SyncReport => ({
    status,
    head: null,
    commits_added: 0,
    commits_removed: 0,
    commits_total: store.commitCount(),
    fixes_added: 0,
    rebuilt: false,
    mode: null,
    shallow: false,
    detached: false,
    reasons,
    took_ms: Math.round(performance.now() - started),
    ...extra,
  });
  const finish = (status: SyncStatus, extra: Partial<SyncReport> = {}) => {
    store.setState({ status, reasons_json: JSON.stringify(reasons), synced_at: new Date().toISOString() });
    return report(status, extra);
  };

  const probe = await probeRepo(target);
  if ('error' in probe) {
    reasons.push({ kind: probe.kind, detail: probe.error });
    log('git history skipped', { reason: probe.error });
    return finish(probe.kind === 'not_a_git_repo' ? 'not_a_git_repo' : 'failed');
  }
  if (opts.until !== undefined && !/^[^-\s][^\s]*$/.test(opts.until)) throw new MiraError('bad_request', `not a commit or ref: ${JSON.stringify(opts.until)}`, 'pass a commit sha or a ref name');
  const ref = opts.until ?? 'HEAD';
  const resolved = await git(target, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  const head = resolved.stdout.trim();
  if (resolved.code !== 0 || !/^[0-9a-f]{40,64}$/.test(head)) {
    if (opts.until !== undefined) throw new MiraError('not_found', `commit ${opts.until} is not in the repository`, 'check the sha (and that the mirror is complete)');
    reasons.push({ kind: 'no_commits', detail: 'the repository has no commits yet (HEAD is unborn)' });
    return finish('no_commits');
  }

  let headRef: string | null = null;
  let detached = false;
  if (opts.until === undefined) {
    const sym = await git(target, ['symbolic-ref', '-q', '--short', 'HEAD']);
    if (sym.code === 0) headRef = sym.stdout.trim();
    else {
      detached = true;
      reasons.push({ kind: 'detached_head', detail: `HEAD is detached at ${head.slice(0, 12)}: the history of that commit is read`, sha: head });
    }
  }
  if (probe.prefix) reasons.push({ kind: 'subfolder', detail: `the project is the folder ${probe.prefix} of a larger repository: only its history is read, paths are relative to it` });
  if (probe.shallow) reasons.push({ kind: 'shallow', detail: `shallow clone: history before ${probe.shallow.size} boundary commit(s) is not available; boundary commits are stored without files` });
  let mode: LogMode = opts.namesOnly || probe.partial ? 'names' : 'numstat';
  if (probe.partial) reasons.push({ kind: 'partial_clone', detail: 'partial clone: file contents are fetched lazily, so paths are read without line counts or rename detection' });

  const tree = await headTree(target, head);
  if (tree.error) reasons.push({ kind: 'tree_unreadable', detail: tree.error });
  for (const s of tree.submodules.slice(0, 20)) reasons.push({ kind: 'submodule', detail: `${s} is a submodule: its own history is not read` });

  const state = store.state();
  if (state.head_sha === head && state.stats_dirty === 0 && state.status !== 'never') {
    // Nothing new: the last run's reasons about this history still hold; only HEAD's attachment may have changed.
    const kept = store.reasons().filter((x) => x.kind !== 'detached_head');
    const now = [...reasons.filter((x) => x.kind === 'detached_head'), ...kept];
    store.setState({ status: 'ok', head_ref: headRef, until_ref: opts.until ?? null, reasons_json: JSON.stringify(now), synced_at: new Date().toISOString() });
    reasons.splice(0, reasons.length, ...now);
    return report('unchanged', { head, mode: (state.mode as LogMode | null) ?? mode, shallow: !!probe.shallow, detached });
  }

  // Which commits to read: the new ones on top of the last synced head, or everything after a rewrite.
  let revs = [head];
  let rewrite = false;
  let removed = 0;
  if (state.head_sha) {
    const anc = await git(target, ['merge-base', '--is-ancestor', state.head_sha, head]);
    if (anc.code === 0) revs = [head, `^${state.head_sha}`];
    else {
      rewrite = true;
      const reach = await git(target, ['rev-list', head, '--'], { maxBuffer: 1 << 30 });
      if (reach.code !== 0) {
        reasons.push({ kind: 'git_failed', detail: firstLine(reach.stderr) });
        return finish('failed', { head });
      }
      const keep = new Set(reach.stdout.split('\n').filter(Boolean));
      const gone = [...store.knownShas()].filter(([sha]) => !keep.has(sha)).map(([, id]) => id);
      if (gone.length) {
        db.transaction(() => {
          store.setState({ stats_dirty: 1 });
          store.deleteCommits(gone);
        })();
        removed = gone.length;
        reasons.push({ kind: 'rewritten', detail: `history was rewritten (force-push, rebase or a new ref): ${gone.length} commit(s) no longer reachable were removed` });
      }
    }
  }

  const maxFiles = opts.maxCochangeFiles ?? MAX_COCHANGE_FILES;
  const batchSize = opts.batchSize ?? 500;
  const fresh: { id: number; c: IngestCommit }[] = [];
  let counts = { merges: 0, large: 0, largeSha: '', boundary: 0 };
  let fixesAdded = 0;
  let dirtyMarked = false;

  const flush = (batch: IngestCommit[]) => {
    if (!batch.length) return;
    db.transaction(() => {
      if (!dirtyMarked) {
        store.setState({ stats_dirty: 1 });
        dirtyMarked = true;
      }
      const added: { id: number; c: IngestCommit }[] = [];
      for (const c of batch) {
        const id = store.insertCommit(c);
        if (id !== null) added.push({ id, c });
      }
      fixesAdded += recordCommitFixes(
        db,
        projectId,
        added.map(({ id, c }) => ({ id, sha: c.sha, subject: c.subject, body: c.body, committedAt: c.committedAt, files: c.files.map((f) => f.path) })),
      );
      fresh.push(...added);
    })();
  };

  const readLog = async (m: LogMode): Promise<{ code: number; stderr: string }> => {
    let batch: IngestCommit[] = [];
    let seen = 0;
    const parser = new LogStreamParser(m, (c: LogCommit) => {
      batch.push(classify(c, probe.shallow, maxFiles, counts));
      seen++;
      if (batch.length >= batchSize) {
        flush(batch);
        batch = [];
        opts.progress?.(seen, c.sha.slice(0, 12));
      }
    });
    const args = ['log', '-z', LOG_FORMAT, '--no-color', '--no-ext-diff', '--no-textconv'];
    if (m === 'numstat') args.push('--numstat', '-M');
    else args.push('--name-only', '--no-renames');
    if (probe.prefix) args.push('--relative');
    args.push(...revs, '--');
    if (probe.prefix) args.push('.');
    const res = await gitStream(target, args, (chunk) => parser.push(chunk), { signal: opts.signal });
    // A failing git may stop in the middle of a record: only a clean exit completes the last one.
    if (res.code === 0) parser.end();
    flush(batch);
    return res;
  };

  let res = await readLog(mode);
  if (res.code !== 0 && mode === 'numstat' && MISSING_OBJECT.test(res.stderr) && !opts.signal?.aborted) {
    reasons.push({ kind: 'missing_objects', detail: `${firstLine(res.stderr)}: history re-read with paths only (no line counts or renames)` });
    log('git log hit missing objects; reading paths only', { error: firstLine(res.stderr) });
    mode = 'names';
    counts = { merges: 0, large: 0, largeSha: '', boundary: 0 };
    res = await readLog('names');
  }
  const complete = res.code === 0 && !opts.signal?.aborted;
  if (!complete) {
    const detail = opts.signal?.aborted ? 'cancelled' : firstLine(res.stderr);
    reasons.push({ kind: opts.signal?.aborted ? 'cancelled' : 'git_failed', detail: `history read stopped early (${detail}); the commits read so far are kept and the rest is retried next time` });
  }
  if (counts.merges) reasons.push({ kind: 'merges', detail: `${counts.merges} merge commit(s): stored without files (their changes come from the merged commits)` });
  if (counts.large) reasons.push({ kind: 'large_commits', detail: `${counts.large} commit(s) with more than ${maxFiles} files are left out of co-change`, sha: counts.largeSha });
  if (counts.boundary) reasons.push({ kind: 'shallow_boundary', detail: `${counts.boundary} shallow boundary commit(s) stored without files` });

  // Derived tables: add the new commits, or rebuild when a rewrite, a rename or an interrupted run makes sums wrong.
  const hasRenames = fresh.some(({ c }) => c.files.some((f) => f.oldPath));
  const full = rewrite || removed > 0 || state.stats_dirty === 1 || !state.head_sha || hasRenames;
  let statCommits: StatCommit[] | null = null;
  if (full) {
    const total = store.commitCount();
    if (total === fresh.length) {
      // Everything stored was read just now: build from memory, newest first, following renames.
      const renames = new RenameMap();
      statCommits = [...fresh]
        .sort((a, b) => b.c.committedAt - a.c.committedAt || a.id - b.id)
        .map(({ c }) => toStatCommit(c.sha, c.committedAt, store.authorId(c.authorName, c.authorEmail), usableCommit(c.isMerge, c.skipReason), c.files, renames));
    } else {
      statCommits = loadStatCommits(db, projectId);
    }
  }
  const acc = new StatsAccumulator(maxFiles);
  if (statCommits) for (const c of statCommits) acc.add(c);
  else
    for (const { c } of fresh)
      acc.add({
        sha: c.sha,
        committedAt: c.committedAt,
        authorId: store.authorId(c.authorName, c.authorEmail),
        usable: usableCommit(c.isMerge, c.skipReason),
        files: c.files.map((f) => ({ path: f.path, added: f.added, deleted: f.deleted })),
      });

  db.transaction(() => {
    if (full) writeFull(db, projectId, acc);
    else if (fresh.length) writeDelta(db, projectId, acc);
    if (!tree.error) writeHeadFiles(db, projectId, tree.files);
    const prev = store.state();
    store.setState({
      status: complete ? 'ok' : 'partial',
      head_sha: complete ? head : rewrite ? null : prev.head_sha,
      head_ref: headRef,
      until_ref: opts.until ?? null,
      mode,
      shallow: probe.shallow ? 1 : 0,
      ref_time: full ? acc.refTime || null : Math.max(prev.ref_time ?? 0, acc.refTime) || null,
      total_weight: full ? acc.totalWeight : prev.total_weight + acc.totalWeight,
      stats_dirty: 0,
      reasons_json: JSON.stringify(reasons),
      synced_at: new Date().toISOString(),
    });
  })();
  log('git history synced', { added: fresh.length, removed, rebuilt: full, complete });
  return report(complete ? 'ok' : 'partial', {
    head,
    commits_added: fresh.length,
    commits_removed: removed,
    fixes_added: fixesAdded,
    rebuilt: full,
    mode,
    shallow: !!probe.shallow,
    detached,
  });
}

function classify(c: LogCommit, shallow: Set<string> | null, maxFiles: number, counts: { merges: number; large: number; largeSha: string; boundary: number }): IngestCommit {
  if (c.parents.length > 1) {
    counts.merges++;
    return { ...c, files: [], isMerge: true, skipReason: 'merge: changes are read from the merged commits' };
  }
  if (shallow?.has(c.sha)) {
    // A grafted commit diffs against nothing: every file looks added. That is not a change set.
    counts.boundary++;
    return { ...c, files: [], isMerge: false, skipReason: 'shallow boundary: parents are not in this clone, so its diff is not a real change' };
  }
  if (c.files.length > maxFiles) {
    counts.large++;
    if (!counts.largeSha) counts.largeSha = c.sha;
    return { ...c, isMerge: false, skipReason: `large change set (${c.files.length} files): left out of co-change` };
  }
  return { ...c, isMerge: false, skipReason: null };
}

async function probeRepo(target: GitTarget): Promise<RepoProbe | { error: string; kind: string }> {
  if (target.root && !fs.existsSync(target.root)) return { error: `folder ${target.root} does not exist`, kind: 'not_a_git_repo' };
  const r = await git(target, ['rev-parse', '--git-dir', '--is-shallow-repository', '--show-prefix']);
  if (r.code === 127) return { error: r.stderr, kind: 'git_missing' };
  if (r.code !== 0) return { error: `not a git repository (${firstLine(r.stderr)})`, kind: 'not_a_git_repo' };
  const [gitDirOut = '', shallowOut = '', prefixOut = ''] = r.stdout.split('\n');
  const cwd = target.root ?? target.gitDir ?? process.cwd();
  const gitDir = path.resolve(cwd, gitDirOut.trim());
  let shallow: Set<string> | null = null;
  if (shallowOut.trim() === 'true') {
    shallow = new Set();
    try {
      for (const l of fs.readFileSync(path.join(gitDir, 'shallow'), 'utf8').split('\n')) if (l.trim()) shallow.add(l.trim());
    } catch {
      /* a shallow repository without a readable list: boundary commits are then treated as roots */
    }
  }
  const cfg = await git(target, ['config', '--get-regexp', '^(remote\\..*\\.promisor|extensions\\.partialclone)$']);
  const partial = cfg.code === 0 && cfg.stdout.split('\n').some((l) => /^extensions\.partialclone\s+\S/i.test(l) || /\.promisor\s+true$/i.test(l));
  return { prefix: prefixOut.trim().replace(/\/$/, ''), shallow, partial };
}

/** Files (blobs and links) in the tree of `head`, relative to the project; submodules listed apart. */
async function headTree(target: GitTarget, head: string): Promise<{ files: string[]; submodules: string[]; error?: string }> {
  const r = await git(target, ['ls-tree', '-r', '-z', head], { maxBuffer: 1 << 30 });
  if (r.code !== 0) return { files: [], submodules: [], error: `cannot list the tree of ${head.slice(0, 12)}: ${firstLine(r.stderr)}` };
  const files: string[] = [];
  const submodules: string[] = [];
  for (const entry of r.stdout.split('\0')) {
    if (!entry) continue;
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [, type] = entry.slice(0, tab).split(' ');
    const p = entry.slice(tab + 1);
    if (type === 'commit') submodules.push(p);
    else if (type === 'blob') files.push(p);
  }
  return { files, submodules };
}
