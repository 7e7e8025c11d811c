"""The procedural demo dataset."""

from __future__ import annotations

import hashlib
import os

from gpnav_torch.demo_data import main, write_dataset


def _digest(directory: str) -> str:
    digest = hashlib.sha256()
    for root, _, files in sorted(os.walk(directory)):
        for name in sorted(files):
            digest.update(name.encode())
            with open(os.path.join(root, name), "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()


def test_writes_imagefolder_train_and_val_with_a_fifth_as_many_val_images(tmp_path):
    write_dataset(str(tmp_path), classes=4, per_class=10, size=32)
    for split, count in (("train", 10), ("val", 2)):
        classes = sorted(os.listdir(tmp_path / split))
        assert len(classes) == 4
        assert all(len(os.listdir(tmp_path / split / name)) == count for name in classes)


def test_same_seed_writes_the_same_images_and_another_seed_others(tmp_path):
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        write_dataset(str(tmp_path / name), classes=2, per_class=3, size=32, seed=seed)
    assert _digest(str(tmp_path / "a")) == _digest(str(tmp_path / "b"))
    assert _digest(str(tmp_path / "a")) != _digest(str(tmp_path / "c"))


def test_bad_class_count_is_one_line_and_exit_2(tmp_path, capsys):
    assert main([str(tmp_path), "--classes", "99"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == ["gpnav_torch.demo_data: error: classes must be 2 to 12, got 99"]


def test_smallest_size_of_16_pixels_writes_images(tmp_path):
    write_dataset(str(tmp_path), classes=2, per_class=3, size=16)
    assert len(os.listdir(tmp_path / "train" / "00_disc")) == 3


def test_progress_is_reported_after_each_class_of_each_split(tmp_path):
    calls = []
    write_dataset(str(tmp_path), classes=3, per_class=2, size=32, progress=lambda *call: calls.append(call))
    assert calls == [("train", 1, 3), ("train", 2, 3), ("train", 3, 3), ("val", 1, 3), ("val", 2, 3), ("val", 3, 3)]


def test_the_command_says_when_each_split_is_written_in_a_log(tmp_path, capsys):
    assert main([str(tmp_path), "--classes", "2", "--per-class", "2", "--size", "32"]) == 0
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[:2] == ["wrote the train split (2 classes)", "wrote the val split (2 classes)"]
    assert lines[2].startswith("wrote 2 classes x (2 train + 1 val) images")
