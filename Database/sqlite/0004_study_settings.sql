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
