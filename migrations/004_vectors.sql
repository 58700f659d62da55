-- Vector search: collection shapes and item payloads (the vectors live in vec0 tables made on demand), the embedding cache, and per-project term statistics for the offline embedder.

-- One row per collection the embedded store has made; `space` names the embedder, so a change of model or dims re-creates it.
CREATE TABLE vector_collections (
  name TEXT PRIMARY KEY,
  dims INTEGER NOT NULL,
  space TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

-- Payloads beside the vectors: item_id is the vec0 rowid; project_id and path are copied out of the payload for filters and deletes.
CREATE TABLE vector_items (
  item_id INTEGER PRIMARY KEY,
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  project_id INTEGER,
  path TEXT,
  payload TEXT NOT NULL DEFAULT '{}',
  UNIQUE (collection, id)
);
CREATE INDEX vector_items_project_path ON vector_items (collection, project_id, path);

-- Whether a project's vectors in a collection were all written by the current embedder (a model change makes them stale).
CREATE TABLE vector_index_state (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  collection TEXT NOT NULL,
  space TEXT NOT NULL,
  complete INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (project_id, collection)
) WITHOUT ROWID;

-- Server embeddings are paid for once: keyed by the embedder (model and dims) and the sha256 of the exact text.
CREATE TABLE embedding_cache (
  model TEXT NOT NULL,
  hash TEXT NOT NULL,
  dims INTEGER NOT NULL,
  vector BLOB NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (model, hash)
) WITHOUT ROWID;

-- The distinct canonical terms of each indexed chunk (space-separated), the input of co-occurrence learning.
CREATE TABLE vector_terms (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  key TEXT NOT NULL,
  terms TEXT NOT NULL,
  PRIMARY KEY (project_id, path, key)
) WITHOUT ROWID;

-- Learned per project: each term's chunk frequency and its most associated terms (JSON [[term, npmi], ...]).
CREATE TABLE vector_vocabulary (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  term TEXT NOT NULL,
  df INTEGER NOT NULL,
  related TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (project_id, term)
) WITHOUT ROWID;

-- How many chunks the vocabulary was learned from, and how many have changed since (to decide when to learn again).
CREATE TABLE vector_vocabulary_state (
  project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  chunks INTEGER NOT NULL DEFAULT 0,
  changes INTEGER NOT NULL DEFAULT 0,
  learned_at TEXT
);
