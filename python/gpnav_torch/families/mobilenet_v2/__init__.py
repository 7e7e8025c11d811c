"""MobileNetV2 (`mobilenetv2`): seven stages of inverted residuals, torchvision's module tree."""

from ..family import Family
from .network import build_mobilenet_v2
from .plan import STAGES, MobileNetV2Plan, parse_mobilenet_v2_plan

FAMILY = Family("mobilenetv2", depth_groups=(("depths", STAGES),), choices=(), read_plan=parse_mobilenet_v2_plan,
                plan_depths=lambda plan: (("depths", plan.depths()),), build=build_mobilenet_v2)

__all__ = ["FAMILY", "MobileNetV2Plan", "build_mobilenet_v2", "parse_mobilenet_v2_plan"]
