-- Tool synthesis: mined history, change shapes, synthesized generators (versioned), their runs and how they evolved.

-- What mining has read: the commit last mined, so the next detection reads only newer commits.
CREATE TABLE tool_mining_state (
  project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  head_sha TEXT NOT NULL,
  commits INTEGER NOT NULL DEFAULT 0,
  -- the head (and algorithm version) the stored tools were last detected at: nothing to do when it has not moved
  detected_at_head TEXT,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

-- Commits that added files (a compact JSON per commit: parent, time, added and modified files with blob ids, new folders).
CREATE TABLE tool_mined_commits (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  sha TEXT NOT NULL,
  time INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (project_id, sha)
);
CREATE INDEX tool_mined_commits_time ON tool_mined_commits (project_id, time);

-- A repeated change: files added together under one varying name (kind 'files'), or a repeated command sequence ('commands').
CREATE TABLE tool_patterns (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  kind TEXT NOT NULL DEFAULT 'files',
  signature TEXT NOT NULL,
  templates TEXT NOT NULL,
  registries TEXT NOT NULL DEFAULT '[]',
  examples TEXT NOT NULL DEFAULT '[]',
  support INTEGER NOT NULL,
  first_seen TEXT,
  last_seen TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE (project_id, kind, signature)
);

-- One row per version of a tool; the newest version with status 'active' is the one that runs.
CREATE TABLE synthesized_tools (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  pattern_id INTEGER REFERENCES tool_patterns(id) ON DELETE SET NULL,
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'active',
  description TEXT NOT NULL,
  params TEXT NOT NULL,
  spec TEXT NOT NULL,
  program TEXT NOT NULL,
  validation TEXT NOT NULL,
  examples TEXT NOT NULL DEFAULT '[]',
  examples_hash TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE (project_id, name, version)
);
CREATE INDEX synthesized_tools_status ON synthesized_tools (project_id, status, name);

-- Every run: parameters, the proposed change (files with their base hashes), and what became of it.
CREATE TABLE tool_executions (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  tool_id INTEGER REFERENCES synthesized_tools(id) ON DELETE SET NULL,
  tool_name TEXT NOT NULL,
  version INTEGER NOT NULL,
  params TEXT NOT NULL,
  files TEXT NOT NULL DEFAULT '[]',
  diff TEXT NOT NULL DEFAULT '',
  duration_ms INTEGER,
  status TEXT NOT NULL DEFAULT 'proposed',
  error TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  decided_at TEXT,
  outcome TEXT,
  build_run_id INTEGER,
  outcome_at TEXT
);
CREATE INDEX tool_executions_tool ON tool_executions (project_id, tool_name, id);
CREATE INDEX tool_executions_pending ON tool_executions (project_id, status, outcome);

-- Why each version exists: created, re-derived after a commit the tool would have got wrong, retired.
CREATE TABLE tool_evolution_history (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  tool_name TEXT NOT NULL,
  from_version INTEGER,
  to_version INTEGER,
  event TEXT NOT NULL,
  reason TEXT NOT NULL,
  commit_sha TEXT,
  details TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX tool_evolution_history_tool ON tool_evolution_history (project_id, tool_name, id);
