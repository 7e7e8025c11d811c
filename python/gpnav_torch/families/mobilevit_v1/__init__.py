"""MobileViT v1 (`mobilevit`): timm's ByobNet with MobileViT blocks, a base plan and an MV2 expansion."""

from ...plan_stages import mobilevit_depths
from ..family import Family
from .network import build_mobilevit_v1
from .plan import MobileViTv1Plan, parse_mobilevit_v1_plan

FAMILY = Family("mobilevit", depth_groups=(("mv2_depths", 2), ("vit_depths", 3)), choices=("base_plan", "expansion"),
                read_plan=parse_mobilevit_v1_plan, plan_depths=mobilevit_depths, build=build_mobilevit_v1,
                timm_models=("mobilevit_xxs", "mobilevit_xs", "mobilevit_s"))

__all__ = ["FAMILY", "MobileViTv1Plan", "build_mobilevit_v1", "parse_mobilevit_v1_plan"]
