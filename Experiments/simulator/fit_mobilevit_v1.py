#!/usr/bin/env python3
"""Fit gpnav's MobileViT v1 calibration to the three published MobileViT v1 results.

Run from the repository root:  python3 Experiments/simulator/fit_mobilevit_v1.py
(numpy and scipy; the output is saved beside this file as fit_mobilevit_v1-output.txt).

The formula is the MobileViTv2 simulator's (TrainingSimulator.swift, fit.py), with v1's factors:

    C    = w_eff^a_w * d_m^a_m * d_v^a_v * (e / 4)^a_e
    R    = R0 * w_eff^g * d_m^g_m * d_v^g_v
    s(r) = r / (1 + (r / R)^k)^(1/k)
    E    = e0 + ln C + b * ln(s(r) / 256)
    acc  = A / (1 + exp(-E))

w_eff: the network's width relative to MobileViT-S, the geometric mean over its eight base widths
(stages 1 to 5 and the three transformer dims) of base x width / S's width (unrounded);
d_m = MV2 blocks of stages 1-2 / 4, d_v = transformer layers / 9, e the MV2 expansion ratio.

The data: MobileViT-XXS, -XS and -S at 256x256, 69.0, 74.8 and 78.4 % top-1 (ImageNet-1k, the
MobileViT paper). All three have the published depths, so only two constants can be learnt with a
residual left to judge the fit: e0 and a_w are fitted. A, b, R0, g, a_m, a_v, g_m, g_v and k are
borrowed from the MobileViTv2 fit; a_e (the expansion ratio, 2 in XXS and 4 in XS and S, so it
cannot be told apart from width on these points) is set by judgment.
"""
import math

import numpy as np
from scipy.optimize import least_squares

# Borrowed from the MobileViTv2 fit (MobileViTv2Calibration.Constants).
A = 84.777802
B = 1.340060
R0 = 303.1228
G = 0.306863
A_M = 0.12
A_V = 0.13
G_M = 0.15
G_V = 0.15
K = 4.0
# Judgment: halving the expansion ratio (4 -> 2) lowers the logit by 0.12 ln 2 = 0.083, about
# one point near 70 %.
A_E = 0.12

S_WIDTHS = (32, 64, 96, 128, 160, 144, 192, 240)
PLANS = {
    "xxs": (16, 24, 48, 64, 80, 64, 80, 96),
    "xs": (32, 48, 64, 80, 96, 96, 120, 144),
    "s": S_WIDTHS,
}
PUBLISHED = [("xxs", 2, 69.0), ("xs", 4, 74.8), ("s", 4, 78.4)]


def relative_width(plan, width=1.0):
    return math.exp(sum(math.log(b * width / s) for b, s in zip(PLANS[plan], S_WIDTHS)) / len(S_WIDTHS))


def accuracy(theta, r, w_eff, d_m=1.0, d_v=1.0, e=4):
    e0, a_w = theta
    R = R0 * w_eff ** G * d_m ** G_M * d_v ** G_V
    s = r / (1.0 + (r / R) ** K) ** (1.0 / K)
    E = e0 + a_w * math.log(w_eff) + A_M * math.log(d_m) + A_V * math.log(d_v) + A_E * math.log(e / 4) \
        + B * math.log(s / 256.0)
    return A / (1.0 + math.exp(-E))


def main():
    def residuals(theta):
        return [accuracy(theta, 256, relative_width(plan), e=e) - y for plan, e, y in PUBLISHED]

    solution = least_squares(residuals, [1.0, 1.0], bounds=([-10.0, 0.05], [10.0, 5.0]))
    e0, a_w = solution.x
    print("fitted: e0=%.6f a_w=%.6f" % (e0, a_w))
    print("borrowed from MobileViTv2: A=%.6f b=%.6f R0=%.4f g=%.6f a_m=%.2f a_v=%.2f g_m=%.2f g_v=%.2f k=%.0f"
          % (A, B, R0, G, A_M, A_V, G_M, G_V, K))
    print("judgment: a_e=%.2f" % A_E)
    print()
    print("| model | w_eff | expansion | published | simulated | error |")
    print("|---|---|---|---|---|---|")
    errors = []
    for plan, e, y in PUBLISHED:
        w_eff = relative_width(plan)
        simulated = accuracy(solution.x, 256, w_eff, e=e)
        errors.append(simulated - y)
        print("| mobilevit-%s | %.6f | %d | %.2f | %.4f | %+.4f |" % (plan, w_eff, e, y, simulated, simulated - y))
    print()
    print("RMSE over the 3 points: %.4f points" % math.sqrt(sum(x * x for x in errors) / len(errors)))
    print()
    print("Off the published points (noise-free):")
    for name, kwargs in [
        ("S r224", dict(r=224, w_eff=1.0)),
        ("S r160", dict(r=160, w_eff=1.0)),
        ("S r384", dict(r=384, w_eff=1.0)),
        ("S expansion 2", dict(r=256, w_eff=1.0, e=2)),
        ("S transformer depths halved (1,2,2)", dict(r=256, w_eff=1.0, d_v=5 / 9)),
        ("S MV2 (1,1)", dict(r=256, w_eff=1.0, d_m=0.5)),
        ("XXS plan at width 0.5", dict(r=256, w_eff=relative_width("xxs", 0.5), e=2)),
        ("S plan at width 2.0", dict(r=256, w_eff=2.0)),
    ]:
        print("  %-40s %6.2f" % (name, accuracy(solution.x, **kwargs)))


if __name__ == "__main__":
    np.set_printoptions(precision=6)
    main()
