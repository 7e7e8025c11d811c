"""The channel plan of a MobileViT v1 network, as gpnav writes it (`MobileViTv1NetworkPlan`).

Every width is already rounded by gpnav; this module reads and checks the document and rounds
nothing. The JSON: `stem`; five `stages`, each with `inverted_residuals` (`in`, `hidden`, `out`,
`stride`) and, in stages 3 to 5, a `mobilevit` block (`channels`, `transformer_dim`, `ffn_hidden`,
`heads`, `layers`, `patch_size`); `head` (`in`, `out`: the 1x1 conv before pooling);
`classifier` (`in`, `classes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Tuple

from .config import ConfigError, InvertedResidual


@dataclass(frozen=True)
class MobileViTv1Block:
    """A MobileViT v1 block on a `channels`-wide map with `layers` transformer layers of `heads` heads."""

    channels: int
    transformer_dim: int
    ffn_hidden: int
    heads: int
    layers: int
    patch_size: int


@dataclass(frozen=True)
class MobileViTv1Stage:
    """One stage: its inverted-residual blocks, then (stages 3 to 5) a MobileViT v1 block."""

    inverted_residuals: Tuple[InvertedResidual, ...]
    mobilevit: Optional[MobileViTv1Block]


@dataclass(frozen=True)
class MobileViTv1Plan:
    """The exact layer widths of one MobileViT v1 network, as gpnav counts it."""

    stem: int
    stages: Tuple[MobileViTv1Stage, ...]
    head_features: int
    classes: int


def parse_mobilevit_v1_plan(document: Mapping[str, Any]) -> MobileViTv1Plan:
    """Reads a v1 channel plan: the plan itself, or a document that holds it under `channel_plan`.

    Raises ConfigError when a key is missing or not a positive integer, or when consecutive
    layers disagree on their widths.
    """
    if isinstance(document, Mapping) and "channel_plan" in document:
        document = document["channel_plan"]
    where = "channel_plan"
    _require_mapping(document, where)
    stages_value = document.get("stages")
    if not isinstance(stages_value, list) or len(stages_value) != 5:
        raise ConfigError(f"{where}.stages must be a list of 5 stages")
    channels = _integer(document, "stem", where)
    stages = []
    for index, stage in enumerate(stages_value):
        at = f"{where}.stages[{index}]"
        _require_mapping(stage, at)
        blocks_value = stage.get("inverted_residuals")
        if not isinstance(blocks_value, list) or not blocks_value:
            raise ConfigError(f"{at}.inverted_residuals must be a non-empty list")
        blocks = []
        for number, block in enumerate(blocks_value):
            block_at = f"{at}.inverted_residuals[{number}]"
            _require_mapping(block, block_at)
            parsed = InvertedResidual(
                input=_integer(block, "in", block_at), hidden=_integer(block, "hidden", block_at),
                output=_integer(block, "out", block_at), stride=_integer(block, "stride", block_at))
            if parsed.stride not in (1, 2) or (number > 0 and parsed.stride != 1):
                raise ConfigError(f"{block_at}.stride must be 1 or 2, and 1 after a stage's first block")
            if parsed.input != channels:
                raise ConfigError(f"{block_at}.in is {parsed.input}, but the previous layer has {channels} channels")
            channels = parsed.output
            blocks.append(parsed)
        mobilevit = None
        if stage.get("mobilevit") is not None:
            block_at = f"{at}.mobilevit"
            value = stage["mobilevit"]
            _require_mapping(value, block_at)
            mobilevit = MobileViTv1Block(**{key: _integer(value, key, block_at) for key in (
                "channels", "transformer_dim", "ffn_hidden", "heads", "layers", "patch_size")})
            if mobilevit.channels != channels:
                raise ConfigError(f"{block_at}.channels is {mobilevit.channels}, but the stage has {channels}")
            if mobilevit.transformer_dim % mobilevit.heads:
                raise ConfigError(f"{block_at}.transformer_dim {mobilevit.transformer_dim} does not split into "
                                  f"{mobilevit.heads} heads")
        if (mobilevit is not None) != (index >= 2):
            raise ConfigError(f"{at}: stages 3 to 5, and only they, end in a MobileViT block")
        stages.append(MobileViTv1Stage(tuple(blocks), mobilevit))
    head = document.get("head")
    _require_mapping(head, f"{where}.head")
    if _integer(head, "in", f"{where}.head") != channels:
        raise ConfigError(f"{where}.head.in is {head['in']}, but the last stage has {channels} channels")
    features = _integer(head, "out", f"{where}.head")
    classifier = document.get("classifier")
    _require_mapping(classifier, f"{where}.classifier")
    if _integer(classifier, "in", f"{where}.classifier") != features:
        raise ConfigError(f"{where}.classifier.in is {classifier['in']}, but the head has {features} channels")
    return MobileViTv1Plan(stem=_integer(document, "stem", where), stages=tuple(stages), head_features=features,
                           classes=_integer(classifier, "classes", f"{where}.classifier"))


def _require_mapping(value: Any, where: str) -> None:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where} must be a JSON object")


def _integer(document: Mapping[str, Any], key: str, where: str) -> int:
    value = document.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        shown = "missing" if key not in document else repr(value)
        raise ConfigError(f"{where} key '{key}' must be a positive integer, got {shown}")
    return value
