-- Personal memory: the user's profile, facts, learned patterns, conversations with rolling summaries, and reasoning patterns.

-- Profile attributes by category (preferences, coding_style, tech_stack, communication_style, identity); one value per key.
CREATE TABLE user_profile (
  category TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  confidence REAL NOT NULL DEFAULT 0.8,
  source TEXT NOT NULL DEFAULT 'user',
  evidence TEXT,
  previous_value TEXT,
  times_referenced INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (category, key)
);

-- Facts: one row per (scope, key). A contradicting fact updates the row (keeping the previous value), never duplicates it.
CREATE TABLE memory_facts (
  id INTEGER PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  category TEXT NOT NULL DEFAULT 'fact',
  confidence REAL NOT NULL DEFAULT 0.8,
  source TEXT NOT NULL DEFAULT 'user',
  evidence TEXT,
  previous_value TEXT,
  revisions INTEGER NOT NULL DEFAULT 0,
  times_referenced INTEGER NOT NULL DEFAULT 0,
  times_confirmed INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  last_confirmed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  last_referenced_at TEXT
);
CREATE UNIQUE INDEX memory_facts_scope_key ON memory_facts (ifnull(project_id, 0), key);

-- Observed behaviours ("runs the tests after every edit") with when they apply; confidence moves with evidence.
CREATE TABLE learned_patterns (
  id INTEGER PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  norm TEXT NOT NULL,
  pattern TEXT NOT NULL,
  applies_when TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT 'behaviour',
  confidence REAL NOT NULL DEFAULT 0.5,
  confirmations INTEGER NOT NULL DEFAULT 1,
  contradictions INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'active',
  source TEXT NOT NULL DEFAULT 'observed',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  last_seen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE UNIQUE INDEX learned_patterns_norm ON learned_patterns (ifnull(project_id, 0), norm);

CREATE TABLE conversations (
  id INTEGER PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL,
  title TEXT NOT NULL DEFAULT '',
  model TEXT,
  message_count INTEGER NOT NULL DEFAULT 0,
  summary TEXT,
  summary_upto INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX conversations_updated ON conversations (updated_at);

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  content TEXT NOT NULL DEFAULT '',
  tool_calls_json TEXT,
  tool_call_id TEXT,
  model TEXT,
  tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  cached INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);

CREATE VIRTUAL TABLE messages_fts USING fts5(content, content='messages', content_rowid='id', tokenize='porter unicode61');
CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN
  INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER messages_fts_au AFTER UPDATE OF content ON messages BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
  INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
END;

-- Rolling summaries: each covers the conversation up to a message, folding in the one before it.
CREATE TABLE conversation_summaries (
  id INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  upto_message_id INTEGER NOT NULL,
  summary TEXT NOT NULL,
  method TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX conversation_summaries_conv ON conversation_summaries (conversation_id, upto_message_id);

-- Recipes that worked: a trigger, ordered steps and a solution template, with their record of use.
CREATE TABLE reasoning_patterns (
  id INTEGER PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  trigger TEXT NOT NULL,
  solution_template TEXT NOT NULL DEFAULT '',
  contexts_json TEXT NOT NULL DEFAULT '[]',
  source TEXT NOT NULL DEFAULT 'operation',
  operation_id TEXT,
  status TEXT NOT NULL DEFAULT 'active',
  deprecated_reason TEXT,
  uses INTEGER NOT NULL DEFAULT 0,
  successes INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0,
  embedding BLOB,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  last_used_at TEXT
);

CREATE TABLE reasoning_steps (
  id INTEGER PRIMARY KEY,
  pattern_id INTEGER NOT NULL REFERENCES reasoning_patterns(id) ON DELETE CASCADE,
  ord INTEGER NOT NULL,
  description TEXT NOT NULL,
  tool TEXT,
  args_json TEXT,
  UNIQUE (pattern_id, ord)
);

CREATE TABLE pattern_usage (
  id INTEGER PRIMARY KEY,
  pattern_id INTEGER NOT NULL REFERENCES reasoning_patterns(id) ON DELETE CASCADE,
  project_id INTEGER,
  conversation_id INTEGER,
  operation_id TEXT,
  task TEXT NOT NULL,
  score REAL NOT NULL DEFAULT 0,
  outcome TEXT NOT NULL DEFAULT 'pending',
  outcome_source TEXT,
  note TEXT,
  used_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  used_at_ms INTEGER NOT NULL,
  outcome_at TEXT
);
CREATE INDEX pattern_usage_pattern ON pattern_usage (pattern_id, id);
CREATE INDEX pattern_usage_pending ON pattern_usage (project_id, outcome, used_at_ms);
