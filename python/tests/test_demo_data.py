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
