#!/usr/bin/env python3
"""Reference counts of MobileViT v1 networks, from timm's models, for gpnav's Swift tests.

Run from the repository root (timm, torch and fvcore installed, e.g. `.venv-ci/bin/python`):

    .venv-ci/bin/python Experiments/mobilevit-v1/reference_counts.py

It writes Tests/MobileViTTests/Fixtures/MobileViTv1Reference.json: for timm's `mobilevit_xxs`,
`mobilevit_xs` and `mobilevit_s` and for 30 random v1 architectures, the architecture's factors
and the counts of the timm model that realises them:

- params: every learnable parameter of the timm model (`numel` summed);
- macs: fvcore's count of convolutions and linear layers (one per weight use; fvcore leaves
  biases out), plus one per output element of every biased convolution or linear layer (forward
  hooks), plus attention's two matrix products, Q K^T and the weighted sum of the values, taken
  from the shape [B', N, d] that each attention module receives at run time: 2 x B' x N^2 x d
  (over all heads; per head it is N^2 x d / heads for each product).
  Normalisation, activations, softmax, resizing and pooling count 0.

The presets are timm's registered models themselves. A random architecture is built as a
ByobNet from a ByoModelCfg spelled the way timm spells its own presets; widths follow the rule
gpnav documents for MobileViT v1 (every width = timm's make_divisible(base x width, 8), the
head's 1x1 conv min(4 x C5, 960)). The script checks that this spelling reproduces the three
registered presets exactly, parameter for parameter and MAC for MAC.
"""

from __future__ import annotations

import json
import pathlib
import random
import sys

import torch
import timm
from timm.layers import make_divisible
from timm.models.byobnet import ByoBlockCfg, ByoModelCfg, ByobNet

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Experiments"))
from reference_counting import FVCORE_VERSION, trace  # noqa: E402
FIXTURE = ROOT / "Tests" / "MobileViTTests" / "Fixtures" / "MobileViTv1Reference.json"

# The base plans of the published models (ml-cvnets' `mobilevit` config, timm's model_cfgs):
# stem, stage 1-5 outputs, transformer dims of stages 3-5, and the MV2 expansion of the preset.
BASES = {
    "xxs": dict(stem=16, stages=(16, 24, 48, 64, 80), dims=(64, 80, 96), expansion=2),
    "xs": dict(stem=16, stages=(32, 48, 64, 80, 96), dims=(96, 120, 144), expansion=4),
    "s": dict(stem=16, stages=(32, 64, 96, 128, 160), dims=(144, 192, 240), expansion=4),
}
PRESETS = {"xxs": "mobilevit_xxs", "xs": "mobilevit_xs", "s": "mobilevit_s"}


def architecture(resolution, base, width, mv2, transformer, expansion, classes, name=None):
    return dict(name=name, resolution=resolution, base=base, width=width, mv2_depths=list(mv2),
                transformer_depths=list(transformer), expansion=expansion, classes=classes)


def model_cfg(a) -> ByoModelCfg:
    base = BASES[a["base"]]
    scale = lambda c: make_divisible(c * a["width"], 8)  # noqa: E731
    stages = [scale(c) for c in base["stages"]]
    dims = [scale(d) for d in base["dims"]]
    e = float(a["expansion"])
    bottle = lambda d, c, s: ByoBlockCfg(type="bottle", d=d, c=c, s=s, gs=1, br=e,  # noqa: E731
                                         block_kwargs=dict(bottle_in=True, linear_out=True))
    blocks = [bottle(a["mv2_depths"][0], stages[0], 1), bottle(a["mv2_depths"][1], stages[1], 2)]
    for c, d, depth in zip(stages[2:], dims, a["transformer_depths"]):
        blocks.append((bottle(1, c, 2), ByoBlockCfg(
            type="mobilevit", d=1, c=c, s=1,
            block_kwargs=dict(transformer_dim=d, transformer_depth=depth, patch_size=2))))
    return ByoModelCfg(blocks=tuple(blocks), stem_chs=scale(base["stem"]), stem_type="3x3", stem_pool="",
                       downsample="", act_layer="silu", num_features=min(4 * stages[4], 960))


def build(a) -> torch.nn.Module:
    return ByobNet(model_cfg(a), num_classes=a["classes"], global_pool="avg")


def count(model: torch.nn.Module, resolution: int) -> dict:
    attention = 0

    def on_attention(_module, inputs, _output):
        nonlocal attention
        batch_sequences, tokens, dim = inputs[0].shape
        attention += 2 * batch_sequences * tokens * tokens * dim

    traced = trace(model, resolution, [(lambda m: type(m).__name__ == "Attention", on_attention)])
    if "matmul" in traced.by_operator or "bmm" in traced.by_operator:
        raise SystemExit("fvcore saw attention as matmul; the attention products would be counted twice")
    return dict(macs=int(traced.weight_macs + traced.bias_macs + attention), params=traced.params,
                conv_linear_macs=traced.weight_macs, bias_macs=traced.bias_macs, attention_macs=int(attention))


def random_architectures(count_: int, seed: int = 14):
    rng = random.Random(seed)
    found = []
    while len(found) < count_:
        a = architecture(
            resolution=2 * rng.randint(32, 224),
            base=rng.choice(sorted(BASES)),
            width=round(rng.uniform(0.25, 2.0), rng.choice((2, 3))),
            mv2=(rng.randint(1, 3), rng.randint(1, 5)),
            transformer=(rng.randint(1, 4), rng.randint(1, 6), rng.randint(1, 5)),
            expansion=rng.choice((2, 4)),
            classes=rng.choice((10, 100, 1000)))
        if a not in found:
            found.append(a)
    return found


def main() -> None:
    torch.manual_seed(0)
    torch.set_num_threads(1)
    cases = []
    for base, timm_name in PRESETS.items():
        b = BASES[base]
        a = architecture(256, base, 1.0, (1, 3), (2, 4, 3), b["expansion"], 1000, name=f"mobilevit-{base}")
        registered = count(timm.create_model(timm_name), 256)
        spelled = count(build(a), 256)
        if registered != spelled:
            raise SystemExit(f"{timm_name}: the ByoModelCfg spelling gives {spelled}, timm's model {registered}")
        cases.append({**a, **registered})
        print(f"{timm_name}: params {registered['params']:,} MACs {registered['macs']:,}", file=sys.stderr)
    randoms = random_architectures(30)
    odd = sum(1 for a in randoms if any(((a["resolution"] + 2 ** s - 1) // 2 ** s) % 2 for s in (3, 4, 5)))
    capped = sum(1 for a in randoms if 4 * make_divisible(BASES[a["base"]]["stages"][4] * a["width"], 8) > 960)
    print(f"random: {odd} with an odd map before attention, {capped} with the head capped at 960", file=sys.stderr)
    for a in randoms:
        cases.append({**a, **count(build(a), a["resolution"])})
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    document = dict(
        generated_by="Experiments/mobilevit-v1/reference_counts.py",
        versions=dict(timm=timm.__version__, torch=torch.__version__.split("+")[0], fvcore=FVCORE_VERSION),
        cases=cases)
    FIXTURE.write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {FIXTURE.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
