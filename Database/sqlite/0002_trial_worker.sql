-- gpnav schema, migration 0002: which process runs a trial.
-- worker is "<host>:<pid>" of the process that started a trial, so that a later run on the same host
-- can tell at once that a running trial's process is gone (killed with SIGKILL, say) instead of
-- waiting for its heartbeat to go stale. NULL for trials stored before this migration and for
-- imported ones.

ALTER TABLE trials ADD COLUMN worker TEXT;
