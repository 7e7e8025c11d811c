import Foundation

/// The schema migrations, embedded: each is the exact text of one file in `Database/sqlite/` or
/// `Database/postgres/`, in order.
///
/// `Database/<backend>/*.sql` is the single source of truth; SwiftPM resources are awkward on Linux, so the
/// text is copied here. `SchemaMigrationsTests` fails when a copy differs from its file by a byte,
/// or when a file is missing here. A shipped migration is never edited; add the next one instead.
enum SchemaMigrations {
    /// One migration: the file name (the identifier recorded in the database) and its SQL.
    struct Migration: Sendable {
        var identifier: String
        var sql: String

        /// The statements of ``sql``, without comments, one at a time (PostgreSQL runs one
        /// statement per prepared query). Migrations hold no `--` or `;` inside string literals.
        var statements: [String] {
            let code = sql.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.range(of: "--").map { line[..<$0.lowerBound] } ?? line
            }.joined(separator: "\n")
            return code.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                .filter { !$0.isEmpty }
        }
    }

    /// Every SQLite migration this build knows (`Database/sqlite/`), oldest first.
    static let all: [Migration] = [
        Migration(identifier: "0001_initial.sql", sql: migration0001),
        Migration(identifier: "0002_trial_worker.sql", sql: migration0002),
        Migration(identifier: "0003_architecture_family.sql", sql: migration0003),
        Migration(identifier: "0004_study_settings.sql", sql: migration0004),
        Migration(identifier: "0005_trial_reports.sql", sql: migrationTrialReports),
        Migration(identifier: "0006_abandoned_state.sql", sql: migration0006),
        Migration(identifier: "0007_trial_depth_columns_dropped.sql", sql: migration0007),
        Migration(identifier: "0008_latency_measurements.sql", sql: migrationLatencyMeasurements),
    ]

    /// Every PostgreSQL migration this build knows (`Database/postgres/`), oldest first.
    static let postgres: [Migration] = [
        Migration(identifier: "0001_initial.sql", sql: postgres0001),
        Migration(identifier: "0002_architecture_family.sql", sql: postgres0002),
        Migration(identifier: "0003_study_settings.sql", sql: postgres0003),
        Migration(identifier: "0004_trial_reports.sql", sql: postgresTrialReports),
        Migration(identifier: "0005_abandoned_state.sql", sql: postgres0005),
        Migration(identifier: "0006_trial_depth_columns_dropped.sql", sql: postgres0006),
        Migration(identifier: "0007_latency_measurements.sql", sql: postgresLatencyMeasurements),
    ]

    static let migration0001 = #"""
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

"""#

    static let migration0002 = #"""
-- gpnav schema, migration 0002: which process runs a trial.
-- worker is "<host>:<pid>" of the process that started a trial, so that a later run on the same host
-- can tell at once that a running trial's process is gone (killed with SIGKILL, say) instead of
-- waiting for its heartbeat to go stale. NULL for trials stored before this migration and for
-- imported ones.

ALTER TABLE trials ADD COLUMN worker TEXT;

"""#

    static let postgres0001 = #"""
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

"""#

    static let migration0003 = #"""
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

"""#

    static let postgres0002 = #"""
-- gpnav PostgreSQL schema, migration 0002: the architecture family, and each trial's architecture as
-- canonical JSON (as SQLite's 0003).
-- A study searches one family's space, named in studies.family. A trial keeps its family and its
-- architecture as the family's canonical JSON text (sorted keys, no whitespace, with "family"): a trial
-- is read from that text, and one architecture is claimed once per study by it (claim_key is that text
-- with the attempt, e.g. {"classes":1000,...,"width":1}#0). resolution, width, mv2_depths, vit_depths
-- and classes keep their meaning for MobileViTv2 rows; mv2_depths and vit_depths are NULL for families
-- without those stages. Rows stored before this migration are MobileViTv2; their text is made here from
-- their columns, as gpnav writes it (a width in its shortest form that reads back as the same number,
-- which PostgreSQL writes with extra_float_digits at 1).

SET LOCAL extra_float_digits = 1;

ALTER TABLE studies ADD COLUMN family TEXT NOT NULL DEFAULT 'mobilevitv2';

ALTER TABLE trials ADD COLUMN family TEXT NOT NULL DEFAULT 'mobilevitv2';
ALTER TABLE trials ADD COLUMN architecture TEXT;

UPDATE trials SET architecture = '{"classes":' || classes || ',"family":"mobilevitv2","mv2_depths":['
    || mv2_depths || '],"resolution":' || resolution || ',"vit_depths":[' || vit_depths || '],"width":'
    || width::text || '}';

UPDATE trials SET claim_key = architecture || substring(claim_key FROM '#[0-9]+$') WHERE claim_key IS NOT NULL;

ALTER TABLE trials ALTER COLUMN architecture SET NOT NULL;
ALTER TABLE trials ADD CONSTRAINT trials_architecture_family CHECK ((architecture::json ->> 'family') = family);
ALTER TABLE trials ALTER COLUMN mv2_depths DROP NOT NULL;
ALTER TABLE trials ALTER COLUMN vit_depths DROP NOT NULL;

-- Finds a study's trials of one architecture (a claim).
CREATE INDEX trials_study_architecture ON trials (study_id, architecture);

"""#

    static let migration0004 = #"""
-- gpnav schema, migration 0004: a study's settings as one JSON object.
-- studies.settings holds every setting of a study as gpnav's StudySettings writes it (keys family, space,
-- budget, trials, seed, step_factor, joint_factors, start, evaluator); it is what a study is read from.
-- budget_macs, budget_params, budget_memory_bytes and budget_bits stay as copies of the settings' budget,
-- which queries compare trials with, and family as the copy of the space's family. The columns space, seed,
-- evaluator and target_trials are folded into the settings and dropped. Rows stored before this migration
-- are converted here: their old settings object of strings gives the step factor, the joint factors and
-- the start model (start_architecture), and a study without them (made by import) takes the defaults, as
-- gpnav read such rows before; the seed is written unsigned from its stored bits. A start model kept only
-- as its description (builds before the Study API, never released) reads as the default start.

UPDATE studies SET settings = json_object(
    'budget', json_patch('{}', json_object('bits', budget_bits, 'macs', budget_macs,
                                           'memory_bytes', budget_memory_bytes, 'params', budget_params)),
    'evaluator', evaluator,
    'family', family,
    'joint_factors', json(CASE WHEN json_extract(settings, '$.joint_factors') = 'false' THEN 'false' ELSE 'true' END),
    'seed', json(printf('%llu', seed)),
    'space', json(space),
    'start', json(COALESCE(json_extract(settings, '$.start_architecture'), 'null')),
    'step_factor', json(COALESCE(json_extract(settings, '$.step_factor'), '0.8')),
    'trials', target_trials
);

ALTER TABLE studies DROP COLUMN space;
ALTER TABLE studies DROP COLUMN seed;
ALTER TABLE studies DROP COLUMN evaluator;
ALTER TABLE studies DROP COLUMN target_trials;

"""#

    static let postgres0003 = #"""
-- gpnav PostgreSQL schema, migration 0003: a study's settings as one JSON object (as SQLite's 0004).
-- studies.settings holds every setting of a study as gpnav's StudySettings writes it (keys family, space,
-- budget, trials, seed, step_factor, joint_factors, start, evaluator); it is what a study is read from.
-- budget_macs, budget_params, budget_memory_bytes and budget_bits stay as copies of the settings' budget,
-- which queries compare trials with, and family as the copy of the space's family. The columns space, seed,
-- evaluator and target_trials are folded into the settings and dropped. Rows stored before this migration
-- are converted here: their old settings object of strings gives the step factor, the joint factors and
-- the start model (start_architecture), and a study without them (made by import) takes the defaults, as
-- gpnav read such rows before; the seed is written unsigned from its stored bits. A start model kept only
-- as its description (builds before the Study API, never released) reads as the default start.

UPDATE studies SET settings = json_build_object(
    'budget', json_strip_nulls(json_build_object('bits', budget_bits, 'macs', budget_macs,
                                                 'memory_bytes', budget_memory_bytes, 'params', budget_params)),
    'evaluator', evaluator,
    'family', family,
    'joint_factors', COALESCE(settings::json ->> 'joint_factors', 'true') <> 'false',
    'seed', CASE WHEN seed < 0 THEN seed::numeric + 18446744073709551616 ELSE seed::numeric END,
    'space', space::json,
    'start', (settings::json ->> 'start_architecture')::json,
    'step_factor', COALESCE(settings::json ->> 'step_factor', '0.8')::json,
    'trials', target_trials
)::text;

ALTER TABLE studies DROP COLUMN space, DROP COLUMN seed, DROP COLUMN evaluator, DROP COLUMN target_trials;

"""#

    static let migration0006 = #"""
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

"""#

    static let postgres0005 = #"""
-- gpnav PostgreSQL schema, migration 0005: abandoned is a trial state of its own (as SQLite's 0006).
-- A trial the study gave up (no heartbeat within the lease, or its process gone) was stored as failed
-- with an error that begins 'abandoned:'; it becomes state 'abandoned', its error text kept as it was.
-- Claims keep their keys (claim_key, from 0001) as they were.

ALTER TABLE trials DROP CONSTRAINT trials_state_check;
ALTER TABLE trials ADD CONSTRAINT trials_state_check
    CHECK (state IN ('running', 'complete', 'failed', 'pruned', 'abandoned'));

UPDATE trials SET state = 'abandoned' WHERE state = 'failed' AND starts_with(error, 'abandoned:');

"""#

    static let migration0007 = #"""
-- gpnav schema, migration 0007: a trial's architecture is its canonical JSON only, under its family's own
-- names. mv2_depths and vit_depths were MobileViTv2's depth groups copied into columns of their own (NULL for
-- every other family); no query reads them, and the architecture column holds the same depths under the same
-- names for MobileViTv2 rows, so they are dropped. resolution, width and classes, which every family has,
-- stay. No index, trigger or constraint names either column, which SQLite's DROP COLUMN requires.

ALTER TABLE trials DROP COLUMN mv2_depths;
ALTER TABLE trials DROP COLUMN vit_depths;

"""#

    static let postgres0006 = #"""
-- gpnav PostgreSQL schema, migration 0006: a trial's architecture is its canonical JSON only (as SQLite's 0007).
-- mv2_depths and vit_depths were MobileViTv2's depth groups copied into columns of their own (NULL for every
-- other family); no query reads them, and the architecture column holds the same depths under the same names,
-- so they are dropped. resolution, width and classes, which every family has, stay.

ALTER TABLE trials DROP COLUMN mv2_depths, DROP COLUMN vit_depths;

"""#
}
