"""The channel plan of a MobileViTv2 network, as gpnav writes it (`NetworkPlan`).

Every width is already rounded by gpnav; this module reads and checks the document and rounds
nothing. The JSON: `stem`; five `stages`, each with `inverted_residuals` (`in`, `hidden`, `out`,
`stride`) and, in stages 3 to 5, a `mobilevit` block (`channels`, `attention_dim`, `ffn_hidden`,
`layers`, `patch_size`); `classifier` (`in`, `classes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Tuple

from ...config_error import positive_integer
from ...plan_stages import InvertedResidual, read_classifier, read_stages


@dataclass(frozen=True)
class MobileViTBlock:
    """A MobileViTv2 block on a `channels`-wide map with `layers` attention layers of width `attention_dim`."""

    channels: int
    attention_dim: int
    ffn_hidden: int
    layers: int
    patch_size: int


@dataclass(frozen=True)
class Stage:
    """One stage: its inverted-residual blocks, then (stages 3 to 5) a MobileViTv2 block."""

    inverted_residuals: Tuple[InvertedResidual, ...]
    mobilevit: Optional[MobileViTBlock]


@dataclass(frozen=True)
class ChannelPlan:
    """The exact layer widths of one architecture, as gpnav counts it."""

    stem: int
    stages: Tuple[Stage, ...]
    classifier_input: int
    classes: int


def parse_mobilevit_v2_plan(value: Any) -> ChannelPlan:
    """Reads a MobileViTv2 channel plan; ConfigError when a key is missing or not a positive
    integer, or when consecutive layers disagree on their widths."""
    stem, stages, channels = read_stages(value, _mobilevit_block, "MobileViTv2 block")
    return ChannelPlan(
        stem=stem, stages=tuple(Stage(blocks, mobilevit) for blocks, mobilevit in stages),
        classifier_input=channels, classes=read_classifier(value, channels))


def _mobilevit_block(value: Mapping[str, Any], where: str) -> MobileViTBlock:
    return MobileViTBlock(**{key: positive_integer(value, key, where) for key in (
        "channels", "attention_dim", "ffn_hidden", "layers", "patch_size")})
