/// The migrations that keep learning curves (`Database/sqlite/0005_trial_reports.sql`,
/// `Database/postgres/0004_trial_reports.sql`), embedded as their exact text.
extension SchemaMigrations {
    static let migrationTrialReports = #"""
-- gpnav schema, migration 0005: learning curves, the intermediate reports of trials.
-- A training reports its top-1 accuracy (percent) after some of its epochs (counted from 1) while it
-- runs; each report is kept as it arrives, one row per trial and epoch. A trial's reports go with it.

CREATE TABLE trial_reports (
    trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL CHECK (epoch >= 1),
    accuracy REAL NOT NULL CHECK (accuracy >= 0 AND accuracy <= 100),
    reported_at TEXT NOT NULL,
    PRIMARY KEY (trial_id, epoch)
) WITHOUT ROWID;

"""#

    static let postgresTrialReports = #"""
-- gpnav PostgreSQL schema, migration 0004: learning curves, the intermediate reports of trials (as
-- SQLite's 0005).
-- A training reports its top-1 accuracy (percent) after some of its epochs (counted from 1) while it
-- runs; each report is kept as it arrives, one row per trial and epoch. A trial's reports go with it.

CREATE TABLE trial_reports (
    trial_id BIGINT NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
    epoch BIGINT NOT NULL CHECK (epoch >= 1),
    accuracy DOUBLE PRECISION NOT NULL CHECK (accuracy >= 0 AND accuracy <= 100),
    reported_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (trial_id, epoch)
);

"""#
}
