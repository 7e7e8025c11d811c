"""`build_model`: the network gpnav counts, of the configuration's family.

Each registered family (`families.FAMILIES`) builds its own network from its channel plan, in its
own folder: MobileViTv2 and MobileViT v1 from timm's ByobNet and blocks, MobileNetV2 from
torchvision's blocks. Every width comes from the configuration's `channel_plan` and is checked on
the built modules.
"""

from __future__ import annotations

import os
from typing import Any, Mapping, Union

from torch import nn

from .config import TrialConfig, load_config
from .families import FAMILIES


def build_model(config: Union[TrialConfig, Mapping[str, Any], str, os.PathLike]) -> nn.Module:
    """Builds the architecture a gpnav configuration describes, with randomly initialised weights.

    `config` is the `{config}` file a training command receives, `gpnav export --format json`'s
    document, either parsed (a mapping) or as a path, or a `TrialConfig`. The model takes
    `[batch, 3, resolution, resolution]` images and returns `[batch, classes]` logits; its
    parameter count is the configuration's `params`. The configuration's `family` chooses the
    network (`families.FAMILIES`; no `family` means MobileViTv2).

    Raises ConfigError when the configuration is malformed or of another family.
    """
    trial = config if isinstance(config, TrialConfig) else load_config(config)
    return FAMILIES[trial.family].build(trial.plan)
