"""`Family`: what gpnav_torch knows of one architecture family, declared in the family's folder.

A family's folder (`families/<name>/`) holds its channel plan's reader and its network builder, and
its `__init__.py` declares `FAMILY`; `families/__init__.py` registers the folder with one line.
Everything outside the folder (reading a config, building, training, export) goes through this
record, as gpnav's Swift side goes through its `ArchitectureFamily` protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Tuple

#: Depth lists by the family's key, in the family's order, e.g. (("mv2_depths", (1, 2)), ...).
Depths = Tuple[Tuple[str, Tuple[int, ...]], ...]


@dataclass(frozen=True)
class Family:
    """One family: its registered `name` (a config's `family`, as gpnav writes it) and its parts.

    `depth_groups`: each depth list's key and its number of stages; `choices`: the keys of the
    family's other parts (a text or a positive integer each); `read_plan(value)`: its
    `channel_plan` read and checked (ConfigError otherwise); `plan_depths(plan)`: the depth lists
    that plan builds, which must be the config's; `build(plan)`: the network of a read plan, with
    randomly initialised weights, taking `[batch, 3, r, r]` images to `[batch, classes]` logits;
    `timm_models`: timm's names of the family's published models whose pretrained weights fit
    networks this builder makes (`pretrained`), none when timm's layout is not the builder's.
    """

    name: str
    depth_groups: Tuple[Tuple[str, int], ...]
    choices: Tuple[str, ...]
    read_plan: Callable[[Any], Any]
    plan_depths: Callable[[Any], Depths]
    build: Callable[[Any], Any]
    timm_models: Tuple[str, ...] = ()
