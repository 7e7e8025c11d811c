"""Latency of random architectures of gpnav's default space on ONNX Runtime, measured twice.

For COUNT distinct random architectures of the default space (README, "The space": resolution
96-384 step 16, width 0.25-2 step 0.0625, MV2 depth multiplier 0.5-3 step 0.5, attention depth
multiplier 0.25-2; depths max(1, round(base x m)) on (1, 2) and (2, 4, 3), halves away from zero;
1000 classes), gets each config and its per-layer MACs from `gpnav macs --breakdown --format json`,
and measures its latency with `gpnav_torch.latency.measure_latency` (ONNX Runtime, float32, batch
1, THREADS threads, the default timing policy) in two passes over all architectures, so that the
second measurement of an architecture is minutes after its first. A refused measurement (spread
over the policy's 10 %) is kept in the CSV with its median and marked `refused`.

Writes OUT/latency.csv (one row per architecture) and OUT/summary.json, and prints: the load
average before and after, the CPU, the repeatability (% of architectures whose second median is
within +/-10 % of the first), Spearman(MACs, latency), and the held-out accuracy of three simple
predictors fitted on N = 20, 40, 80 architectures (`predictors.py`).

    Experiments/latency/run.sh --count 100 --seed 1
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from predictors import STAGES, evaluate_predictors, spearman, within  # noqa: E402

from gpnav_torch import load_config  # noqa: E402
from gpnav_torch.latency import load_average_1m, measure_latency  # noqa: E402
from gpnav_torch.runtimes import cpu_model_name  # noqa: E402
from gpnav_torch.timing import TimingPolicy, UnstableMeasurement  # noqa: E402

RESOLUTIONS = list(range(96, 385, 16))
WIDTHS = [0.25 + 0.0625 * k for k in range(29)]
MV2_MULTIPLIERS = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
VIT_MULTIPLIERS = [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0]


def _depths(bases, multiplier):
    return tuple(max(1, int(Decimal(base * multiplier).quantize(Decimal(1), rounding=ROUND_HALF_UP))) for base in bases)


def sample_architectures(count, seed):
    """COUNT distinct (resolution, width, mv2 depths, vit depths) drawn uniformly from the grid."""
    rng = np.random.default_rng(seed)
    architectures = []
    while len(architectures) < count:
        architecture = (int(rng.choice(RESOLUTIONS)), float(rng.choice(WIDTHS)),
                        _depths((1, 2), float(rng.choice(MV2_MULTIPLIERS))),
                        _depths((2, 4, 3), float(rng.choice(VIT_MULTIPLIERS))))
        if architecture not in architectures:
            architectures.append(architecture)
    return architectures


def gpnav_document(gpnav, architecture):
    resolution, width, mv2, vit = architecture
    command = [gpnav, "macs", "--resolution", str(resolution), "--width", repr(width),
               "--mv2-depths", ",".join(map(str, mv2)), "--vit-depths", ",".join(map(str, vit)),
               "--breakdown", "--format", "json"]
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(completed.stdout)


def stage_macs(document):
    """MACs per stage from the breakdown's dotted layer names (`stem`, `stage3.mobilevit...`, ...)."""
    totals = dict.fromkeys(STAGES, 0)
    for layer in document["layers"]:
        part = layer["name"].split(".")[0]
        totals[part if part in totals else "head"] += layer["macs"]
    assert sum(totals.values()) == document["macs"], "the breakdown's MACs add up to the total"
    return totals


def measure(trial, threads, policy):
    try:
        report = measure_latency(trial, "onnxruntime", threads, 1, False, policy)
        return (report["latency_ms"], report["latency_spread_ms"], report["cpu_ms"], report["cpu_spread_ms"],
                report["load_average_1m"], False)
    except UnstableMeasurement as refused:
        summary = refused.summary
        return summary.latency_ms, summary.latency_spread_ms, summary.cpu_ms, summary.cpu_spread_ms, load_average_1m(), True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--gpnav", default=os.environ.get("GPNAV_BIN", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".build", "debug", "gpnav")))
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out"))
    parser.add_argument("--max-macs", type=float, default=None,
                        help="draw only architectures with at most this many MACs (mobile budgets; fewer slow runs)")
    parser.add_argument("--min-runs", type=int, default=TimingPolicy().min_runs, help="timed runs per measurement, at least")
    parser.add_argument("--min-seconds", type=float, default=TimingPolicy().min_seconds,
                        help="seconds of timed runs per measurement, at least")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    import torch

    torch.set_num_threads(args.threads)
    policy = TimingPolicy(min_runs=args.min_runs, min_seconds=args.min_seconds)
    started, load_before = time.time(), open("/proc/loadavg").read().strip()
    print(f"cpu: {cpu_model_name()}, {os.cpu_count()} CPUs; load before: {load_before}", flush=True)
    rows = []
    # Drawn in one seeded sequence; with --max-macs, the ones above it are skipped.
    for architecture in sample_architectures(args.count * (20 if args.max_macs else 1), args.seed):
        if len(rows) == args.count:
            break
        document = gpnav_document(args.gpnav, architecture)
        if args.max_macs is not None and document["macs"] > args.max_macs:
            continue
        row = {"resolution": architecture[0], "width": architecture[1],
               "mv2_depths": " ".join(map(str, architecture[2])), "vit_depths": " ".join(map(str, architecture[3])),
               "macs": document["macs"], "params": document["params"]}
        row.update({f"macs_{stage}": value for stage, value in stage_macs(document).items()})
        row["trial"] = load_config({key: value for key, value in document.items() if key != "layers"})
        rows.append(row)
    loads = []
    for run in (1, 2):
        for index, row in enumerate(rows):
            latency, spread, cpu, cpu_spread, load, refused = measure(row["trial"], args.threads, policy)
            row.update({f"latency_ms_{run}": latency, f"latency_spread_ms_{run}": spread, f"cpu_ms_{run}": cpu,
                        f"cpu_spread_ms_{run}": cpu_spread, f"refused_{run}": int(refused), f"load_1m_{run}": load})
            loads.append(load)
            print(f"pass {run} {index + 1}/{len(rows)} {row['trial'].name}: {latency:.2f} ms "
                  f"(IQR {spread:.2f}{', refused' if refused else ''}), load {loads[-1]}", flush=True)
    load_after = open("/proc/loadavg").read().strip()
    columns = [key for key in rows[0] if key != "trial"]
    with open(os.path.join(args.out, "latency.csv"), "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)

    first = np.array([row["latency_ms_1"] for row in rows])
    second = np.array([row["latency_ms_2"] for row in rows])
    passed = np.array([not row["refused_1"] and not row["refused_2"] for row in rows])
    macs = np.array([row["macs"] for row in rows], dtype=float)
    stages = np.array([[row[f"macs_{stage}"] for stage in STAGES] for row in rows], dtype=float)
    latency = (first + second) / 2
    cpu_first = np.array([row["cpu_ms_1"] for row in rows])
    cpu_second = np.array([row["cpu_ms_2"] for row in rows])
    summary = {
        "cpu": cpu_model_name(), "cpu_count": os.cpu_count(), "threads": args.threads, "count": len(rows),
        "seed": args.seed, "load_before": load_before, "load_after": load_after,
        "load_1m_during": {"min": min(loads), "median": float(np.median(loads)), "max": max(loads)},
        "minutes": round((time.time() - started) / 60, 1),
        "refused_measurements": int(sum(row["refused_1"] + row["refused_2"] for row in rows)),
        "repeatability_within_10pct": within(second, first, 0.10),
        "repeatability_within_10pct_unrefused": within(second[passed], first[passed], 0.10) if passed.any() else None,
        "unrefused_architectures": int(passed.sum()),
        "median_abs_change_pct": float(np.median(np.abs(second / first - 1)) * 100),
        "spearman_macs_latency": spearman(macs, latency),
        "latency_ms_range": [float(latency.min()), float(latency.max())],
        "macs_range": [int(macs.min()), int(macs.max())],
        "cpu_repeatability_within_10pct": within(cpu_second, cpu_first, 0.10),
        "cpu_median_abs_change_pct": float(np.median(np.abs(cpu_second / cpu_first - 1)) * 100),
        "spearman_macs_cpu_ms": spearman(macs, (cpu_first + cpu_second) / 2),
        "predictors_wall": evaluate_predictors(macs, stages, first, second, sizes=(20, 40, 80), splits=50,
                                               seed=args.seed),
        "predictors_cpu": evaluate_predictors(macs, stages, cpu_first, cpu_second, sizes=(20, 40, 80), splits=50,
                                              seed=args.seed),
    }
    with open(os.path.join(args.out, "summary.json"), "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=2)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
