"""The training command under hostile input (issue 19, classes 2 and 6): planted checkpoints never
run code and are refused, and oversized plans, unbounded files and invalid hyperparameters are
refused with exit 2 before anything is allocated."""

from __future__ import annotations

import json
import os

import pytest
import torch

from gpnav_torch import train as train_module
from gpnav_torch import trainer
from gpnav_torch.checkpoint import save_checkpoint
from gpnav_torch.config import load_config
from gpnav_torch.demo_data import write_dataset
from gpnav_torch.recipe import Recipe
from hostile_configs import (v1_reference_config, with_classes, with_last_stage_channels, with_layers,
                             with_resolution)


class _Run:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr

    @property
    def error_lines(self):
        return [line for line in self.stderr.splitlines() if line.strip()]


@pytest.fixture
def main_here(capsys):
    def run(*arguments):
        status = train_module.main(list(arguments))
        captured = capsys.readouterr()
        return _Run(status, captured.out, captured.err)
    return run


@pytest.fixture
def nothing_allocated(monkeypatch):
    """Fails the test if the trainer builds the real network or reads the data."""
    def allocated(*_arguments, **_keywords):
        raise AssertionError("the trainer built the network or read data before refusing")
    monkeypatch.setattr(trainer, "build_model", allocated)
    monkeypatch.setattr(trainer, "load_split", allocated)


_FAST = ("--epochs", "1", "--batch-size", "8", "--workers", "0", "--threads", "1", "--device", "cpu")


def _write(directory, name, document) -> str:
    path = os.path.join(str(directory), name)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle)
    return path


class _PlantedPayload:
    """Unpickling this calls os.mkdir(marker): what an attacker's file would do, harmlessly."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.mkdir, (self.marker,)


# -- class 2: checkpoints ---------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".ckpt.pt", ".weights.pt"], ids=["checkpoint", "final-weights"])
def test_planted_pickle_beside_the_config_never_runs_and_is_refused_unchanged(tmp_path, main_here, suffix):
    # A valid 10-class config and matching data, so that the trainer gets as far as the checkpoint.
    config = _write(tmp_path, "trial-0.json", v1_reference_config(14))
    write_dataset(str(tmp_path / "data"), classes=10, per_class=1, val_per_class=1, size=16)
    planted = str(tmp_path / f"trial-0{suffix}")  # the default checkpoint or final-weights path of this config
    marker = str(tmp_path / "code-ran")
    torch.save({"fingerprint": {}, "model": _PlantedPayload(marker)}, planted)
    with open(planted, "rb") as handle:
        before = handle.read()
    completed = main_here("--config", config, "--data", str(tmp_path / "data"), *_FAST)
    assert not os.path.exists(marker), "the planted checkpoint ran code"
    assert completed.returncode == 2
    assert len(completed.error_lines) == 1 and "does not load as plain tensors" in completed.stderr
    with open(planted, "rb") as handle:
        assert handle.read() == before


@pytest.mark.parametrize("key, value", [
    ("architecture", "r256 w2 mv2(4,4) vit(4,4,4)"), ("classes", 10), ("data", "/elsewhere"),
    ("recipe", dict(Recipe(epochs=300).as_dict())),
], ids=["architecture", "classes", "data", "recipe"])
def test_checkpoint_of_another_run_is_refused_and_left_as_it_is(tmp_path, main_here, nothing_allocated, key, value):
    config = _write(tmp_path, "trial.json", v1_reference_config(0))
    checkpoint = str(tmp_path / "trial.ckpt.pt")
    identity = trainer.fingerprint(load_config(config), str(tmp_path),
                                   Recipe.for_family("mobilevit", epochs=1, batch_size=8))
    save_checkpoint(checkpoint, {"fingerprint": dict(identity, **{key: value}), "epoch": 1})
    before = os.stat(checkpoint)
    completed = main_here("--config", config, "--data", str(tmp_path), *_FAST)
    assert completed.returncode == 2
    assert len(completed.error_lines) == 1
    assert f"is of another run: its {key} is" in completed.stderr and "left as it is" in completed.stderr
    after = os.stat(checkpoint)
    assert (after.st_mtime_ns, after.st_size, after.st_ino) == (before.st_mtime_ns, before.st_size, before.st_ino)


@pytest.mark.parametrize("content, message", [
    (b"not a checkpoint at all", "does not load as plain tensors"),
    (json.dumps({"fingerprint": {}}).encode(), "does not load as plain tensors"),
], ids=["text", "json"])
def test_foreign_file_at_the_checkpoint_path_is_refused(tmp_path, main_here, nothing_allocated, content, message):
    config = _write(tmp_path, "trial.json", v1_reference_config(0))
    (tmp_path / "trial.ckpt.pt").write_bytes(content)
    completed = main_here("--config", config, "--data", str(tmp_path), *_FAST)
    assert completed.returncode == 2 and len(completed.error_lines) == 1 and message in completed.stderr
    assert (tmp_path / "trial.ckpt.pt").read_bytes() == content


def test_checkpoint_path_that_is_a_directory_is_refused(tmp_path, main_here, nothing_allocated):
    config = _write(tmp_path, "trial.json", v1_reference_config(0))
    (tmp_path / "trial.ckpt.pt").mkdir()
    completed = main_here("--config", config, "--data", str(tmp_path), *_FAST)
    assert completed.returncode == 2 and "Is a directory" in completed.stderr


# -- class 6: sizes, files and hyperparameters --------------------------------------------------

@pytest.mark.parametrize("make, extra, message", [
    (lambda c: with_classes(c, 10 ** 12), (), "parameters, over the limit of 100,000,000"),
    (lambda c: with_last_stage_channels(c, 100_000), (), "parameters, over the limit"),
    (lambda c: with_layers(c, 1_000_000), (), "blocks (inverted residuals and attention layers), over the limit of 1000"),
    (lambda c: with_resolution(c, 100_000), (), "over the limit of"),
    (lambda c: c, ("--max-params", "1000000"), "1,272,024 parameters, over the limit of 1,000,000"),
    (lambda c: c, ("--max-memory", "0.5"), "over the limit of 0.5 GiB"),
], ids=["1e12-classes", "1e5-channels", "1e6-layers", "resolution-1e5", "max-params", "max-memory"])
def test_plan_that_cannot_fit_is_refused_with_exit_2_before_allocating(tmp_path, main_here, nothing_allocated,
                                                                        make, extra, message):
    config = _write(tmp_path, "trial.json", make(v1_reference_config(0)))
    completed = main_here("--config", config, "--data", str(tmp_path), "--checkpoint", "none", *_FAST, *extra)
    assert completed.returncode == 2, completed.stderr
    assert len(completed.error_lines) == 1 and message in completed.stderr, completed.stderr
    assert completed.stdout == ""


def test_config_that_is_a_device_a_fifo_or_a_directory_is_refused_without_reading(tmp_path, main_here, nothing_allocated):
    fifo = str(tmp_path / "fifo.json")
    os.mkfifo(fifo)  # opening it for reading would block without O_NONBLOCK
    for path in ("/dev/zero", fifo, str(tmp_path)):
        completed = main_here("--config", path, "--data", str(tmp_path), *_FAST)
        assert completed.returncode == 2, path
        assert len(completed.error_lines) == 1
        assert "is not a regular file" in completed.stderr or "Is a directory" in completed.stderr


@pytest.mark.parametrize("text, message", [
    (" " * (1 << 20) + "{}", "over the limit of 1048576"),
    ("[" * 10_000 + "]" * 10_000, "nests 10000 levels deep, over the limit of 32"),
    ('{"width": NaN}', "holds NaN, which is not a JSON number"),
    ('{"width": -Infinity}', "holds -Infinity"),
    ('{"a": "\\xff"}'.encode("latin-1").decode("latin-1").replace("\\xff", "\xff"), "not UTF-8"),
], ids=["over-1-MiB", "deep", "nan", "infinity", "not-utf8"])
def test_unbounded_or_non_json_config_is_refused(tmp_path, main_here, nothing_allocated, text, message):
    path = tmp_path / "config.json"
    path.write_bytes(text.encode("latin-1") if message == "not UTF-8" else text.encode())
    completed = main_here("--config", str(path), "--data", str(tmp_path), *_FAST)
    assert completed.returncode == 2 and len(completed.error_lines) == 1 and message in completed.stderr


def test_width_of_1e400_parsing_as_infinity_is_refused(tmp_path, main_here, nothing_allocated):
    config = _write(tmp_path, "trial.json", v1_reference_config(0))
    with open(config, encoding="utf-8") as handle:
        text = handle.read().replace('"width": 1.0', '"width": 1e400')
    with open(config, "w", encoding="utf-8") as handle:
        handle.write(text)
    completed = main_here("--config", config, "--data", str(tmp_path), *_FAST)
    assert completed.returncode == 2 and "config key 'width' must be a number" in completed.stderr


@pytest.mark.parametrize("flags", [
    ("--lr", "nan"), ("--lr", "inf"), ("--lr", "0"), ("--lr", "-1e-3"), ("--min-lr", "nan"), ("--min-lr", "1"),
    ("--weight-decay", "-0.1"), ("--weight-decay", "nan"), ("--warmup", "1"), ("--warmup", "nan"),
    ("--label-smoothing", "inf"), ("--label-smoothing", "-0.1"), ("--epochs", "0"), ("--batch-size", "0"),
    ("--seed", "-1"), ("--max-params", "0"), ("--max-memory", "nan"), ("--max-memory", "-1"), ("--workers", "100000"),
])
def test_invalid_hyperparameter_is_refused_with_exit_2_before_allocating(tmp_path, main_here, nothing_allocated, flags):
    config = _write(tmp_path, "trial.json", v1_reference_config(0))
    completed = main_here("--config", config, "--data", str(tmp_path), "--checkpoint", "none", *_FAST, *flags)
    assert completed.returncode == 2, completed.stderr
    assert len(completed.error_lines) == 1 and completed.stdout == ""


def _png_claiming(width: int, height: int) -> bytes:
    """A 1 x 1 PNG whose header says `width` x `height`: Pillow reads the size before any pixel."""
    import io
    import struct
    import zlib
    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    header = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


@pytest.mark.parametrize("content, message", [
    (b"\x89PNG\r\n\x1a\n this is not an image", "cannot be read"),
    (_png_claiming(100_000, 100_000), "pixels"),
    (_png_claiming(10_000, 10_000), "10000 x 10000 pixels, over"),
], ids=["corrupt", "decompression-bomb", "over-pillow-warning-bound"])
def test_bad_image_in_the_data_is_one_line_and_exit_3(tmp_path, main_here, content, message):
    config = _write(tmp_path, "trial.json", v1_reference_config(31))  # 10 classes at 174 px: quick to count
    data = tmp_path / "data"
    write_dataset(str(data), classes=10, per_class=1, val_per_class=1, size=16)
    bad = next((data / "train").iterdir()) / "00000.png"
    bad.write_bytes(content)
    completed = main_here("--config", config, "--data", str(data), "--checkpoint", "none", *_FAST)
    assert completed.returncode == 3, completed.stderr
    errors = [line for line in completed.error_lines if "error" in line]
    assert errors == completed.error_lines[-1:]  # one error line, the last; progress lines before it
    assert message in errors[0] and str(bad) in errors[0]
