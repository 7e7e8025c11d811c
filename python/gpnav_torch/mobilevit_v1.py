"""`build_mobilevit_v1`: the MobileViT v1 network gpnav counts, built from timm's blocks.

timm runs MobileViT v1 (`mobilevit_xxs`, `mobilevit_xs`, `mobilevit_s`) as a ByobNet: a stem,
five stages of `bottle` blocks (inverted residuals) and, in stages 3 to 5, a `mobilevit` block,
then a 1x1 conv (`num_features`) and the classifier. Here the ByoModelCfg comes from gpnav's
channel plan, and every width of the built modules is checked against it.
"""

from __future__ import annotations

from typing import Any, Mapping, Union

from timm.layers import Mlp
from timm.models.byobnet import ByobNet, ByoBlockCfg, ByoModelCfg
from timm.models.mobilevit import MobileVitBlock  # noqa: F401  registers the 'mobilevit' block type
from torch import nn

from .config import ConfigError
from .mobilevit_v1_plan import MobileViTv1Plan, parse_mobilevit_v1_plan


def build_mobilevit_v1(plan: Union[MobileViTv1Plan, Mapping[str, Any]]) -> nn.Module:
    """Builds the MobileViT v1 network of a gpnav channel plan, with randomly initialised weights.

    `plan` is gpnav's `MobileViTv1NetworkPlan` JSON (parsed), a document holding it under
    `channel_plan`, or a parsed `MobileViTv1Plan`. The model takes `[batch, 3, r, r]` images and
    returns `[batch, classes]` logits. Raises ConfigError when the plan is malformed or timm cannot
    build one of its widths.
    """
    parsed = plan if isinstance(plan, MobileViTv1Plan) else parse_mobilevit_v1_plan(plan)
    model = ByobNet(_model_cfg(parsed), num_classes=parsed.classes, global_pool="avg")
    _fit_feed_forward_widths(model, parsed)
    _check_widths(model, parsed)
    return model


def _model_cfg(plan: MobileViTv1Plan) -> ByoModelCfg:
    stages = []
    for stage in plan.stages:
        blocks = [
            # timm's inverted residual: a bottleneck whose 1x1 expansion is bottle_ratio x its input.
            ByoBlockCfg(type="bottle", d=1, c=block.output, s=block.stride, gs=1, br=block.hidden / block.input,
                        block_kwargs=dict(bottle_in=True, linear_out=True))
            for block in stage.inverted_residuals
        ]
        if stage.mobilevit is not None:
            block = stage.mobilevit
            blocks.append(ByoBlockCfg(
                type="mobilevit", d=1, c=block.channels, s=1,
                block_kwargs=dict(transformer_dim=block.transformer_dim, transformer_depth=block.layers,
                                  patch_size=block.patch_size, num_heads=block.heads,
                                  mlp_ratio=block.ffn_hidden / block.transformer_dim)))
        stages.append(tuple(blocks))
    return ByoModelCfg(blocks=tuple(stages), stem_chs=plan.stem, stem_type="3x3", stem_pool="", downsample="",
                       act_layer="silu", num_features=plan.head_features)


def _fit_feed_forward_widths(model: ByobNet, plan: MobileViTv1Plan) -> None:
    """Replaces an FFN whose width timm's `int(d x mlp_ratio)` missed by one of the plan's width."""
    for stage_index, stage in enumerate(plan.stages):
        if stage.mobilevit is None:
            continue
        block = model.stages[stage_index][len(stage.inverted_residuals)]
        for layer in block.transformer:
            if layer.mlp.fc1.out_features != stage.mobilevit.ffn_hidden:
                layer.mlp = Mlp(stage.mobilevit.transformer_dim, stage.mobilevit.ffn_hidden, act_layer=nn.SiLU)


def _check_widths(model: ByobNet, plan: MobileViTv1Plan) -> None:
    """Every convolution's width against the plan; a mismatch means timm could not express it."""
    def expect(what: str, actual: int, expected: int) -> None:
        if actual != expected:
            raise ConfigError(f"timm built {what} with {actual} where the channel plan says {expected}")

    expect("the stem", model.stem.conv.out_channels, plan.stem)
    for stage_index, stage in enumerate(plan.stages):
        blocks = model.stages[stage_index]
        for index, planned in enumerate(stage.inverted_residuals):
            built = blocks[index]
            name = f"stage {stage_index + 1} block {index}"
            expect(f"{name}'s expansion", built.conv1_1x1.conv.out_channels, planned.hidden)
            expect(f"{name}'s output", built.conv3_1x1.conv.out_channels, planned.output)
            expect(f"{name}'s stride", built.conv2_kxk.conv.stride[0], planned.stride)
        if stage.mobilevit is not None:
            built = blocks[len(stage.inverted_residuals)]
            name = f"stage {stage_index + 1}'s MobileViT block"
            expect(f"{name}'s transformer dim", built.conv_1x1.out_channels, stage.mobilevit.transformer_dim)
            expect(f"{name}'s output", built.conv_fusion.conv.out_channels, stage.mobilevit.channels)
            expect(f"{name}'s layers", len(built.transformer), stage.mobilevit.layers)
            for layer in built.transformer:
                expect(f"{name}'s heads", layer.attn.num_heads, stage.mobilevit.heads)
                expect(f"{name}'s FFN", layer.mlp.fc1.out_features, stage.mobilevit.ffn_hidden)
    expect("the head conv", model.final_conv.conv.out_channels, plan.head_features)
    expect("the classifier", model.head.fc.out_features, plan.classes)
