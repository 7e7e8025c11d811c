"""int8 post-training quantisation: the quantised model is int8 (QDQ), `int8_accuracy` reports the
float accuracy PyTorch gets and the int8 accuracy beside it on a tiny set, and the command's errors."""

from __future__ import annotations

import json

import numpy as np
import onnx
import pytest
import torch

from conftest import gpnav_config
from gpnav_torch import build_model, load_config
from gpnav_torch import quantize as quantize_module
from gpnav_torch.demo_data import write_dataset
from gpnav_torch.image_data import load_split
from gpnav_torch.int8 import QuantizationError, quantize_int8, random_calibration_images
from gpnav_torch.onnx_export import export_onnx
from gpnav_torch.recipe import Recipe


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory):
    directory = str(tmp_path_factory.mktemp("demo"))
    write_dataset(directory, classes=3, per_class=6, size=64, seed=2, val_per_class=4)
    return directory


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A config file and a checkpoint of its network with weights other than the initial ones."""
    document = gpnav_config(96, 0.25, (1, 1), (1, 1, 1), 3)
    directory = tmp_path_factory.mktemp("quantize")
    (directory / "config.json").write_text(json.dumps(document))
    torch.manual_seed(5)
    model = build_model(document).eval()
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(0.1 * torch.randn_like(parameter))
    torch.save({"model": model.state_dict(), "epoch": 2}, directory / "trial.ckpt.pt")
    return str(directory / "config.json"), str(directory / "trial.ckpt.pt"), model


def test_quantised_model_has_int8_weights_and_quantize_dequantize_pairs(trained, tmp_path):
    config, _, model = trained
    float_path, int8_path = str(tmp_path / "m.onnx"), str(tmp_path / "m.int8.onnx")
    export_onnx(model, 96, float_path)
    assert quantize_int8(float_path, int8_path, random_calibration_images(96, count=3)) == 3
    graph = onnx.load(int8_path).graph
    operators = [node.op_type for node in graph.node]
    assert operators.count("QuantizeLinear") > 0 and operators.count("DequantizeLinear") > 0
    conv_weights = [init for init in graph.initializer if init.data_type == onnx.TensorProto.INT8 and len(init.dims) == 4]
    assert conv_weights, "the convolutions' weights are stored as int8"


def test_quantisation_without_calibration_images_is_refused(trained, tmp_path):
    _, _, model = trained
    export_onnx(model, 96, str(tmp_path / "m.onnx"))
    with pytest.raises(QuantizationError, match="no calibration image"):
        quantize_int8(str(tmp_path / "m.onnx"), str(tmp_path / "q.onnx"), [])


def _pytorch_accuracy(model, data, resolution):
    dataset = load_split(data, "val", Recipe.for_family("mobilevitv2").evaluation_transform(resolution))
    images = torch.stack([image for image, _ in dataset])
    labels = torch.tensor([label for _, label in dataset])
    with torch.no_grad():
        return 100.0 * float((model(images).argmax(dim=1) == labels).float().mean())


def test_int8_accuracy_reports_pytorchs_float_accuracy_beside_the_int8_one(trained, tiny_data):
    config, _, model = trained
    result = quantize_module.int8_accuracy(model, load_config(config), tiny_data, calibration_images=5, batch_size=4)
    assert result.val_images == 12 and result.calibration_images == 5
    assert result.accuracy == pytest.approx(_pytorch_accuracy(model, tiny_data, 96))
    for accuracy in (result.accuracy, result.accuracy_int8):
        assert 0 <= accuracy <= 100 and (accuracy * 12 / 100) == pytest.approx(round(accuracy * 12 / 100))
    assert result.accuracy_drop == pytest.approx(result.accuracy - result.accuracy_int8)


def test_command_prints_accuracy_int8_and_the_drop(trained, tiny_data, capsys):
    config, checkpoint, _ = trained
    status = quantize_module.main(["--config", config, "--checkpoint", checkpoint, "--data", tiny_data,
                                   "--calibration-images", "4", "--batch-size", "6"])
    captured = capsys.readouterr()
    assert (status, captured.err) == (0, "")
    report = json.loads(captured.out)
    assert {"accuracy", "accuracy_int8", "accuracy_drop", "calibration_images", "val_images", "quantization",
            "architecture", "macs", "params"} <= set(report)
    assert report["accuracy_drop"] == pytest.approx(report["accuracy"] - report["accuracy_int8"])
    assert report["calibration_images"] == 4 and "MinMax" in report["quantization"]


@pytest.mark.parametrize("case, status, message", [
    ("no-data", 3, "does not exist"),
    ("other-classes", 3, "has 4 classes but the network has 3 outputs"),
    ("no-checkpoint", 2, "checkpoint /nonexistent.pt does not exist"),
    ("zero-calibration", 2, "must be at least 1"),
])
def test_command_errors_are_one_line_with_their_exit_status(trained, tiny_data, tmp_path, capsys, case, status, message):
    config, checkpoint, _ = trained
    data, extra = tiny_data, []
    if case == "no-data":
        data = str(tmp_path / "nothing")
    elif case == "other-classes":
        data = str(tmp_path / "four")
        write_dataset(data, classes=4, per_class=1, size=32, val_per_class=1)
    elif case == "no-checkpoint":
        checkpoint = "/nonexistent.pt"
    else:
        extra = ["--calibration-images", "0"]
    code = quantize_module.main(["--config", config, "--checkpoint", checkpoint, "--data", data, *extra])
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.strip()]
    assert (code, captured.out, len(errors)) == (status, "", 1)
    assert message in errors[0]


def test_random_calibration_images_are_seeded_pixels_in_the_unit_interval():
    first, second = list(random_calibration_images(32, 2, seed=4)), list(random_calibration_images(32, 2, seed=4))
    assert [batch.shape for batch in first] == [(1, 3, 32, 32)] * 2
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    assert all(batch.dtype == np.float32 and 0 <= batch.min() and batch.max() < 1 for batch in first)
