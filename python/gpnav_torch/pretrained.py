"""Pretrained starts: timm's published ImageNet weights for a configuration that is one of timm's models.

gpnav's MobileViTv2 and MobileViT v1 builders make timm's own modules, so a configuration whose
network is one of timm's published models (`Family.timm_models`, e.g. `mobilevitv2_100`) has the
same tensors, by name and shape, as timm's model and can start from its weights. Which published
model a configuration is, is decided by the tensors themselves (built on the meta device, so
nothing is allocated): a searched width or depth matches none, and is told so.

The weights are found without the network: a file given, or timm's Hugging Face Hub cache
(`timm/<model>.<tag>`, `model.safetensors` or `pytorch_model.bin`, as `timm.create_model(name,
pretrained=True)` leaves them). They are read as a bounded regular file, safetensors or
`torch.load(weights_only=True)`, and loaded strictly: every tensor must be there with its shape.
The one exception is a classifier for another number of classes (timm's are for ImageNet's
1,000): the network keeps its own freshly initialised one, as timm's own fine-tuning start does.
"""

from __future__ import annotations

import os
from typing import Dict, Optional, Tuple

import torch
from torch import nn

from .config import TrialConfig
from .families import FAMILIES
from .weights import WeightsError, check_fits, read_state_dict, weights_bytes_bound

#: The sources of pretrained weights `build_model(..., pretrained=...)` knows.
SOURCES = ("timm",)
#: The files of a timm model in the Hugging Face Hub cache, in the order they are looked for.
_HUB_FILES = ("model.safetensors", "pytorch_model.bin")


class PretrainedError(Exception):
    """No pretrained weights for this network, or weights that cannot be read or do not fit it."""


class PretrainedNotCachedError(PretrainedError):
    """Published weights exist for this network but are not in the local cache, and no file was given."""


def load_pretrained(model: nn.Module, config: TrialConfig, source: str, file: Optional[str] = None) -> str:
    """Loads `source`'s pretrained weights into `model` (built from `config`); returns the name of
    the published model whose weights were loaded.

    `file` is a weights file to read instead of the Hub cache. Raises PretrainedError when the
    source is unknown, the configuration is not a published model of `source`, no weights are in
    the cache, or the weights cannot be read or do not fit."""
    if source not in SOURCES:
        raise PretrainedError(f"unknown pretrained source {source!r}; known: {', '.join(SOURCES)}")
    name, classifier, hub_id = _published_model(model, config)
    path = file if file is not None else _cached_file(name, hub_id)
    try:
        weights = dict(read_state_dict(path, weights_bytes_bound(model)))
        # A classifier for another number of classes (timm's are for ImageNet's 1,000) is not
        # the network's: it keeps its own. Every other tensor must fit.
        own = model.state_dict()
        for key in [key for key in weights if key.startswith(classifier + ".")]:
            if key in own and weights[key].shape != own[key].shape:
                weights[key] = own[key]
        check_fits(model, weights, path)
    except WeightsError as error:
        raise PretrainedError(f"timm's {name}: {error}") from None
    model.load_state_dict(weights, strict=True)
    return name


def _published_model(model: nn.Module, config: TrialConfig) -> Tuple[str, str, str]:
    """timm's name, classifier and Hub id of the published model `model` is; PretrainedError when none."""
    family = FAMILIES[config.family]
    if not family.timm_models:
        raise PretrainedError(f"timm has no pretrained weights in the layout of gpnav's {family.name} networks")
    import timm

    shapes = _shapes(model)
    for name in family.timm_models:
        with torch.device("meta"):
            reference = timm.create_model(name, num_classes=config.classes)
        if _shapes(reference) == shapes:
            cfg = reference.pretrained_cfg
            return name, cfg.get("classifier", "head.fc"), cfg.get("hf_hub_id") or f"timm/{name}"
    raise PretrainedError(f"this {family.name} network (width {config.width:g}, "
                          + ", ".join(f"{key} {list(value)}" for key, value in config.depths)
                          + ") is not one of timm's published models ("
                          + ", ".join(family.timm_models)
                          + "): searched widths and depths have no pretrained weights")


def _shapes(model: nn.Module) -> Dict[str, Tuple[int, ...]]:
    return {key: tuple(value.shape) for key, value in model.state_dict().items()}


def _cached_file(name: str, hub_id: str) -> str:
    """The weights of `hub_id` in the local Hugging Face Hub cache; PretrainedError when absent."""
    from huggingface_hub import try_to_load_from_cache

    for filename in _HUB_FILES:
        found = try_to_load_from_cache(repo_id=hub_id, filename=filename)
        if isinstance(found, str) and os.path.isfile(found):
            return found
    raise PretrainedNotCachedError(f"timm's weights of {name} are not in the local Hugging Face cache ({hub_id}, "
                          f"where timm.create_model('{name}', pretrained=True) puts them), and no file was given")
