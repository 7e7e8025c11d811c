"""Reads a set of measured architectures once more, later, and judges gpnav's latency model against
the median of all their readings instead of the mean of the first two.

The kernel screen (`kernel_screen.py`) found readings of one network that agree within 1 % in a
pair and differ by 20 % an hour apart. This adds a reading per architecture at another time
(`measure.py`'s reading, CPU time, one thread), writes the set with the new column
`cpu_ms_K` (`--reading K`, 3 by default), and prints the share of held-out architectures within +/-10 % of each target for
gpnav's model (the numpy copy in `term_screen.py`, params included) fitted on the N first readings.

    OMP_NUM_THREADS=1 PYTHONPATH=python python Experiments/latency/reread.py --gpnav .build/debug/gpnav \\
        Experiments/latency/quiet/seed6-amd-epyc-cpu.csv --out Experiments/latency/quiet/seed6-amd-epyc-cpu-3.csv
    # a fourth reading, hours later: the set with cpu_ms_4
    OMP_NUM_THREADS=1 PYTHONPATH=python python Experiments/latency/reread.py --gpnav .build/debug/gpnav --reading 4 \\
        Experiments/latency/quiet/seed6-amd-epyc-cpu-3.csv --out Experiments/latency/quiet/seed6-amd-epyc-cpu-4.csv
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
    parser.add_argument("--out", required=True, help="the set with the new reading (read back when present)")
    parser.add_argument("--reading", type=int, default=3,
                        help="the number of the reading to add (column cpu_ms_K, load_1m_K); 3 by default")
    parser.add_argument("--splits", type=int, default=20)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    if args.reading < 3:
        parser.error("--reading: readings 1 and 2 come from measure.py; add 3 or later")
    source = args.out if os.path.exists(args.out) else args.csv
    with open(source) as file:
        rows = list(csv.DictReader(file))
    column, load = f"cpu_ms_{args.reading}", f"load_1m_{args.reading}"
    earlier = [f"cpu_ms_{k}" for k in range(1, args.reading)]
    missing = [name for name in earlier if name not in rows[0]]
    if missing:
        parser.error(f"{source} has no {', '.join(missing)}: add the readings before {args.reading} first")
    fields = list(rows[0].keys()) + [key for key in (column, load) if key not in rows[0]]
    layers = []
    for index, row in enumerate(rows):
        document = macs_document(args.gpnav, row)
        layers.append(document["layers"])
        if row.get(column):
            continue
        config = load_config({key: value for key, value in document.items() if key != "layers"})
        row[column] = f"{reading(config, 1):.4f}"
        row[load] = f"{os.getloadavg()[0]:.2f}"
        print(f"{index + 1}/{len(rows)}: {' / '.join(row[name] for name in earlier)} -> {row[column]} ms, "
              f"load {row[load]}", flush=True)
        with open(args.out, "w", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=fields)
            writer.writeheader()
            writer.writerows({key: row.get(key, "") for key in fields} for row in rows)
    count = args.reading
    readings = np.array([[float(row[f"cpu_ms_{i}"]) for i in range(1, count + 1)] for row in rows])
    terms = np.array([np.concatenate([base_terms(walk), [sum(layer["params"] for layer in walk)]]) for walk in layers])
    first = readings[:, 0]
    # Each later reading's drift against the first, one number per reading (the median ratio over
    # all architectures): what a reference network read beside each would take out.
    drift = np.median(readings / first[:, None], axis=0)
    targets = {"mean of the first two": readings[:, :2].mean(axis=1),
               f"median of all {count}": np.median(readings, axis=1),
               f"median of all {count}, each reading divided by its drift": np.median(readings / drift, axis=1)}
    print("drift of each reading against the first (median ratio): " + ", ".join(f"{value:.3f}" for value in drift))
    latest = readings[:, -1]
    for name, target in (("the first", first), ("the mean of the first two", targets["mean of the first two"])):
        print(f"reading {count} within +/-10 % of {name}: {100 * np.mean(np.abs(latest - target) <= 0.1 * target):.1f} %; "
              f"divided by its drift: {100 * np.mean(np.abs(latest / drift[-1] - target) <= 0.1 * target):.1f} %")
    for name, target in targets.items():
        shares = [f"{100 * np.mean(np.abs(readings[:, k] - target) <= 0.1 * target):.0f}" for k in range(count)]
        print(f"each reading within +/-10 % of the {name}: {', '.join(shares)} %")
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
