-- gpnav schema, migration 0001: studies and their trials.
-- Times are ISO 8601 UTC text with milliseconds (e.g. 2026-01-31T12:00:00.000Z), so they sort as text.
-- A shipped migration is never edited; change the schema by adding the next numbered file.

CREATE TABLE studies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    -- The search space as JSON (resolutions, widths, depth multipliers, classes).
    space TEXT NOT NULL,
    -- Budgets; NULL where not set. Weight memory is ceil(params * bits / 8) bytes.
    budget_macs INTEGER,
    budget_params INTEGER,
    budget_memory_bytes INTEGER,
    budget_bits INTEGER,
    -- Objectives with directions, comma-separated, e.g. accuracy:max,macs:min.
    objectives TEXT NOT NULL,
    -- The 64-bit unsigned seed, stored as the signed integer with the same bits.
    seed INTEGER NOT NULL,
    evaluator TEXT NOT NULL,
    target_trials INTEGER NOT NULL CHECK (target_trials >= 0),
    -- Search options needed to resume, as a JSON object of strings.
    settings TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE trials (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
    -- 0, 1, 2, ... within the study, without gaps.
    number INTEGER NOT NULL CHECK (number >= 0),
    state TEXT NOT NULL CHECK (state IN ('running', 'complete', 'failed', 'pruned')),
    resolution INTEGER NOT NULL,
    width REAL NOT NULL,
    -- Per-stage depths, comma-separated: MV2 stages 1-2 (e.g. 1,2), attention stages 3-5 (e.g. 2,4,3).
    mv2_depths TEXT NOT NULL,
    vit_depths TEXT NOT NULL,
    classes INTEGER NOT NULL,
    macs INTEGER NOT NULL CHECK (macs >= 0),
    params INTEGER NOT NULL CHECK (params >= 0),
    -- Top-1 accuracy in percent; NULL until the trial is complete.
    accuracy REAL,
    -- Other metrics as a JSON object of numbers.
    metrics TEXT NOT NULL DEFAULT '{}',
    proposal_kind TEXT NOT NULL,
    proposal_step INTEGER,
    proposal_acquisition REAL,
    predicted_accuracy REAL,
    predicted_std REAL,
    evaluator_output TEXT,
    error TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    heartbeat_at TEXT,
    UNIQUE (study_id, number)
);

-- Sorting and filtering the history (gpnav trials), within a study and across studies; the last
-- index also covers the Pareto query over built-in objectives (gpnav pareto).
CREATE INDEX trials_study_accuracy ON trials (study_id, accuracy);
CREATE INDEX trials_study_macs ON trials (study_id, macs);
CREATE INDEX trials_accuracy ON trials (accuracy);
CREATE INDEX trials_macs ON trials (macs);
CREATE INDEX trials_state ON trials (state, study_id, accuracy, macs, params);
