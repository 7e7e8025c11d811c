"""Screen candidate terms for gpnav's latency model on the quiet-machine readings, quickly.

A numpy re-implementation of LatencyModel's fit (robust relative non-negative least squares:
Huber weights, k = 1.345 on the MAD scale, iteratively reweighted), used only to choose which
terms to try in Swift; the figures that count come from `latency-model`, which runs the library's
own model. Each candidate is the model's terms plus extra ones computed from the exact layer walk
(`gpnav macs --breakdown --format json`), fitted on N = 20, 40, 80 random architectures' first
readings and scored on the rest against each architecture's best estimate (its kept readings'
median; two readings: their mean), and for those under 4 ms apart. Needs numpy and scipy
(`pip install -e "python/[reference]"`; .venv-ci has both, scipy through scikit-learn).

    PYTHONPATH= .venv-ci/bin/python Experiments/latency/term_screen.py --gpnav .build/debug/gpnav \
        Experiments/latency/quiet/seed3-short.csv Experiments/latency/quiet/seed5-short.csv \
        Experiments/latency/quiet/seed6-default.csv --splits 20 --seed 3 [--summary]

`--summary` prints, for the chosen model only (the old terms and params), each set's figures in
the layout of RESULTS.md's table: both targets with their comparators, and the coverage of the
prediction's spread (its leave-one-out RMS relative error, as LatencyModel computes it).
"""
import argparse
import csv
import json
import subprocess

import numpy as np
from scipy.optimize import nnls

STAGES = ["stem", "stage1", "stage2", "stage3", "stage4", "stage5", "head"]


def macs_document(gpnav, row):
    """`gpnav macs --breakdown --format json` of a row's architecture: its config and layer walk."""
    command = [gpnav, "macs", "--resolution", row["resolution"], "--width", row["width"],
               "--mv2-depths", row["mv2_depths"].replace(" ", ","), "--vit-depths", row["vit_depths"].replace(" ", ","),
               "--breakdown", "--format", "json"]
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def walk(gpnav, row):
    """The layers of a row's architecture, from gpnav's own walk."""
    return macs_document(gpnav, row)["layers"]


def architecture_key(row):
    """A row's architecture, as the CSVs write it."""
    return (row["resolution"], row["width"], row["mv2_depths"], row["vit_depths"])


def pooled(sets):
    """Every architecture of the (name, rows) sets once, the first set's row where several have it."""
    seen, rows = set(), []
    for _, set_rows in sets:
        for row in set_rows:
            if architecture_key(row) not in seen:
                seen.add(architecture_key(row))
                rows.append(row)
    return rows


def block(name):
    parts = name.split(".")
    if len(parts) == 3 and (parts[1].startswith("block") or parts[1] == "mv2"):
        return ".".join(parts[:2]), 0
    if len(parts) == 4 and parts[1] == "mobilevit" and parts[2].startswith("layer"):
        return ".".join(parts[:3]), 1
    return None


def base_terms(layers):
    """The terms LatencyFeatures had before this screen: constant, MACs per stage, elements, block counts."""
    values = np.zeros(len(STAGES) + 4)
    values[0] = 1
    last = None
    for layer in layers:
        values[1 + STAGES.index(layer["name"].split(".")[0])] += layer["macs"]
        values[len(STAGES) + 1] += np.prod(layer["output_shape"])
        found = block(layer["name"])
        if found and found[0] != last:
            last = found[0]
            values[len(STAGES) + 2 + found[1]] += 1
    return values


def elements_where(test):
    return lambda layers: [sum(np.prod(l["output_shape"]) for l in layers if test(l))]


def macs_where(test):
    return lambda layers: [sum(l["macs"] for l in layers if test(l))]


def last_part(*names):
    return lambda layer: layer["name"].split(".")[-1] in names


CANDIDATES = {
    "params (weights read per inference)": lambda layers: [sum(l["params"] for l in layers)],
    "walked layers (per-operator overhead)": lambda layers: [len(layers)],
    "norms, attention ops, others (counts)": lambda layers: [
        sum(1 for l in layers if "norm" in l["name"].split(".")[-1]),
        sum(1 for l in layers if l["name"].endswith("attention")),
        sum(1 for l in layers if "norm" not in l["name"].split(".")[-1] and not l["name"].endswith("attention"))],
    "elements of outputs >= 2^16 (beyond L2)": elements_where(lambda l: np.prod(l["output_shape"]) >= 2 ** 16),
    "elements of outputs >= 2^18": elements_where(lambda l: np.prod(l["output_shape"]) >= 2 ** 18),
    "elements of norms and attention": lambda layers: elements_where(last_part("norm", "norm1", "norm2"))(layers)
    + elements_where(last_part("attention"))(layers),
    "MACs of attention's linear layers": macs_where(last_part("qkv", "out_project", "ffn_expand", "ffn_project")),
    "MACs of depthwise convolutions": macs_where(last_part("depthwise", "local_depthwise")),
}


def fit(rows, latencies, steps=10):
    scale = np.maximum(np.abs(rows).max(axis=0), 1e-30)
    weights = np.ones(len(latencies))

    def solve(weights):
        root = np.sqrt(weights)
        return nnls(rows * (root / latencies)[:, None] / scale, root, maxiter=5000)[0] / scale

    coefficients = solve(weights)
    for _ in range(steps):
        residuals = (rows @ coefficients - latencies) / latencies
        spread = 1.4826 * np.median(np.abs(residuals - np.median(residuals)))
        if spread < 1e-9:
            break
        limit = 1.345 * spread
        new = np.where(np.abs(residuals) <= limit, 1, limit / np.maximum(np.abs(residuals), 1e-300))
        if np.max(np.abs(new - weights)) <= 1e-3:
            break
        weights = new
        coefficients = solve(weights)
    return coefficients


def loo_spread(terms, latencies):
    """The model's spread: its leave-one-out RMS relative error, as LatencyModel reports it."""
    errors = []
    for held in range(len(latencies)):
        others = np.arange(len(latencies)) != held
        predicted = terms[held] @ fit(terms[others], latencies[others])
        errors.append(predicted / latencies[held] - 1)
    return np.sqrt(np.mean(np.square(errors)))


def summary(name, rows, extra, splits, seed):
    """The model with `extra` terms on one set: both targets, both comparators, coverage at N = 40."""
    for label, chosen in [("all", rows), ("kept", [r for r in rows if r["refused_1"] == "0" and r["refused_2"] == "0"])]:
        terms = np.array([np.concatenate([base_terms(r["layers"]), extra(r["layers"])]) for r in chosen])
        first = np.array([float(r["cpu_ms_1"]) for r in chosen])
        second = np.array([float(r["cpu_ms_2"]) for r in chosen])
        estimate = best_estimate(chosen, first, second)
        generator = np.random.default_rng(seed)
        cells, coverage = [], [0, 0, 0]
        for size in (20, 40, 80):
            if size >= len(chosen):
                continue
            shares = []
            for _ in range(splits):
                order = generator.permutation(len(chosen))
                fitted, held = order[:size], order[size:]
                predicted = terms[held] @ fit(terms[fitted], first[fitted])
                shares.append((np.mean(np.abs(predicted - first[held]) <= 0.1 * first[held]),
                               np.mean(np.abs(predicted - estimate[held]) <= 0.1 * estimate[held])))
                if size == 40:
                    spread = loo_spread(terms[fitted], first[fitted]) * predicted
                    miss = np.abs(predicted - estimate[held])
                    coverage = [coverage[0] + np.sum(miss <= spread), coverage[1] + np.sum(miss <= 2 * spread),
                                coverage[2] + len(held)]
            cells.append(tuple(100 * np.mean(shares, axis=0)))
        repeat = 100 * np.mean(np.abs(second - first) <= 0.1 * first)
        single = 100 * np.mean(np.abs(first - estimate) <= 0.1 * estimate)
        print(f"| {name} | {label} ({len(chosen)}) | {repeat:.1f} % | " + " / ".join(f"{c[0]:.1f}" for c in cells)
              + f" | {single:.1f} % | " + " / ".join(f"{c[1]:.1f}" for c in cells)
              + f" | {100 * coverage[0] / coverage[2]:.0f} / {100 * coverage[1] / coverage[2]:.0f} % |", flush=True)


def best_estimate(rows, first, second):
    """The median of an architecture's kept readings (two: their mean; both when neither was kept)."""
    kept = (np.array([r["refused_1"] == "0" for r in rows]), np.array([r["refused_2"] == "0" for r in rows]))
    return np.where(kept[0] & kept[1], (first + second) / 2,
                    np.where(kept[0], first, np.where(kept[1], second, (first + second) / 2)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("csv", nargs="+")
    parser.add_argument("--gpnav", default=".build/debug/gpnav")
    parser.add_argument("--splits", type=int, default=20)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--summary", action="store_true",
                        help="only the chosen model (with params), per set: both targets, comparators, coverage")
    arguments = parser.parse_args()
    sets = []
    for path in arguments.csv:
        rows = list(csv.DictReader(open(path)))
        for row in rows:
            row["layers"] = walk(arguments.gpnav, row)
        sets.append((path.rsplit("/", 1)[-1], rows))
    if len(sets) > 1:
        sets.append(("pooled", pooled(sets)))
    if arguments.summary:
        print("| data | readings | second vs first | model vs first, N = 20 / 40 / 80 | first vs estimate "
              "| model vs estimate, N = 20 / 40 / 80 | within 1 / 2 spreads of the estimate, N = 40 |")
        print("|---|---|---|---|---|---|---|")
        for name, rows in sets:
            summary(name, rows, CANDIDATES["params (weights read per inference)"], arguments.splits, arguments.seed)
        return
    print("| terms | " + " | ".join(f"{name}: N = 20 / 40 / 80 (under 4 ms at 40)" for name, _ in sets) + " |")
    print("|---|" + "---|" * len(sets))
    for label, extra in [("the model before this screen", None)] + list(CANDIDATES.items()):
        cells = []
        for _, rows in sets:
            terms = np.array([np.concatenate([base_terms(r["layers"])] + ([extra(r["layers"])] if extra else []))
                              for r in rows])
            first = np.array([float(r["cpu_ms_1"]) for r in rows])
            second = np.array([float(r["cpu_ms_2"]) for r in rows])
            estimate = best_estimate(rows, first, second)
            generator = np.random.default_rng(arguments.seed)
            shares, small = [], []
            for size in (20, 40, 80):
                within = []
                for _ in range(arguments.splits):
                    order = generator.permutation(len(rows))
                    fitted, held = order[:size], order[size:]
                    predicted = terms[held] @ fit(terms[fitted], first[fitted])
                    hits = np.abs(predicted - estimate[held]) <= 0.1 * estimate[held]
                    within.append(hits.mean())
                    if size == 40:
                        small.extend(hits[estimate[held] < 4])
                shares.append(100 * np.mean(within))
            cells.append(" / ".join(f"{s:.1f}" for s in shares) + f" ({100 * np.mean(small):.0f})")
        print(f"| {label} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
