"""The stem, the stages and the head conv of a channel plan: the parts the families' plans share.

gpnav writes for every family `stem` and its `stages`, each a non-empty list of
`inverted_residuals` (`in`, `hidden`, `out`, `stride`) and, in the MobileViT families' stages 3 to
5 only, a `mobilevit` block on the stage's width whose other keys are the family's. `read_stages`
reads and checks that part, `read_head` the 1x1 conv before pooling (MobileViT v1, MobileNetV2);
each family reads its own attention block and the layers after the last stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional, Protocol, Tuple, TypeVar

from .config_error import ConfigError, positive_integer, require_mapping


@dataclass(frozen=True)
class InvertedResidual:
    """An MV2 block: 1x1 `input` -> `hidden`, 3x3 depthwise with `stride`, 1x1 `hidden` -> `output`."""

    input: int
    hidden: int
    output: int
    stride: int


class _OnChannels(Protocol):
    @property
    def channels(self) -> int: ...


Block = TypeVar("Block", bound=_OnChannels)


def read_stages(plan: Any, read_mobilevit: Optional[Callable[[Any, str], Block]], block_name: str,
                stage_count: int = 5, attention_from: int = 2
                ) -> Tuple[int, Tuple[Tuple[Tuple[InvertedResidual, ...], Optional[Block]], ...], int]:
    """Reads a channel plan's stem and stages: the stem's width, each stage's inverted residuals and
    attention block (None where a stage has none), and the last stage's width.

    `read_mobilevit(value, where)` reads the JSON object of a stage's `mobilevit` block, found at
    `where`, into the family's block; `block_name` names that block in errors ("MobileViT block").
    A plan has `stage_count` stages, those from index `attention_from` on closed by such a block;
    a family without one (MobileNetV2) passes None and `attention_from` = `stage_count`.
    Raises ConfigError when the plan or a stage is not an object, there are not `stage_count`
    stages, a width or stride is not a positive integer, a block's input is not the width before
    it, a stride is not 1 (or 2 in a stage's first block), or a MobileViT block is missing, extra
    or on another width.
    """
    where = "channel_plan"
    require_mapping(plan, where)
    stages_value = plan.get("stages")
    if not isinstance(stages_value, list) or len(stages_value) != stage_count:
        raise ConfigError(f"{where}.stages must be a list of {stage_count} stages")
    stem = channels = positive_integer(plan, "stem", where)
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
            parsed = InvertedResidual(
                input=positive_integer(block, "in", block_at), hidden=positive_integer(block, "hidden", block_at),
                output=positive_integer(block, "out", block_at), stride=positive_integer(block, "stride", block_at))
            if parsed.stride not in (1, 2) or (number > 0 and parsed.stride != 1):
                raise ConfigError(f"{block_at}.stride must be 1 or 2, and 1 after a stage's first block")
            if parsed.input != channels:
                raise ConfigError(f"{block_at}.in is {parsed.input}, but the previous layer has {channels} channels")
            channels = parsed.output
            blocks.append(parsed)
        mobilevit = None
        if stage.get("mobilevit") is not None and read_mobilevit is not None:
            block_at = f"{at}.mobilevit"
            require_mapping(stage["mobilevit"], block_at)
            mobilevit = read_mobilevit(stage["mobilevit"], block_at)
            if mobilevit.channels != channels:
                raise ConfigError(f"{block_at}.channels is {mobilevit.channels}, but the stage has {channels}")
        if (mobilevit is not None) != (index >= attention_from) or (read_mobilevit is None and "mobilevit" in stage):
            if attention_from >= stage_count:
                raise ConfigError(f"{at}: no stage of this family has a {block_name}")
            raise ConfigError(f"{at}: stages {attention_from + 1} to {stage_count}, and only they, end in a {block_name}")
        stages.append((tuple(blocks), mobilevit))
    return stem, tuple(stages), channels


def read_head(plan: Any, channels: int) -> int:
    """The width of the plan's `head` (`in`, `out`), the 1x1 conv after the last stage's `channels`;
    ConfigError when it is malformed or its input is another width."""
    where = "channel_plan.head"
    head = plan.get("head")
    require_mapping(head, where)
    if positive_integer(head, "in", where) != channels:
        raise ConfigError(f"{where}.in is {head['in']}, but the last stage has {channels} channels")
    return positive_integer(head, "out", where)


def read_classifier(plan: Any, features: int) -> int:
    """The class count of the plan's `classifier` (`in`, `classes`), the linear layer on `features`
    pooled channels; ConfigError when it is malformed or its input is another width."""
    where = "channel_plan.classifier"
    classifier = plan.get("classifier")
    require_mapping(classifier, where)
    if positive_integer(classifier, "in", where) != features:
        raise ConfigError(f"{where}.in is {classifier['in']}, but the layer before it has {features} channels")
    return positive_integer(classifier, "classes", where)


def mobilevit_depths(plan: Any) -> Tuple[Tuple[str, Tuple[int, ...]], ...]:
    """The MV2 blocks of stages 1-2 and the attention layers of stages 3-5 of a MobileViT plan (v1
    or v2): its `mv2_depths` and `vit_depths`, as the config states them."""
    return (("mv2_depths", tuple(len(stage.inverted_residuals) for stage in plan.stages[:2])),
            ("vit_depths", tuple(stage.mobilevit.layers for stage in plan.stages[2:] if stage.mobilevit)))
