"""The training recipe: ml-cvnets' MobileViTv2 ImageNet recipe, scaled down for small data.

| | ml-cvnets (ImageNet-1k, 300 epochs) | here (defaults) |
|---|---|---|
| optimiser | AdamW, betas (0.9, 0.999), weight decay 0.05 | the same |
| no decay | BatchNorm/LayerNorm weights and all biases | the same |
| learning rate | cosine from 2e-3 to 2e-4 | the same, per step |
| warm-up | linear, 20,000 iterations from 1e-6 (about 5 %) | linear, 10 % of all steps |
| batch | 1024 (128 x 8 GPUs) | 64 |
| loss | cross-entropy, label smoothing 0.1 | the same |
| augmentation | random resized crop (scale 0.08-1), horizontal flip, plus RandAugment, mixup, cutmix, random erase | random resized crop (scale 0.25-1) and horizontal flip only |
| evaluation | resize the shorter side to 9/8 of the crop, centre crop | the same |
| EMA of weights | yes | no |

Small data and short runs: the heavy regularisers (RandAugment, mixup, cutmix, EMA) slow
learning in a few epochs, so they are left out, and the crop keeps at least a quarter of the
image so that small objects stay in view. Images are scaled to [0, 1] without mean/std
normalisation, as ml-cvnets does.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from torch import nn, optim
from torchvision import transforms


class RecipeError(ValueError):
    """A hyperparameter outside the range where training means anything (NaN, infinite, negative...)."""


@dataclass(frozen=True)
class Recipe:
    """The hyperparameters of a run; every one is a `python -m gpnav_torch.train` option.

    Checked when made: RecipeError for a value that is not finite or is out of its range, so that
    no training starts with one."""

    epochs: int = 10
    batch_size: int = 64
    learning_rate: float = 2e-3
    min_learning_rate: float = 2e-4
    weight_decay: float = 0.05
    warmup_fraction: float = 0.1
    label_smoothing: float = 0.1
    crop_scale_min: float = 0.25
    seed: int = 0

    def __post_init__(self) -> None:
        _integer_in("epochs", self.epochs, 1, 1_000_000)
        _integer_in("batch size", self.batch_size, 1, 1 << 20)
        _integer_in("seed", self.seed, 0, (1 << 63) - 1)
        _number_in("learning rate", self.learning_rate, 0, 10, low_open=True)
        _number_in("final learning rate", self.min_learning_rate, 0, self.learning_rate)
        _number_in("weight decay", self.weight_decay, 0, 10)
        _number_in("warm-up share", self.warmup_fraction, 0, 1, high_open=True)
        _number_in("label smoothing", self.label_smoothing, 0, 1, high_open=True)
        _number_in("smallest crop scale", self.crop_scale_min, 0, 1, low_open=True)

    def as_dict(self) -> dict:
        return asdict(self)

    def optimizer(self, model: nn.Module) -> optim.AdamW:
        """AdamW with no weight decay on normalisation weights and biases (one-dimensional tensors)."""
        decay = [p for p in model.parameters() if p.requires_grad and p.ndim > 1]
        no_decay = [p for p in model.parameters() if p.requires_grad and p.ndim <= 1]
        return optim.AdamW([
            {"params": decay, "weight_decay": self.weight_decay},
            {"params": no_decay, "weight_decay": 0.0},
        ], lr=self.learning_rate, betas=(0.9, 0.999))

    def learning_rate_factor(self, total_steps: int):
        """Per-step multiplier of the base rate: linear warm-up, then cosine down to the minimum."""
        warmup = max(1, math.ceil(self.warmup_fraction * total_steps))
        floor = self.min_learning_rate / self.learning_rate

        def factor(step: int) -> float:
            if step < warmup:
                return (step + 1) / warmup
            progress = min(1.0, (step - warmup) / max(1, total_steps - warmup))
            return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress))
        return factor

    def train_transform(self, resolution: int) -> transforms.Compose:
        return transforms.Compose([
            transforms.RandomResizedCrop(resolution, scale=(self.crop_scale_min, 1.0), antialias=True),
            transforms.RandomHorizontalFlip(),
            transforms.ToTensor(),
        ])

    @staticmethod
    def evaluation_transform(resolution: int) -> transforms.Compose:
        # The shorter side to 9/8 of the crop (ml-cvnets: 288 for 256), as gpnav's cvnets export.
        return transforms.Compose([
            transforms.Resize((resolution * 9 + 4) // 8, antialias=True),
            transforms.CenterCrop(resolution),
            transforms.ToTensor(),
        ])


def _integer_in(name: str, value, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RecipeError(f"{name} must be an integer from {low} to {high}, got {value!r}")


def _number_in(name: str, value, low: float, high: float, low_open: bool = False, high_open: bool = False) -> None:
    """`value` in the interval; NaN fails every comparison and so is refused with infinities."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RecipeError(f"{name} must be a number, got {value!r}")
    above = value > low if low_open else value >= low
    below = value < high if high_open else value <= high
    if not (above and below and math.isfinite(value)):
        interval = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        raise RecipeError(f"{name} must be a finite number in {interval}, got {value!r}")
