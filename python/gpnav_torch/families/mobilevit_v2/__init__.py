"""MobileViTv2 (`mobilevitv2`, the default family): timm's ByobNet with MobileViTv2 blocks."""

from ...plan_stages import mobilevit_depths
from ..family import Family
from .network import build_mobilevit_v2
from .plan import ChannelPlan, MobileViTBlock, Stage, parse_mobilevit_v2_plan

FAMILY = Family("mobilevitv2", depth_groups=(("mv2_depths", 2), ("vit_depths", 3)), choices=(),
                read_plan=parse_mobilevit_v2_plan, plan_depths=mobilevit_depths, build=build_mobilevit_v2,
                timm_models=tuple(f"mobilevitv2_{width}" for width in ("050", "075", "100", "125", "150", "175", "200")))

__all__ = ["FAMILY", "ChannelPlan", "MobileViTBlock", "Stage", "build_mobilevit_v2", "parse_mobilevit_v2_plan"]
