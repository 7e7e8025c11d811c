"""The channel plan of a MobileNetV2, as gpnav writes it (`MobileNetV2NetworkPlan`).

Every width is already rounded by gpnav; this module reads and checks the document and rounds
nothing. The JSON: `stem`; seven `stages`, each a non-empty list of `inverted_residuals` (`in`,
`hidden`, `out`, `stride`; the 1x1 expansion is left out where `hidden` equals `in`, an expansion
ratio of 1); `head` (`in`, `out`: the 1x1 conv before pooling); `classifier` (`in`, `classes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Tuple

from ...config_error import ConfigError
from ...plan_stages import InvertedResidual, read_classifier, read_head, read_stages

#: MobileNetV2's stages (the paper's Table 2 without its stem and head).
STAGES = 7


@dataclass(frozen=True)
class MobileNetV2Stage:
    """One stage: its inverted residuals; `mobilevit` is None, as in every stage without attention."""

    inverted_residuals: Tuple[InvertedResidual, ...]
    mobilevit: None = None


@dataclass(frozen=True)
class MobileNetV2Plan:
    """The exact layer widths of one MobileNetV2, as gpnav counts it."""

    stem: int
    stages: Tuple[MobileNetV2Stage, ...]
    head_features: int
    classes: int

    def depths(self) -> Tuple[int, ...]:
        """The inverted residuals of each stage: what the config's `depths` says."""
        return tuple(len(stage.inverted_residuals) for stage in self.stages)


def parse_mobilenet_v2_plan(document: Any) -> MobileNetV2Plan:
    """Reads a MobileNetV2 channel plan: the plan itself, or a document that holds it under `channel_plan`.

    Raises ConfigError when a key is missing or not a positive integer, there are not 7 stages, a
    stride is not 1 (or 2 in a stage's first block), a hidden width is not a whole multiple of
    its input (the expansion ratio), or consecutive layers disagree on their widths.
    """
    if isinstance(document, Mapping) and "channel_plan" in document:
        document = document["channel_plan"]
    where = "channel_plan"
    stem, stages, channels = read_stages(document, None, "attention block", stage_count=STAGES, attention_from=STAGES)
    for index, (blocks, _) in enumerate(stages):
        for number, block in enumerate(blocks):
            if block.hidden % block.input:
                raise ConfigError(f"{where}.stages[{index}].inverted_residuals[{number}].hidden is {block.hidden}, "
                                  f"not a whole multiple of its in {block.input}")
    features = read_head(document, channels)
    return MobileNetV2Plan(stem=stem, stages=tuple(MobileNetV2Stage(blocks) for blocks, _ in stages),
                           head_features=features, classes=read_classifier(document, features))
