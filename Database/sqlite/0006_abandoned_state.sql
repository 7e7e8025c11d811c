-- gpnav schema, migration 0006: abandoned is a trial state of its own, and claims have a key.
-- A trial the study gave up (no heartbeat within the lease, or its process gone) was stored as failed
-- with an error that begins 'abandoned:'; it becomes state 'abandoned', its error text kept as it was.
-- claim_key is the key a claim stores a trial under (the architecture's canonical text and the
-- attempt, e.g. {"classes":1000,...,"width":1}#0); the unique index makes a second claim of one key in
-- a study store nothing. NULL for trials started or imported without a claim, and for those stored
-- before this migration.
-- SQLite cannot alter a CHECK constraint. The state's CHECK is widened by editing the table's stored
-- CREATE TABLE text, as SQLite's documentation describes for loosening a constraint: no row and no
-- column changes, so nothing else needs rewriting; the ALTER TABLE after it moves the schema version
-- on, so that every connection reads the new text. Should the CHECK text not be found (a schema other
-- than gpnav's), the UPDATE of the states below fails on the old CHECK and the migration with it.

PRAGMA writable_schema = ON;
UPDATE sqlite_master
SET sql = replace(sql, 'CHECK (state IN (''running'', ''complete'', ''failed'', ''pruned''))',
                  'CHECK (state IN (''running'', ''complete'', ''failed'', ''pruned'', ''abandoned''))')
WHERE type = 'table' AND name = 'trials';
PRAGMA writable_schema = RESET;

ALTER TABLE trials ADD COLUMN claim_key TEXT;
CREATE UNIQUE INDEX trials_study_claim_key ON trials (study_id, claim_key);

UPDATE trials SET state = 'abandoned' WHERE state = 'failed' AND substr(error, 1, 10) = 'abandoned:';
