"""An ImageFolder split (read by `image_data.load_split`, which refuses what is not an image) as numpy
batches, for ONNX Runtime."""

from __future__ import annotations

from typing import Iterator, Optional, Tuple

import numpy as np
import torch
from torchvision import datasets


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
