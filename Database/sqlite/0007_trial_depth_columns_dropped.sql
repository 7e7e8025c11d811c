-- gpnav schema, migration 0007: a trial's architecture is its canonical JSON only, under its family's own
-- names. mv2_depths and vit_depths were MobileViTv2's depth groups copied into columns of their own (NULL for
-- every other family); no query reads them, and the architecture column holds the same depths under the same
-- names for MobileViTv2 rows, so they are dropped. resolution, width and classes, which every family has,
-- stay. No index, trigger or constraint names either column, which SQLite's DROP COLUMN requires.

ALTER TABLE trials DROP COLUMN mv2_depths;
ALTER TABLE trials DROP COLUMN vit_depths;
