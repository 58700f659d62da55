// Line authorship on demand through `git blame --porcelain`, cached by the file's content hash (same content, same answer).
import fs from 'node:fs';
import type { Db } from '../db/open';
import { MiraError } from '../../shared/errors';
import { sha256 } from '../project/content';
import type { ProjectFs } from '../project/fs-access';
import { firstLine, git } from './exec';

export interface BlameLine {
  line: number;
  commit: string;
  author: string;
  email: string;
  date: string | null;
  summary: string;
}

export interface BlameAnswer {
  path: string;
  results: BlameLine[];
  cached: boolean;
}

const NOT_COMMITTED = /^0{40}$/;

/** Parses porcelain output: a header per line group, commit details the first time a commit appears, then the text. */
export function parsePorcelain(out: string): { line: number; orig: number; sha: string; author: string; email: string; time: number | null; summary: string }[] {
  const info = new Map<string, { author: string; email: string; time: number | null; summary: string }>();
  const lines: { line: number; orig: number; sha: string }[] = [];
  let cur: { line: number; orig: number; sha: string } | null = null;
  for (const raw of out.split('\n')) {
    if (raw.startsWith('\t')) {
      if (cur) lines.push(cur);
      cur = null;
      continue;
    }
    const head = /^([0-9a-f]{40,64}) (\d+) (\d+)(?: \d+)?$/.exec(raw);
    if (head) {
      cur = { sha: head[1]!, orig: Number(head[2]), line: Number(head[3]) };
      if (!info.has(cur.sha)) info.set(cur.sha, { author: '', email: '', time: null, summary: '' });
      continue;
    }
    if (!cur) continue;
    const i = info.get(cur.sha)!;
    const sp = raw.indexOf(' ');
    const key = sp < 0 ? raw : raw.slice(0, sp);
    const val = sp < 0 ? '' : raw.slice(sp + 1);
    if (key === 'author') i.author = val;
    else if (key === 'author-mail') i.email = val.replace(/^<|>$/g, '').toLowerCase();
    else if (key === 'author-time') i.time = Number(val) || null;
    else if (key === 'summary') i.summary = val;
  }
  return lines.map((l) => ({ ...l, ...info.get(l.sha)! }));
}

export class BlameCache {
  constructor(private readonly db: Db, private readonly projectId: number, private readonly root: string, private readonly files: ProjectFs) {}

  async blame(fileIn: string, line?: number): Promise<BlameAnswer> {
    const abs = this.files.resolve(fileIn);
    const rel = this.files.relative(abs);
    let buf: Buffer;
    try {
      buf = fs.readFileSync(abs);
    } catch {
      throw new MiraError('not_found', `${rel} does not exist`, 'pass a file path relative to the project root');
    }
    const hash = sha256(buf);
    const hit = this.db.prepare('SELECT content_hash FROM git_blame_cache WHERE project_id = ? AND path = ?').get(this.projectId, rel) as { content_hash: string } | undefined;
    let cached = true;
    if (hit?.content_hash !== hash) {
      cached = false;
      // --contents - blames exactly the bytes we hashed, even if the file changes while git runs.
      const r = await git({ root: this.root }, ['blame', '--porcelain', '--contents', '-', '--', rel], { input: buf });
      if (r.code !== 0) {
        const msg = firstLine(r.stderr);
        if (/not a git repository/i.test(msg)) throw new MiraError('not_a_git_repo', `${this.root} is not a git repository`, 'blame needs git history');
        if (/no such path|no such ref|bad revision|does not have any commits/i.test(msg)) {
          throw new MiraError('not_found', `${rel} is not in git history (${msg})`, 'commit the file first, or pick a tracked file');
        }
        throw new MiraError('internal', `git blame failed for ${rel}: ${msg}`);
      }
      const parsed = parsePorcelain(r.stdout);
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM blame_annotations WHERE project_id = ? AND path = ?').run(this.projectId, rel);
        const ins = this.db.prepare(`INSERT OR REPLACE INTO blame_annotations (project_id, path, content_hash, line, commit_sha, orig_line, author, email, authored_at, summary)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
        for (const p of parsed) ins.run(this.projectId, rel, hash, p.line, p.sha, p.orig, p.author, p.email, p.time, p.summary);
        this.db
          .prepare(`INSERT INTO git_blame_cache (project_id, path, content_hash, lines) VALUES (?, ?, ?, ?)
            ON CONFLICT (project_id, path) DO UPDATE SET content_hash = excluded.content_hash, lines = excluded.lines, created_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`)
          .run(this.projectId, rel, hash, parsed.length);
      })();
    }
    const rows = (
      line === undefined
        ? this.db.prepare('SELECT * FROM blame_annotations WHERE project_id = ? AND path = ? ORDER BY line').all(this.projectId, rel)
        : this.db.prepare('SELECT * FROM blame_annotations WHERE project_id = ? AND path = ? AND line = ?').all(this.projectId, rel, line)
    ) as { line: number; commit_sha: string; author: string; email: string; authored_at: number | null; summary: string }[];
    if (line !== undefined && !rows.length) throw new MiraError('bad_request', `${rel} has no line ${line}`, 'lines are numbered from 1');
    return {
      path: rel,
      cached,
      results: rows.map((r) => ({
        line: r.line,
        commit: r.commit_sha,
        author: NOT_COMMITTED.test(r.commit_sha) ? 'Not Committed Yet' : r.author,
        email: r.email,
        date: r.authored_at ? new Date(r.authored_at * 1000).toISOString() : null,
        summary: r.summary,
      })),
    };
  }
}
