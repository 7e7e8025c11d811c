"""Pretrained starts: timm's own weights load into gpnav's published networks, nothing else does.

No network here: each test saves the state dict of timm's own model (`timm.create_model`, seeded
random weights) to a local file, or lays it out as the Hugging Face cache does, and checks that
gpnav's network then holds exactly timm's tensors and computes exactly timm's logits.
"""

from __future__ import annotations

import json

import pytest
import timm
import torch
from safetensors.torch import save_file

from conftest import gpnav_trial_config, run_module
from gpnav_torch import PretrainedError, build_model
from gpnav_torch.pretrained import PretrainedNotCachedError
from gpnav_torch.weights import WeightsError, load_weights, weights_bytes_bound

# The smallest published model of each family that timm's layout fits.
PUBLISHED = [("mobilevitv2-0.5", "mobilevitv2_050"), ("mobilevit-xxs", "mobilevit_xxs")]


def _timm_model(name: str, classes: int = 1000):
    torch.manual_seed(7)
    return timm.create_model(name, num_classes=classes).eval()


def _config(tmp_path, model: str, *extra: str) -> dict:
    return gpnav_trial_config(str(tmp_path), "--model", model, *extra)


@pytest.mark.parametrize("preset, timm_name", PUBLISHED)
def test_a_published_model_starts_from_timms_weights_and_computes_timms_logits(tmp_path, preset, timm_name):
    reference = _timm_model(timm_name)
    path = str(tmp_path / "weights.safetensors")
    save_file({key: value.contiguous() for key, value in reference.state_dict().items()}, path)
    model = build_model(_config(tmp_path, preset), pretrained="timm", pretrained_file=path).eval()
    expected = reference.state_dict()
    assert model.state_dict().keys() == expected.keys()
    assert all(torch.equal(value, expected[key]) for key, value in model.state_dict().items())
    images = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert torch.equal(model(images), reference(images))


def test_another_class_count_keeps_its_own_classifier_and_takes_everything_else(tmp_path):
    reference = _timm_model("mobilevitv2_050")
    path = str(tmp_path / "pytorch_model.bin")
    torch.save(reference.state_dict(), path)
    model = build_model(_config(tmp_path, "mobilevitv2-0.5", "--classes", "10"), pretrained="timm", pretrained_file=path)
    state, expected = model.state_dict(), reference.state_dict()
    assert state["head.fc.weight"].shape == (10, expected["head.fc.weight"].shape[1])
    assert all(torch.equal(value, expected[key]) for key, value in state.items() if not key.startswith("head.fc."))


def test_the_hugging_face_cache_is_read_without_the_network(tmp_path, monkeypatch):
    import huggingface_hub.constants

    reference = _timm_model("mobilevitv2_050")
    snapshot = tmp_path / "hub" / "models--timm--mobilevitv2_050.cvnets_in1k" / "snapshots" / "0123abcd"
    snapshot.mkdir(parents=True)
    (snapshot.parent.parent / "refs").mkdir()
    (snapshot.parent.parent / "refs" / "main").write_text("0123abcd")
    save_file({key: value.contiguous() for key, value in reference.state_dict().items()}, str(snapshot / "model.safetensors"))
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model = build_model(_config(tmp_path, "mobilevitv2-0.5"), pretrained="timm")
    assert torch.equal(model.state_dict()["stem.conv.weight"], reference.state_dict()["stem.conv.weight"])

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "empty"))
    with pytest.raises(PretrainedNotCachedError, match=r"mobilevitv2_050 are not in the local Hugging Face cache"):
        build_model(_config(tmp_path, "mobilevitv2-0.5"), pretrained="timm")


def test_searched_widths_and_depths_have_no_pretrained_weights(tmp_path):
    searched = gpnav_trial_config(str(tmp_path), "--resolution", "128", "--width", "0.625", "--mv2-depths", "1,2",
                                  "--vit-depths", "2,4,3")
    with pytest.raises(PretrainedError, match=r"searched widths and depths have no pretrained weights"):
        build_model(searched, pretrained="timm")
    (tmp_path / "mobilenet").mkdir()
    mobilenet = gpnav_trial_config(str(tmp_path / "mobilenet"), "--family", "mobilenetv2")
    with pytest.raises(PretrainedError, match=r"no pretrained weights in the layout"):
        build_model(mobilenet, pretrained="timm")


def test_weights_of_another_published_model_are_refused_not_loaded_in_part(tmp_path):
    path = str(tmp_path / "other.bin")
    torch.save(_timm_model("mobilevitv2_075").state_dict(), path)
    with pytest.raises(PretrainedError, match=r"mobilevitv2_050: checkpoint .* is not of this architecture: tensors"):
        build_model(_config(tmp_path, "mobilevitv2-0.5"), pretrained="timm", pretrained_file=path)


def test_load_weights_refuses_a_file_over_its_size_bound_before_reading_it(tmp_path):
    model = build_model(_config(tmp_path, "mobilevitv2-0.5"))
    path = tmp_path / "huge.pt"
    with open(path, "wb") as handle:
        handle.truncate(weights_bytes_bound(model) + 1)  # sparse: nothing is written
    with pytest.raises(WeightsError, match=r"huge.pt is \d+ bytes, over the limit of \d+"):
        load_weights(model, path)
    torch.save(model.state_dict(), tmp_path / "fits.pt")
    load_weights(model, tmp_path / "fits.pt")
    with pytest.raises(WeightsError, match=r"over the limit of 1000"):
        load_weights(model, tmp_path / "fits.pt", max_bytes=1000)


def test_train_with_pretrained_timm_on_a_searched_network_is_one_line_and_exit_2(tiny_config, tiny_data):
    path, _ = tiny_config
    completed = run_module("train", "--config", path, "--data", tiny_data, "--pretrained", "timm", "--epochs", "1")
    assert completed.returncode == 2, completed.stderr
    lines = [line for line in completed.stderr.splitlines() if line.startswith("gpnav_torch.train: error:")]
    assert len(lines) == 1 and "no pretrained weights" in lines[0], completed.stderr
    assert "Traceback" not in completed.stderr


def test_train_starts_a_published_network_from_the_given_file(tmp_path, tiny_data):
    config = _config(tmp_path, "mobilevitv2-0.5", "--resolution", "64", "--classes", "3")
    config_path = tmp_path / "published.json"
    config_path.write_text(json.dumps(config))
    weights = str(tmp_path / "timm.safetensors")
    save_file({key: value.contiguous() for key, value in _timm_model("mobilevitv2_050").state_dict().items()}, weights)
    completed = run_module("train", "--config", str(config_path), "--data", tiny_data, "--pretrained", "timm",
                           "--pretrained-file", weights, "--epochs", "1", "--batch-size", "8", "--workers", "0",
                           "--threads", "1")
    assert completed.returncode == 0, completed.stderr
    assert '"accuracy"' in completed.stdout.splitlines()[-1]
    missing = run_module("train", "--config", str(config_path), "--data", tiny_data, "--pretrained", "timm",
                         "--pretrained-file", str(tmp_path / "absent.bin"), "--epochs", "1", "--checkpoint", "none",
                         "--weights", "none")
    assert missing.returncode == 2 and "absent.bin does not exist" in missing.stderr, missing.stderr
