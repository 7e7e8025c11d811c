"""gpnav against scipy/scikit-learn on this machine, in one run (see run.sh).

1. A 2000 x 2000 Cholesky factorisation: LAPACK dpotrf called from Swift (cholesky/main.swift)
   against scipy.linalg.cho_factor on the same matrix.
2. Gaussian-process fit + predict: `gpnav gp` (a subprocess, so its time includes start-up, CSV
   reading and JSON writing) against scikit-learn's GaussianProcessRegressor (in process, fit and
   predict only), on the same data, kernel family (Matern 5/2 ARD x amplitude + white noise) and
   number of optimiser restarts. Both report the log marginal likelihood of their fit.
"""
import argparse
import json
import os
import subprocess
import time

import numpy as np
import sklearn
from scipy.linalg import cho_factor
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

parser = argparse.ArgumentParser()
parser.add_argument("--gpnav", required=True)
parser.add_argument("--cholesky", required=True)
parser.add_argument("--sizes", default="250,1000,2000")
parser.add_argument("--restarts", type=int, default=1)
parser.add_argument("--queries", type=int, default=500)
parser.add_argument("--repeats", type=int, default=5)
parser.add_argument("--rounds", type=int, default=4)
parser.add_argument("--out", default="Experiments/out/gp")
parser.add_argument("--skip-cholesky", action="store_true")
parser.add_argument("--skip-gp", action="store_true")
args = parser.parse_args()
os.makedirs(args.out, exist_ok=True)


def table(header, rows):
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).rjust(w) for c, w in zip(cells, widths))
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


if not args.skip_cholesky:
    n = 2000
    i = np.arange(n)
    a = np.asfortranarray(1.0 / (1.0 + np.abs(i[:, None] - i[None, :])) + n * np.eye(n))

    def scipy_times(**options):
        seconds = []
        for _ in range(args.repeats + 1):
            work = a.copy(order="F")
            start = time.perf_counter()
            cho_factor(work, lower=True, **options)
            seconds.append(time.perf_counter() - start)
        return seconds[1:]  # the first call warms up the thread pool

    # Rounds alternate the implementations so that load from other processes hits them alike.
    swift, default, fast = [], [], []
    for _ in range(args.rounds):
        report = json.loads(subprocess.run([args.cholesky, str(n), str(args.repeats)], check=True,
                                           capture_output=True, text=True).stdout)
        swift += report["seconds"]
        default += scipy_times()
        fast += scipy_times(overwrite_a=True, check_finite=False)
    best = lambda xs: min(xs)
    median = lambda xs: sorted(xs)[len(xs) // 2]
    print("Cholesky of a %dx%d SPD matrix: best and median of %d runs each, %d alternating rounds (seconds)"
          % (n, n, len(swift), args.rounds))
    table(["implementation", "best_s", "median_s", "scipy_default/this (best)", "(median)"], [
        ["gpnav dpotrf (Swift, LAPACKE)", "%.4f" % best(swift), "%.4f" % median(swift),
         "%.2f" % (best(default) / best(swift)), "%.2f" % (median(default) / median(swift))],
        ["scipy cho_factor (default)", "%.4f" % best(default), "%.4f" % median(default), "1.00", "1.00"],
        ["scipy cho_factor (overwrite, no check)", "%.4f" % best(fast), "%.4f" % median(fast),
         "%.2f" % (best(default) / best(fast)), "%.2f" % (median(default) / median(fast))],
    ])
    print(flush=True)

rows = []
for n in [] if args.skip_gp else [int(s) for s in args.sizes.split(",")]:
    rng = np.random.RandomState(n)
    d = 6
    x = rng.uniform(size=(n, d))
    y = np.sin(3 * x[:, 0]) + x[:, 1] ** 2 - 0.5 * x[:, 2] * x[:, 3] + 0.2 * np.cos(5 * x[:, 4]) + 0.05 * rng.normal(size=n)
    q = rng.uniform(size=(args.queries, d))
    names = ["x%d" % k for k in range(d)]
    train_path = os.path.join(args.out, "train_%d.csv" % n)
    query_path = os.path.join(args.out, "query_%d.csv" % n)
    with open(train_path, "w") as f:
        f.write(",".join(names + ["y"]) + "\n")
        for row, value in zip(x, y):
            f.write(",".join(repr(float(v)) for v in row) + ",%r\n" % float(value))
    with open(query_path, "w") as f:
        f.write(",".join(names) + "\n")
        for row in q:
            f.write(",".join(repr(float(v)) for v in row) + "\n")

    kernel = ConstantKernel(1.0) * Matern(length_scale=np.ones(d), nu=2.5) + WhiteKernel(1e-2)
    gp = GaussianProcessRegressor(kernel, alpha=1e-10, normalize_y=True, n_restarts_optimizer=args.restarts, random_state=0)
    start = time.perf_counter()
    gp.fit(x, y)
    sk_mean, sk_std = gp.predict(q, return_std=True)
    sk_seconds = time.perf_counter() - start
    sk_lml = gp.log_marginal_likelihood_value_

    start = time.perf_counter()
    result = subprocess.run([args.gpnav, "gp", "--train", train_path, "--target", "y", "--predict", query_path,
                             "--noise-variance", "0.01", "--restarts", str(args.restarts), "--seed", "0",
                             "--format", "json"], check=True, capture_output=True, text=True)
    gp_seconds = time.perf_counter() - start
    report = json.loads(result.stdout)
    gp_mean = np.array([p["mean"] for p in report["predictions"]])
    rows.append([n, args.restarts, "%.2f" % sk_seconds, "%.2f" % gp_seconds, "%.1fx" % (sk_seconds / gp_seconds),
                 "%.4f" % sk_lml, "%.4f" % report["log_marginal_likelihood"],
                 "%+.4f" % (report["log_marginal_likelihood"] - sk_lml), "%.2g" % np.max(np.abs(gp_mean - sk_mean))])
    print("n=%d: " % n + " ".join(map(str, rows[-1])), flush=True)

if rows:
    print()
    print("Fit + predict (%d query points), 6 dims, Matern 5/2 ARD x amplitude + white noise, scikit-learn %s"
          % (args.queries, sklearn.__version__))
    table(["n", "restarts", "sklearn_s", "gpnav_s", "speed-up", "sklearn_lml", "gpnav_lml", "lml_gain", "max|mean diff|"], rows)
