-- gpnav PostgreSQL schema, migration 0006: a trial's architecture is its canonical JSON only (as SQLite's 0007).
-- mv2_depths and vit_depths were MobileViTv2's depth groups copied into columns of their own (NULL for every
-- other family); no query reads them, and the architecture column holds the same depths under the same names,
-- so they are dropped. resolution, width and classes, which every family has, stay.

ALTER TABLE trials DROP COLUMN mv2_depths, DROP COLUMN vit_depths;
