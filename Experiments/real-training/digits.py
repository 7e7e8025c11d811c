"""scikit-learn's handwritten digits as an ImageFolder for `python -m gpnav_torch.train`.

The data set ships inside scikit-learn (1,797 grey 8 x 8 images of the digits 0 to 9, values 0 to
16; no download). Each image is scaled to 0-255, enlarged to SIZE px with bicubic resampling and
saved as an RGB PNG under OUT/train/<digit>/ or OUT/val/<digit>/; a seeded shuffle per digit puts
VAL_FRACTION of each digit in val/, so both splits hold every class in proportion.

    python3 Experiments/real-training/digits.py OUT [--size 32] [--val-fraction 0.25] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np
from PIL import Image


def write_digits(out: str, size: int, val_fraction: float, seed: int) -> dict:
    from sklearn.datasets import load_digits  # the experiment's only use of scikit-learn

    digits = load_digits()
    generator = np.random.default_rng(seed)
    counts = {"train": 0, "val": 0}
    for label in range(10):
        indices = np.flatnonzero(digits.target == label)
        generator.shuffle(indices)
        held_out = int(round(val_fraction * len(indices)))
        for position, index in enumerate(indices):
            split = "val" if position < held_out else "train"
            folder = os.path.join(out, split, str(label))
            os.makedirs(folder, exist_ok=True)
            pixels = (digits.images[index] * (255.0 / 16.0)).round().astype(np.uint8)
            image = Image.fromarray(pixels, mode="L").resize((size, size), Image.BICUBIC).convert("RGB")
            image.save(os.path.join(folder, f"{index:04d}.png"))
            counts[split] += 1
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="the ImageFolder root to write (train/ and val/)")
    parser.add_argument("--size", type=int, default=32, help="image side in pixels (default 32)")
    parser.add_argument("--val-fraction", type=float, default=0.25, help="share of each digit in val/ (default 0.25)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the split (default 0)")
    args = parser.parse_args(argv)
    if not 8 <= args.size <= 1024:
        parser.error("--size must be 8 to 1024")
    if not 0 < args.val_fraction < 1:
        parser.error("--val-fraction must be between 0 and 1")
    if os.path.exists(os.path.join(args.out, "train")):
        print(f"digits.py: error: {args.out}/train exists; give an empty folder", file=sys.stderr)
        return 1
    counts = write_digits(args.out, args.size, args.val_fraction, args.seed)
    print(f"{counts['train']} training and {counts['val']} validation images of {args.size} px in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
