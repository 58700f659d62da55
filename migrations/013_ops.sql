-- Operations: a task the assistant carries out (plan, tool calls, proposed edits as artifacts, review, apply, verify), kept so it survives a restart.
CREATE TABLE operations (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  task TEXT NOT NULL,
  -- planning, gathering, proposing, awaiting_review, applying, verifying, done, failed, cancelled
  status TEXT NOT NULL DEFAULT 'planning',
  -- what the operation was asked to do: apply, verify command, limits, model, tool policy (JSON)
  options_json TEXT NOT NULL DEFAULT '{}',
  plan TEXT,
  summary TEXT,
  error_code TEXT,
  error_message TEXT,
  error_hint TEXT,
  -- the reasoning pattern replayed as the plan, how well it matched, and its use (recorded with the outcome, so
  -- build runs made while the operation is still under way do not judge it early)
  pattern_id INTEGER,
  pattern_score REAL,
  pattern_usage_id INTEGER,
  -- the pattern this operation taught, when it succeeded
  learned_pattern_id INTEGER,
  -- verify/fix rounds: artifacts of round N were proposed after N-1 failed verifications
  round INTEGER NOT NULL DEFAULT 1,
  llm_calls INTEGER NOT NULL DEFAULT 0,
  tool_calls INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0,
  -- which process runs it: a non-terminal operation whose owner is gone was interrupted
  owner TEXT,
  pid INTEGER,
  reverted_at TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  finished_at TEXT
);
CREATE INDEX operations_project ON operations (project_id, id);
CREATE INDEX operations_status ON operations (status);

-- Everything that happened, in order, for the activity panel: model calls (tokens, cost), tool calls, edits, applies, verifications.
CREATE TABLE operation_steps (
  id INTEGER PRIMARY KEY,
  operation_id INTEGER NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
  ord INTEGER NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'ok',
  detail TEXT NOT NULL DEFAULT '',
  args_json TEXT,
  result TEXT,
  tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  took_ms INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE (operation_id, ord)
);

-- The conversation with the model, message by message: an interrupted operation resumes from here.
CREATE TABLE operation_messages (
  id INTEGER PRIMARY KEY,
  operation_id INTEGER NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
  ord INTEGER NOT NULL,
  role TEXT NOT NULL,
  content TEXT,
  tool_calls_json TEXT,
  tool_call_id TEXT,
  UNIQUE (operation_id, ord)
);

-- One proposed change per file and round: the base it was made against (the backup for undo) and the new content.
CREATE TABLE artifacts (
  id INTEGER PRIMARY KEY,
  operation_id INTEGER NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
  round INTEGER NOT NULL DEFAULT 1,
  path TEXT NOT NULL,
  -- proposed, accepted, rejected, partial, applied, reverted, discarded
  status TEXT NOT NULL DEFAULT 'proposed',
  base_exists INTEGER NOT NULL,
  base_hash TEXT,
  base_bom INTEGER NOT NULL DEFAULT 0,
  base_content TEXT NOT NULL,
  new_content TEXT NOT NULL,
  diff TEXT NOT NULL,
  -- per-hunk review state: ["pending" | "accepted" | "rejected", ...] in diff order
  hunks_json TEXT NOT NULL DEFAULT '[]',
  edits INTEGER NOT NULL DEFAULT 1,
  applied_content TEXT,
  applied_hash TEXT,
  applied_at TEXT,
  reverted_at TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE (operation_id, round, path)
);
CREATE INDEX artifacts_operation ON artifacts (operation_id, id);

-- Build or test runs made for an operation (a baseline before, a verification after applying); their errors hang off build_run_errors.
CREATE TABLE operation_runs (
  id INTEGER PRIMARY KEY,
  operation_id INTEGER NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
  run_id INTEGER REFERENCES build_runs(id) ON DELETE SET NULL,
  kind TEXT NOT NULL,
  round INTEGER NOT NULL,
  command TEXT NOT NULL,
  status TEXT NOT NULL,
  exit_code INTEGER,
  passed INTEGER NOT NULL,
  error_count INTEGER NOT NULL DEFAULT 0,
  resolved_count INTEGER NOT NULL DEFAULT 0,
  duration_ms INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX operation_runs_operation ON operation_runs (operation_id, id);
CREATE INDEX error_resolutions_operation ON error_resolutions (operation_id) WHERE operation_id IS NOT NULL;
