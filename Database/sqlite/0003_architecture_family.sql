-- gpnav schema, migration 0003: the architecture family, and each trial's architecture as canonical JSON.
-- A study searches one family's space, named in studies.family. A trial keeps its family and its
-- architecture as the family's canonical JSON text (sorted keys, no whitespace, with "family"): a trial
-- is read from that text, and one architecture is claimed once per study by it. resolution, width,
-- mv2_depths, vit_depths and classes keep their meaning for MobileViTv2 rows; mv2_depths and vit_depths
-- are NULL for families without those stages. SQLite cannot drop a NOT NULL, so trials is rebuilt,
-- keeping every row, its id and every value. Rows stored before this migration are MobileViTv2; their
-- text is made here from their columns, as gpnav writes it: the width in its shortest form that reads
-- back as the same number (gpnav rewrites, in the same transaction, the rare width that needs more than
-- the 15 significant digits SQLite's printf gives exactly).

ALTER TABLE studies ADD COLUMN family TEXT NOT NULL DEFAULT 'mobilevitv2';

CREATE TABLE trials_0003 (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
    -- 0, 1, 2, ... within the study, without gaps.
    number INTEGER NOT NULL CHECK (number >= 0),
    state TEXT NOT NULL CHECK (state IN ('running', 'complete', 'failed', 'pruned')),
    -- The architecture's family (e.g. mobilevitv2) and the architecture as its canonical JSON text.
    family TEXT NOT NULL DEFAULT 'mobilevitv2',
    architecture TEXT NOT NULL CHECK (json_extract(architecture, '$.family') = family),
    resolution INTEGER NOT NULL,
    width REAL NOT NULL,
    -- MobileViTv2's per-stage depths, comma-separated: MV2 stages 1-2 (e.g. 1,2), attention stages 3-5
    -- (e.g. 2,4,3); NULL for other families.
    mv2_depths TEXT,
    vit_depths TEXT,
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
    worker TEXT,
    UNIQUE (study_id, number)
);

INSERT INTO trials_0003 (id, study_id, number, state, family, architecture, resolution, width, mv2_depths,
                         vit_depths, classes, macs, params, accuracy, metrics, proposal_kind, proposal_step,
                         proposal_acquisition, predicted_accuracy, predicted_std, evaluator_output, error,
                         started_at, finished_at, heartbeat_at, worker)
SELECT id, study_id, number, state, 'mobilevitv2',
       '{"classes":' || classes || ',"family":"mobilevitv2","mv2_depths":[' || mv2_depths
           || '],"resolution":' || resolution || ',"vit_depths":[' || vit_depths || '],"width":'
           || printf('%.15g', width) || '}',
       resolution, width, mv2_depths, vit_depths, classes, macs, params, accuracy, metrics, proposal_kind,
       proposal_step, proposal_acquisition, predicted_accuracy, predicted_std, evaluator_output, error,
       started_at, finished_at, heartbeat_at, worker
FROM trials;

DROP TABLE trials;
ALTER TABLE trials_0003 RENAME TO trials;

-- The indexes of 0001 (dropped with the old table), and one that finds a study's trials of one
-- architecture (a claim).
CREATE INDEX trials_study_accuracy ON trials (study_id, accuracy);
CREATE INDEX trials_study_macs ON trials (study_id, macs);
CREATE INDEX trials_accuracy ON trials (accuracy);
CREATE INDEX trials_macs ON trials (macs);
CREATE INDEX trials_state ON trials (state, study_id, accuracy, macs, params);
CREATE INDEX trials_study_architecture ON trials (study_id, architecture);
