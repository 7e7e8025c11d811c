"""The training recipes: ml-cvnets' ImageNet recipes for MobileViTv2 and MobileViT v1, from timm's parts.

Sources: ml-cvnets `config/classification/imagenet/mobilevit_v2.yaml` and `mobilevit.yaml` (read
for this module), and ml-cvnets' option defaults (random resized crop scale 0.08 to 1;
RandAugment 2 operations at magnitude 9).

| | MobileViTv2 (ml-cvnets) | MobileViT v1 (ml-cvnets) | here, for small runs |
|---|---|---|---|
| optimiser | AdamW (0.9, 0.999), wd 0.05, none on norms and biases | AdamW, wd 0.01 on everything | the family's |
| learning rate | cosine 2e-3 to 2e-4 | the same | the same, per step |
| warm-up | 20,000 iterations from 1e-6 | 20,000 iterations from 2e-4 | 5 % of the steps (20,000 of 375,300), from the family's start |
| batch, epochs | 128 x 8 GPUs, 300 | the same | 64 per process, 10 |
| loss | cross-entropy, label smoothing 0.1 | the same | the same |
| crop | random resized, scale 0.08-1, bicubic | scale 0.08-1, bilinear | the family's |
| flip | horizontal | horizontal | the same (`--no-flip` to switch off) |
| RandAugment | yes (2 ops, magnitude 9) | no | timm's `rand-m9-n2` for v2 |
| random erase | p 0.25 | no | the family's |
| mixup / cutmix | alpha 0.2 / 1.0 | no | timm's Mixup, label smoothing inside it |
| gradient clipping | norm 10 | none | the family's |
| dropout | none | classifier 0.1, transformer 0.1 | the family's |
| multi-scale | no | crops 160 to 320 for 256 (5 scales, multiples of 32) | v1: each batch resized to one of 5 scales, 0.625x to 1.25x, multiples of 32 |
| EMA | momentum 0.0005 (decay 0.9995) | the same | timm's ModelEmaV3, decay 0.9995 with timm's warm-up |
| evaluation | shorter side 288, centre crop 256 | the same | shorter side 9/8 of the crop, centre crop |

Not verified against ml-cvnets' code: the fill value of random erasing (here zeros, timm's
`const` mode, as torchvision's default that ml-cvnets wraps), RandAugment's operation set (timm's
differs in detail from torchvision's), and the v1 sampler's batch size, which ml-cvnets scales
with each crop's area (here it stays fixed). Images are scaled to [0, 1] without mean/std
normalisation, as ml-cvnets does. Short runs on small data learn slowly under heavy
regularisation: every regulariser is a flag and can be switched off (0).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace
from typing import Optional, Tuple

import torch
from timm.data import Mixup, create_transform
from timm.loss import SoftTargetCrossEntropy
from timm.scheduler import CosineLRScheduler
from timm.utils import ModelEmaV3
from torch import nn, optim
from torchvision import transforms

#: ml-cvnets' v1 crops: 5 sizes from 160 to 320 for 256, here evenly spaced factors (whether its
#: sampler also adds the base size, and how it rounds, is not verified here).
V1_SCALES = (0.625, 0.78125, 0.9375, 1.09375, 1.25)
#: ml-cvnets' warm-up (20,000 iterations) as a share of its 300 epochs of 1,251 iterations.
WARMUP_SHARE = 20_000 / (300 * 1_251)


class RecipeError(ValueError):
    """A hyperparameter outside the range where training means anything (NaN, infinite, negative...)."""


@dataclass(frozen=True)
class Recipe:
    """The hyperparameters of a run; every one is a `python -m gpnav_torch.train` option.

    `Recipe.for_family(family)` gives the family's defaults. Checked when made: RecipeError for a
    value that is not finite or is out of its range, so that no training starts with one."""

    epochs: int = 10
    batch_size: int = 64
    learning_rate: float = 2e-3
    min_learning_rate: float = 2e-4
    warmup_fraction: float = round(WARMUP_SHARE, 3)
    warmup_start_learning_rate: float = 1e-6
    weight_decay: float = 0.05
    decay_norms_and_biases: bool = False
    label_smoothing: float = 0.1
    crop_scale_min: float = 0.08
    interpolation: str = "bicubic"
    flip: bool = True
    rand_augment: str = "rand-m9-n2"
    random_erase: float = 0.25
    mixup: float = 0.2
    cutmix: float = 1.0
    gradient_clip: float = 10.0
    dropout: float = 0.0
    classifier_dropout: float = 0.0
    multi_scale: Tuple[float, ...] = ()
    ema_decay: float = 0.9995
    seed: int = 0

    @staticmethod
    def for_family(family: str, **overrides) -> "Recipe":
        """The family's recipe (`mobilevitv2` or `mobilevit`) with `overrides` (None: the default)."""
        base = Recipe()
        if family == "mobilevit":
            base = replace(base, weight_decay=0.01, decay_norms_and_biases=True, warmup_start_learning_rate=2e-4,
                           interpolation="bilinear", rand_augment="", random_erase=0.0, mixup=0.0, cutmix=0.0,
                           gradient_clip=0.0, dropout=0.1, classifier_dropout=0.1,
                           multi_scale=V1_SCALES)
        return replace(base, **{key: value for key, value in overrides.items() if value is not None})

    def __post_init__(self) -> None:
        _integer_in("epochs", self.epochs, 1, 1_000_000)
        _integer_in("batch size", self.batch_size, 1, 1 << 20)
        _integer_in("seed", self.seed, 0, (1 << 63) - 1)
        _number_in("learning rate", self.learning_rate, 0, 10, low_open=True)
        _number_in("final learning rate", self.min_learning_rate, 0, self.learning_rate)
        _number_in("warm-up start learning rate", self.warmup_start_learning_rate, 0, self.learning_rate)
        _number_in("weight decay", self.weight_decay, 0, 10)
        _number_in("warm-up share", self.warmup_fraction, 0, 1, high_open=True)
        _number_in("label smoothing", self.label_smoothing, 0, 1, high_open=True)
        _number_in("smallest crop scale", self.crop_scale_min, 0, 1, low_open=True)
        _number_in("random erase probability", self.random_erase, 0, 1)
        _number_in("mixup alpha", self.mixup, 0, 100)
        _number_in("cutmix alpha", self.cutmix, 0, 100)
        _number_in("gradient clipping norm", self.gradient_clip, 0, 1e6)
        _number_in("dropout", self.dropout, 0, 1, high_open=True)
        _number_in("classifier dropout", self.classifier_dropout, 0, 1, high_open=True)
        _number_in("EMA decay", self.ema_decay, 0, 1, high_open=True)
        for scale in self.multi_scale:
            _number_in("multi-scale factor", scale, 0.25, 4)
        if self.interpolation not in ("bilinear", "bicubic"):
            raise RecipeError(f"interpolation must be bilinear or bicubic, got {self.interpolation!r}")
        if self.rand_augment and not self.rand_augment.startswith("rand-"):
            raise RecipeError(f"RandAugment must be a timm 'rand-...' string such as rand-m9-n2, got {self.rand_augment!r}")

    def as_dict(self) -> dict:
        """Plain values only (a checkpoint's fingerprint must load with weights_only=True)."""
        return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()}

    def summary(self) -> str:
        """One line for the log: every value that differs from the MobileViTv2 recipe's default."""
        default = Recipe()
        return ", ".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self)
                         if getattr(self, f.name) != getattr(default, f.name)) or "the MobileViTv2 defaults"

    # -- data --------------------------------------------------------------------------------

    def train_transform(self, resolution: int):
        """timm's training transform: random resized crop, flip, RandAugment, random erasing; [0, 1] tensors."""
        try:
            return create_transform(
                resolution, is_training=True, scale=(self.crop_scale_min, 1.0), hflip=0.5 if self.flip else 0.0,
                color_jitter=None, auto_augment=self.rand_augment or None, interpolation=self.interpolation,
                mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0), re_prob=self.random_erase, re_mode="const")
        except (AssertionError, ValueError, KeyError) as error:  # timm's parser of the RandAugment string
            raise RecipeError(f"RandAugment {self.rand_augment!r} is not a timm policy ({error})") from None

    def evaluation_transform(self, resolution: int) -> transforms.Compose:
        # The shorter side to 9/8 of the crop (ml-cvnets: 288 for 256), as gpnav's cvnets export.
        mode = transforms.InterpolationMode.BICUBIC if self.interpolation == "bicubic" else transforms.InterpolationMode.BILINEAR
        return transforms.Compose([
            transforms.Resize((resolution * 9 + 4) // 8, interpolation=mode, antialias=True),
            transforms.CenterCrop(resolution),
            transforms.ToTensor(),
        ])

    def mixer(self, classes: int) -> Optional[Mixup]:
        """timm's Mixup (mixup and cutmix, one of them per batch, label smoothing applied to the
        mixed targets), or None when both are off."""
        if not (self.mixup or self.cutmix):
            return None
        return Mixup(mixup_alpha=self.mixup, cutmix_alpha=self.cutmix, label_smoothing=self.label_smoothing,
                     num_classes=classes)

    def loss(self) -> nn.Module:
        """Soft-target cross-entropy under Mixup (its targets carry the smoothing), else smoothed cross-entropy."""
        if self.mixup or self.cutmix:
            return SoftTargetCrossEntropy()
        return nn.CrossEntropyLoss(label_smoothing=self.label_smoothing)

    def scale_for_step(self, step: int, resolution: int) -> int:
        """The side of a multi-scale batch (v1): one of `multi_scale` x `resolution`, in multiples
        of 32 as ml-cvnets' sampler, chosen per step from the seed; `resolution` without multi-scale."""
        if not self.multi_scale:
            return resolution
        generator = torch.Generator().manual_seed((self.seed * 1_000_003 + step) % (2 ** 63))
        factor = self.multi_scale[int(torch.randint(len(self.multi_scale), (1,), generator=generator))]
        return max(32, int(round(resolution * factor / 32)) * 32)

    # -- model and optimisation ----------------------------------------------------------------

    def apply_dropout(self, model: nn.Module) -> None:
        """Sets the classifier's dropout and the transformer's (timm builds them with p = 0).

        ml-cvnets' v1 `dropout` follows the attention's output projection and the FFN's second
        linear layer (its `attn_dropout` and `ffn_dropout`, inside them, are 0): timm's
        `attn.proj_drop` and `mlp.drop2`."""
        head = getattr(model, "head", None)
        if head is not None and isinstance(getattr(head, "drop", None), nn.Dropout):
            head.drop.p = self.classifier_dropout
        classifier = getattr(model, "classifier", None)  # torchvision's head: Sequential(Dropout, Linear)
        if isinstance(classifier, nn.Sequential) and isinstance(classifier[0], nn.Dropout):
            classifier[0].p = self.classifier_dropout
        for name, module in model.named_modules():
            if isinstance(module, nn.Dropout) and ".transformer." in name and name.endswith(("attn.proj_drop", "mlp.drop2")):
                module.p = self.dropout

    def optimizer(self, model: nn.Module) -> optim.AdamW:
        """AdamW; without decay on normalisation weights and biases (one-dimensional tensors) unless
        `decay_norms_and_biases` (ml-cvnets' v1)."""
        parameters = [p for p in model.parameters() if p.requires_grad]
        if self.decay_norms_and_biases:
            groups = [{"params": parameters, "weight_decay": self.weight_decay}]
        else:
            groups = [{"params": [p for p in parameters if p.ndim > 1], "weight_decay": self.weight_decay},
                      {"params": [p for p in parameters if p.ndim <= 1], "weight_decay": 0.0}]
        return optim.AdamW(groups, lr=self.learning_rate, betas=(0.9, 0.999))

    def scheduler(self, optimizer: optim.Optimizer, total_steps: int) -> CosineLRScheduler:
        """timm's cosine schedule per step: linear warm-up from the start rate, then cosine to the minimum."""
        warmup = math.ceil(self.warmup_fraction * total_steps)
        return CosineLRScheduler(optimizer, t_initial=max(1, total_steps - warmup), lr_min=self.min_learning_rate,
                                 warmup_t=warmup, warmup_lr_init=self.warmup_start_learning_rate,
                                 warmup_prefix=True, t_in_epochs=False)

    def ema(self, model: nn.Module) -> Optional[ModelEmaV3]:
        """timm's EMA of the weights with its warm-up (decay 1 - (1 + step)^-2/3 up to `ema_decay`),
        so that a short run's average is not stuck at the initial weights; None when the decay is 0."""
        if self.ema_decay == 0:
            return None
        return ModelEmaV3(model, decay=self.ema_decay, use_warmup=True)


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
