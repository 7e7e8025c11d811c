"""The channel plan of a MobileNetV2, as gpnav writes it (`MobileNetV2NetworkPlan`).

Every width is already rounded by gpnav; this module reads and checks the document and rounds
nothing. The JSON: `stem`; seven `stages`, each a non-empty list of `inverted_residuals` (`in`,
`hidden`, `out`, `stride`, `expansion`: the 1x1 expansion is left out when `expansion` is 1);
`head` (`in`, `out`: the 1x1 conv before pooling); `classifier` (`in`, `classes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Tuple

from .config_error import ConfigError, positive_integer, require_mapping

#: MobileNetV2's stages (the paper's Table 2 without its stem and head).
STAGES = 7


@dataclass(frozen=True)
class MobileNetV2Block:
    """An inverted residual: 1x1 `input` -> `hidden` (none when `expansion` is 1), 3x3 depthwise
    with `stride`, 1x1 `hidden` -> `output`; `hidden` is `expansion` x `input`."""

    input: int
    hidden: int
    output: int
    stride: int
    expansion: int


@dataclass(frozen=True)
class MobileNetV2Stage:
    """One stage: its inverted residuals; the first carries the stage's stride."""

    inverted_residuals: Tuple[MobileNetV2Block, ...]


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
    stride is not 1 (or 2 in a stage's first block), a hidden width is not the expansion times the
    input, or consecutive layers disagree on their widths.
    """
    if isinstance(document, Mapping) and "channel_plan" in document:
        document = document["channel_plan"]
    where = "channel_plan"
    require_mapping(document, where)
    stages_value = document.get("stages")
    if not isinstance(stages_value, list) or len(stages_value) != STAGES:
        raise ConfigError(f"{where}.stages must be a list of {STAGES} stages")
    stem = channels = positive_integer(document, "stem", where)
    stages = []
    for index, stage in enumerate(stages_value):
        at = f"{where}.stages[{index}]"
        require_mapping(stage, at)
        blocks_value = stage.get("inverted_residuals")
        if not isinstance(blocks_value, list) or not blocks_value:
            raise ConfigError(f"{at}.inverted_residuals must be a non-empty list")
        blocks = []
        for number, block in enumerate(blocks_value):
            block_at = f"{at}.inverted_residuals[{number}]"
            require_mapping(block, block_at)
            parsed = MobileNetV2Block(**{field: positive_integer(block, key, block_at) for field, key in (
                ("input", "in"), ("hidden", "hidden"), ("output", "out"), ("stride", "stride"), ("expansion", "expansion"))})
            if parsed.stride not in (1, 2) or (number > 0 and parsed.stride != 1):
                raise ConfigError(f"{block_at}.stride must be 1 or 2, and 1 after a stage's first block")
            if parsed.input != channels:
                raise ConfigError(f"{block_at}.in is {parsed.input}, but the previous layer has {channels} channels")
            if parsed.hidden != parsed.expansion * parsed.input:
                raise ConfigError(f"{block_at}.hidden is {parsed.hidden}, not expansion x in = "
                                  f"{parsed.expansion * parsed.input}")
            channels = parsed.output
            blocks.append(parsed)
        stages.append(MobileNetV2Stage(tuple(blocks)))
    head = document.get("head")
    require_mapping(head, f"{where}.head")
    if positive_integer(head, "in", f"{where}.head") != channels:
        raise ConfigError(f"{where}.head.in is {head['in']}, but the last stage has {channels} channels")
    features = positive_integer(head, "out", f"{where}.head")
    classifier = document.get("classifier")
    require_mapping(classifier, f"{where}.classifier")
    if positive_integer(classifier, "in", f"{where}.classifier") != features:
        raise ConfigError(f"{where}.classifier.in is {classifier['in']}, but the head has {features} channels")
    return MobileNetV2Plan(stem=stem, stages=tuple(stages), head_features=features,
                           classes=positive_integer(classifier, "classes", f"{where}.classifier"))
