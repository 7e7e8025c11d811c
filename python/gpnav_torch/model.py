"""`build_model`: the network gpnav counts, of the configuration's family.

Each registered family (`families.FAMILIES`) builds its own network from its channel plan, in its
own folder: MobileViTv2 and MobileViT v1 from timm's ByobNet and blocks, MobileNetV2 from
torchvision's blocks. Every width comes from the configuration's `channel_plan` and is checked on
the built modules.
"""

from __future__ import annotations

import os
from typing import Any, Mapping, Optional, Union

from torch import nn

from .config import TrialConfig, load_config
from .families import FAMILIES
from .pretrained import PretrainedError, load_pretrained


def build_model(config: Union[TrialConfig, Mapping[str, Any], str, os.PathLike], pretrained: Optional[str] = None,
                pretrained_file: Union[str, os.PathLike, None] = None) -> nn.Module:
    """Builds the architecture a gpnav configuration describes, with randomly initialised weights,
    or with `pretrained` ("timm") weights when it is one of timm's published models.

    `config` is the `{config}` file a training command receives, `gpnav export --format json`'s
    document, either parsed (a mapping) or as a path, or a `TrialConfig`. The model takes
    `[batch, 3, resolution, resolution]` images and returns `[batch, classes]` logits; its
    parameter count is the configuration's `params`. The configuration's `family` chooses the
    network (`families.FAMILIES`; no `family` means MobileViTv2).

    With `pretrained="timm"` the weights of timm's published model that the configuration is
    (e.g. `mobilevitv2_100`) are loaded strictly from `pretrained_file`, or else from the local
    Hugging Face cache; a classifier for another class count keeps its initialisation
    (`pretrained.load_pretrained`).

    Raises ConfigError when the configuration is malformed or of another family, and
    PretrainedError when no pretrained weights exist for it (searched widths and depths have
    none), none are found locally, or they do not fit.
    """
    trial = config if isinstance(config, TrialConfig) else load_config(config)
    model = FAMILIES[trial.family].build(trial.plan)
    if pretrained is not None:
        load_pretrained(model, trial, pretrained, None if pretrained_file is None else os.fspath(pretrained_file))
    elif pretrained_file is not None:
        raise PretrainedError("a pretrained file needs a pretrained source (pretrained='timm')")
    return model
