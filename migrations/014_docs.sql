-- Documents added to a project's knowledge (Markdown, text, PDF): their chunks, and a full-text index over them (vectors live in the `conversation` collection).
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  -- project-relative for files inside the project, otherwise the absolute path it was added from
  path TEXT NOT NULL,
  title TEXT NOT NULL,
  -- markdown, text, pdf
  kind TEXT NOT NULL,
  hash TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  chunks INTEGER NOT NULL DEFAULT 0,
  -- 1 when the chunks' vectors were written; 0 means full text only (the embedder or store failed)
  vectors INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE (project_id, path)
);

CREATE TABLE document_chunks (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  project_id INTEGER NOT NULL,
  ord INTEGER NOT NULL,
  -- the heading path of the section ("Setup > Install"), empty for unstructured text
  heading TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  tokens INTEGER NOT NULL,
  UNIQUE (document_id, ord)
);
CREATE INDEX document_chunks_project ON document_chunks (project_id);

CREATE VIRTUAL TABLE document_fts USING fts5(heading, text, content='document_chunks', content_rowid='id', tokenize = 'porter unicode61');
CREATE TRIGGER document_chunks_fts_ai AFTER INSERT ON document_chunks BEGIN
  INSERT INTO document_fts (rowid, heading, text) VALUES (new.id, new.heading, new.text);
END;
CREATE TRIGGER document_chunks_fts_ad AFTER DELETE ON document_chunks BEGIN
  INSERT INTO document_fts (document_fts, rowid, heading, text) VALUES ('delete', old.id, old.heading, old.text);
END;
