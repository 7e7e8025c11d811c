"""The sizes the trainer checks before allocating: exact parameter counts from the plan, read on
the meta device, against timm's published counts; and bounds that a real network stays within."""

from __future__ import annotations

import pytest
import torch

from gpnav_torch.bounded_json import nesting_depth
from gpnav_torch.checkpoint import checkpoint_bytes_bound, save_checkpoint
from gpnav_torch.config import load_config
from gpnav_torch.model import build_model
from gpnav_torch.resource_guard import ResourceLimits, check_resources, plan_size
from hostile_configs import v1_reference_config


@pytest.mark.parametrize("case", [0, 14, 29], ids=["mobilevit-xxs", "random-14", "random-29"])
def test_plan_size_counts_timms_parameters_without_allocating(case):
    config = v1_reference_config(case)
    size = plan_size(load_config(config), max_blocks=1000)
    assert size.params == config["params"]  # timm's count, in gpnav's fixtures
    # At least the input and the logits; activations grow with the square of the resolution.
    assert size.activations > 3 * config["resolution"] ** 2 + config["classes"]


def test_activations_scale_with_the_square_of_the_resolution():
    config = v1_reference_config(0)
    small = plan_size(load_config(dict(config, resolution=128)), 1000).activations
    large = plan_size(load_config(dict(config, resolution=256)), 1000).activations
    assert 3.5 < large / small < 4.5


def test_limits_are_inclusive_of_the_count_itself():
    config = v1_reference_config(0)
    trial = load_config(config)
    assert check_resources(trial, 8, ResourceLimits(max_params=config["params"])).params == config["params"]


def test_saved_training_state_fits_the_checkpoint_size_bound(tmp_path):
    config = v1_reference_config(14)
    model = build_model(config)
    ema = build_model(config)
    optimizer = torch.optim.AdamW(model.parameters())
    model(torch.randn(2, 3, 64, 64)).sum().backward()
    optimizer.step()
    path = str(tmp_path / "state.pt")
    save_checkpoint(path, {"fingerprint": {"recipe": {"epochs": 1}}, "model": model.state_dict(),
                           "ema": ema.state_dict(), "optimizer": optimizer.state_dict()})
    assert (tmp_path / "state.pt").stat().st_size <= checkpoint_bytes_bound(config["params"])
    assert [p.name for p in tmp_path.iterdir()] == ["state.pt"]  # no temporary file left


@pytest.mark.parametrize("text, depth", [
    ("{}", 1), ('{"a": [1, [2]]}', 3), ('["[[[", "]]]"]', 1), ('["\\"[["]', 1), ("42", 0),
])
def test_nesting_depth_ignores_brackets_inside_strings(text, depth):
    assert nesting_depth(text) == depth
