-- Build runs record the process that runs them, so a run whose process died (killed, crashed, power cut) can be told
-- from one still running in another process (the app, `mira serve` and the CLI share one home), and closed as
-- 'interrupted' instead of showing 'running' forever.
ALTER TABLE build_runs ADD COLUMN owner_pid INTEGER;
UPDATE build_runs SET status = 'interrupted', finished_at = coalesce(finished_at, strftime('%Y-%m-%dT%H:%M:%fZ','now')) WHERE status = 'running';

-- Never used: the code index tracks progress per file in `files` and writes each file in one transaction.
DROP TABLE IF EXISTS code_pending_files;
