"""The training command end to end: one epoch on a tiny demo set, resuming, and bad inputs."""

from __future__ import annotations

import json
import os

import pytest
import torch

from conftest import gpnav_config, gpnav_trial_config, run_module
from gpnav_torch import train as train_module


_FAST = ("--epochs", "1", "--batch-size", "8", "--workers", "0", "--threads", "1", "--device", "cpu")


def _train(config_path, data, *extra):
    """The training command as gpnav runs it: a child process."""
    return run_module("train", "--config", config_path, "--data", data, *_FAST, *extra)


class _Run:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def train_here(capsys):
    """The same command's main() in this process: no second import of torch for each bad input."""
    def run(config_path, data, *extra):
        status = train_module.main(["--config", config_path, "--data", data, *_FAST, *extra])
        captured = capsys.readouterr()
        return _Run(status, captured.out, captured.err)
    return run


def _error_lines(completed):
    return [line for line in completed.stderr.splitlines() if line.strip()]


def test_one_epoch_prints_json_line_with_accuracy_top5_epochs_seconds_params_macs(tiny_config, tiny_data, tmp_path):
    path, config = tiny_config
    completed = _train(path, tiny_data, "--checkpoint", str(tmp_path / "run.ckpt.pt"))
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert 0 <= report["accuracy"] <= 100 and 0 <= report["top5"] <= 100
    assert report["top5"] >= report["accuracy"]
    assert report["epochs"] == 1
    assert report["train_seconds"] > 0
    assert (report["params"], report["macs"]) == (config["params"], config["macs"])
    assert "epoch 1/1" in completed.stderr  # progress goes to stderr


def test_restarted_trial_resumes_from_its_checkpoint_with_the_same_result(tiny_config, tiny_data, tmp_path, train_here):
    path, _ = tiny_config
    checkpoint = str(tmp_path / "trial.ckpt.pt")
    first = train_here(path, tiny_data, "--checkpoint", checkpoint)
    assert first.returncode == 0, first.stderr
    assert os.path.exists(checkpoint)
    again = train_here(path, tiny_data, "--checkpoint", checkpoint)
    assert again.returncode == 0, again.stderr
    assert "resuming from" in again.stderr and "epoch 1/1:" not in again.stderr
    assert json.loads(again.stdout.splitlines()[-1])["accuracy"] == json.loads(first.stdout.splitlines()[-1])["accuracy"]


def test_missing_data_directory_is_one_line_and_exit_3(tiny_config, tmp_path, train_here):
    completed = train_here(tiny_config[0], str(tmp_path / "nowhere"), "--checkpoint", "none")
    assert completed.returncode == 3
    assert len(_error_lines(completed)) == 1 and "does not exist" in completed.stderr
    assert completed.stdout == ""


def test_empty_data_directory_is_one_line_and_exit_3(tiny_config, tmp_path, train_here):
    for split in ("train", "val"):
        (tmp_path / split / "00_disc").mkdir(parents=True)
    completed = train_here(tiny_config[0], str(tmp_path), "--checkpoint", "none")
    assert completed.returncode == 3
    assert len(_error_lines(completed)) == 1 and "gpnav_torch.train: error:" in completed.stderr


def test_class_count_differing_from_the_architecture_is_exit_3(tmp_path, tiny_data, train_here):
    config = gpnav_config(96, 0.25, (1, 1), (1, 1, 1), 5)
    path = tmp_path / "five.json"
    path.write_text(json.dumps(config))
    completed = train_here(str(path), tiny_data, "--checkpoint", "none")
    assert completed.returncode == 3
    assert len(_error_lines(completed)) == 1 and "3 classes" in completed.stderr


@pytest.mark.parametrize("text, message", [
    ("{not json", "is not JSON"),
    ('{"resolution": 96}', "channel_plan"),
    ("[1, 2]", "not a JSON object"),
], ids=["malformed", "no-channel-plan", "not-an-object"])
def test_bad_config_is_one_line_and_exit_2(tmp_path, tiny_data, text, message, train_here):
    path = tmp_path / "bad.json"
    path.write_text(text)
    completed = train_here(str(path), tiny_data, "--checkpoint", "none")
    assert completed.returncode == 2
    assert len(_error_lines(completed)) == 1 and message in completed.stderr


def test_config_whose_counts_disagree_with_the_built_network_is_refused(tiny_config, tiny_data, tmp_path, train_here):
    _, config = tiny_config
    path = tmp_path / "lying.json"
    path.write_text(json.dumps(dict(config, params=config["params"] + 1)))
    completed = train_here(str(path), tiny_data, "--checkpoint", "none")
    assert completed.returncode == 2
    assert "the config says" in completed.stderr


def test_channel_plan_disagreeing_with_depths_is_refused(tiny_config, tiny_data, tmp_path, train_here):
    _, config = tiny_config
    path = tmp_path / "depths.json"
    path.write_text(json.dumps(dict(config, vit_depths=[2, 1, 1])))
    completed = train_here(str(path), tiny_data, "--checkpoint", "none")
    assert completed.returncode == 2
    assert "vit_depths" in completed.stderr


def test_missing_config_file_is_exit_2(tiny_data, tmp_path, train_here):
    completed = train_here(str(tmp_path / "absent.json"), tiny_data)
    assert completed.returncode == 2 and "does not exist" in completed.stderr


def test_bad_option_is_one_line_and_exit_2(tiny_config, tiny_data, train_here):
    completed = train_here(tiny_config[0], tiny_data, "--epochs", "0")
    assert completed.returncode == 2 and len(_error_lines(completed)) == 1


def test_out_of_memory_is_one_line_and_exit_4(monkeypatch, capsys, tiny_config, tiny_data):
    def exhausted(*_arguments, **_keywords):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
    monkeypatch.setattr(train_module, "run", exhausted)
    status = train_module.main(["--config", tiny_config[0], "--data", tiny_data, "--device", "cpu"])
    captured = capsys.readouterr()
    assert status == 4
    assert captured.out == ""
    assert captured.err.strip().splitlines() == [
        "gpnav_torch.train: error: out of memory (CUDA out of memory. Tried to allocate 2.00 GiB); try a smaller --batch-size"]


def test_v1_config_trains_one_epoch_and_reports_its_counts(tiny_data, tmp_path):
    config = gpnav_trial_config(str(tmp_path), "--family", "mobilevit", "--resolution", "64", "--width", "0.5",
                                "--mv2-depths", "1,1", "--vit-depths", "1,1,1", "--classes", "3")
    path = tmp_path / "v1-trial.json"
    path.write_text(json.dumps(config))
    completed = _train(str(path), tiny_data, "--checkpoint", "none")
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert 0 <= report["accuracy"] <= 100 and report["epochs"] == 1
    assert (report["params"], report["macs"]) == (config["params"], config["macs"])
    assert "training mobilevit r64" in completed.stderr


def test_unknown_family_is_one_line_and_exit_2(tiny_config, tiny_data, tmp_path, train_here):
    path = tmp_path / "family.json"
    path.write_text(json.dumps(dict(tiny_config[1], family="resnet")))
    completed = train_here(str(path), tiny_data, "--checkpoint", "none")
    assert completed.returncode == 2
    assert _error_lines(completed) == [
        "gpnav_torch.train: error: config key 'family' is 'resnet'; gpnav_torch builds the families "
        "'mobilevitv2' and 'mobilevit'"]
