"""The ImageFolder data a trial trains on: DIR/train and DIR/val, one folder per class.

Images are files that others may have put there: each is opened lazily, its size read from its
header, and one with more pixels than Pillow's decompression-bomb bound, or that is not an image
at all, is refused (DataError naming the file) before its pixels are decoded.
"""

from __future__ import annotations

import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset, Sampler, Subset
from torchvision import datasets


class DataError(Exception):
    """The dataset directory is missing, empty, unreadable or does not fit the config."""


class ClassCountError(DataError):
    """A split has another number of class folders than the network has outputs; `found` is the
    split's count, so a command line can say which `classes` the search should have used."""

    def __init__(self, split_path: str, found: int, outputs: int):
        super().__init__(f"{split_path} has {found} classes but the architecture has {outputs} outputs")
        self.found = found


def load_image(path: str) -> Image.Image:
    """An RGB image, read as ImageFolder does, but refused (DataError) when it is not an image or
    has more pixels than Pillow's decompression-bomb bound, before its pixels are decoded."""
    try:
        with open(path, "rb") as handle:
            image = Image.open(handle)
            width, height = image.size
            if Image.MAX_IMAGE_PIXELS and width * height > Image.MAX_IMAGE_PIXELS:
                raise DataError(f"image {path} is {width} x {height} pixels, over {Image.MAX_IMAGE_PIXELS}")
            return image.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise DataError(f"image {path} cannot be read: {error}") from None


def load_split(root: str, split: str, transform) -> datasets.ImageFolder:
    """`root/split` as an ImageFolder; DataError when it is missing or holds no images."""
    directory = os.path.join(root, split)
    if not os.path.isdir(directory):
        raise DataError(f"data directory {directory} does not exist (expected DIR/train and DIR/val, one folder per class)")
    try:
        dataset = datasets.ImageFolder(directory, transform=transform, loader=load_image)
    except (FileNotFoundError, OSError) as error:  # no class folders, or no images in them
        raise DataError(f"{directory}: {error}") from None
    if len(dataset) == 0:
        raise DataError(f"{directory} holds no images")
    return dataset


def shard(dataset: Dataset, rank: int, world_size: int) -> Dataset:
    """Every `world_size`-th item from `rank`: disjoint shards that together hold each item once
    (for evaluation, whose sums are then reduced exactly)."""
    if world_size == 1:
        return dataset
    return Subset(dataset, range(rank, len(dataset), world_size))


def loader(dataset: Dataset, batch_size: int, workers: int, seed: int, device: torch.device,
           sampler: Sampler = None, training: bool = False) -> DataLoader:
    """A loader in `sampler`'s order (the dataset's own without one), its workers seeded from `seed`.

    For training, a last batch of a single image is left out: batch norm in training mode cannot
    normalise one value per channel, which is what a one-image batch gives where a network's
    feature map is 1x1 (MobileViT's last stage at 32 px). Every other batch is kept."""
    generator = torch.Generator()
    generator.manual_seed(seed % (2 ** 63))
    count = len(sampler) if sampler is not None else len(dataset)
    single_last = training and count > 1 and count % batch_size == 1
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler, shuffle=False, num_workers=workers,
                      generator=generator, pin_memory=device.type == "cuda", drop_last=single_last,
                      persistent_workers=False)
