// `mira repair`: a damaged database is replaced by a fresh one that keeps the user's own data (memory, conversations,
// budget, documents, build history, operations, tools) read from the damaged file or, where that fails, from the
// newest healthy backup. The index (code, history, vectors) is not copied: it is rebuilt from the project by the next
// `mira index`. The damaged file is always kept beside it, and nothing is replaced while any of the user's data would
// be lost, unless the user said so (`--yes`).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MiraError } from '../../shared/errors';
import { openDb } from './open';

/** The user's own data, parents before children. Everything else is an index Mira can rebuild from the project. */
export const PERSONAL_TABLES = [
  'projects',
  'settings',
  'budget_tracking',
  'budget_summary',
  'llm_cache',
  'llm_cache_stats',
  'user_profile',
  'memory_facts',
  'learned_patterns',
  'conversations',
  'messages',
  'conversation_summaries',
  'reasoning_patterns',
  'reasoning_steps',
  'pattern_usage',
  'build_runs',
  'build_errors',
  'build_run_errors',
  'build_file_snapshots',
  'error_resolutions',
  'tool_patterns',
  'synthesized_tools',
  'tool_executions',
  'tool_evolution_history',
  'operations',
  'operation_steps',
  'operation_messages',
  'artifacts',
  'operation_runs',
  'documents',
  'document_chunks',
] as const;

/** Full-text tables that index a personal table's content, rebuilt after the copy. */
const DERIVED_FTS: Record<string, string> = { messages: 'messages_fts', document_chunks: 'document_fts' };

export interface TableOutcome {
  table: string;
  /** Where its rows came from: the damaged database, a backup, or nowhere (lost). */
  source: 'damaged' | 'backup' | 'none' | 'absent';
  rows: number;
  /** Rows in the source that could not be read. */
  unreadable: number;
  error?: string;
}

export interface RepairReport {
  db: string;
  healthy_before: boolean;
  replaced: boolean;
  /** Where the damaged file was kept (never deleted). */
  damaged_copy: string | null;
  backup_used: string | null;
  tables: TableOutcome[];
  /** Tables of the user's data that could not be recovered at all, or only in part. */
  lost: string[];
  next: string;
}

export function checkHealth(file: string): { ok: boolean; detail: string } {
  if (!fs.existsSync(file)) return { ok: true, detail: 'no database yet' };
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const r = db.pragma('quick_check', { simple: true });
    return { ok: r === 'ok', detail: String(r) };
  } catch (e) {
    return { ok: false, detail: (e as Error).message };
  } finally {
    db?.close();
  }
}

/** Healthy backups beside the database (mira.db.bak-*), newest first. */
export function healthyBackups(file: string): string[] {
  const dir = path.dirname(file);
  const base = `${path.basename(file)}.bak-`;
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(base))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)
    .filter((f) => checkHealth(f).ok);
}

interface Source {
  name: 'damaged' | 'backup';
  db: Database.Database;
}

function tryOpen(file: string): Database.Database | null {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch {
    return null;
  }
}

/** Copies one table's rows (the columns both sides have), in rowid chunks so a damaged page loses its chunk only. */
function copyTable(src: Database.Database, dst: Database.Database, table: string): { rows: number; unreadable: number; error?: string } {
  const srcCols = (src.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
  const dstCols = new Set((dst.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
  const cols = srcCols.filter((c) => dstCols.has(c));
  if (!cols.length) return { rows: 0, unreadable: 0, error: 'no common columns' };
  const list = cols.map((c) => `"${c}"`).join(', ');
  const insert = dst.prepare(`INSERT OR REPLACE INTO ${table} (${list}) VALUES (${cols.map(() => '?').join(', ')})`);
  let total = 0;
  try {
    total = (src.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } catch {
    total = -1; // the count itself failed: read what can be read
  }
  let rows = 0;
  let lastError: string | undefined;
  const withoutRowid = !!(src.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(table) as { sql: string } | undefined)?.sql.match(/WITHOUT\s+ROWID/i);
  if (withoutRowid) {
    try {
      const all = src.prepare(`SELECT ${list} FROM ${table}`).raw().all() as unknown[][];
      dst.transaction(() => {
        for (const r of all) insert.run(...r);
      })();
      rows = all.length;
    } catch (e) {
      lastError = (e as Error).message;
    }
  } else {
    const CHUNK = 500;
    let maxId = 0;
    try {
      maxId = (src.prepare(`SELECT max(rowid) AS m FROM ${table}`).get() as { m: number | null }).m ?? 0;
    } catch (e) {
      lastError = (e as Error).message;
    }
    const read = src.prepare(`SELECT ${list} FROM ${table} WHERE rowid > ? AND rowid <= ?`).raw();
    for (let lo = 0; lo < maxId; lo += CHUNK) {
      try {
        const chunk = read.all(lo, lo + CHUNK) as unknown[][];
        dst.transaction(() => {
          for (const r of chunk) insert.run(...r);
        })();
        rows += chunk.length;
      } catch (e) {
        lastError = (e as Error).message;
      }
    }
  }
  const unreadable = total >= 0 ? Math.max(0, total - rows) : lastError ? 1 : 0;
  return { rows, unreadable, ...(lastError ? { error: lastError } : {}) };
}

export interface RepairOptions {
  /** Replace the database even when some of the user's data cannot be recovered. */
  acceptLoss?: boolean;
  /** Take the user's data from this backup instead of the newest healthy one (for tables the damaged file fails on). */
  backup?: string;
  migrationsDir?: string;
}

export function repairDatabase(file: string, opts: RepairOptions = {}): RepairReport {
  const health = checkHealth(file);
  const report: RepairReport = { db: file, healthy_before: health.ok, replaced: false, damaged_copy: null, backup_used: null, tables: [], lost: [], next: '' };
  if (health.ok) {
    report.next = 'the database is healthy: nothing to repair';
    return report;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  // Keep the damaged file (and its journal) exactly as found, whatever happens next.
  const kept = `${file}.damaged-${stamp}`;
  fs.copyFileSync(file, kept);
  for (const ext of ['-wal', '-shm']) if (fs.existsSync(file + ext)) fs.copyFileSync(file + ext, kept + ext);
  report.damaged_copy = kept;

  const backups = opts.backup ? [opts.backup] : healthyBackups(file);
  if (opts.backup && !checkHealth(opts.backup).ok) throw new MiraError('db_corrupt', `the backup ${opts.backup} is damaged too`, 'choose another backup (mira.db.bak-*)');
  const sources: Source[] = [];
  const damaged = tryOpen(kept);
  if (damaged) sources.push({ name: 'damaged', db: damaged });
  const backup = backups[0] ? tryOpen(backups[0]) : null;
  if (backup) sources.push({ name: 'backup', db: backup });

  const fresh = `${file}.repair-${stamp}`;
  const opened = openDb(fresh, { migrationsDir: opts.migrationsDir });
  const dst = opened.db;
  dst.pragma('foreign_keys = OFF');
  try {
    for (const table of PERSONAL_TABLES) {
      const exists = (db: Database.Database) => {
        try {
          return !!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table);
        } catch {
          return false;
        }
      };
      if (!exists(dst)) continue;
      let outcome: TableOutcome = { table, source: 'none', rows: 0, unreadable: 0 };
      const anySource = sources.some((s) => exists(s.db));
      if (!anySource && !sources.length) outcome.error = 'neither the damaged database nor a backup could be read';
      if (sources.length && !anySource) outcome = { table, source: 'absent', rows: 0, unreadable: 0 };
      for (const s of sources) {
        if (!exists(s.db)) continue;
        if (s.name === 'backup') dst.prepare(`DELETE FROM ${table}`).run(); // a partial copy from the damaged file is replaced whole
        const r = copyTable(s.db, dst, table);
        outcome = { table, source: s.name, rows: r.rows, unreadable: r.unreadable, ...(r.error ? { error: r.error } : {}) };
        if (!r.unreadable && !r.error) break;
      }
      if (outcome.source === 'backup') report.backup_used = backups[0]!;
      report.tables.push(outcome);
    }
    for (const [content, fts] of Object.entries(DERIVED_FTS)) {
      try {
        dst.prepare(`INSERT INTO ${fts}(${fts}) VALUES ('rebuild')`).run();
      } catch {
        /* a build without that table */
      }
    }
    // The index is rebuilt from scratch: no project counts as indexed.
    dst.prepare('UPDATE projects SET last_indexed_at = NULL').run();
    const orphans = dst.pragma('foreign_key_check') as { table: string; rowid: number }[];
    for (const o of orphans) dst.prepare(`DELETE FROM ${o.table} WHERE rowid = ?`).run(o.rowid);
  } finally {
    dst.pragma('foreign_keys = ON');
    dst.close();
    for (const s of sources) s.db.close();
  }
  report.lost = report.tables.filter((t) => t.source === 'none' || t.unreadable > 0 || (t.error && t.source !== 'absent')).map((t) => t.table);
  if (report.lost.length && !opts.acceptLoss) {
    fs.rmSync(fresh, { force: true });
    for (const ext of ['-wal', '-shm']) fs.rmSync(fresh + ext, { force: true });
    report.next = `nothing was replaced: ${report.lost.join(', ')} could not be fully recovered. Run again with --yes to accept that, or --backup FILE to use another backup`;
    return report;
  }
  for (const ext of ['-wal', '-shm']) fs.rmSync(file + ext, { force: true });
  fs.renameSync(fresh, file);
  for (const ext of ['-wal', '-shm']) if (fs.existsSync(fresh + ext)) fs.renameSync(fresh + ext, file + ext);
  report.replaced = true;
  report.next = 'run `mira index` in each project to rebuild its index (code, history, vectors)';
  return report;
}
