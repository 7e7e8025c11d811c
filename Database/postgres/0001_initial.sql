-- gpnav PostgreSQL schema, migration 0001: studies and their trials, as SQLite's 0001 and 0002 together.
-- Times are ISO 8601 UTC text with milliseconds (e.g. 2026-01-31T12:00:00.000Z), compared byte by byte
-- (COLLATE "C") so that they sort as times whatever the database's locale.
-- A shipped migration is never edited; change the schema by adding the next numbered file.

CREATE TABLE studies (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT COLLATE "C" NOT NULL,
    -- The search space as JSON (resolutions, widths, depth multipliers, classes).
    space TEXT NOT NULL,
    -- Budgets; NULL where not set. Weight memory is ceil(params * bits / 8) bytes.
    budget_macs BIGINT,
    budget_params BIGINT,
    budget_memory_bytes BIGINT,
    budget_bits BIGINT,
    -- Objectives with directions, comma-separated, e.g. accuracy:max,macs:min.
    objectives TEXT NOT NULL,
    -- The 64-bit unsigned seed, stored as the signed integer with the same bits.
    seed BIGINT NOT NULL,
    evaluator TEXT NOT NULL,
    target_trials BIGINT NOT NULL CHECK (target_trials >= 0),
    -- Search options needed to resume, as a JSON object of strings.
    settings TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE trials (
    id BIGSERIAL PRIMARY KEY,
    study_id BIGINT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
    -- 0, 1, 2, ... within the study, without gaps: numbered while the study's row is locked.
    number BIGINT NOT NULL CHECK (number >= 0),
    state TEXT NOT NULL CHECK (state IN ('running', 'complete', 'failed', 'pruned')),
    resolution BIGINT NOT NULL,
    width DOUBLE PRECISION NOT NULL,
    -- Per-stage depths, comma-separated: MV2 stages 1-2 (e.g. 1,2), attention stages 3-5 (e.g. 2,4,3).
    mv2_depths TEXT NOT NULL,
    vit_depths TEXT NOT NULL,
    classes BIGINT NOT NULL,
    macs BIGINT NOT NULL CHECK (macs >= 0),
    params BIGINT NOT NULL CHECK (params >= 0),
    -- Top-1 accuracy in percent; NULL until the trial is complete.
    accuracy DOUBLE PRECISION,
    -- Other metrics as a JSON object of numbers.
    metrics TEXT NOT NULL DEFAULT '{}',
    proposal_kind TEXT NOT NULL,
    proposal_step BIGINT,
    proposal_acquisition DOUBLE PRECISION,
    predicted_accuracy DOUBLE PRECISION,
    predicted_std DOUBLE PRECISION,
    evaluator_output TEXT,
    error TEXT,
    started_at TEXT COLLATE "C" NOT NULL,
    finished_at TEXT COLLATE "C",
    heartbeat_at TEXT COLLATE "C",
    -- "<host>:<pid>" of the process that started the trial; NULL for imported trials.
    worker TEXT,
    -- For trials claimed by a search: the canonical architecture and which attempt at it this is
    -- ("224|1.0|1,2|2,4,3|1000#0"), so that the database itself refuses a second claim of one
    -- architecture in a study. NULL for trials started or imported without a claim.
    claim_key TEXT,
    UNIQUE (study_id, number),
    UNIQUE (study_id, claim_key)
);

-- Sorting and filtering the history (gpnav trials), within a study and across studies. Accuracy
-- sorts NULL first, as in SQLite, so that a backward scan gives the descending order with NULL last.
CREATE INDEX trials_study_accuracy ON trials (study_id, accuracy NULLS FIRST, id);
CREATE INDEX trials_study_macs ON trials (study_id, macs, id);
CREATE INDEX trials_accuracy ON trials (accuracy NULLS FIRST, id);
CREATE INDEX trials_macs ON trials (macs, id);
CREATE INDEX trials_state ON trials (state, study_id, accuracy, macs, params);
