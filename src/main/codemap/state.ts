// Small per-project JSON state of the code map (the hotspot model, the domains' stable names), one row per key.
import type { Db } from '../db/open';

export function getState<T>(db: Db, projectId: number, key: string): T | null {
  const row = db.prepare('SELECT value FROM codemap_state WHERE project_id = ? AND key = ?').get(projectId, key) as { value: string } | undefined;
  if (!row) return null;
  try {
    return JSON.parse(row.value) as T;
  } catch {
    // A damaged value is recomputed rather than trusted.
    return null;
  }
}

export function setState(db: Db, projectId: number, key: string, value: unknown): void {
  db.prepare(
    `INSERT INTO codemap_state (project_id, key, value) VALUES (?, ?, ?)
     ON CONFLICT (project_id, key) DO UPDATE SET value = excluded.value, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
  ).run(projectId, key, JSON.stringify(value));
}
