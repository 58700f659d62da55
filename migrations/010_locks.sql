-- Cross-process locks (one index run per project at a time): the holder's pid and a heartbeat; a dead holder's lock is taken over.
CREATE TABLE process_locks (
  name TEXT PRIMARY KEY,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  acquired_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
);
