// Historical fixes: which past commits fixed errors like this one.
// Fix commits are spotted by keywords, closing issue references and reverts; their error-like text is kept, and past
// fixes are ranked for a new error by text similarity, shared files and matching error codes.
import type { Db } from '../db/open';
import { folderOf, normalizeRel } from './paths';

export type FixKind = 'keyword' | 'issue' | 'revert' | 'build';

export interface FixSignal {
  kind: Exclude<FixKind, 'build'>;
  issueRefs: string[];
  revertsSha: string | null;
}

const FIX_WORDS =
  /\b(fix(e[sd]|ing)?|bug(s|fix(es)?)?|hotfix(es)?|crash(e[sd]|ing)?|regressions?|broken|workaround|panic(s|ked)?|segfaults?|deadlocks?|race condition|memory leak|off[- ]by[- ]one|npe)\b/i;
const CLOSING = /\b(?:fix(?:e[sd])?|close[sd]?|resolve[sd]?)\b\s*:?\s*((?:#|GH-)\d+|[A-Z][A-Z0-9]{1,9}-\d+|https?:\/\/\S+?\/issues\/\d+)/gi;
const ISSUE_REFS = /(?:^|[\s(,])(#\d+|GH-\d+)\b|\b([A-Z][A-Z0-9]{1,9}-\d+)\b|https?:\/\/\S+?\/issues\/(\d+)/g;
const REVERTS = /This reverts commit ([0-9a-f]{7,64})/i;

/** Why a commit is a fix, or null. Subjects like "(#1234)" alone are pull-request numbers, not fixes. */
export function classifyFix(subject: string, body: string): FixSignal | null {
  const text = `${subject}\n${body}`;
  const revert = REVERTS.exec(text);
  const refs = issueRefs(text);
  if (revert || /^revert\b/i.test(subject)) return { kind: 'revert', issueRefs: refs, revertsSha: revert?.[1]?.toLowerCase() ?? null };
  CLOSING.lastIndex = 0;
  if (CLOSING.test(text)) return { kind: 'issue', issueRefs: refs, revertsSha: null };
  // Keywords count in the subject, or in the body's first lines (squash merges list "* fix ..." there).
  const bodyHead = body.split('\n').slice(0, 6).join('\n');
  if (FIX_WORDS.test(subject) || FIX_WORDS.test(bodyHead)) return { kind: 'keyword', issueRefs: refs, revertsSha: null };
  return null;
}

export function issueRefs(text: string): string[] {
  const out = new Set<string>();
  ISSUE_REFS.lastIndex = 0;
  for (const m of text.matchAll(ISSUE_REFS)) {
    const ref = m[1] ?? m[2] ?? (m[3] ? `#${m[3]}` : undefined);
    if (ref && !/^(UTF|ISO|SHA|RFC|HTTP|TLS|SSL|AES|CVE)-/i.test(ref)) out.add(ref);
  }
  return [...out].slice(0, 20);
}

const ERROR_CODES = /\b(?:E\d{3,5}|TS\d{4,5}|ERR_[A-Z0-9_]+|E[A-Z]{3,}|[A-Z]{2,5}\d{3,5}|[A-Z][A-Za-z0-9]*(?:Error|Exception|Panic|Fault)|panicked|SIG[A-Z]{3,6})\b/g;
const QUOTED = /"([^"\n]{6,200})"|`([^`\n]{4,200})`|'([^'\n]{8,200})'/g;
const ERROR_LINE = /\b(error|errors|panic|panicked|exception|fail(s|ed|ure)?|cannot|can't|couldn't|unable to|undefined|not defined|not a function|null pointer|segfault|traceback|overflow|timeout|timed out|leak|crash(es|ed)?|invalid|unexpected|mismatch)\b/i;

/** The error-like parts of a text: error codes, quoted messages, and lines that read like an error. */
export function extractErrorText(text: string): string {
  const parts = new Set<string>();
  for (const m of text.matchAll(ERROR_CODES)) parts.add(m[0]);
  for (const m of text.matchAll(QUOTED)) parts.add((m[1] ?? m[2] ?? m[3] ?? '').trim());
  for (const line of text.split('\n')) {
    const l = line.trim();
    if (l && l.length <= 300 && ERROR_LINE.test(l) && !/^[-*\s]*(co-authored|signed-off)/i.test(l)) parts.add(l);
  }
  parts.delete('');
  return [...parts].join('\n').slice(0, 2000);
}

export function errorCodes(text: string): string[] {
  return [...new Set([...text.matchAll(ERROR_CODES)].map((m) => m[0]))].filter((c) => !/^[A-Z][a-z]/.test(c) || /(Error|Exception)$/.test(c));
}

const STOP = new Set(
  'the a an of to in for and or is are be on with this that it as by from at not when use used using add adds added should can was were has have had into if else than then fix fixes fixed fixing bug issue error'.split(
    ' ',
  ),
);

/** Words of a text for the full-text index: identifiers are split (sendFile -> send file sendfile). */
export function indexTerms(text: string): string[] {
  const out: string[] = [];
  for (const tok of text.match(/[A-Za-z_][A-Za-z0-9_]*|\d{3,}/g) ?? []) {
    const subs = tok.match(/[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+/g) ?? [];
    for (const s of subs) out.push(s.toLowerCase());
    if (subs.length > 1) out.push(tok.toLowerCase().replace(/_/g, ''));
  }
  return out;
}

function ftsText(message: string, errorText: string, files: string[]): string {
  const names = files.map((f) => f.split('/').pop() ?? f).join(' ');
  return indexTerms(`${message}\n${errorText}\n${names}`).join(' ');
}

export interface RecordFixInput {
  /** The commit that fixed it, when there is one. */
  commit?: string;
  message: string;
  files: string[];
  errorText: string;
}

/** Stores a fix that did not come from history (e.g. a build error that was resolved); returns its id. */
export function recordFix(db: Db, projectId: number, fix: RecordFixInput): number {
  const files = [...new Set(fix.files.map(normalizeRel).filter(Boolean))];
  const errorText = [fix.errorText.trim(), extractErrorText(fix.message)].filter(Boolean).join('\n').slice(0, 4000);
  return insertFix(db, projectId, {
    commitId: null,
    sha: fix.commit ?? null,
    kind: 'build',
    message: fix.message,
    files,
    errorText,
    issueRefs: issueRefs(fix.message),
    revertsSha: null,
    fixedAt: Math.floor(Date.now() / 1000),
  });
}

interface FixRow {
  commitId: number | null;
  sha: string | null;
  kind: FixKind;
  message: string;
  files: string[];
  errorText: string;
  issueRefs: string[];
  revertsSha: string | null;
  fixedAt: number | null;
}

function insertFix(db: Db, projectId: number, f: FixRow): number {
  const r = db
    .prepare(`INSERT OR IGNORE INTO historical_fixes (project_id, commit_id, sha, kind, message, files, error_text, issue_refs, reverts_sha, fixed_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(projectId, f.commitId, f.sha, f.kind, f.message, JSON.stringify(f.files), f.errorText, JSON.stringify(f.issueRefs), f.revertsSha, f.fixedAt);
  if (r.changes === 0) return 0;
  const id = Number(r.lastInsertRowid);
  db.prepare('INSERT INTO historical_fixes_fts (rowid, text, project_id) VALUES (?, ?, ?)').run(id, ftsText(f.message, f.errorText, f.files), projectId);
  return id;
}

export interface FixCommitInput {
  id: number;
  sha: string;
  subject: string;
  body: string;
  committedAt: number;
  files: string[];
}

/** Records the fix commits among newly read commits; returns how many were fixes. Run inside a transaction. */
export function recordCommitFixes(db: Db, projectId: number, commits: FixCommitInput[]): number {
  let n = 0;
  for (const c of commits) {
    const sig = classifyFix(c.subject, c.body);
    if (!sig) continue;
    const message = c.body ? `${c.subject}\n\n${c.body}` : c.subject;
    const id = insertFix(db, projectId, {
      commitId: c.id,
      sha: c.sha,
      kind: sig.kind,
      message: message.slice(0, 8000),
      files: c.files.slice(0, 200),
      errorText: extractErrorText(message),
      issueRefs: sig.issueRefs,
      revertsSha: sig.revertsSha,
      fixedAt: c.committedAt,
    });
    if (id) n++;
  }
  return n;
}

export interface FixResult {
  commit: string | null;
  message: string;
  files: string[];
  score: number;
  kind: string;
  date: string | null;
  error_text: string;
  reasons: string[];
}

interface StoredFix {
  id: number;
  sha: string | null;
  kind: string;
  message: string;
  files: string;
  error_text: string;
  fixed_at: number | null;
}

/**
 * Ranks past fixes for an error text (and optionally the files involved): BM25 over messages and error text,
 * plus shared files or folders, plus exact error-code matches, with a little preference for recent fixes.
 */
export function searchFixes(db: Db, projectId: number, q: { text: string; files?: string[]; k?: number }): FixResult[] {
  const k = q.k ?? 10;
  const files = (q.files ?? []).map(normalizeRel).filter(Boolean);
  const terms = [...new Set(indexTerms(q.text).filter((t) => t.length > 1 && !STOP.has(t)))].slice(0, 48);
  const codes = errorCodes(q.text);
  const cand = new Map<number, { row: StoredFix; text: number }>();
  if (terms.length) {
    const match = terms.map((t) => `"${t.replace(/"/g, '')}"`).join(' OR ');
    const rows = db
      .prepare(`SELECT h.id, h.sha, h.kind, h.message, h.files, h.error_text, h.fixed_at, -bm25(historical_fixes_fts) AS r
        FROM historical_fixes_fts JOIN historical_fixes h ON h.id = historical_fixes_fts.rowid
        WHERE historical_fixes_fts MATCH ? AND historical_fixes_fts.project_id = ? ORDER BY bm25(historical_fixes_fts) LIMIT 300`)
      .all(match, projectId) as (StoredFix & { r: number })[];
    for (const r of rows) cand.set(r.id, { row: r, text: r.r });
  }
  if (files.length) {
    const folders = [...new Set(files.map(folderOf))];
    const rows = db
      .prepare(`SELECT h.id, h.sha, h.kind, h.message, h.files, h.error_text, h.fixed_at FROM historical_fixes h
        WHERE h.project_id = ? AND EXISTS (SELECT 1 FROM json_each(h.files) j WHERE j.value IN (SELECT value FROM json_each(?))
          OR rtrim(j.value, replace(j.value, '/', '')) IN (SELECT value || '/' FROM json_each(?)))
        ORDER BY h.fixed_at DESC LIMIT 300`)
      .all(projectId, JSON.stringify(files), JSON.stringify(folders)) as StoredFix[];
    for (const r of rows) if (!cand.has(r.id)) cand.set(r.id, { row: r, text: 0 });
  }
  if (!cand.size) return [];
  const maxText = Math.max(1e-9, ...[...cand.values()].map((c) => c.text));
  const now = Math.max(...[...cand.values()].map((c) => c.row.fixed_at ?? 0));
  const wantFiles = new Set(files);
  const wantFolders = new Set(files.map(folderOf));
  const out: FixResult[] = [];
  for (const { row, text } of cand.values()) {
    let fixFiles: string[] = [];
    try {
      fixFiles = JSON.parse(row.files) as string[];
    } catch {
      /* stored by us; never malformed in practice */
    }
    const reasons: string[] = [];
    const sText = text / maxText;
    if (sText > 0) reasons.push(`text ${sText.toFixed(2)}`);
    let sFile = 0;
    if (files.length) {
      for (const f of fixFiles) {
        if (wantFiles.has(f)) sFile = 1;
        else if (wantFolders.has(folderOf(f))) sFile = Math.max(sFile, 0.4);
      }
      if (sFile) reasons.push(sFile === 1 ? 'same file' : 'same folder');
    }
    const hitCodes = codes.filter((c) => row.error_text.includes(c) || row.message.includes(c));
    if (hitCodes.length) reasons.push(`error code ${hitCodes.join(', ')}`);
    const age = row.fixed_at && now ? (now - row.fixed_at) / (365 * 86400) : 5;
    const score = (files.length ? 0.65 * sText + 0.35 * sFile : sText) + Math.min(0.6, 0.3 * hitCodes.length) + 0.05 * Math.exp(-age / 2);
    out.push({
      commit: row.sha,
      message: row.message,
      files: fixFiles,
      score: Math.round(score * 1000) / 1000,
      kind: row.kind,
      date: row.fixed_at ? new Date(row.fixed_at * 1000).toISOString() : null,
      error_text: row.error_text,
      reasons,
    });
  }
  out.sort((a, b) => b.score - a.score || (b.date ?? '').localeCompare(a.date ?? ''));
  return out.slice(0, k);
}

/** Names the commit that carried a fix recorded before it was committed (a resolved build error). */
export function linkFixCommit(db: Db, fixId: number, sha: string): void {
  db.prepare('UPDATE historical_fixes SET sha = ? WHERE id = ? AND sha IS NULL').run(sha, fixId);
}
