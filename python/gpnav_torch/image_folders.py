"""Reading an ImageFolder dataset's splits (DIR/train, DIR/val: one folder of images per class)."""

from __future__ import annotations

import os
from typing import Callable, Iterator, Optional, Tuple

import numpy as np
import torch
from torchvision import datasets


class DatasetError(Exception):
    """A dataset directory that is missing, empty, unreadable or does not fit the network."""


def load_split(root: str, split: str, transform: Optional[Callable] = None) -> datasets.ImageFolder:
    """`root/split` as a torchvision ImageFolder; DatasetError when it is missing or holds no image."""
    directory = os.path.join(root, split)
    if not os.path.isdir(directory):
        raise DatasetError(f"data directory {directory} does not exist (expected DIR/train and DIR/val, "
                           f"one folder per class)")
    try:
        dataset = datasets.ImageFolder(directory, transform=transform)
    except (FileNotFoundError, OSError) as error:  # no class folders, or no images in them
        raise DatasetError(f"{directory}: {error}") from None
    if len(dataset) == 0:
        raise DatasetError(f"{directory} holds no images")
    return dataset


def array_batches(dataset: datasets.ImageFolder, batch_size: int, limit: Optional[int] = None,
                  seed: Optional[int] = None) -> Iterator[Tuple[np.ndarray, np.ndarray]]:
    """Batches of (float32 images, int64 labels) as numpy arrays: all images in order, or with
    `seed` a seeded random choice of `limit` of them (every image when `limit` is None)."""
    order = np.arange(len(dataset))
    if seed is not None:
        order = np.random.default_rng(seed).permutation(order)
    if limit is not None:
        order = order[:limit]
    for start in range(0, len(order), batch_size):
        samples = [dataset[int(index)] for index in order[start:start + batch_size]]
        images = torch.stack([image for image, _ in samples]).numpy().astype(np.float32, copy=False)
        yield images, np.array([label for _, label in samples], dtype=np.int64)
