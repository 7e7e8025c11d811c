"""`build_mobilevit_v2`: the MobileViTv2 gpnav counts, built from timm's blocks.

timm's ByobNet runs MobileViTv2 as a stem and five stages of `bottle` blocks (inverted residuals)
and `mobilevit2` blocks. Its own `mobilevitv2_*` configurations derive the widths from the
multiplier with timm's rounding, which differs from ml-cvnets' at most widths; here every width
comes from the configuration's `channel_plan` instead, and is checked on the built modules.
"""

from __future__ import annotations

from timm.layers import ConvMlp
from timm.models.byobnet import ByobNet, ByoBlockCfg
from timm.models.mobilevit import MobileVitV2Block  # noqa: F401  registers the 'mobilevit2' block type
from torch import nn

from ...byobnet import build_byobnet, check_built, mobilevit_blocks
from .plan import ChannelPlan, MobileViTBlock


def build_mobilevit_v2(plan: ChannelPlan) -> nn.Module:
    """The MobileViTv2 of a parsed channel plan, from timm's ByobNet; its widths checked."""
    model = build_byobnet(plan, _mobilevit_cfg, _feed_forward, num_features=0)
    _check_widths(model, plan)
    return model


def _mobilevit_cfg(block: MobileViTBlock) -> ByoBlockCfg:
    return ByoBlockCfg(
        type="mobilevit2", d=1, c=block.channels, s=1, gs=1,
        block_kwargs=dict(transformer_dim=block.attention_dim, transformer_depth=block.layers,
                          patch_size=block.patch_size, mlp_ratio=block.ffn_hidden / block.attention_dim))


def _feed_forward(block: MobileViTBlock) -> nn.Module:
    return ConvMlp(block.attention_dim, block.ffn_hidden, act_layer=nn.SiLU)


def _check_widths(model: ByobNet, plan: ChannelPlan) -> None:
    """The MobileViTv2 blocks and the classifier against the plan (`build_byobnet` checked the rest)."""
    for stage, planned, built in mobilevit_blocks(model, plan):
        name = f"{stage}'s MobileViTv2 block"
        check_built(f"{name}'s attention width", built.conv_1x1.out_channels, planned.attention_dim)
        check_built(f"{name}'s output width", built.conv_proj.conv.out_channels, planned.channels)
        check_built(f"{name}'s layers", len(built.transformer), planned.layers)
    check_built("the classifier's input width", model.head.fc.in_features, plan.classifier_input)
