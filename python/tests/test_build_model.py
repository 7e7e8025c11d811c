"""build_model against gpnav's own counts, for random architectures of gpnav's default space."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import pytest
import torch
from timm.layers import make_divisible
from timm.models import mobilevit as timm_mobilevit

from conftest import gpnav_config
from gpnav_torch import build_model
from gpnav_torch.counting import count_macs, count_params

# gpnav's default search space (README, "The space"): resolutions 96-384 step 16, widths 0.25-2
# step 0.0625, and stage depth max(1, round(base x multiplier)) on bases (1, 2) and (2, 4, 3).
RESOLUTIONS = list(range(96, 385, 16))
WIDTHS = [0.25 + 0.0625 * k for k in range(29)]
MV2_MULTIPLIERS = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
VIT_MULTIPLIERS = [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0]


def _depths(bases, multiplier):
    return tuple(max(1, int(Decimal(base * multiplier).quantize(Decimal(1), rounding=ROUND_HALF_UP))) for base in bases)


def _sample(count: int, seed: int = 13):
    rng = random.Random(seed)
    architectures = []
    while len(architectures) < count:
        architecture = (rng.choice(RESOLUTIONS), rng.choice(WIDTHS),
                        _depths((1, 2), rng.choice(MV2_MULTIPLIERS)), _depths((2, 4, 3), rng.choice(VIT_MULTIPLIERS)),
                        rng.choice((10, 100, 1000)))
        if architecture not in architectures:
            architectures.append(architecture)
    return architectures


# Besides the random ones: odd maps before the attention stages (112 -> 7 at stage 4, 96 -> 3 at
# stage 5) at widths whose ml-cvnets widths timm's own mobilevitv2 configs would miss, and the
# published MobileViTv2-1.0.
ARCHITECTURES = _sample(42) + [
    (112, 0.3125, (1, 1), (1, 1, 1), 10),
    (96, 0.5625, (2, 3), (1, 2, 2), 10),
    (256, 1.0, (1, 2), (2, 4, 3), 1000),
]


def _name(architecture) -> str:
    r, w, mv2, vit, classes = architecture
    return f"r{r}-w{w:g}-mv2{''.join(map(str, mv2))}-vit{''.join(map(str, vit))}-k{classes}"


@lru_cache(maxsize=None)
def _config(architecture) -> dict:
    return gpnav_config(*architecture)


@lru_cache(maxsize=1)
def _model(architecture):
    torch.manual_seed(0)
    return build_model(_config(architecture))


def _timm_stock_widths(width: float):
    """The widths timm's own `mobilevitv2_*` configuration gives at this multiplier."""
    cfg = timm_mobilevit._mobilevitv2_cfg(multiplier=width)
    return [int(round(cfg.stem_chs))] + [make_divisible(stage[0].c if isinstance(stage, tuple) else stage.c)
                                         for stage in cfg.blocks]


def _plan_widths(config: dict):
    plan = config["channel_plan"]
    return [plan["stem"]] + [stage["inverted_residuals"][-1]["out"] for stage in plan["stages"]]


def test_sample_covers_odd_maps_and_widths_where_timm_rounds_differently():
    odd_maps = [a for a in ARCHITECTURES if (a[0] // 16) % 2 == 1 or (a[0] // 32) % 2 == 1]
    timm_differs = [a for a in ARCHITECTURES if _timm_stock_widths(a[1]) != _plan_widths(_config(a))]
    assert len(ARCHITECTURES) >= 40
    assert len(odd_maps) >= 10, [_name(a) for a in odd_maps]
    assert len(timm_differs) >= 10, [_name(a) for a in timm_differs]


@pytest.mark.parametrize("architecture", ARCHITECTURES, ids=_name)
def test_built_model_matches_gpnav_params_and_macs_and_maps_to_classes(architecture):
    config = _config(architecture)
    model = _model(architecture)
    assert count_params(model) == config["params"]
    # fvcore traces at the architecture's true resolution.
    assert count_macs(model, config["resolution"]) == config["macs"]
    model.eval()
    with torch.no_grad():
        # The shape check needs no full-size input; 64 px keeps the run short.
        logits = model(torch.randn(2, 3, 64, 64))
    assert logits.shape == (2, config["classes"])
