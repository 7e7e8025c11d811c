"""`build_byobnet`: timm's ByobNet of a channel plan, the part the MobileViTv2 and v1 builders share.

Both families run as a ByobNet: a 3x3 stem, five stages of `bottle` blocks (inverted residuals),
the family's MobileViT block in stages 3 to 5, SiLU throughout. The stem and the inverted
residuals are the same in both, and checked here; each family gives its MobileViT block and FFN,
and checks them and its head with `mobilevit_blocks` and `check_built`.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Tuple

from timm.models.byobnet import ByobNet, ByoBlockCfg, ByoModelCfg
from torch import nn

from .config_error import ConfigError

#: The channel plan of a family built on ByobNet (MobileViTv2's `ChannelPlan`, v1's
#: `MobileViTv1Plan`): `stem`, `stages` of `inverted_residuals` and an optional `mobilevit` block, `classes`.
Plan = Any
#: A planned MobileViT block of either family: `channels`, `layers`, `ffn_hidden` and the family's own widths.
Block = Any


def build_byobnet(plan: Plan, mobilevit_cfg: Callable[[Any], ByoBlockCfg],
                  feed_forward: Callable[[Any], nn.Module], num_features: int) -> ByobNet:
    """The ByobNet of `plan`, with randomly initialised weights, its stem and inverted residuals checked.

    `mobilevit_cfg(block)` is the family's timm block for a planned MobileViT block, and
    `feed_forward(block)` an FFN of the plan's width, put where timm's `int(d x mlp_ratio)` missed
    it; `num_features` is the width of the 1x1 conv before pooling (0: none). Raises ConfigError
    when timm built the stem or an inverted residual other than planned.
    """
    model = ByobNet(_model_cfg(plan, mobilevit_cfg, num_features), num_classes=plan.classes, global_pool="avg")
    _fit_feed_forward_widths(model, plan, feed_forward)
    _check_stem_and_inverted_residuals(model, plan)
    return model


def mobilevit_blocks(model: ByobNet, plan: Plan) -> Iterator[Tuple[str, Block, nn.Module]]:
    """Each stage's planned MobileViT block beside the built one, with the stage's name (`stage 3`)."""
    for stage_index, stage in enumerate(plan.stages):
        if stage.mobilevit is not None:
            yield f"stage {stage_index + 1}", stage.mobilevit, model.stages[stage_index][len(stage.inverted_residuals)]


def check_built(what: str, built: int, planned: int) -> None:
    """Raises ConfigError when timm built `what` other than the plan says: timm could not express it."""
    if built != planned:
        raise ConfigError(f"timm built {what} as {built} where the channel plan says {planned}")


def _model_cfg(plan: Plan, mobilevit_cfg: Callable[[Any], ByoBlockCfg], num_features: int) -> ByoModelCfg:
    stages = []
    for stage in plan.stages:
        blocks = [
            # timm's inverted residual: a bottleneck whose 1x1 expansion is bottle_ratio x its input.
            ByoBlockCfg(type="bottle", d=1, c=block.output, s=block.stride, gs=1, br=block.hidden / block.input,
                        block_kwargs=dict(bottle_in=True, linear_out=True))
            for block in stage.inverted_residuals
        ]
        if stage.mobilevit is not None:
            blocks.append(mobilevit_cfg(stage.mobilevit))
        stages.append(tuple(blocks))
    return ByoModelCfg(blocks=tuple(stages), stem_chs=plan.stem, stem_type="3x3", stem_pool="", downsample="",
                       act_layer="silu", num_features=num_features)


def _fit_feed_forward_widths(model: ByobNet, plan: Plan, feed_forward: Callable[[Any], nn.Module]) -> None:
    """Replaces an FFN whose width timm's `int(d x mlp_ratio)` missed by `feed_forward`'s, of the plan's width."""
    for _, planned, built in mobilevit_blocks(model, plan):
        for layer in built.transformer:
            # fc1 is a 1x1 conv (MobileViTv2) or a linear layer (v1); either weight's first axis is its width.
            if layer.mlp.fc1.weight.shape[0] != planned.ffn_hidden:
                layer.mlp = feed_forward(planned)


def _check_stem_and_inverted_residuals(model: ByobNet, plan: Plan) -> None:
    check_built("the stem's width", model.stem.conv.out_channels, plan.stem)
    for stage_index, stage in enumerate(plan.stages):
        for index, planned in enumerate(stage.inverted_residuals):
            built = model.stages[stage_index][index]
            name = f"stage {stage_index + 1} block {index}"
            check_built(f"{name}'s expansion width", built.conv1_1x1.conv.out_channels, planned.hidden)
            check_built(f"{name}'s output width", built.conv3_1x1.conv.out_channels, planned.output)
            check_built(f"{name}'s stride", built.conv2_kxk.conv.stride[0], planned.stride)
