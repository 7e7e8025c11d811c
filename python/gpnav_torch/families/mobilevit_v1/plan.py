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

from ...config_error import ConfigError, positive_integer
from ...plan_stages import InvertedResidual, read_classifier, read_head, read_stages


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
    stem, stages, channels = read_stages(document, _mobilevit_block, "MobileViT block")
    features = read_head(document, channels)
    return MobileViTv1Plan(
        stem=stem, stages=tuple(MobileViTv1Stage(blocks, mobilevit) for blocks, mobilevit in stages),
        head_features=features, classes=read_classifier(document, features))


def _mobilevit_block(value: Mapping[str, Any], where: str) -> MobileViTv1Block:
    block = MobileViTv1Block(**{key: positive_integer(value, key, where) for key in (
        "channels", "transformer_dim", "ffn_hidden", "heads", "layers", "patch_size")})
    if block.transformer_dim % block.heads:
        raise ConfigError(f"{where}.transformer_dim {block.transformer_dim} does not split into {block.heads} heads")
    return block
