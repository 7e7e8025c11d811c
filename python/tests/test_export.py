"""ONNX export: the exported model's logits are PyTorch's (both families, two resolutions, a
dynamic batch, trained weights), and bad inputs are one line and exit 2 (1 over tolerance)."""

from __future__ import annotations

import json
import os

import numpy as np
import onnx
import onnxruntime
import pytest
import torch

from conftest import gpnav_config, gpnav_trial_config, run_module
from gpnav_torch import build_model
from gpnav_torch import export as export_module

# (name, how to get its gpnav config): each family at two resolutions, small networks.
ARCHITECTURES = {
    "v2-r96": lambda tmp: gpnav_config(96, 0.25, (1, 1), (1, 1, 1), 3),
    "v2-r160": lambda tmp: gpnav_config(160, 0.5, (1, 2), (1, 2, 1), 5),
    "v1-r96": lambda tmp: gpnav_trial_config(tmp, "--family", "mobilevit", "--resolution", "96", "--width", "0.5",
                                             "--mv2-depths", "1,1", "--vit-depths", "1,2,1", "--classes", "3"),
    "v1-r128": lambda tmp: gpnav_trial_config(tmp, "--family", "mobilevit", "--resolution", "128", "--width", "0.5",
                                              "--mv2-depths", "1,1", "--vit-depths", "1,1,1", "--classes", "4"),
}


@pytest.fixture(scope="module")
def configs(tmp_path_factory):
    """Each architecture's config file, written once."""
    paths = {}
    for name, make in ARCHITECTURES.items():
        directory = tmp_path_factory.mktemp(name)
        path = directory / "config.json"
        path.write_text(json.dumps(make(str(directory))))
        paths[name] = str(path)
    return paths


def _export(capsys, *arguments):
    status = export_module.main(list(arguments))
    captured = capsys.readouterr()
    return status, captured.out, [line for line in captured.err.splitlines() if line.strip()]


def _trained_like_weights(config_path, seed):
    """A network of the config with weights other than its initial ones, saved as gpnav_torch.train
    saves them (under 'model', beside other state)."""
    torch.manual_seed(seed)
    model = build_model(config_path).eval()
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(0.05 * torch.randn_like(parameter))
    return model


def _onnx_logits(path, images):
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: images.numpy()})[0]


@pytest.mark.parametrize("name", list(ARCHITECTURES))
def test_exported_model_gives_pytorchs_logits_at_two_batch_sizes(configs, name, tmp_path, capsys):
    config = configs[name]
    model = _trained_like_weights(config, seed=3)
    checkpoint = tmp_path / "weights.ckpt.pt"
    torch.save({"model": model.state_dict(), "epoch": 1, "fingerprint": {"architecture": name}}, checkpoint)
    onnx_path = str(tmp_path / "model.onnx")
    status, out, errors = _export(capsys, "--config", config, "--checkpoint", str(checkpoint), "--onnx", onnx_path,
                                  "--dynamic-batch")
    assert (status, errors) == (0, [])
    report = json.loads(out)
    assert report["passed"] and report["max_abs_diff"] <= report["limit"]
    assert report["opset"] == 17 and report["checked_batches"] == [1, 3]
    resolution = json.load(open(config))["resolution"]
    # The reference: PyTorch's own forward pass of the checkpoint's weights, and ONNX Runtime run here.
    for batch in (2, 5):
        images = torch.rand(batch, 3, resolution, resolution, generator=torch.Generator().manual_seed(batch))
        with torch.no_grad():
            expected = model(images).numpy()
        np.testing.assert_allclose(_onnx_logits(onnx_path, images), expected, rtol=0, atol=1e-4)


def test_export_without_checkpoint_has_the_configs_input_and_output_shapes(configs, tmp_path, capsys):
    onnx_path = str(tmp_path / "model.onnx")
    status, out, errors = _export(capsys, "--config", configs["v2-r160"], "--onnx", onnx_path, "--opset", "13")
    assert (status, errors) == (0, [])
    model = onnx.load(onnx_path)
    onnx.checker.check_model(model)
    shape = lambda value: [d.dim_value or d.dim_param for d in value.type.tensor_type.shape.dim]  # noqa: E731
    assert shape(model.graph.input[0]) == [1, 3, 160, 160]
    assert shape(model.graph.output[0]) == [1, 5]
    assert json.loads(out)["opset"] == 13


def test_logits_over_the_tolerance_fail_with_exit_1_and_no_file(configs, tmp_path, capsys):
    onnx_path = str(tmp_path / "model.onnx")
    status, out, _ = _export(capsys, "--config", configs["v2-r96"], "--onnx", onnx_path)
    difference = json.loads(out)["max_abs_diff"]
    scale = max(1.0, json.loads(out)["max_abs_logit"])
    if difference == 0:
        pytest.skip("ONNX Runtime and PyTorch agree exactly here; no tolerance can be under their difference")
    status, out, errors = _export(capsys, "--config", configs["v2-r96"], "--onnx", onnx_path,
                                  "--tolerance", repr(difference / scale / 2))
    assert status == 1 and len(errors) == 1
    assert "differ from PyTorch's by up to" in errors[0] and "removed" in errors[0]
    assert json.loads(out)["passed"] is False
    assert not os.path.exists(onnx_path)


def test_checkpoint_of_another_architecture_is_refused_with_exit_2(configs, tmp_path, capsys):
    checkpoint = tmp_path / "other.pt"
    torch.save(build_model(configs["v2-r160"]).state_dict(), checkpoint)
    status, out, errors = _export(capsys, "--config", configs["v2-r96"], "--checkpoint", str(checkpoint),
                                  "--onnx", str(tmp_path / "m.onnx"))
    assert (status, out, len(errors)) == (2, "", 1)
    assert "is not of this architecture" in errors[0]


class _NotAWeight:
    """Pickled by torch.save; weights-only loading must refuse to build it."""


def test_checkpoint_holding_more_than_weights_is_refused_unloaded_with_exit_2(configs, tmp_path, capsys):
    checkpoint = tmp_path / "code.pt"
    torch.save({"model": build_model(configs["v2-r96"]).state_dict(), "extra": _NotAWeight()}, checkpoint)
    status, _, errors = _export(capsys, "--config", configs["v2-r96"], "--checkpoint", str(checkpoint),
                                "--onnx", str(tmp_path / "m.onnx"))
    assert status == 2 and len(errors) == 1 and "holds more than weights" in errors[0]


@pytest.mark.parametrize("arguments, message", [
    (("--opset", "99"), "opset 99 is not one this exporter writes"),
    (("--opset", "9"), "opset 9 is not one this exporter writes"),
    (("--batch", "0"), "--batch and --threads must be at least 1"),
    (("--tolerance", "-1"), "tolerance must be a positive number"),
    (("--checkpoint", "/nonexistent.pt"), "checkpoint /nonexistent.pt does not exist"),
], ids=["opset-too-new", "opset-too-old", "batch-0", "negative-tolerance", "missing-checkpoint"])
def test_bad_arguments_are_one_line_and_exit_2(configs, tmp_path, capsys, arguments, message):
    status, out, errors = _export(capsys, "--config", configs["v2-r96"], "--onnx", str(tmp_path / "m.onnx"),
                                  *arguments)
    assert (status, out, len(errors)) == (2, "", 1)
    assert message in errors[0]


def test_bad_config_is_one_line_and_exit_2_from_the_command(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"resolution": 96')
    completed = run_module("export", "--config", str(broken), "--onnx", str(tmp_path / "m.onnx"))
    assert completed.returncode == 2 and completed.stdout == ""
    assert completed.stderr.strip().count("\n") == 0 and "is not JSON" in completed.stderr


def test_output_in_a_missing_directory_is_one_line_and_exit_2(configs, tmp_path, capsys):
    status, out, errors = _export(capsys, "--config", configs["v2-r96"], "--onnx", str(tmp_path / "missing" / "m.onnx"))
    assert (status, out, len(errors)) == (2, "", 1)
    assert "does not exist" in errors[0]
