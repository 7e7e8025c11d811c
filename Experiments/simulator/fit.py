#!/usr/bin/env python3
"""Fit gpnav's training simulator to the published MobileViTv2 ImageNet-1k results.

Run from the repository root:  python3 Experiments/simulator/fit.py

The model (same symbols as TrainingSimulator.swift):

    C    = w^a_w * d_m^a_m * d_v^a_v                 network capacity (1 for the base width-1.0 model)
    R    = R0 * C^g                                   resolution scale the network can exploit
    s(r) = r / (1 + r / R)                            usable resolution (saturates above R)
    E    = e0 + ln C + b * ln(s(r) / 256)             effective capacity (a logit)
    acc  = A / (1 + exp(-E))                          top-1 accuracy in percent, within (0, A)

w: width multiplier, d_m: MV2 blocks / 3, d_v: attention layers / 9, r: resolution in pixels.
Fitted to the 14 points: A, e0, a_w, b, R0, g. Set by judgment (depth never varies among the
published points): a_m, a_v.

It prints the fitted constants, the calibration table with its RMSE, a few checks off the
published points, and the best architecture under MAC budgets (MACs from an approximate count of
the network after the reference description; gpnav's own exact counter lives in MobileViT).
"""
import csv
import itertools
import math
import pathlib

import numpy as np
from scipy.optimize import least_squares

ROOT = pathlib.Path(__file__).resolve().parents[2]
CSV_CANDIDATES = [
    ROOT / "Experiments" / "simulator" / "mobilevitv2_imagenet1k.csv",
]

# Depth exponents set by judgment, not fitted: halving the attention depth of the width-1.0
# model at 256 should cost about half a point, removing an MV2 block a little less.
A_M = 0.12
A_V = 0.13
G_M = 0.15
G_V = 0.15
K = 4.0
PRIORS = [(256, 0.25, 59.0), (128, 1.0, 71.0)]
PRIOR_WEIGHT = 0.25


def load_points():
    for path in CSV_CANDIDATES:
        if path.exists():
            rows = [r for r in csv.reader(l for l in path.open() if not l.startswith("#"))]
            header, body = rows[0], rows[1:]
            i_w, i_256, i_384 = header.index("width"), header.index("top1_256"), header.index("top1_384")
            pts = []
            for r in body:
                pts.append((256, float(r[i_w]), float(r[i_256])))
                pts.append((384, float(r[i_w]), float(r[i_384])))
            return pts
    raise SystemExit("reference CSV not found")


def accuracy(theta, r, w, d_m=1.0, d_v=1.0):
    A, e0, a_w, b, R0, g = theta
    R = R0 * w ** g * d_m ** G_M * d_v ** G_V
    s = r / (1.0 + (r / R) ** K) ** (1.0 / K)
    E = e0 + a_w * math.log(w) + A_M * math.log(d_m) + A_V * math.log(d_v) + b * math.log(s / 256.0)
    return A / (1.0 + math.exp(-E))


def fit(points):
    def residuals(p):
        res = [accuracy(p, r, w) - y for r, w, y in points]
        res += [PRIOR_WEIGHT * (accuracy(p, r, w) - y) for r, w, y in PRIORS]
        return res

    start = [84.0, 2.5, 1.0, 1.0, 400.0, 0.8]
    lower = [80.0, -10.0, 0.1, 0.05, 50.0, 0.0]
    upper = [99.0, 10.0, 5.0, 5.0, 1e4, 3.0]
    sol = least_squares(residuals, start, bounds=(lower, upper), x_scale="jac")
    return sol.x


# ---- approximate MAC count after /work/shared/reference/mobilevitv2.md (for the budget check) ----

def round8(v, divisor=8, minimum=None):
    minimum = divisor if minimum is None else minimum
    r = max(minimum, int((v + divisor / 2) // divisor) * divisor)
    if r < 0.9 * v:
        r += divisor
    return r


def macs(r, w, mv2=(1, 2), vit=(2, 4, 3)):
    total = 0
    h = math.ceil(r / 2)
    c0 = round8(min(max(32 * w, 16), 64), 8, 16)
    total += 9 * 3 * c0 * h * h
    cin = c0

    def mv2_block(cin, cout, stride, h):
        hidden = round8(round(cin * 2), 8)
        t = cin * hidden * h * h
        ho = math.ceil(h / stride)
        t += 9 * hidden * ho * ho + hidden * cout * ho * ho
        return t, ho

    outs = [round8(64 * w, 16), round8(128 * w, 8)]
    for stage, n in enumerate(mv2):
        for i in range(n):
            stride = 2 if (stage == 1 and i == 0) else 1
            t, h = mv2_block(cin, outs[stage], stride, h)
            total += t
            cin = outs[stage]
    for cout, dm, m in zip((256, 384, 512), (128, 192, 256), vit):
        cout, d = round8(cout * w), round8(dm * w)
        t, h = mv2_block(cin, cout, 2, h)
        total += t
        cin = cout
        h += h % 2
        tokens = h * h
        f = (2 * d) // 16 * 16
        total += 9 * cin * tokens + cin * d * tokens
        per_token = d * (1 + 2 * d) + (1 + 2 * d) + d * d + d + d * f + f + f * d + d
        total += m * per_token * tokens
        total += d * cin * tokens
    total += cin * 1000 + 1000
    return total


def main():
    points = load_points()
    theta = fit(points)
    A, e0, a_w, b, R0, g = theta
    print("fitted: A=%.6f e0=%.6f a_w=%.6f b=%.6f R0=%.4f g=%.6f (fixed a_m=%.2f a_v=%.2f g_m=%.2f g_v=%.2f k=%.0f)" % (*theta, A_M, A_V, G_M, G_V, K))
    print()
    print("| width | resolution | published | simulated | error |")
    print("|---|---|---|---|---|")
    errs = []
    for r, w, y in sorted(points, key=lambda p: (p[0], p[1])):
        s = accuracy(theta, r, w)
        errs.append(s - y)
        print("| %.2f | %d | %.2f | %.2f | %+.2f |" % (w, r, y, s, s - y))
    rmse = math.sqrt(sum(e * e for e in errs) / len(errs))
    print()
    print("RMSE over the 14 points: %.3f points" % rmse)
    print()
    print("Off the published points (noise-free):")
    checks = [
        ("w1.0 r256 base", dict(r=256, w=1.0)),
        ("w1.0 r256 attention depth halved (1,2,2)->d_v=5/9", dict(r=256, w=1.0, d_v=5 / 9)),
        ("w1.0 r256 MV2 (1,1)", dict(r=256, w=1.0, d_m=2 / 3)),
        ("w1.0 r128", dict(r=128, w=1.0)),
        ("w1.0 r160", dict(r=160, w=1.0)),
        ("w1.0 r224", dict(r=224, w=1.0)),
        ("w0.25 r256", dict(r=256, w=0.25)),
        ("w0.125 r32 depth 1", dict(r=32, w=0.125, d_m=2 / 3, d_v=3 / 9)),
        ("w4.0 r1024 depth 64", dict(r=1024, w=4.0, d_m=128 / 3, d_v=192 / 9)),
    ]
    for name, kw in checks:
        print("  %-52s %6.2f" % (name, accuracy(theta, **kw)))
    print()
    print("Best under a MAC budget (grid r 64..384 step 16, w 0.125..2 step 0.0625, MV2 (1..2,1..4), attention")
    print("depth multipliers 0.34..1.5; approximate MAC count), against width-only downscaling at 256:")
    grid = []
    vit_options = {tuple(max(1, round(x * k + 1e-9)) for x in (2, 4, 3)) for k in (0.34, 0.5, 0.67, 0.75, 1.0, 1.25, 1.5)}
    for r in range(64, 385, 16):
        for w in np.arange(0.125, 2.0001, 0.0625):
            for mv2 in itertools.product((1, 2), (1, 2, 3, 4)):
                for vit in vit_options:
                    grid.append((macs(r, w, mv2, vit), r, w, mv2, vit))
    for budget in (100e6, 200e6, 300e6, 500e6):
        best = max(
            (g_ for g_ in grid if g_[0] <= budget),
            key=lambda g_: accuracy(theta, g_[1], g_[2], sum(g_[3]) / 3, sum(g_[4]) / 9),
        )
        m, r, w, mv2, vit = best
        width_only = max(
            (g_ for g_ in grid if g_[0] <= budget and g_[1] == 256 and g_[3] == (1, 2) and g_[4] == (2, 4, 3)),
            key=lambda g_: g_[2],
        )
        acc_best = accuracy(theta, r, w, sum(mv2) / 3, sum(vit) / 9)
        acc_wo = accuracy(theta, 256, width_only[2])
        print("  %4dM: best r%d w%.3f mv2%s vit%s %.0fM -> %.2f; width-only w%.3f %.0fM -> %.2f (gain %.2f)" % (
            budget / 1e6, r, w, mv2, vit, m / 1e6, acc_best, width_only[2], width_only[0] / 1e6, acc_wo, acc_best - acc_wo))


if __name__ == "__main__":
    main()
