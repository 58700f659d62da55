-- Context oracle: calibrated fusion weights per project and the log of calibrations. The oracle's term indexes are
-- per-project FTS5 tables (oracle_files_<id>, oracle_commits_<id>) made on demand, so BM25 statistics never mix projects.
CREATE TABLE oracle_calibrations (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  queries INTEGER NOT NULL,
  max_commit_id INTEGER NOT NULL DEFAULT 0,
  weights_json TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL
);

CREATE TABLE oracle_commit_sync (
  project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  synced_max_id INTEGER NOT NULL DEFAULT 0
);
