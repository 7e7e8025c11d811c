"""The training command end to end: one epoch on a tiny demo set, resuming, and bad inputs."""

from __future__ import annotations

import json
import os

import pytest
import torch

from conftest import gpnav_config, gpnav_trial_config, run_module
from gpnav_torch import train as train_module
from gpnav_torch.config import load_config
from gpnav_torch.recipe import Recipe
from gpnav_torch.trainer import Progress, ResumeError, TrialFiles, train_trial


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


def _json_lines(stdout):
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def test_one_epoch_of_the_full_recipe_prints_an_epoch_line_then_the_result_line(tiny_config, tiny_data):
    path, config = tiny_config
    completed = _train(path, tiny_data)
    assert completed.returncode == 0, completed.stderr
    *epochs, report = _json_lines(completed.stdout)
    assert [set(line) for line in epochs] == [{"epoch", "accuracy"}] and epochs[0]["epoch"] == 1
    assert "epoch" not in report and report["accuracy"] == pytest.approx(epochs[0]["accuracy"], abs=1e-3)
    assert 0 <= report["accuracy"] <= 100 and report["top5"] >= report["accuracy"]
    assert report["epochs"] == 1 and report["train_seconds"] > 0
    assert (report["params"], report["macs"]) == (config["params"], config["macs"])
    assert report["carries"] == "ema-last"  # the v2 recipe has EMA; the last epoch by default
    assert report["accuracy_last"] == report["accuracy"] and report["best_epoch"] == 1
    # The v2 recipe in full: RandAugment, random erasing, mixup and cutmix, clipping, EMA, bicubic.
    assert "recipe: epochs=1, batch_size=8\n" in completed.stderr  # nothing else differs from the v2 recipe
    assert "epoch 1/1" in completed.stderr and "EMA" in completed.stderr  # progress goes to stderr


def test_report_best_without_ema_carries_the_raw_weights_best_epoch(tiny_config, tiny_data, train_here):
    completed = train_here(tiny_config[0], tiny_data, "--epochs", "2", "--report", "best", "--ema-decay", "0",
                           "--lr", "0.02", "--checkpoint", "none")
    assert completed.returncode == 0, completed.stderr
    *epochs, report = _json_lines(completed.stdout)
    best = max(epochs, key=lambda line: line["accuracy"])
    assert report["carries"] == "raw-best" and report["best_epoch"] == best["epoch"]
    assert report["accuracy"] == pytest.approx(best["accuracy"], abs=1e-3) == report["accuracy_best"]
    assert report["accuracy_last"] == pytest.approx(epochs[-1]["accuracy"], abs=1e-3) == report["accuracy_raw_last"]
    assert torch.load(report["weights"], weights_only=True)["carries"] == "raw-best"


def test_completed_trial_keeps_only_its_final_weights_and_says_where(tiny_config, tiny_data, train_here):
    path, _ = tiny_config
    completed = train_here(path, tiny_data)
    assert completed.returncode == 0, completed.stderr
    report = _json_lines(completed.stdout)[-1]
    weights = os.path.splitext(path)[0] + ".weights.pt"
    assert report["weights"] == weights and f"final weights (ema-last): {weights}" in completed.stderr
    assert sorted(os.listdir(os.path.dirname(path))) == ["pytest-trial-0.json", "pytest-trial-0.log",
                                                         "pytest-trial-0.weights.pt"]
    state = torch.load(weights, weights_only=True)
    assert state["carries"] == "ema-last" and "optimizer" not in state

    again = train_here(path, tiny_data)  # a trial run again after it completed: no training
    assert again.returncode == 0 and "already trained" in again.stderr and "epoch 1/1:" not in again.stderr
    assert _json_lines(again.stdout) == _json_lines(completed.stdout)
    other = train_here(path, tiny_data, "--report", "best")
    assert other.returncode == 2 and "is of another run: its report is 'last', this run's 'best'" in other.stderr


def test_keep_checkpoints_keeps_weights_ema_optimiser_and_step(tiny_config, tiny_data, train_here):
    path, _ = tiny_config
    completed = train_here(path, tiny_data, "--keep-checkpoints")
    assert completed.returncode == 0, completed.stderr
    state = torch.load(os.path.splitext(path)[0] + ".ckpt.pt", weights_only=True)
    assert {"model", "ema", "optimizer", "step", "epoch", "history"} <= set(state)
    assert state["epoch"] == 1 and state["step"] == 3  # 24 images in batches of 8


class _Stop(Exception):
    pass


def test_interrupted_trial_resumes_at_its_epoch_with_the_result_of_an_uninterrupted_run(tiny_config, tiny_data, tmp_path):
    path, _ = tiny_config
    trial = load_config(path)
    recipe = Recipe.for_family(trial.family, epochs=2, batch_size=8)
    files = TrialFiles(checkpoint=str(tmp_path / "trial.ckpt.pt"), weights=str(tmp_path / "trial.weights.pt"))

    def stop_after_first(epoch, _accuracy):
        if epoch == 1:
            raise _Stop  # the process dies after epoch 1's checkpoint
    with pytest.raises(_Stop):
        train_trial(trial, tiny_data, recipe, torch.device("cpu"), files=files, progress=Progress(epoch=stop_after_first))
    assert torch.load(files.checkpoint, weights_only=True)["epoch"] == 1

    lines, epochs = [], []
    resumed = train_trial(trial, tiny_data, recipe, torch.device("cpu"), files=files,
                          progress=Progress(log=lines.append, epoch=lambda e, a: epochs.append(e)))
    assert any(line.startswith(f"resuming from {files.checkpoint} after epoch 1/2") for line in lines)
    assert [line.split(":")[0] for line in lines if line.startswith("epoch ")] == ["epoch 2/2"]
    assert epochs == [1, 2]  # the first epoch's line again (from the checkpoint), then the second
    assert not os.path.exists(files.checkpoint)

    whole = train_trial(trial, tiny_data, recipe, torch.device("cpu"), files=TrialFiles())
    assert resumed["accuracy"] == whole["accuracy"] and resumed["train_loss"] == pytest.approx(whole["train_loss"])


def test_a_trial_gpnav_continues_refuses_a_checkpoint_missing_or_behind_the_epochs_gpnav_counted(tiny_config, tiny_data, tmp_path):
    path, _ = tiny_config
    trial = load_config(path)
    recipe = Recipe.for_family(trial.family, epochs=2, batch_size=8)
    checkpoint = str(tmp_path / "trial.ckpt.pt")
    with pytest.raises(ResumeError, match=r"after epoch 1, but there is no checkpoint at "):
        train_trial(trial, tiny_data, recipe, torch.device("cpu"), files=TrialFiles(checkpoint=checkpoint, resume_after=1))

    def stop_after_first(epoch, _accuracy):
        if epoch == 1:
            raise _Stop
    with pytest.raises(_Stop):
        train_trial(trial, tiny_data, recipe, torch.device("cpu"), files=TrialFiles(checkpoint=checkpoint),
                    progress=Progress(epoch=stop_after_first))
    with pytest.raises(ResumeError, match=r"after epoch 2, but the checkpoint .* is at epoch 1"):
        train_trial(trial, tiny_data, recipe, torch.device("cpu"), files=TrialFiles(checkpoint=checkpoint, resume_after=2))

    epochs = []
    train_trial(trial, tiny_data, recipe, torch.device("cpu"), files=TrialFiles(checkpoint=checkpoint, resume_after=1),
                progress=Progress(epoch=lambda epoch, _accuracy: epochs.append(epoch)))
    assert epochs == [1, 2]


@pytest.mark.parametrize("value", ["0", "x", "-1", "1e3", "99999"])
def test_a_resume_epoch_that_is_not_an_epoch_is_one_line_and_exit_2(tiny_config, tiny_data, train_here, monkeypatch, value):
    monkeypatch.setenv("GPNAV_RESUME_EPOCH", value)
    run = train_here(tiny_config[0], tiny_data)
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "GPNAV_RESUME_EPOCH must be an epoch from 1 to 10000" in run.stderr


def test_log_file_beside_the_config_grows_while_the_trial_runs_and_each_epoch_prints_a_line(tiny_config, tiny_data, train_here, monkeypatch):
    path, _ = tiny_config
    log_path = os.path.splitext(path)[0] + ".log"
    seen = []
    real = train_module.train_trial

    def watched(*arguments, **options):
        *rest, progress = arguments
        def epoch(number, accuracy):
            with open(log_path, encoding="utf-8") as handle:
                seen.append(handle.read())
            progress.epoch(number, accuracy)
        return real(*rest, Progress(log=progress.log, epoch=epoch), **options)
    monkeypatch.setattr(train_module, "train_trial", watched)
    completed = train_here(path, tiny_data, "--epochs", "2")
    assert completed.returncode == 0, completed.stderr
    *epochs, report = _json_lines(completed.stdout)
    assert [line["epoch"] for line in epochs] == [1, 2] and report["epochs"] == 2  # one line per epoch given
    assert "epoch 1/2:" in seen[0] and "epoch 2/2:" not in seen[0]  # written as it ran
    assert "epoch 2/2:" in seen[1]
    with open(log_path, encoding="utf-8") as handle:
        assert "final weights" in handle.read()


def test_a_last_batch_of_one_image_at_a_1x1_feature_map_is_left_out_rather_than_failing(tiny_data, tmp_path, train_here):
    # 32 px: MobileViTv2's last stage is 1x1, and 24 images in batches of 23 leave one image last,
    # which batch norm in training mode cannot normalise (without mixup, which pairs images and so
    # drops an odd one itself). The size check before training runs one image through it too.
    config = gpnav_config(32, 0.25, (1, 1), (1, 1, 1), 3)
    config.update(study="pytest", trial=0)
    path = tmp_path / "pytest-trial-0.json"
    path.write_text(json.dumps(config))
    completed = train_here(str(path), tiny_data, "--batch-size", "23", "--mixup", "0", "--cutmix", "0")
    assert completed.returncode == 0, completed.stderr
    assert "accuracy" in _json_lines(completed.stdout)[-1]


def test_v1_trains_with_its_own_recipe():
    recipe = Recipe.for_family("mobilevit")
    # ml-cvnets' mobilevit.yaml: AdamW weight decay 0.01 on every parameter, warm-up from 2e-4,
    # bilinear crops, no RandAugment, erasing, mixup or cutmix, dropout 0.1, multi-scale crops.
    assert (recipe.weight_decay, recipe.decay_norms_and_biases, recipe.warmup_start_learning_rate) == (0.01, True, 2e-4)
    assert (recipe.interpolation, recipe.rand_augment, recipe.random_erase, recipe.mixup, recipe.cutmix) == (
        "bilinear", "", 0.0, 0.0, 0.0)
    assert (recipe.dropout, recipe.classifier_dropout, recipe.gradient_clip) == (0.1, 0.1, 0.0)
    assert min(recipe.multi_scale) == 0.625 and max(recipe.multi_scale) == 1.25
    assert recipe.mixer(10) is None and isinstance(recipe.loss(), torch.nn.CrossEntropyLoss)
    v2 = Recipe.for_family("mobilevitv2")
    assert (v2.weight_decay, v2.decay_norms_and_biases, v2.mixup, v2.cutmix, v2.random_erase, v2.gradient_clip) == (
        0.05, False, 0.2, 1.0, 0.25, 10.0)


def test_flags_override_the_family_recipe_and_no_flip_switches_flipping_off():
    args = train_module._parser().parse_args(["--config", "c", "--data", "d", "--no-flip", "--mixup", "0",
                                              "--rand-augment", "none", "--multi-scale", "1,1.5"])
    recipe = Recipe.for_family("mobilevit", **train_module._recipe_overrides(args))
    assert (recipe.flip, recipe.mixup, recipe.rand_augment, recipe.multi_scale) == (False, 0.0, "", (1.0, 1.5))
    assert "RandomHorizontalFlip" not in repr(recipe.train_transform(64))
    assert recipe.weight_decay == 0.01  # the rest stays the family's


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


def test_class_count_differing_from_the_architecture_is_exit_3_and_names_the_search_flag(tmp_path, tiny_data, train_here):
    config = gpnav_config(96, 0.25, (1, 1), (1, 1, 1), 5)
    path = tmp_path / "five.json"
    path.write_text(json.dumps(config))
    completed = train_here(str(path), tiny_data, "--checkpoint", "none")
    assert completed.returncode == 3
    assert len(_error_lines(completed)) == 1 and "3 classes" in completed.stderr
    assert "gpnav search --classes 3" in completed.stderr and "search space" not in completed.stderr


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
    monkeypatch.setattr(train_module, "train_trial", exhausted)
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
    # Its own recipe, not the v2 one: no mixup (so "raw" and "EMA" both evaluated), decay 0.01, multi-scale.
    assert "weight_decay=0.01" in completed.stderr and "mixup=0.0" in completed.stderr
    assert "multi_scale=(0.625" in completed.stderr and report["carries"] == "ema-last"


def test_unknown_family_is_one_line_and_exit_2(tiny_config, tiny_data, tmp_path, train_here):
    path = tmp_path / "family.json"
    path.write_text(json.dumps(dict(tiny_config[1], family="resnet")))
    completed = train_here(str(path), tiny_data, "--checkpoint", "none")
    assert completed.returncode == 2
    assert _error_lines(completed) == [
        "gpnav_torch.train: error: config key 'family' is 'resnet'; gpnav_torch builds the families "
        "'mobilevitv2', 'mobilevit' and 'mobilenetv2'"]


def test_without_an_epochs_flag_the_configs_epochs_set_the_training_length(tiny_config, tiny_data, capsys, tmp_path):
    path, config = tiny_config
    with_length = tmp_path / "configs" / "pytest-trial-1.json"
    with_length.write_text(json.dumps({**config, "trial": 1, "epochs": 2}))
    fast = _FAST[2:]  # all but "--epochs 1"
    status = train_module.main(["--config", str(with_length), "--data", tiny_data, *fast])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    *epochs, report = _json_lines(captured.out)
    assert [line["epoch"] for line in epochs] == [1, 2] and report["epochs"] == 2
    # The flag, when given, still wins over the config.
    status = train_module.main(["--config", str(with_length), "--data", tiny_data, *_FAST, "--weights", "none",
                                "--checkpoint", "none"])
    *epochs, report = _json_lines(capsys.readouterr().out)
    assert status == 0 and [line["epoch"] for line in epochs] == [1] and report["epochs"] == 1


def test_a_config_whose_epochs_is_not_a_positive_integer_is_refused(tiny_config, tiny_data, capsys, tmp_path):
    path, config = tiny_config
    bad = tmp_path / "configs" / "pytest-trial-2.json"
    bad.write_text(json.dumps({**config, "trial": 2, "epochs": 0}))
    status = train_module.main(["--config", str(bad), "--data", tiny_data, *_FAST])
    assert status == 2
    assert "config key 'epochs' must be a positive integer, got 0" in capsys.readouterr().err


def test_int8_eval_adds_the_int8_accuracy_of_the_carried_weights_beside_their_float_one(tiny_config, tiny_data,
                                                                                        train_here):
    completed = train_here(tiny_config[0], tiny_data, "--int8-eval", "--calibration-images", "4", "--lr", "0.02")
    assert completed.returncode == 0, completed.stderr
    report = _json_lines(completed.stdout)[-1]
    val_images = sum(len(files) for _, _, files in os.walk(os.path.join(tiny_data, "val")))
    # The float network run by ONNX Runtime classifies the validation images as PyTorch did (the
    # carried weights, the same preprocessing); a near-tie may flip one image.
    assert abs(report["accuracy_onnx"] - report["accuracy"]) <= 100 / val_images + 1e-9
    assert 0 <= report["accuracy_int8"] <= 100
    assert report["accuracy_int8_drop"] == pytest.approx(report["accuracy_onnx"] - report["accuracy_int8"])
    assert "int8: top-1" in completed.stderr


def test_int8_eval_without_final_weights_is_refused_before_training(tiny_config, tiny_data, train_here):
    completed = train_here(tiny_config[0], tiny_data, "--int8-eval", "--weights", "none")
    assert completed.returncode == 2 and "epoch 1/1" not in completed.stderr
    assert _error_lines(completed) == ["gpnav_torch.train: error: --int8-eval quantises the final weights; "
                                       "it cannot be used with --weights none"]


def test_int8_eval_without_onnxruntime_is_refused_before_training(tiny_config, tiny_data, train_here, monkeypatch):
    real = train_module.importlib.util.find_spec
    monkeypatch.setattr(train_module.importlib.util, "find_spec",
                        lambda name, *rest: None if name == "onnxruntime" else real(name, *rest))
    completed = train_here(tiny_config[0], tiny_data, "--int8-eval")
    assert completed.returncode == 2 and "epoch 1/1" not in completed.stderr
    assert "--int8-eval needs onnxruntime" in completed.stderr and "gpnav-torch[deploy]" in completed.stderr
