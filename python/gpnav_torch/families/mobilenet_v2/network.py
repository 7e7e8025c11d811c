"""`build_mobilenet_v2`: the MobileNetV2 gpnav counts, built from torchvision's blocks.

The module tree is torchvision's `mobilenet_v2` (`features`: the stem, the inverted residuals in
order, the 1x1 head conv; `classifier`: dropout and the linear layer), so that a state dict of
torchvision's model loads into it strictly. The widths come from gpnav's channel plan, not from a
width multiplier, and every one is checked on the built modules.
"""

from __future__ import annotations

from typing import Any, Mapping, Union

import torch
from torch import nn
from torchvision.models.mobilenetv2 import InvertedResidual
from torchvision.ops.misc import Conv2dNormActivation

from ...config_error import ConfigError
from .plan import MobileNetV2Plan, parse_mobilenet_v2_plan


class MobileNetV2Network(nn.Module):
    """A MobileNetV2 of a channel plan: `features`, global average pooling, `classifier`."""

    def __init__(self, plan: MobileNetV2Plan) -> None:
        super().__init__()
        layers: list = [Conv2dNormActivation(3, plan.stem, stride=2, activation_layer=nn.ReLU6)]
        for stage_index, stage in enumerate(plan.stages):
            for index, block in enumerate(stage.inverted_residuals):
                expansion = block.hidden // block.input  # a whole number: parse_mobilenet_v2_plan checked it
                built = InvertedResidual(block.input, block.output, block.stride, expand_ratio=expansion)
                # torchvision derives the hidden width as round(in x t); the plan states it.
                depthwise = built.conv[0 if expansion == 1 else 1][0]
                _check_built(f"stage {stage_index + 1} block {index}'s hidden width", depthwise.out_channels, block.hidden)
                layers.append(built)
        layers.append(Conv2dNormActivation(plan.stages[-1].inverted_residuals[-1].output, plan.head_features,
                                           kernel_size=1, activation_layer=nn.ReLU6))
        self.features = nn.Sequential(*layers)
        # p = 0 as timm builds its heads; the recipe sets the classifier dropout (Recipe.apply_dropout).
        self.classifier = nn.Sequential(nn.Dropout(p=0.0), nn.Linear(plan.head_features, plan.classes))
        for module in self.modules():  # torchvision's initialisation
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out")
            elif isinstance(module, nn.BatchNorm2d):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Linear):
                nn.init.normal_(module.weight, 0, 0.01)
                nn.init.zeros_(module.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)
        x = nn.functional.adaptive_avg_pool2d(x, (1, 1))
        return self.classifier(torch.flatten(x, 1))


def build_mobilenet_v2(plan: Union[MobileNetV2Plan, Mapping[str, Any]]) -> nn.Module:
    """Builds the MobileNetV2 of a gpnav channel plan, with randomly initialised weights.

    `plan` is gpnav's `MobileNetV2NetworkPlan` JSON (parsed), a document holding it under
    `channel_plan`, or a parsed `MobileNetV2Plan`. The model takes `[batch, 3, r, r]` images and
    returns `[batch, classes]` logits. Raises ConfigError when the plan is malformed.
    """
    parsed = plan if isinstance(plan, MobileNetV2Plan) else parse_mobilenet_v2_plan(plan)
    return MobileNetV2Network(parsed)


def _check_built(what: str, built: int, planned: int) -> None:
    if built != planned:
        raise ConfigError(f"torchvision built {what} as {built} where the channel plan says {planned}")
