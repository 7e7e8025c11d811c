#!/usr/bin/env python3
"""Fit gpnav's MobileNetV2 calibration to the 22 published MobileNetV2 results.

Run from the repository root:  python3 Experiments/simulator/fit_mobilenet_v2.py
(numpy and scipy; the output is saved beside this file as fit_mobilenet_v2-output.txt).

The formula is the MobileViTv2 simulator's shape (MobileViTv2Calibration.swift, fit.py), with
MobileNetV2's factors and its own base resolution, 224:

    C    = w^a_w * d^a_d
    R    = R0 * w^g * d^g_d
    s(r) = r / (1 + (r / R)^k)^(1/k)
    E    = e0 + ln C + b * ln(s(r) / 224)
    acc  = A / (1 + exp(-E))

w: the width multiplier; d: inverted-residual blocks over the published 17.

The data: ImageNet-1k top-1 of the 22 MobileNetV2 checkpoints of TensorFlow's model zoo
(tensorflow/models, research/slim/nets/mobilenet/README.md; the same table is in the Keras
`tf.keras.applications.mobilenet_v2` documentation): widths 0.35, 0.5, 0.75 and 1.0 at 96, 128,
160, 192 and 224 pixels, and 1.3 and 1.4 at 224 (Sandler et al., 2018). Six constants are
fitted by least squares: A, e0, a_w, b, R0 and g. The published models never vary depth, so the
depth constants are set by judgment as MobileViTv2's MV2 depth: a_d = 0.12, g_d = 0.15; k = 4.
"""
import math

import numpy as np
from scipy.optimize import least_squares

A_D = 0.12
G_D = 0.15
K = 4.0

# (width, resolution, top-1 %), TensorFlow model zoo.
PUBLISHED = [
    (1.4, 224, 75.0), (1.3, 224, 74.4),
    (1.0, 224, 71.8), (1.0, 192, 70.7), (1.0, 160, 68.8), (1.0, 128, 65.3), (1.0, 96, 60.3),
    (0.75, 224, 69.8), (0.75, 192, 68.7), (0.75, 160, 66.4), (0.75, 128, 63.2), (0.75, 96, 58.8),
    (0.5, 224, 65.4), (0.5, 192, 63.9), (0.5, 160, 61.0), (0.5, 128, 57.7), (0.5, 96, 51.2),
    (0.35, 224, 60.3), (0.35, 192, 58.2), (0.35, 160, 55.7), (0.35, 128, 50.8), (0.35, 96, 45.5),
]


def accuracy(theta, r, w, d=1.0):
    A, e0, a_w, b, R0, g = theta
    R = R0 * w ** g * d ** G_D
    s = r / (1.0 + (r / R) ** K) ** (1.0 / K)
    E = e0 + a_w * math.log(w) + A_D * math.log(d) + b * math.log(s / 224)
    return A / (1.0 + math.exp(-E))


def main():
    def residuals(theta):
        return [accuracy(theta, r, w) - top1 for w, r, top1 in PUBLISHED]

    start = [80.0, 1.5, 0.8, 1.0, 300.0, 0.3]
    bounds = ([75.0, -5, 0.1, 0.1, 100.0, 0.0], [99.0, 10, 3.0, 5.0, 2000.0, 2.0])
    fit = least_squares(residuals, start, bounds=bounds)
    names = ["A", "e0", "a_w", "b", "R0", "g"]
    print("Fitted constants: " + ", ".join(f"{n} = {v:.6f}" for n, v in zip(names, fit.x)))
    errors = np.array(residuals(fit.x))
    print(f"RMSE {math.sqrt(float(np.mean(errors ** 2))):.3f} points, largest |error| {float(np.max(np.abs(errors))):.2f}")
    print()
    print("| width | resolution | published | simulated | error |")
    print("|---|---|---|---|---|")
    for (w, r, top1), e in zip(PUBLISHED, errors):
        print(f"| {w:.2f} | {r} | {top1:.1f} | {top1 + e:.2f} | {e:+.2f} |")
    print()
    print("Off the published points (judgment checks):")
    for w, r, d in [(0.25, 224, 1.0), (1.0, 320, 1.0), (2.0, 224, 1.0), (1.0, 224, 0.5), (1.0, 224, 2.0)]:
        print(f"  width {w}, {r} px, depth x{d}: {accuracy(fit.x, r, w, d):.2f} %")


if __name__ == "__main__":
    main()
