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
