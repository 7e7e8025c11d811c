"""build_mobilevit_v1 against timm: gpnav's v1 plans built here have timm's counts exactly.

`fixtures/mobilevit_v1_plans.json` holds gpnav's channel plan (`MobileViTv1CostModel.plan`) of
every network in `Tests/MobileViTTests/Fixtures/MobileViTv1Reference.json`, the counts of timm's
models for the three published v1 models and 30 random v1 networks (a Swift test keeps the two
files in step). Each plan is built here and counted again.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache

import pytest
import timm
import torch

from conftest import REPOSITORY, repository_file
from gpnav_torch import ConfigError
from gpnav_torch.families.mobilevit_v1 import build_mobilevit_v1
from gpnav_torch.counting import count_macs, count_params

PLANS = os.path.join(REPOSITORY, "python", "tests", "fixtures", "mobilevit_v1_plans.json")
REFERENCE = repository_file("Tests", "MobileViTTests", "Fixtures", "MobileViTv1Reference.json")
FACTORS = ("resolution", "width", "mv2_depths", "transformer_depths", "expansion", "classes")


def _load():
    with open(PLANS, encoding="utf-8") as handle:
        plans = json.load(handle)
    with open(REFERENCE, encoding="utf-8") as handle:
        reference = json.load(handle)["cases"]
    return list(zip(plans, reference))


CASES = _load()


def _name(case) -> str:
    planned, reference = case
    if reference["name"]:
        return reference["name"]
    n = planned["network"]
    return (f"r{n['resolution']}-{n['base_plan']}-w{n['width']:g}-mv2{''.join(map(str, n['mv2_depths']))}"
            f"-vit{''.join(map(str, n['transformer_depths']))}-e{n['expansion']}-k{n['classes']}")


@lru_cache(maxsize=1)
def _model(index: int):
    torch.manual_seed(0)
    return build_mobilevit_v1(CASES[index][0]["plan"])


def test_plans_are_for_the_reference_networks():
    assert len(CASES) == 33
    for planned, reference in CASES:
        network = planned["network"]
        assert network["base_plan"] == reference["base"]
        assert {key: network[key] for key in FACTORS} == {key: reference[key] for key in FACTORS}


@pytest.mark.parametrize("name, timm_name", [("mobilevit-xxs", "mobilevit_xxs"), ("mobilevit-xs", "mobilevit_xs"),
                                             ("mobilevit-s", "mobilevit_s")])
def test_published_plans_have_timms_parameter_count(name, timm_name):
    index = next(i for i, (_, reference) in enumerate(CASES) if reference["name"] == name)
    assert count_params(_model(index)) == count_params(timm.create_model(timm_name))


@pytest.mark.parametrize("index", range(len(CASES)), ids=[_name(case) for case in CASES])
def test_built_network_has_timms_params_and_macs_and_maps_to_classes(index):
    planned, reference = CASES[index]
    model = _model(index)
    assert count_params(model) == reference["params"]
    assert count_macs(model, reference["resolution"]) == reference["macs"]
    model.eval()
    with torch.no_grad():
        # The shape check needs no full-size input; 64 px keeps the run short.
        logits = model(torch.randn(2, 3, 64, 64))
    assert logits.shape == (2, planned["network"]["classes"])


def test_plan_whose_layers_disagree_is_refused():
    plan = json.loads(json.dumps(CASES[0][0]["plan"]))
    plan["stages"][2]["mobilevit"]["channels"] += 8
    with pytest.raises(ConfigError, match=r"stages\[2\]\.mobilevit\.channels"):
        build_mobilevit_v1(plan)


def test_transformer_dim_that_does_not_split_into_heads_is_refused():
    plan = json.loads(json.dumps(CASES[0][0]["plan"]))
    plan["stages"][3]["mobilevit"]["heads"] = 3
    with pytest.raises(ConfigError, match="does not split into 3 heads"):
        build_mobilevit_v1({"channel_plan": plan})
