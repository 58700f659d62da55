-- Git intelligence: history (commits, their files, authors), co-change, expertise, blame cache and historical fixes.
-- Every table is keyed by project and goes with it (ON DELETE CASCADE). Weights with decay are stored
-- "epoch-normalised" (sum of w * exp((t - E) / tau) for a fixed epoch E) so that adding commits is a plain sum
-- and the decay to any reference time is one multiplication at query time (see src/main/git/decay.ts).

-- One row per project: how far history was read, and why anything was left out.
CREATE TABLE git_sync_state (
  project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'never',      -- ok | partial | not_a_git_repo | no_commits | failed
  head_sha TEXT,                             -- last commit whose whole ancestry was read (advanced only by complete runs)
  head_ref TEXT,                             -- branch name; NULL when HEAD is detached or an `until` ref was read
  until_ref TEXT,                            -- the ref asked for instead of HEAD (evaluation: a T0 commit)
  mode TEXT,                                 -- numstat (line counts, renames) | names (paths only: missing objects)
  shallow INTEGER NOT NULL DEFAULT 0,
  ref_time INTEGER,                          -- newest commit time (unix s): "now" for the decay
  total_weight REAL NOT NULL DEFAULT 0,      -- decayed weight of all co-change transactions (epoch-normalised)
  stats_dirty INTEGER NOT NULL DEFAULT 0,    -- 1 while commits are stored but derived tables are not yet updated
  reasons_json TEXT NOT NULL DEFAULT '[]',   -- [{kind, detail, sha?}] of the last run: what was skipped and why
  synced_at TEXT
);

-- Authors after the mailmap (%aN / %aE); email (lowercased) is the identity.
CREATE TABLE git_authors (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  is_bot INTEGER NOT NULL DEFAULT 0,
  commits INTEGER NOT NULL DEFAULT 0,
  first_at INTEGER,
  last_at INTEGER,
  recent_weight REAL NOT NULL DEFAULT 0,     -- commits decayed with a short half-life (epoch-normalised)
  UNIQUE (project_id, email)
);

CREATE TABLE git_commits (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  sha TEXT NOT NULL,
  parents TEXT NOT NULL DEFAULT '',
  author_id INTEGER NOT NULL REFERENCES git_authors(id) ON DELETE CASCADE,
  author_name TEXT NOT NULL,
  author_email TEXT NOT NULL,
  authored_at INTEGER NOT NULL,
  committed_at INTEGER NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  is_merge INTEGER NOT NULL DEFAULT 0,
  is_bot INTEGER NOT NULL DEFAULT 0,
  files_count INTEGER NOT NULL DEFAULT 0,
  lines_added INTEGER,                        -- NULL when line counts were not available (names mode)
  lines_deleted INTEGER,
  skip_reason TEXT,                           -- why the commit's files are not (all) used: merge, shallow boundary, ...
  UNIQUE (project_id, sha)
);
CREATE INDEX git_commits_time ON git_commits (project_id, committed_at);
CREATE INDEX git_commits_author ON git_commits (author_id);

-- The files of each commit, path as of that commit; old_path is set on renames.
CREATE TABLE git_commit_files (
  commit_id INTEGER NOT NULL REFERENCES git_commits(id) ON DELETE CASCADE,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  old_path TEXT,
  added INTEGER,
  deleted INTEGER,
  PRIMARY KEY (commit_id, path)
) WITHOUT ROWID;
CREATE INDEX git_commit_files_path ON git_commit_files (project_id, path);
CREATE INDEX git_commit_files_old ON git_commit_files (project_id, old_path) WHERE old_path IS NOT NULL;

-- Per file (renames followed to the newest name): change counts and the decayed weight used by co-change.
CREATE TABLE git_file_stats (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  folder TEXT NOT NULL,
  commits INTEGER NOT NULL DEFAULT 0,         -- non-merge commits touching it
  cc_commits INTEGER NOT NULL DEFAULT 0,      -- of those, commits small enough to count for co-change
  weight REAL NOT NULL DEFAULT 0,             -- decayed cc_commits (epoch-normalised)
  lines_added INTEGER NOT NULL DEFAULT 0,
  lines_deleted INTEGER NOT NULL DEFAULT 0,
  first_at INTEGER,
  last_at INTEGER,
  in_head INTEGER NOT NULL DEFAULT 0,         -- exists in the tree of the synced commit
  PRIMARY KEY (project_id, path)
) WITHOUT ROWID;
CREATE INDEX git_file_stats_folder ON git_file_stats (project_id, folder, in_head);
CREATE INDEX git_file_stats_weight ON git_file_stats (project_id, weight);

-- Directed pairs: when `path` changes, `other` changed with it. Confidence = support / cc_commits(path).
CREATE TABLE file_cochange_patterns (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  other TEXT NOT NULL,
  support INTEGER NOT NULL,                   -- commits that changed both
  confidence REAL NOT NULL,
  weight REAL NOT NULL,                       -- sum of decay / (change-set size - 1) (epoch-normalised)
  last_at INTEGER NOT NULL,                   -- last co-change (unix s)
  evidence TEXT NOT NULL DEFAULT '[]',        -- newest commits behind the pair (JSON array of shas)
  PRIMARY KEY (project_id, path, other)
) WITHOUT ROWID;

-- Folder-level co-change, the prior for files with little history of their own.
CREATE TABLE git_folder_stats (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  folder TEXT NOT NULL,
  weight REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (project_id, folder)
) WITHOUT ROWID;

CREATE TABLE git_folder_cochange (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  folder TEXT NOT NULL,
  path TEXT NOT NULL,
  weight REAL NOT NULL,
  PRIMARY KEY (project_id, folder, path)
) WITHOUT ROWID;

-- Who changed what: per file, per folder (every ancestor, '' is the root) and per concept (filled by the concept stage).
CREATE TABLE author_expertise (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  scope TEXT NOT NULL CHECK (scope IN ('file', 'folder', 'concept')),
  key TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES git_authors(id) ON DELETE CASCADE,
  commits INTEGER NOT NULL DEFAULT 0,
  weight REAL NOT NULL DEFAULT 0,             -- decayed commits (epoch-normalised)
  lines_added INTEGER NOT NULL DEFAULT 0,
  lines_deleted INTEGER NOT NULL DEFAULT 0,
  first_at INTEGER,
  last_at INTEGER,
  PRIMARY KEY (project_id, scope, key, author_id)
) WITHOUT ROWID;
CREATE INDEX author_expertise_author ON author_expertise (project_id, author_id);

-- Line authorship from `git blame --porcelain`, cached by the file's content hash.
CREATE TABLE git_blame_cache (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  lines INTEGER NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (project_id, path)
) WITHOUT ROWID;

CREATE TABLE blame_annotations (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  line INTEGER NOT NULL,
  commit_sha TEXT NOT NULL,
  orig_line INTEGER,
  author TEXT NOT NULL,
  email TEXT NOT NULL,
  authored_at INTEGER,
  summary TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (project_id, path, line)
) WITHOUT ROWID;

-- Commits that fixed something (message keywords, closing issue references, reverts), and resolved build errors.
CREATE TABLE historical_fixes (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  commit_id INTEGER REFERENCES git_commits(id) ON DELETE CASCADE,
  sha TEXT,
  kind TEXT NOT NULL,                         -- keyword | issue | revert | build
  message TEXT NOT NULL,
  files TEXT NOT NULL DEFAULT '[]',           -- JSON array of paths
  error_text TEXT NOT NULL DEFAULT '',        -- error codes, quoted messages and error lines found in it
  issue_refs TEXT NOT NULL DEFAULT '[]',
  reverts_sha TEXT,
  fixed_at INTEGER,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE UNIQUE INDEX historical_fixes_commit ON historical_fixes (project_id, commit_id) WHERE commit_id IS NOT NULL;

-- Full-text index of the fixes (message, error text, file names; identifiers split), rowid = historical_fixes.id.
CREATE VIRTUAL TABLE historical_fixes_fts USING fts5(text, project_id UNINDEXED, tokenize = 'porter unicode61');
CREATE TRIGGER historical_fixes_fts_delete AFTER DELETE ON historical_fixes BEGIN
  DELETE FROM historical_fixes_fts WHERE rowid = old.id;
END;
