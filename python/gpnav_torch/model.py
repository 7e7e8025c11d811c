"""`build_model`: the network gpnav counts, built from timm's blocks.

timm's ByobNet runs MobileViTv2 as a stem and five stages of `bottle` blocks (inverted residuals)
and `mobilevit2` blocks. Its own `mobilevitv2_*` configurations derive the widths from the
multiplier with timm's rounding, which differs from ml-cvnets' at most widths; here every width
comes from the configuration's `channel_plan` instead, and is checked on the built modules.
A configuration of family `mobilevit` is built by `build_mobilevit_v1` from its v1 plan.
"""

from __future__ import annotations

import os
from typing import Any, Mapping, Union

from torch import nn
from timm.layers import ConvMlp
from timm.models.byobnet import ByobNet, ByoBlockCfg, ByoModelCfg
from timm.models.mobilevit import MobileVitV2Block  # noqa: F401  registers the 'mobilevit2' block type

from .config import ChannelPlan, ConfigError, TrialConfig, load_config
from .mobilevit_v1 import build_mobilevit_v1


def build_model(config: Union[TrialConfig, Mapping[str, Any], str, os.PathLike]) -> nn.Module:
    """Builds the architecture a gpnav configuration describes, with randomly initialised weights.

    `config` is the `{config}` file a training command receives, `gpnav export --format json`'s
    document, either parsed (a mapping) or as a path, or a `TrialConfig`. The model takes
    `[batch, 3, resolution, resolution]` images and returns `[batch, classes]` logits; its
    parameter count is the configuration's `params`. The configuration's `family` chooses the
    network: MobileViTv2 (`mobilevitv2`, or no `family`) or MobileViT v1 (`mobilevit`).

    Raises ConfigError when the configuration is malformed or of another family.
    """
    trial = config if isinstance(config, TrialConfig) else load_config(config)
    if trial.family == "mobilevit":
        return build_mobilevit_v1(trial.plan)
    plan = trial.plan
    model = ByobNet(_model_cfg(plan), num_classes=plan.classes, global_pool="avg")
    _fit_feed_forward_widths(model, plan)
    _check_widths(model, plan)
    return model


def _model_cfg(plan: ChannelPlan) -> ByoModelCfg:
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
                type="mobilevit2", d=1, c=block.channels, s=1, gs=1,
                block_kwargs=dict(transformer_dim=block.attention_dim, transformer_depth=block.layers,
                                  patch_size=block.patch_size, mlp_ratio=block.ffn_hidden / block.attention_dim)))
        stages.append(tuple(blocks))
    return ByoModelCfg(
        blocks=tuple(stages), stem_chs=plan.stem, stem_type="3x3", stem_pool="", downsample="",
        act_layer="silu", num_features=0)


def _fit_feed_forward_widths(model: ByobNet, plan: ChannelPlan) -> None:
    """Replaces an FFN whose width timm's `int(d x mlp_ratio)` missed by one of the plan's width."""
    for stage_index, stage in enumerate(plan.stages):
        if stage.mobilevit is None:
            continue
        block = model.stages[stage_index][len(stage.inverted_residuals)]
        for layer in block.transformer:
            if layer.mlp.fc1.out_channels != stage.mobilevit.ffn_hidden:
                layer.mlp = ConvMlp(stage.mobilevit.attention_dim, stage.mobilevit.ffn_hidden, act_layer=nn.SiLU)


def _check_widths(model: ByobNet, plan: ChannelPlan) -> None:
    """Every convolution's width against the plan; a mismatch means timm could not express it."""
    def expect(what: str, actual: int, expected: int) -> None:
        if actual != expected:
            raise ConfigError(f"timm built {what} with {actual} channels where the channel plan says {expected}")

    expect("the stem", model.stem.conv.out_channels, plan.stem)
    for stage_index, stage in enumerate(plan.stages):
        blocks = model.stages[stage_index]
        for index, planned in enumerate(stage.inverted_residuals):
            built = blocks[index]
            name = f"stage {stage_index + 1} block {index}"
            expect(f"{name}'s expansion", built.conv1_1x1.conv.out_channels, planned.hidden)
            expect(f"{name}'s output", built.conv3_1x1.conv.out_channels, planned.output)
            if built.conv2_kxk.conv.stride[0] != planned.stride:
                raise ConfigError(f"timm built {name} with stride {built.conv2_kxk.conv.stride[0]}, not {planned.stride}")
        if stage.mobilevit is not None:
            built = blocks[len(stage.inverted_residuals)]
            name = f"stage {stage_index + 1}'s MobileViTv2 block"
            expect(f"{name}'s attention", built.conv_1x1.out_channels, stage.mobilevit.attention_dim)
            expect(f"{name}'s output", built.conv_proj.conv.out_channels, stage.mobilevit.channels)
            if len(built.transformer) != stage.mobilevit.layers:
                raise ConfigError(f"timm built {name} with {len(built.transformer)} layers, not {stage.mobilevit.layers}")
    expect("the classifier", model.head.fc.in_features, plan.classifier_input)
