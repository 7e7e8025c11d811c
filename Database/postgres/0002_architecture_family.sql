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
