-- 003: the intents status index covers live intents only. A dry-run intent is born terminal ('dry_run') and never
-- updated, so indexing its status only cost every dry-run insert a b-tree write (bench:engine, journal section).
-- Reads that filter on status add `status <> 'dry_run'` where the filter excludes dry runs (intents.ts, copies.ts),
-- which lets SQLite use this partial index. No row changes.
DROP INDEX intents_status;
CREATE INDEX intents_status_live ON intents (status) WHERE status <> 'dry_run';
