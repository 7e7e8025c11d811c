"""Baseline latency predictors and how often they land within +/-10 % of a held-out measurement.

- `macs_linear`: latency = a + b x MACs (least squares);
- `macs_power`: log latency = a + b x log MACs (least squares; a power law);
- `stage_macs`: latency = c0 + sum over stages of c_s x MACs_s, with every c >= 0 (non-negative
  least squares, scipy's Lawson-Hanson `nnls`): each stage's MACs at its own cost per MAC, as the
  attention stages run slower per MAC than the convolutions.

Each is fitted on N architectures' first measurements, drawn at random, and predicts the rest;
repeated over `splits` random draws. Reported: the mean, min and max over draws of the % of
held-out architectures whose prediction is within +/-10 % of their first measurement.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import nnls

STAGES = ("stem", "stage1", "stage2", "stage3", "stage4", "stage5", "head")


def within(predicted, measured, tolerance):
    """% of `predicted` within +/-`tolerance` (a fraction) of `measured`."""
    predicted, measured = np.asarray(predicted, float), np.asarray(measured, float)
    return float(np.mean(np.abs(predicted / measured - 1) <= tolerance) * 100)


def _ranks(values):
    """Ranks from 1, ties given their average rank."""
    values = np.asarray(values, float)
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(1, len(values) + 1)
    for value in np.unique(values):
        tied = values == value
        ranks[tied] = ranks[tied].mean()
    return ranks


def spearman(x, y):
    """Spearman's rank correlation: Pearson's correlation of the ranks."""
    return float(np.corrcoef(_ranks(x), _ranks(y))[0, 1])


def _fit_macs_linear(macs, _stages, latency):
    design = np.column_stack([np.ones_like(macs), macs])
    coefficients = np.linalg.lstsq(design, latency, rcond=None)[0]
    return lambda m, _s: coefficients[0] + coefficients[1] * m


def _fit_macs_power(macs, _stages, latency):
    design = np.column_stack([np.ones_like(macs), np.log(macs)])
    coefficients = np.linalg.lstsq(design, np.log(latency), rcond=None)[0]
    return lambda m, _s: np.exp(coefficients[0] + coefficients[1] * np.log(m))


def _fit_stage_macs(_macs, stages, latency):
    # Scaled to MACs in units of 1e8 so that NNLS's columns are of one order.
    design = np.column_stack([np.ones(len(stages)), stages / 1e8])
    coefficients, _ = nnls(design, latency)
    return lambda _m, s: np.column_stack([np.ones(len(s)), s / 1e8]) @ coefficients


PREDICTORS = {"macs_linear": _fit_macs_linear, "macs_power": _fit_macs_power, "stage_macs": _fit_stage_macs}


def evaluate_predictors(macs, stages, first, second, sizes=(20, 40, 80), splits=50, seed=0):
    """For each N in `sizes` (smaller than the sample) and each predictor: % of held-out
    architectures within +/-10 % of their first measurement (mean, min, max over `splits` draws),
    and the same against their second measurement (mean)."""
    rng = np.random.default_rng(seed)
    count = len(macs)
    results = {}
    for size in sizes:
        if size >= count:
            continue
        draws = [rng.permutation(count) for _ in range(splits)]
        for name, fit in PREDICTORS.items():
            scores, scores_second = [], []
            for order in draws:
                train, test = order[:size], order[size:]
                predict = fit(macs[train], stages[train], first[train])
                predicted = predict(macs[test], stages[test])
                scores.append(within(predicted, first[test], 0.10))
                scores_second.append(within(predicted, second[test], 0.10))
            results[f"{name}_n{size}"] = {
                "held_out": count - size, "within_10pct_mean": float(np.mean(scores)),
                "within_10pct_min": float(np.min(scores)), "within_10pct_max": float(np.max(scores)),
                "within_10pct_of_second_mean": float(np.mean(scores_second))}
    return results
