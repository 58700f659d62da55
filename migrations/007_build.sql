-- Build integration: runs, deduplicated errors, their occurrences per run, and the changes that resolved them.
CREATE TABLE build_runs (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  command TEXT NOT NULL,
  scope TEXT NOT NULL,
  cwd TEXT NOT NULL,
  trigger TEXT NOT NULL DEFAULT 'user',
  tool TEXT,
  status TEXT NOT NULL DEFAULT 'running',
  exit_code INTEGER,
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  finished_at TEXT,
  duration_ms INTEGER,
  error_count INTEGER NOT NULL DEFAULT 0,
  warning_count INTEGER NOT NULL DEFAULT 0,
  output_tail TEXT,
  head_sha TEXT
);
CREATE INDEX build_runs_project ON build_runs (project_id, started_at);
CREATE INDEX build_runs_scope ON build_runs (project_id, scope, id);

CREATE TABLE build_errors (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  fingerprint TEXT NOT NULL,
  scope TEXT NOT NULL,
  tool TEXT NOT NULL,
  code TEXT,
  severity TEXT NOT NULL,
  file TEXT,
  line INTEGER,
  column INTEGER,
  message TEXT NOT NULL,
  normalized TEXT NOT NULL,
  notes_json TEXT NOT NULL DEFAULT '[]',
  occurrences INTEGER NOT NULL DEFAULT 1,
  runs_seen INTEGER NOT NULL DEFAULT 1,
  times_resolved INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'open',
  first_seen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  last_seen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  first_run_id INTEGER,
  last_run_id INTEGER,
  resolved_at TEXT,
  UNIQUE (project_id, fingerprint)
);
CREATE INDEX build_errors_status ON build_errors (project_id, status, last_seen_at);

CREATE TABLE build_run_errors (
  run_id INTEGER NOT NULL REFERENCES build_runs(id) ON DELETE CASCADE,
  error_id INTEGER NOT NULL REFERENCES build_errors(id) ON DELETE CASCADE,
  line INTEGER,
  column INTEGER,
  count INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (run_id, error_id)
);

-- The content of files that had errors, as they were at the failing run, so the fixing diff can be shown later.
CREATE TABLE build_file_snapshots (
  run_id INTEGER NOT NULL REFERENCES build_runs(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  hash TEXT NOT NULL,
  content TEXT NOT NULL,
  PRIMARY KEY (run_id, path)
);

CREATE TABLE error_resolutions (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  error_id INTEGER NOT NULL REFERENCES build_errors(id) ON DELETE CASCADE,
  failing_run_id INTEGER REFERENCES build_runs(id) ON DELETE SET NULL,
  resolved_run_id INTEGER REFERENCES build_runs(id) ON DELETE SET NULL,
  file TEXT,
  diff TEXT,
  commit_sha TEXT,
  commit_message TEXT,
  operation_id INTEGER,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX error_resolutions_error ON error_resolutions (error_id);
CREATE INDEX error_resolutions_pending ON error_resolutions (project_id, commit_sha);
