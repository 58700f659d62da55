-- A resolved build error becomes a historical fix at once; the fix row learns its commit when one carries the change.
ALTER TABLE error_resolutions ADD COLUMN fix_id INTEGER;
