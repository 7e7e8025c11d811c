"""Reads a set of measured architectures once more, later, and judges gpnav's latency model against
the median of all their readings instead of the mean of the first two.

The kernel screen (`kernel_screen.py`) found readings of one network that agree within 1 % in a
pair and differ by 20 % an hour apart. This adds a reading per architecture at another time
(`measure.py`'s reading, CPU time, one thread), writes the set with the new column
`cpu_ms_3`, and prints the share of held-out architectures within +/-10 % of each target for
gpnav's model (the numpy copy in `term_screen.py`, params included) fitted on the N first readings.

    OMP_NUM_THREADS=1 PYTHONPATH=python python Experiments/latency/reread.py --gpnav .build/debug/gpnav \\
        Experiments/latency/quiet/seed6-amd-epyc-cpu.csv --out Experiments/latency/quiet/seed6-amd-epyc-cpu-3.csv
"""
from __future__ import annotations

import argparse
import csv
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kernel_screen import reading  # noqa: E402
from term_screen import base_terms, fit, macs_document  # noqa: E402

from gpnav_torch import load_config  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", help="a set with cpu_ms_1 and cpu_ms_2 (seed6-amd-epyc-cpu.csv)")
    parser.add_argument("--gpnav", required=True)
    parser.add_argument("--out", required=True, help="the set with cpu_ms_3 (read back when present)")
    parser.add_argument("--splits", type=int, default=20)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    source = args.out if os.path.exists(args.out) else args.csv
    with open(source) as file:
        rows = list(csv.DictReader(file))
    layers = []
    for index, row in enumerate(rows):
        document = macs_document(args.gpnav, row)
        layers.append(document["layers"])
        if row.get("cpu_ms_3"):
            continue
        config = load_config({key: value for key, value in document.items() if key != "layers"})
        row["cpu_ms_3"] = f"{reading(config, 1):.4f}"
        row["load_1m_3"] = f"{os.getloadavg()[0]:.2f}"
        print(f"{index + 1}/{len(rows)}: {row['cpu_ms_1']} / {row['cpu_ms_2']} -> {row['cpu_ms_3']} ms, "
              f"load {row['load_1m_3']}", flush=True)
        with open(args.out, "w", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=list(rows[0].keys()) + [key for key in ("cpu_ms_3", "load_1m_3")
                                                                             if key not in rows[0]])
            writer.writeheader()
            writer.writerows({**row, "cpu_ms_3": row.get("cpu_ms_3", ""), "load_1m_3": row.get("load_1m_3", "")}
                             for row in rows)
    readings = np.array([[float(row[f"cpu_ms_{i}"]) for i in (1, 2, 3)] for row in rows])
    terms = np.array([np.concatenate([base_terms(walk), [sum(layer["params"] for layer in walk)]]) for walk in layers])
    targets = {"mean of the first two": readings[:, :2].mean(axis=1), "median of all three": np.median(readings, axis=1)}
    first, third = readings[:, 0], readings[:, 2]
    print(f"third within +/-10 % of the first: {100 * np.mean(np.abs(third - first) <= 0.1 * first):.1f} %; "
          f"of the mean of the first two: {100 * np.mean(np.abs(third - targets['mean of the first two']) <= 0.1 * targets['mean of the first two']):.1f} %")
    generator = np.random.default_rng(args.seed)
    for size in (20, 40, 80):
        shares = {name: [] for name in targets}
        for _ in range(args.splits):
            order = generator.permutation(len(rows))
            fitted, held = order[:size], order[size:]
            predicted = terms[held] @ fit(terms[fitted], first[fitted])
            for name, target in targets.items():
                shares[name].append(np.mean(np.abs(predicted - target[held]) <= 0.1 * target[held]))
        print(f"N = {size}: " + "; ".join(f"against the {name} {100 * np.mean(values):.1f} %"
                                          for name, values in shares.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
