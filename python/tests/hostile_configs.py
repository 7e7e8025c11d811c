"""Valid and hostile trial configs for tests that must not need the gpnav binary.

`v1_reference_config(i)` is the `{config}` document of case `i` of gpnav's MobileViT v1 fixtures:
gpnav's channel plan (`fixtures/mobilevit_v1_plans.json`) with timm's exact counts
(`Tests/MobileViTTests/Fixtures/MobileViTv1Reference.json`). The hostile variants change one
thing of it to a size no machine can train.
"""

from __future__ import annotations

import copy
import json
import os

from conftest import REPOSITORY

_PLANS = os.path.join(REPOSITORY, "python", "tests", "fixtures", "mobilevit_v1_plans.json")
_REFERENCE = os.path.join(REPOSITORY, "Tests", "MobileViTTests", "Fixtures", "MobileViTv1Reference.json")


def v1_reference_config(index: int = 0) -> dict:
    with open(_PLANS, encoding="utf-8") as handle:
        plan = json.load(handle)[index]["plan"]
    with open(_REFERENCE, encoding="utf-8") as handle:
        case = json.load(handle)["cases"][index]
    return {"family": "mobilevit", "resolution": case["resolution"], "width": case["width"],
            "mv2_depths": case["mv2_depths"], "vit_depths": case["transformer_depths"], "classes": case["classes"],
            "macs": case["macs"], "params": case["params"], "channel_plan": plan, "base_plan": case["base"],
            "expansion": case["expansion"]}


def with_classes(config: dict, classes: int) -> dict:
    hostile = copy.deepcopy(config)
    hostile["classes"] = hostile["channel_plan"]["classifier"]["classes"] = classes
    return hostile


def with_layers(config: dict, layers: int) -> dict:
    """One attention block with `layers` layers: a few bytes of JSON, a million modules to build."""
    hostile = copy.deepcopy(config)
    hostile["channel_plan"]["stages"][2]["mobilevit"]["layers"] = layers
    hostile["vit_depths"] = [layers] + hostile["vit_depths"][1:]
    return hostile


def with_last_stage_channels(config: dict, channels: int) -> dict:
    """The last stage `channels` wide: its block's output, its MobileViT block and the head's input."""
    hostile = copy.deepcopy(config)
    plan = hostile["channel_plan"]
    plan["stages"][4]["inverted_residuals"][-1]["out"] = channels
    plan["stages"][4]["mobilevit"]["channels"] = channels
    plan["head"]["in"] = channels
    return hostile


def with_resolution(config: dict, resolution: int) -> dict:
    return dict(copy.deepcopy(config), resolution=resolution)
