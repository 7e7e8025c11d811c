-- gpnav PostgreSQL schema, migration 0007: latency measurements per device (as SQLite's 0008).
-- One row per (device, architecture, runtime, threads, bits): the device's name as the user gives it,
-- the architecture's canonical JSON text (as trials.architecture), the inference runtime, its CPU
-- threads and the weights' bits (32 float, 8 int8). Measuring again replaces the row. latency_ms is the
-- median wall time of one forward pass and latency_spread_ms its interquartile range; cpu_ms the median
-- CPU time and load_average the 1-minute load while measuring, NULL when the command did not say.

CREATE TABLE latency_measurements (
    id BIGSERIAL PRIMARY KEY,
    device TEXT NOT NULL,
    architecture TEXT NOT NULL,
    runtime TEXT NOT NULL,
    threads BIGINT NOT NULL CHECK (threads >= 1),
    bits BIGINT NOT NULL CHECK (bits >= 1),
    latency_ms DOUBLE PRECISION NOT NULL CHECK (latency_ms > 0),
    latency_spread_ms DOUBLE PRECISION NOT NULL CHECK (latency_spread_ms >= 0),
    cpu_ms DOUBLE PRECISION,
    measured_at TEXT COLLATE "C" NOT NULL,
    load_average DOUBLE PRECISION,
    UNIQUE (device, runtime, threads, bits, architecture)
);
