"""MobileNetV2 from gpnav's plan is torchvision's `mobilenet_v2`, parameter for parameter.

gpnav writes the config (`gpnav macs --family mobilenetv2 --format json`); `build_model` builds it
from torchvision's blocks. torchvision's own model, at the same width multiplier (or, for other
depths, its `inverted_residual_setting`), must load into it strictly and compute the same logits,
and fvcore's count of the built network must be gpnav's.
"""

from __future__ import annotations

import json
import math
import os
import subprocess

import pytest
import torch
import torchvision
from torchvision.models.mobilenetv2 import MobileNetV2

from conftest import gpnav_binary, gpnav_trial_config, run_module
from gpnav_torch import ConfigError, build_model, load_config
from gpnav_torch.counting import count_macs, count_params

# torchvision's (t, c, n, s).
SETTING = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]]


def mobilenet_config(*flags: str) -> dict:
    binary = gpnav_binary()
    if not os.access(binary, os.X_OK):
        pytest.fail(f"no gpnav binary at {binary}: run 'swift build' first or set GPNAV_BIN")
    completed = subprocess.run([binary, "macs", "--family", "mobilenetv2", *flags, "--format", "json"],
                               capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def same_network(config: dict, reference: torch.nn.Module) -> None:
    model = build_model(config)
    model.load_state_dict(reference.state_dict(), strict=True)
    model.eval()
    reference.eval()
    image = torch.randn(2, 3, config["resolution"], config["resolution"], generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        assert torch.equal(model(image), reference(image))
    assert count_params(model) == config["params"]
    assert count_macs(model, config["resolution"]) == config["macs"]


@pytest.mark.parametrize("width,resolution", [(0.35, 96), (0.5, 160), (1.0, 224), (1.4, 96)])
def test_published_width_is_torchvisions_mobilenet_v2(width, resolution):
    config = mobilenet_config("--width", repr(width), "--resolution", str(resolution), "--classes", "10")
    assert config["family"] == "mobilenetv2" and len(config["depths"]) == 7
    same_network(config, torchvision.models.mobilenet_v2(width_mult=width, num_classes=10))


def test_depth_multiplier_is_torchvisions_inverted_residual_setting():
    config = mobilenet_config("--width", "0.75", "--resolution", "64", "--depth-multiplier", "1.5", "--classes", "3")
    depths = [max(1, math.floor(n * 1.5 + 0.5)) for _, _, n, _ in SETTING]
    assert config["depths"] == depths
    setting = [[t, c, n, s] for (t, c, _, s), n in zip(SETTING, depths)]
    same_network(config, MobileNetV2(num_classes=3, width_mult=0.75, inverted_residual_setting=setting))


def test_config_loads_as_family_mobilenetv2_with_its_depths():
    config = mobilenet_config("--resolution", "96", "--width", "0.5", "--classes", "3")
    trial = load_config(config)
    assert (trial.family, trial.depths, trial.choices) == ("mobilenetv2", (("depths", (1, 2, 3, 4, 3, 3, 1)),), ())
    assert trial.name == "mobilenetv2 r96 w0.5 depths(1,2,3,4,3,3,1)"


def test_depths_disagreeing_with_the_plan_are_refused():
    config = mobilenet_config("--resolution", "96", "--width", "0.5", "--classes", "3")
    with pytest.raises(ConfigError, match=r"channel_plan builds depths \[1, 2, 3, 4, 3, 3, 1\], the config says"):
        load_config(dict(config, depths=[1, 2, 3, 4, 3, 3, 2]))
    plan = json.loads(json.dumps(config["channel_plan"]))
    plan["stages"][1]["inverted_residuals"][0]["hidden"] += 3  # no whole expansion ratio
    with pytest.raises(ConfigError, match="hidden is .*not a whole multiple"):
        load_config(dict(config, channel_plan=plan))


def test_mobilenet_v2_trains_one_epoch_and_reports_its_counts(tiny_data, tmp_path):
    config = gpnav_trial_config(str(tmp_path), "--family", "mobilenetv2", "--resolution", "64", "--width", "0.35",
                                "--depth-multiplier", "0.5", "--classes", "3")
    path = tmp_path / "mnv2-trial.json"
    path.write_text(json.dumps(config))
    completed = run_module("train", "--config", str(path), "--data", tiny_data, "--epochs", "1", "--batch-size", "8",
                           "--workers", "0", "--threads", "1", "--checkpoint", "none", "--device", "cpu")
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert 0 <= report["accuracy"] <= 100 and report["epochs"] == 1
    assert (report["params"], report["macs"]) == (config["params"], config["macs"])
    assert "training mobilenetv2 r64" in completed.stderr
