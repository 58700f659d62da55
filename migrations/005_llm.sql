-- LLM calls and their cost (budget_tracking, budget_summary), the response cache with its hit statistics, and the per-symbol analysis cache.

-- One row per call (chat or embeddings). A row starts as a 'reserved' hold on the budget and ends 'settled' (real usage),
-- 'released' (the call failed before costing anything), 'cached' (answered from llm_cache) or 'abandoned' (its process died).
CREATE TABLE budget_tracking (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  day TEXT NOT NULL,
  month TEXT NOT NULL,
  kind TEXT NOT NULL,
  purpose TEXT,
  model TEXT NOT NULL,
  effort TEXT,
  status TEXT NOT NULL,
  reserved_usd REAL NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  saved_usd REAL NOT NULL DEFAULT 0,
  tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0,
  tokens_cached INTEGER NOT NULL DEFAULT 0,
  tokens_reasoning INTEGER NOT NULL DEFAULT 0,
  usage_estimated INTEGER NOT NULL DEFAULT 0,
  from_cache INTEGER NOT NULL DEFAULT 0,
  project_id INTEGER,
  error TEXT,
  expires_at_ms INTEGER,
  settled_at TEXT,
  took_ms INTEGER
);
CREATE INDEX budget_tracking_day ON budget_tracking (day);
CREATE INDEX budget_tracking_month ON budget_tracking (month);
CREATE INDEX budget_tracking_reserved ON budget_tracking (status, expires_at_ms) WHERE status = 'reserved';

-- Settled spend per calendar day: the limit checks and the spend chart read this, not the per-call rows.
CREATE TABLE budget_summary (
  day TEXT PRIMARY KEY,
  month TEXT NOT NULL,
  calls INTEGER NOT NULL DEFAULT 0,
  cache_hits INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  saved_usd REAL NOT NULL DEFAULT 0,
  tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0,
  tokens_cached INTEGER NOT NULL DEFAULT 0,
  tokens_reasoning INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX budget_summary_month ON budget_summary (month);

-- Successful responses keyed by the SHA-256 of the canonical request. Times are epoch milliseconds (TTL and LRU).
CREATE TABLE llm_cache (
  key TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  model TEXT NOT NULL,
  response_json TEXT NOT NULL,
  cost_usd REAL NOT NULL DEFAULT 0,
  tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0,
  size_bytes INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER,
  last_used_at_ms INTEGER NOT NULL,
  hits INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX llm_cache_lru ON llm_cache (last_used_at_ms);

-- Per-symbol analyses (concepts, pattern validation) keyed by the symbol's content hash, so a re-index asks only for what changed.
CREATE TABLE llm_analysis_cache (
  kind TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  model TEXT NOT NULL,
  result_json TEXT NOT NULL,
  cost_usd REAL NOT NULL DEFAULT 0,
  created_at_ms INTEGER NOT NULL,
  last_used_at_ms INTEGER NOT NULL,
  hits INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, content_hash, model)
);
CREATE INDEX llm_analysis_cache_lru ON llm_analysis_cache (last_used_at_ms);

-- Lookups and hits per cache ('chat', 'embedding', 'analysis'), so the hit rate survives restarts.
CREATE TABLE llm_cache_stats (
  scope TEXT PRIMARY KEY,
  lookups INTEGER NOT NULL DEFAULT 0,
  hits INTEGER NOT NULL DEFAULT 0,
  stores INTEGER NOT NULL DEFAULT 0,
  evictions INTEGER NOT NULL DEFAULT 0,
  expirations INTEGER NOT NULL DEFAULT 0
);
