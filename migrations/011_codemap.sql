-- Code map: quality metrics per function and per file, hotspot scores with their reasons, and named domains.

-- One row per function (or method) found by the quality pass. symbol_id links to the code index's element when the
-- lines match; fan-in/out, test reach and duplication are filled by the project-wide pass after calls are resolved.
CREATE TABLE code_quality (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  symbol_id INTEGER REFERENCES code_elements(id) ON DELETE SET NULL,
  path TEXT NOT NULL,
  symbol TEXT NOT NULL,
  kind TEXT NOT NULL,
  start_line INTEGER NOT NULL,
  end_line INTEGER NOT NULL,
  complexity INTEGER NOT NULL,
  cognitive INTEGER NOT NULL,
  nesting INTEGER NOT NULL,
  params INTEGER NOT NULL,
  lines INTEGER NOT NULL,
  fan_in INTEGER NOT NULL DEFAULT 0,
  fan_out INTEGER NOT NULL DEFAULT 0,
  tested INTEGER NOT NULL DEFAULT 0,          -- reached from a test through the call graph
  test_distance INTEGER                       -- calls between a test and it (1: a test calls it directly)
);
CREATE INDEX code_quality_file ON code_quality (file_id, start_line);
CREATE INDEX code_quality_rank ON code_quality (project_id, complexity DESC, cognitive DESC);
CREATE INDEX code_quality_symbol ON code_quality (symbol_id);

-- One row per analysed file. `approx` marks files without a grammar (metrics from keywords, not a tree).
CREATE TABLE code_quality_files (
  file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  language TEXT,
  approx INTEGER NOT NULL DEFAULT 0,
  lines INTEGER NOT NULL,
  code_lines INTEGER NOT NULL,
  functions INTEGER NOT NULL,
  complexity INTEGER NOT NULL,
  cognitive INTEGER NOT NULL,
  max_complexity INTEGER NOT NULL,
  max_cognitive INTEGER NOT NULL,
  nesting INTEGER NOT NULL,
  max_params INTEGER NOT NULL,
  fan_in INTEGER NOT NULL DEFAULT 0,
  fan_out INTEGER NOT NULL DEFAULT 0,
  tested_share REAL,                          -- share of its functions reached from a test (NULL: none to test)
  dup_lines INTEGER NOT NULL DEFAULT 0,
  clones TEXT NOT NULL DEFAULT '[]',          -- [{path, lines, other_lines}] the largest copies shared with other places
  fingerprints BLOB                           -- winnowed token-window hashes (int32 triples: hash, first row, last row)
);
CREATE INDEX code_quality_files_project ON code_quality_files (project_id, complexity DESC);

-- Hotspots as of the last index: per source file, the score, its features and the reasons in words.
CREATE TABLE codemap_hotspots (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  score REAL NOT NULL,
  rank INTEGER NOT NULL,
  churn INTEGER NOT NULL,                     -- commits in the last year
  complexity INTEGER NOT NULL,
  lines INTEGER NOT NULL,
  features TEXT NOT NULL,                     -- JSON: the raw features behind the score
  reasons TEXT NOT NULL,                      -- JSON array of sentences
  PRIMARY KEY (project_id, path)
) WITHOUT ROWID;
CREATE INDEX codemap_hotspots_rank ON codemap_hotspots (project_id, rank);

-- Per-project state of the code map: the hotspot model (weights calibrated on the project's history) and its inputs.
CREATE TABLE codemap_state (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (project_id, key)
) WITHOUT ROWID;

-- Domains: Louvain communities of files. Ids and names persist across runs (new clusters inherit the id and name of
-- the old cluster they overlap most), so a small change does not rename everything.
CREATE TABLE codemap_domains (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,
  name TEXT NOT NULL,
  concepts TEXT NOT NULL DEFAULT '[]',
  folders TEXT NOT NULL DEFAULT '[]',
  files INTEGER NOT NULL,
  cohesion REAL NOT NULL,                     -- share of its files' edge weight that stays inside the domain
  PRIMARY KEY (project_id, id)
) WITHOUT ROWID;

CREATE TABLE codemap_domain_files (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  domain_id INTEGER NOT NULL,
  PRIMARY KEY (project_id, path)
) WITHOUT ROWID;
CREATE INDEX codemap_domain_files_domain ON codemap_domain_files (project_id, domain_id);

CREATE TABLE codemap_domain_edges (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  from_id INTEGER NOT NULL,
  to_id INTEGER NOT NULL,
  weight REAL NOT NULL,
  kinds TEXT NOT NULL DEFAULT '{}',           -- JSON: weight by kind (imports, calls, cochange, concepts)
  PRIMARY KEY (project_id, from_id, to_id)
) WITHOUT ROWID;
