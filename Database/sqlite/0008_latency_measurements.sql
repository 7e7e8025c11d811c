-- gpnav schema, migration 0008: latency measurements per device, shared by every study.
-- One row per (device, architecture, runtime, threads, bits): the device's name as the user gives it,
-- the architecture's canonical JSON text (as trials.architecture), the inference runtime, its CPU
-- threads and the weights' bits (32 float, 8 int8). Measuring again replaces the row. latency_ms is the
-- median wall time of one forward pass and latency_spread_ms its interquartile range; cpu_ms the median
-- CPU time and load_average the 1-minute load while measuring, NULL when the command did not say.

CREATE TABLE latency_measurements (
    id INTEGER PRIMARY KEY,
    device TEXT NOT NULL,
    architecture TEXT NOT NULL CHECK (json_valid(architecture)),
    runtime TEXT NOT NULL,
    threads INTEGER NOT NULL CHECK (threads >= 1),
    bits INTEGER NOT NULL CHECK (bits >= 1),
    latency_ms REAL NOT NULL CHECK (latency_ms > 0),
    latency_spread_ms REAL NOT NULL CHECK (latency_spread_ms >= 0),
    cpu_ms REAL,
    measured_at TEXT NOT NULL,
    load_average REAL,
    UNIQUE (device, runtime, threads, bits, architecture)
);
