"""Screen corrections of gpnav's linear latency model by a fit on what it misses, quickly.

The linear model is the library's (term_screen.py's numpy copy of LatencyModel with params:
robust relative non-negative least squares). A correction models r = log(measured / linear) over a
few inputs of the architecture and multiplies the linear prediction by exp(r_hat). It is fitted on
the N training architectures only, and nested: a training row's residual is its leave-one-out
residual (the linear model fitted to the other N - 1 rows, as LatencyModel already computes for its
accuracy), since the full fit's own residuals are shrunk towards 0 and say less about a new
architecture's. Scored as term_screen.py scores (same splits for the same --seed): share of held-out
architectures within +/-10 % of the best estimate (and of the first reading), at N = 20 / 40 / 80,
with networks under 4 ms apart, and the coverage of the prediction's spread (within 1 and 2).

    python3 Experiments/latency/residual_screen.py --gpnav .build/debug/gpnav \
        Experiments/latency/quiet/seed3-short.csv Experiments/latency/quiet/seed5-short.csv \
        Experiments/latency/quiet/seed6-default.csv --splits 20 --seed 3 [--robust] \
        [--designs none,cal,gp-lin,...] [--sets seed5-short.csv,...] [--cache walks.json] [--bias] \
        [--fixed-test [--spread-macs]]

`--robust` clips the residuals as Huber's loss weighs them before the correction is fitted;
`--bias` prints instead where the linear model's misses sit at N = 40 (median log ratio under and
over 4 ms, for the training rows' leave-one-out residuals and for the held-out ones);
`--fixed-test` holds out a random half and takes the N from the other half, at random or, with
`--spread-macs`, evenly over log MACs (one per equal-width bin), so both choices are judged on the
same architectures.
Results and the decision: Experiments/latency/RESULTS.md, "A correction fitted on what the linear
model misses". Needs numpy, scipy and scikit-learn (the GP is scikit-learn's, the same model as gpnav's
GaussianProcess module: ConstantKernel * Matern(5/2, ARD) + WhiteKernel, normalised targets,
fitted by log marginal likelihood).
"""
import argparse
import csv
import os
import json
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from term_screen import CANDIDATES, architecture_key, base_terms, best_estimate, fit, pooled, walk  # noqa: E402

from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.gaussian_process import GaussianProcessRegressor  # noqa: E402
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel  # noqa: E402

PARAMS = CANDIDATES["params (weights read per inference)"]


def inputs(row, layers, linear):
    """Candidate inputs of the correction, by name."""
    mv2 = [int(v) for v in row["mv2_depths"].split()]
    vit = [int(v) for v in row["vit_depths"].split()]
    macs = sum(l["macs"] for l in layers)
    return {
        "log_linear": np.log(linear),
        "hinge_4ms": max(0.0, np.log(4.0 / linear)),
        "log_macs": np.log(macs),
        "log_resolution": np.log(float(row["resolution"])),
        "log_width": np.log(float(row["width"])),
        "mv2": float(sum(mv2)),
        "vit": float(sum(vit)),
        "log_params": np.log(sum(l["params"] for l in layers)),
    }


DESIGNS = {
    "none": None,  # the linear model alone
    "cal": ("ols", ["log_linear"]),  # calibration: a + b log(linear)
    "gp-lin": ("gp", ["log_linear"]),
    "gp-lin-macs": ("gp", ["log_linear", "log_macs"]),
    "gp-fac": ("gp", ["log_resolution", "log_width", "mv2", "vit"]),
    "gp-lin-fac": ("gp", ["log_linear", "log_resolution", "log_width", "mv2", "vit"]),
    "gp-lin-params": ("gp", ["log_linear", "log_params"]),
    # one coefficient, no intercept: r = b max(0, log(4 ms / linear)), a bias of the small networks only
    "hinge": ("hinge", ["hinge_4ms"]),
}


def loo_predictions(terms, latencies):
    """Each row predicted by the linear model fitted to all the others (the out-of-fold prediction)."""
    out = np.empty(len(latencies))
    for held in range(len(latencies)):
        others = np.arange(len(latencies)) != held
        out[held] = terms[held] @ fit(terms[others], latencies[others])
    return out


class Correction:
    """r = log(measured / linear) fitted over `names`; predict returns (r_hat, its variance incl. noise)."""

    def __init__(self, kind, names, x, r, seed, robust):
        self.kind, self.names = kind, names
        if robust:
            # Huber's clipping, as the linear fit weighs: a residual beyond k MAD-scales of the
            # median counts as if it were at k scales (a disturbed reading is slow, never fast).
            center = np.median(r)
            limit = 1.345 * 1.4826 * np.median(np.abs(r - center))
            r = center + np.clip(r - center, -limit, limit)
        self.center, self.scale = x.mean(axis=0), np.maximum(x.std(axis=0), 1e-12)
        if kind == "hinge":
            self.center, self.scale = np.zeros(x.shape[1]), np.ones(x.shape[1])
        z = (x - self.center) / self.scale
        if kind == "hinge":
            h = z[:, 0]
            self.beta = np.array([h @ r / max(h @ h, 1e-300)])
            resid = r - h * self.beta[0]
            self.noise = np.sum(resid ** 2) / max(1, len(r) - 1)
            self.hh = max(h @ h, 1e-300)
        elif kind == "ols":
            design = np.column_stack([np.ones(len(r)), z])
            self.beta, *_ = np.linalg.lstsq(design, r, rcond=None)
            resid = r - design @ self.beta
            self.noise = np.sum(resid ** 2) / max(1, len(r) - design.shape[1])
            self.design_inv = np.linalg.pinv(design.T @ design)
        else:
            kernel = ConstantKernel(1.0, (1e-5, 1e5)) * Matern(np.ones(len(names)), (1e-5, 1e5), nu=2.5) \
                + WhiteKernel(1e-1, (1e-5, 1e5))
            self.gp = GaussianProcessRegressor(kernel, normalize_y=True, n_restarts_optimizer=0,
                                               random_state=seed)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                self.gp.fit(z, r)

    def predict(self, x):
        z = (x - self.center) / self.scale
        if self.kind == "hinge":
            h = z[:, 0]
            return h * self.beta[0], self.noise * (1 + h * h / self.hh)
        if self.kind == "ols":
            design = np.column_stack([np.ones(len(z)), z])
            mean = design @ self.beta
            var = self.noise * (1 + np.einsum("ij,jk,ik->i", design, self.design_inv, design))
            return mean, var
        mean, sd = self.gp.predict(z, return_std=True)  # sd includes the white noise, as gpnav's
        return mean, sd ** 2


def stratified(order, log_macs, size):
    """The first `size` of a random `order` taken evenly over log MACs (known before measuring):
    the rows' log-MACs range cut into `size` equal bins, from each bin the row that comes first in
    `order`, and the rest of the N filled in `order` (bins may be empty)."""
    edges = np.linspace(log_macs.min(), log_macs.max(), size + 1)
    bins = np.clip(np.searchsorted(edges, log_macs, side="right") - 1, 0, size - 1)
    chosen, taken = [], set()
    for index in order:
        if bins[index] not in taken:
            taken.add(bins[index])
            chosen.append(index)
    chosen += [index for index in order if index not in set(chosen)][:size - len(chosen)]
    rest = [index for index in order if index not in set(chosen)]
    return np.array(chosen + rest)


def evaluate(rows, designs, splits, seed, sizes=(20, 40, 80), robust=False, spread_macs=False, fixed_test=False):
    """Per design and N: (share vs estimate, share vs first, share under 4 ms vs estimate,
    coverage within 1 and 2 spreads of the estimate), on the same splits for every design."""
    terms = np.array([np.concatenate([base_terms(r["layers"]), PARAMS(r["layers"])]) for r in rows])
    first = np.array([float(r["cpu_ms_1"]) for r in rows])
    second = np.array([float(r["cpu_ms_2"]) for r in rows])
    estimate = best_estimate(rows, first, second)
    log_macs = np.log(np.array([float(r["macs"]) for r in rows]))
    generator = np.random.default_rng(seed)
    tallies = {(name, size): ([], [], [], [0, 0, 0]) for name in designs for size in sizes}
    for size in sizes:
        if size >= (len(rows) - len(rows) // 2 if fixed_test else len(rows)):
            continue
        for split in range(splits):
            order = generator.permutation(len(rows))
            if fixed_test:
                # the same random half held out whichever way the N are chosen from the other half
                pool, held = order[len(rows) // 2:], order[:len(rows) // 2]
                fitted = (stratified(pool, log_macs, size) if spread_macs else pool)[:size]
            else:
                if spread_macs:
                    order = stratified(order, log_macs, size)
                fitted, held = order[:size], order[size:]
            coefficients = fit(terms[fitted], first[fitted])
            linear = terms[held] @ coefficients
            loo = loo_predictions(terms[fitted], first[fitted])
            for name in designs:
                design = DESIGNS[name]
                if design is None:
                    predicted = linear
                    spread = np.sqrt(np.mean(np.square(loo / first[fitted] - 1))) * predicted
                else:
                    kind, names = design
                    x_fit = np.array([[inputs(rows[i], rows[i]["layers"], loo[k])[n] for n in names]
                                      for k, i in enumerate(fitted)])
                    r = np.log(first[fitted] / loo)
                    correction = Correction(kind, names, x_fit, r, seed + split, robust)
                    x_held = np.array([[inputs(rows[i], rows[i]["layers"], linear[k])[n] for n in names]
                                       for k, i in enumerate(held)])
                    mean, var = correction.predict(x_held)
                    predicted = linear * np.exp(mean)
                    spread = predicted * np.sqrt(var)
                est, fst, small, cover = tallies[(name, size)]
                hits = np.abs(predicted - estimate[held]) <= 0.1 * estimate[held]
                est.append(hits.mean())
                fst.append(np.mean(np.abs(predicted - first[held]) <= 0.1 * first[held]))
                small.extend(hits[estimate[held] < 4])
                miss = np.abs(predicted - estimate[held])
                cover[0] += np.sum(miss <= spread)
                cover[1] += np.sum(miss <= 2 * spread)
                cover[2] += len(held)
    result = {}
    for (name, size), (est, fst, small, cover) in tallies.items():
        if est:
            result.setdefault(name, {})[size] = (100 * np.mean(est), 100 * np.mean(fst),
                                                 100 * np.mean(small) if small else float("nan"),
                                                 100 * cover[0] / cover[2], 100 * cover[1] / cover[2])
    return result


def bias(rows, splits, seed, size=40):
    """Median log(reading / linear) at N = `size` for networks under 4 ms and the rest: the training
    rows' leave-one-out residuals (what a correction is fitted on) and the held-out rows' misses."""
    terms = np.array([np.concatenate([base_terms(r["layers"]), PARAMS(r["layers"])]) for r in rows])
    first = np.array([float(r["cpu_ms_1"]) for r in rows])
    estimate = best_estimate(rows, first, np.array([float(r["cpu_ms_2"]) for r in rows]))
    generator = np.random.default_rng(seed)
    training, held_out = ([], []), ([], [])
    for _ in range(splits):
        order = generator.permutation(len(rows))
        fitted, held = order[:size], order[size:]
        linear = terms[held] @ fit(terms[fitted], first[fitted])
        residual = np.log(first[fitted] / loo_predictions(terms[fitted], first[fitted]))
        miss = np.log(estimate[held] / linear)
        for side, (values, reference) in enumerate([(residual, first[fitted]), (miss, estimate[held])]):
            target = (training, held_out)[side]
            target[0].extend(values[reference < 4])
            target[1].extend(values[reference >= 4])

    def median(values):
        return f"{100 * np.median(values):+.1f} % ({len(values)})"
    return (f"{len(rows)} rows, N = {size}: training leave-one-out log(first / linear) under 4 ms "
            f"{median(training[0])}, 4 ms and over {median(training[1])}; held-out log(estimate / linear) "
            f"under 4 ms {median(held_out[0])}, 4 ms and over {median(held_out[1])} (median, count over {splits} splits)")


def load(paths, gpnav, cache):
    # The cache is JSON (never pickle, which runs code as it loads): walks by "resolution|width|mv2|vit".
    walks = {}
    if cache and os.path.exists(cache):
        with open(cache) as file:
            walks = json.load(file)
    sets = []
    for path in paths:
        rows = list(csv.DictReader(open(path)))
        for row in rows:
            key = "|".join(architecture_key(row))
            if key not in walks:
                walks[key] = walk(gpnav, row)
            row["layers"] = walks[key]
        sets.append((path.rsplit("/", 1)[-1], rows))
    if cache:
        with open(cache, "w") as file:
            json.dump(walks, file)
    if len(sets) > 1:
        sets.append(("pooled", pooled(sets)))
    return sets


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("csv", nargs="+")
    parser.add_argument("--gpnav", default=".build/debug/gpnav")
    parser.add_argument("--splits", type=int, default=20)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--designs", default=",".join(DESIGNS), help="comma-separated design names")
    parser.add_argument("--sets", default="", help="comma-separated set names (default: all)")
    parser.add_argument("--robust", action="store_true", help="clip the residuals as Huber's loss does")
    parser.add_argument("--spread-macs", action="store_true",
                        help="choose the N fitted architectures evenly over log MACs instead of at random")
    parser.add_argument("--fixed-test", action="store_true",
                        help="hold out a random half and choose the N from the other half (compares choices of N fairly)")
    parser.add_argument("--bias", action="store_true", help="print where the linear model's misses sit, N = 40")
    parser.add_argument("--cache", default="", help="JSON file caching the walks")
    arguments = parser.parse_args()
    sets = load(arguments.csv, arguments.gpnav, arguments.cache)
    if arguments.sets:
        sets = [s for s in sets if s[0] in arguments.sets.split(",")]
    if arguments.bias:
        for label, rows in sets:
            print(f"{label}: " + bias(rows, arguments.splits, arguments.seed), flush=True)
        return
    print("| correction | data | vs estimate, N = 20 / 40 / 80 | vs first | under 4 ms vs estimate | "
          "within 1 / 2 spreads of the estimate, N = 40 |")
    print("|---|---|---|---|---|---|")
    designs = arguments.designs.split(",")
    for label, rows in sets:
        results = evaluate(rows, designs, arguments.splits, arguments.seed, robust=arguments.robust,
                           spread_macs=arguments.spread_macs, fixed_test=arguments.fixed_test)
        for name in designs:
            r = results[name]
            sizes = sorted(r)
            print(f"| {name} | {label} ({len(rows)}) | " + " / ".join(f"{r[s][0]:.1f}" for s in sizes)
                  + " | " + " / ".join(f"{r[s][1]:.1f}" for s in sizes)
                  + " | " + " / ".join(f"{r[s][2]:.0f}" for s in sizes)
                  + f" | {r[40][3]:.0f} / {r[40][4]:.0f} % |", flush=True)

if __name__ == "__main__":
    main()
