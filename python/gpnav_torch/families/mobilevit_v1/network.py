"""`build_mobilevit_v1`: the MobileViT v1 network gpnav counts, built from timm's blocks.

timm runs MobileViT v1 (`mobilevit_xxs`, `mobilevit_xs`, `mobilevit_s`) as a ByobNet: a stem,
five stages of `bottle` blocks (inverted residuals) and, in stages 3 to 5, a `mobilevit` block,
then a 1x1 conv (`num_features`) and the classifier. Here the ByoModelCfg comes from gpnav's
channel plan, and every width of the built modules is checked against it.
"""

from __future__ import annotations

from typing import Any, Mapping, Union

from timm.layers import Mlp
from timm.models.byobnet import ByobNet, ByoBlockCfg
from timm.models.mobilevit import MobileVitBlock  # noqa: F401  registers the 'mobilevit' block type
from torch import nn

from ...byobnet import build_byobnet, check_built, mobilevit_blocks
from .plan import MobileViTv1Block, MobileViTv1Plan, parse_mobilevit_v1_plan


def build_mobilevit_v1(plan: Union[MobileViTv1Plan, Mapping[str, Any]]) -> nn.Module:
    """Builds the MobileViT v1 network of a gpnav channel plan, with randomly initialised weights.

    `plan` is gpnav's `MobileViTv1NetworkPlan` JSON (parsed), a document holding it under
    `channel_plan`, or a parsed `MobileViTv1Plan`. The model takes `[batch, 3, r, r]` images and
    returns `[batch, classes]` logits. Raises ConfigError when the plan is malformed or timm cannot
    build one of its widths.
    """
    parsed = plan if isinstance(plan, MobileViTv1Plan) else parse_mobilevit_v1_plan(plan)
    model = build_byobnet(parsed, _mobilevit_cfg, _feed_forward, num_features=parsed.head_features)
    _check_widths(model, parsed)
    return model


def _mobilevit_cfg(block: MobileViTv1Block) -> ByoBlockCfg:
    return ByoBlockCfg(
        type="mobilevit", d=1, c=block.channels, s=1,
        block_kwargs=dict(transformer_dim=block.transformer_dim, transformer_depth=block.layers,
                          patch_size=block.patch_size, num_heads=block.heads,
                          mlp_ratio=block.ffn_hidden / block.transformer_dim))


def _feed_forward(block: MobileViTv1Block) -> nn.Module:
    return Mlp(block.transformer_dim, block.ffn_hidden, act_layer=nn.SiLU)


def _check_widths(model: ByobNet, plan: MobileViTv1Plan) -> None:
    """The MobileViT blocks, the head conv and the classifier against the plan (`build_byobnet` checked the rest)."""
    for stage, planned, built in mobilevit_blocks(model, plan):
        name = f"{stage}'s MobileViT block"
        check_built(f"{name}'s transformer width", built.conv_1x1.out_channels, planned.transformer_dim)
        check_built(f"{name}'s output width", built.conv_fusion.conv.out_channels, planned.channels)
        check_built(f"{name}'s layers", len(built.transformer), planned.layers)
        for layer in built.transformer:
            check_built(f"{name}'s heads", layer.attn.num_heads, planned.heads)
            check_built(f"{name}'s FFN width", layer.mlp.fc1.out_features, planned.ffn_hidden)
    check_built("the head conv's width", model.final_conv.conv.out_channels, plan.head_features)
    check_built("the classifier's classes", model.head.fc.out_features, plan.classes)
