#!/usr/bin/env python3
"""Reference counts of MobileNetV2 networks, from torchvision's model, for gpnav's Swift tests.

Run from the repository root (torch, torchvision and fvcore installed, e.g. `.venv-ci/bin/python`):

    .venv-ci/bin/python Experiments/mobilenet-v2/reference_counts.py

It writes Tests/MobileViTTests/Fixtures/MobileNetV2Reference.json: for torchvision's
`mobilenet_v2(width_mult=w)` at 6 widths (the published 0.35, 0.5, 0.75, 1.0, 1.3 and 1.4) x 3
resolutions (96, 160, 224), and for 12 random networks (other depths, widths, resolutions and
class counts, built with torchvision's own `MobileNetV2(inverted_residual_setting=...)`):

- params: every learnable parameter of the torchvision model (`numel` summed);
- macs: fvcore's count of convolutions and linear layers (one per weight use; fvcore leaves
  biases out), plus one per output element of every biased convolution or linear layer (forward
  hooks; in MobileNetV2 only the classifier has a bias). Normalisation, activations, residual
  adds and pooling count 0: the published convention (300 M MACs for width 1.0 at 224);
- full_macs: macs plus fvcore's count of global average pooling (one per input element), plus one
  per output element of every batch normalisation (its inference-time scale and shift; fvcore
  itself counts two) and of every residual add (forward hooks on the blocks torchvision gives a
  shortcut): gpnav's `full` convention.

A random network's per-stage block counts are the published ones scaled by a depth multiplier D,
max(1, round(n x D)) with halves rounded away from zero, as gpnav scales them.
"""

from __future__ import annotations

import json
import math
import pathlib
import random
import sys

import torch
import torchvision
from torchvision.models.mobilenetv2 import InvertedResidual, MobileNetV2

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Experiments"))
from reference_counting import FVCORE_VERSION, trace  # noqa: E402
FIXTURE = ROOT / "Tests" / "MobileViTTests" / "Fixtures" / "MobileNetV2Reference.json"

# torchvision's (and the paper's Table 2) stages: expansion t, channels c, blocks n, stride s.
SETTING = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]]
WIDTHS = [0.35, 0.5, 0.75, 1.0, 1.3, 1.4]
RESOLUTIONS = [96, 160, 224]


def scaled(depth_multiplier: float) -> list[int]:
    # Halves away from zero, as Swift's rounded() does (Python's round() rounds halves to even).
    return [max(1, math.floor(n * depth_multiplier + 0.5)) for _, _, n, _ in SETTING]


def build(width: float, depths: list[int], classes: int) -> torch.nn.Module:
    setting = [[t, c, n, s] for (t, c, _, s), n in zip(SETTING, depths)]
    return MobileNetV2(num_classes=classes, width_mult=width, inverted_residual_setting=setting)


def count(model: torch.nn.Module, resolution: int) -> dict:
    residual = 0
    normalised = 0

    def on_block(module, _inputs, output):
        nonlocal residual
        if module.use_res_connect:
            residual += output.numel()

    def on_norm(_module, _inputs, output):
        nonlocal normalised
        normalised += output.numel()

    traced = trace(model, resolution, [(lambda m: isinstance(m, InvertedResidual), on_block),
                                       (lambda m: isinstance(m, torch.nn.BatchNorm2d), on_norm)])
    known = {"conv", "linear", "addmm", "batch_norm", "adaptive_avg_pool2d"}
    if set(traced.by_operator) - known:
        raise SystemExit(f"fvcore counted operators this script does not sort: {sorted(set(traced.by_operator) - known)}")
    macs = traced.weight_macs + traced.bias_macs
    elementwise = normalised + traced.by_operator.get("adaptive_avg_pool2d", 0)
    return dict(macs=int(macs), params=traced.params, full_macs=int(macs + elementwise + residual))


def case(resolution: int, width: float, depth_multiplier: float, classes: int, name: str | None) -> dict:
    depths = scaled(depth_multiplier)
    model = torchvision.models.mobilenet_v2(width_mult=width, num_classes=classes) if name else build(width, depths, classes)
    return dict(name=name, resolution=resolution, width=width, depths=depths, classes=classes, **count(model, resolution))


def main() -> None:
    torch.manual_seed(0)
    torch.set_num_threads(1)
    cases = [case(r, w, 1.0, 1000, f"torchvision mobilenet_v2(width_mult={w})") for w in WIDTHS for r in RESOLUTIONS]
    rng = random.Random(20)
    for _ in range(12):
        cases.append(case(2 * rng.randint(16, 200), round(rng.uniform(0.2, 2.5), rng.choice((2, 3))),
                          rng.choice((0.5, 0.75, 1.25, 1.5, 2.0)), rng.choice((10, 100, 1000)), None))
    reference = next(c for c in cases if c["name"] and c["width"] == 1.0 and c["resolution"] == 224)
    print(f"mobilenet_v2 1.0 @ 224: params {reference['params']:,} MACs {reference['macs']:,}", file=sys.stderr)
    document = dict(
        generated_by="Experiments/mobilenet-v2/reference_counts.py",
        versions=dict(torchvision=torchvision.__version__.split("+")[0], torch=torch.__version__.split("+")[0],
                      fvcore=FVCORE_VERSION),
        cases=cases)
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {FIXTURE.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
