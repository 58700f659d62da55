-- Code intelligence: symbols, call sites, imports, the resolved call graph, concepts, design patterns and full-text chunks.

-- Files whose code data a first index has queued but not written yet (written in batches between file transactions).
-- A row left here after a crash makes the next run re-read and write that file.
CREATE TABLE code_pending_files (
  file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE
);

-- Every definition the parsers found. `owner` is the type a member belongs to (class, struct, impl type, Go receiver),
-- also when that type lives in another file; `facts` holds structural facts (JSON) for pattern detection.
CREATE TABLE code_elements (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  language TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  qualified_name TEXT NOT NULL,
  parent_id INTEGER REFERENCES code_elements(id) ON DELETE CASCADE,
  owner TEXT,
  signature TEXT,
  doc TEXT,
  start_line INTEGER NOT NULL,
  end_line INTEGER NOT NULL,
  visibility TEXT,
  exported INTEGER NOT NULL DEFAULT 0,
  is_test INTEGER NOT NULL DEFAULT 0,
  is_async INTEGER NOT NULL DEFAULT 0,
  content_hash TEXT NOT NULL,
  facts TEXT
);
CREATE INDEX code_elements_name ON code_elements (project_id, name COLLATE NOCASE);
CREATE INDEX code_elements_file ON code_elements (file_id, start_line);
CREATE INDEX code_elements_parent ON code_elements (parent_id);
CREATE INDEX code_elements_owner ON code_elements (project_id, owner, name) WHERE owner IS NOT NULL;
CREATE INDEX code_elements_path ON code_elements (project_id, path);

-- Call sites as written. `pending` marks sites whose resolution must be (re)computed by the resolve stage.
CREATE TABLE code_calls (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  caller_id INTEGER REFERENCES code_elements(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  receiver TEXT,
  receiver_type TEXT,
  line INTEGER NOT NULL,
  kind TEXT NOT NULL,
  pending INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX code_calls_file ON code_calls (file_id);
CREATE INDEX code_calls_name ON code_calls (project_id, name);
CREATE INDEX code_calls_caller ON code_calls (caller_id);
CREATE INDEX code_calls_pending ON code_calls (project_id) WHERE pending = 1;

-- Imports as written, with the project file they resolve to (NULL: external or not found).
CREATE TABLE code_imports (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  source TEXT NOT NULL,
  name TEXT,
  alias TEXT NOT NULL,
  line INTEGER NOT NULL,
  kind TEXT NOT NULL,
  target_file_id INTEGER REFERENCES files(id) ON DELETE SET NULL,
  pending INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX code_imports_file ON code_imports (file_id);
CREATE INDEX code_imports_target ON code_imports (target_file_id);
CREATE INDEX code_imports_pending ON code_imports (project_id) WHERE pending = 1;

-- Type → base relations (extends, implements, embeds, Rust trait impls), also across files.
CREATE TABLE code_bases (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  symbol_id INTEGER REFERENCES code_elements(id) ON DELETE CASCADE,
  type_name TEXT NOT NULL,
  base_name TEXT NOT NULL,
  line INTEGER NOT NULL
);
CREATE INDEX code_bases_base ON code_bases (project_id, base_name);
CREATE INDEX code_bases_type ON code_bases (project_id, type_name);
CREATE INDEX code_bases_file ON code_bases (file_id);
CREATE INDEX code_bases_symbol ON code_bases (symbol_id);

-- Where a type name is used as a field's, parameter's or return type (Strategy holders, Decorator wrappees...).
CREATE TABLE code_type_uses (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  symbol_id INTEGER NOT NULL REFERENCES code_elements(id) ON DELETE CASCADE,
  type_name TEXT NOT NULL,
  role TEXT NOT NULL
);
CREATE INDEX code_type_uses_type ON code_type_uses (project_id, type_name);
CREATE INDEX code_type_uses_symbol ON code_type_uses (symbol_id);
CREATE INDEX code_type_uses_file ON code_type_uses (file_id);

-- The resolved call graph: one row per call site and candidate callee. An unresolved call keeps its name with
-- callee_id NULL; an ambiguous one has a row per candidate, each with its confidence.
CREATE TABLE call_graph (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  call_id INTEGER NOT NULL REFERENCES code_calls(id) ON DELETE CASCADE,
  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  caller_id INTEGER REFERENCES code_elements(id) ON DELETE CASCADE,
  callee_id INTEGER REFERENCES code_elements(id) ON DELETE CASCADE,
  callee_name TEXT NOT NULL,
  line INTEGER NOT NULL,
  confidence REAL NOT NULL,
  resolution TEXT NOT NULL
);
CREATE INDEX call_graph_callee ON call_graph (callee_id);
CREATE INDEX call_graph_caller ON call_graph (caller_id);
CREATE INDEX call_graph_call ON call_graph (call_id);
CREATE INDEX call_graph_project ON call_graph (project_id, resolution);

-- One semantic node per symbol: what it is for, its concepts and domains. `source` is 'heuristic' or the enricher's name.
CREATE TABLE code_concepts (
  symbol_id INTEGER PRIMARY KEY REFERENCES code_elements(id) ON DELETE CASCADE,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  purpose TEXT,
  concepts TEXT NOT NULL,
  domains TEXT NOT NULL,
  confidence REAL NOT NULL,
  source TEXT NOT NULL,
  content_hash TEXT NOT NULL
);
CREATE INDEX code_concepts_file ON code_concepts (file_id);

CREATE TABLE concept_index (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  concept TEXT NOT NULL,
  symbol_id INTEGER NOT NULL REFERENCES code_elements(id) ON DELETE CASCADE,
  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  score REAL NOT NULL,
  PRIMARY KEY (concept, symbol_id)
);
CREATE INDEX concept_index_project ON concept_index (project_id, concept, score DESC);
CREATE INDEX concept_index_symbol ON concept_index (symbol_id);
CREATE INDEX concept_index_file ON concept_index (file_id);

-- Links between symbols that share a concept or a domain (a bounded number per symbol).
CREATE TABLE semantic_edges (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  from_id INTEGER NOT NULL REFERENCES code_elements(id) ON DELETE CASCADE,
  to_id INTEGER NOT NULL REFERENCES code_elements(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  label TEXT NOT NULL,
  weight REAL NOT NULL,
  PRIMARY KEY (from_id, to_id, kind)
);
CREATE INDEX semantic_edges_to ON semantic_edges (to_id);
CREATE INDEX semantic_edges_project ON semantic_edges (project_id);

-- Enrichments (an LLM's purpose and concepts) cached by the symbol's content hash, so unchanged code is never sent twice.
CREATE TABLE concept_cache (
  content_hash TEXT NOT NULL,
  enricher TEXT NOT NULL,
  result TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (content_hash, enricher)
);

-- Detected design patterns and the symbols taking part (role: 'factory', 'product', 'builder', ...).
CREATE TABLE design_patterns (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  pattern TEXT NOT NULL,
  anchor_id INTEGER NOT NULL REFERENCES code_elements(id) ON DELETE CASCADE,
  confidence REAL NOT NULL,
  evidence TEXT NOT NULL
);
CREATE INDEX design_patterns_project ON design_patterns (project_id, pattern);
CREATE INDEX design_patterns_anchor ON design_patterns (anchor_id);

CREATE TABLE design_pattern_members (
  pattern_id INTEGER NOT NULL REFERENCES design_patterns(id) ON DELETE CASCADE,
  symbol_id INTEGER NOT NULL REFERENCES code_elements(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  PRIMARY KEY (pattern_id, symbol_id)
);
CREATE INDEX design_pattern_members_symbol ON design_pattern_members (symbol_id);

-- Search chunks: one per symbol body (or line window), pointing at path + lines + symbol; their text lives in code_fts.
CREATE TABLE code_chunks (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  language TEXT,
  start_line INTEGER NOT NULL,
  end_line INTEGER NOT NULL,
  symbol_id INTEGER REFERENCES code_elements(id) ON DELETE SET NULL,
  symbol TEXT,
  kind TEXT,
  content_hash TEXT NOT NULL,
  -- 0 while the chunk's text waits to enter code_fts (a first index writes the full text in bulk, at the end).
  fts INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX code_chunks_file ON code_chunks (file_id, start_line);
CREATE INDEX code_chunks_pending ON code_chunks (project_id) WHERE fts = 0;
CREATE INDEX code_chunks_symbol ON code_chunks (symbol_id);
CREATE INDEX code_chunks_project ON code_chunks (project_id);

-- Full text of the chunks (contentless: the text stays in the files). Identifiers are stored whole and split
-- (camelCase, snake_case); `names` holds the symbol's names, `path` the path's tokens.
CREATE VIRTUAL TABLE code_fts USING fts5(names, path, body, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2');
-- Document frequency per term: search drops terms so common they only slow ranking down.
CREATE VIRTUAL TABLE code_fts_vocab USING fts5vocab(code_fts, 'row');
