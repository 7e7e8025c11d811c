"""The architecture families gpnav_torch builds: one folder each, registered here with one line.

A family's folder declares its `FAMILY` (`family.Family`: its config's parts, plan reader and
builder); `FAMILIES` maps each registered name to it, the default family (that of a config
without `family`) first. Adding a family is its folder plus its line in `_REGISTERED`.
"""

from __future__ import annotations

from importlib import import_module
from typing import Dict

from .family import Family

#: The families' folders, the default first.
_REGISTERED = (
    "mobilevit_v2",
    "mobilevit_v1",
    "mobilenet_v2",
)

#: Every registered family by its name, in registration order.
FAMILIES: Dict[str, Family] = {
    family.name: family for family in (import_module(f".{folder}", __name__).FAMILY for folder in _REGISTERED)
}

__all__ = ["FAMILIES", "Family"]
