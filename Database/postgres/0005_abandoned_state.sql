-- gpnav PostgreSQL schema, migration 0005: abandoned is a trial state of its own (as SQLite's 0006).
-- A trial the study gave up (no heartbeat within the lease, or its process gone) was stored as failed
-- with an error that begins 'abandoned:'; it becomes state 'abandoned', its error text kept as it was.
-- Claims keep their keys (claim_key, from 0001) as they were.

ALTER TABLE trials DROP CONSTRAINT trials_state_check;
ALTER TABLE trials ADD CONSTRAINT trials_state_check
    CHECK (state IN ('running', 'complete', 'failed', 'pruned', 'abandoned'));

UPDATE trials SET state = 'abandoned' WHERE state = 'failed' AND starts_with(error, 'abandoned:');
