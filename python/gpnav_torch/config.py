"""The training-command protocol's configuration: the JSON gpnav writes for `{config}`.

gpnav writes one file per trial (and `gpnav export --format json` the same document) with the
architecture (`family`, `resolution`, `width`, `classes`, and the family's own parts: its depth
groups and choices), its exact counts (`macs`, `params`) and `channel_plan`, every layer width a
builder needs. `FAMILIES` says, per family, which parts its config has and how its plan reads:
`mobilevitv2` (also when `family` is absent: `mv2_depths`, `vit_depths`), `mobilevit` (v1: the
same depths, `base_plan` and `expansion`, a `MobileViTv1Plan`) and `mobilenetv2` (`depths`, a
`MobileNetV2Plan`). This module reads and checks that document; it rounds nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Tuple, Union

from .bounded_json import BoundedJSONError, read_bounded_json
from .config_error import ConfigError, positive_integer
from .mobilenet_v2_plan import STAGES as MOBILENET_V2_STAGES, MobileNetV2Plan, parse_mobilenet_v2_plan
from .mobilevit_v1_plan import MobileViTv1Plan, parse_mobilevit_v1_plan
from .plan_stages import InvertedResidual, read_classifier, read_stages

#: The family of a config without `family` (gpnav writes none for MobileViTv2).
DEFAULT_FAMILY = "mobilevitv2"
#: The largest width multiplier read (published models use 0.5 to 2).
MAX_WIDTH = 1000
#: The largest config file read. gpnav's configs are a few kB; a plan of hundreds of blocks fits.
MAX_CONFIG_BYTES = 1 << 20
#: The deepest nesting of a config read; gpnav's nest 5 levels (channel_plan.stages[i].inverted_residuals[j]).
MAX_CONFIG_DEPTH = 32


@dataclass(frozen=True)
class MobileViTBlock:
    """A MobileViTv2 block on a `channels`-wide map with `layers` attention layers of width `attention_dim`."""

    channels: int
    attention_dim: int
    ffn_hidden: int
    layers: int
    patch_size: int


@dataclass(frozen=True)
class Stage:
    """One stage: its inverted-residual blocks, then (stages 3 to 5) a MobileViTv2 block."""

    inverted_residuals: Tuple[InvertedResidual, ...]
    mobilevit: Optional[MobileViTBlock]


@dataclass(frozen=True)
class ChannelPlan:
    """The exact layer widths of one architecture, as gpnav counts it."""

    stem: int
    stages: Tuple[Stage, ...]
    classifier_input: int
    classes: int


#: A family's plan, as its reader returns it.
Plan = Union[ChannelPlan, MobileViTv1Plan, MobileNetV2Plan]
#: Depth lists by the family's key, in the family's order, e.g. (("mv2_depths", (1, 2)), ...).
Depths = Tuple[Tuple[str, Tuple[int, ...]], ...]


@dataclass(frozen=True)
class FamilyReader:
    """What a config of one family holds besides the keys every config has.

    `depth_groups`: each depth list's key and its number of stages; `choices`: the keys of the
    family's other parts (a text or a positive integer each); `read_plan(value)`: its
    `channel_plan` read and checked; `plan_depths(plan)`: the depth lists that plan builds, which
    must be the config's.
    """

    depth_groups: Tuple[Tuple[str, int], ...]
    choices: Tuple[str, ...]
    read_plan: Callable[[Any], Plan]
    plan_depths: Callable[[Any], Depths]


@dataclass(frozen=True)
class TrialConfig:
    """One trial's configuration: the architecture, its exact counts and its channel plan.

    `depths` holds the family's depth lists by key (MobileViT: `mv2_depths`, `vit_depths`;
    MobileNetV2: `depths`), `choices` its other parts (v1: `base_plan`, `expansion`), and `plan`
    the family's plan (`FAMILIES`).
    """

    resolution: int
    width: float
    depths: Depths
    classes: int
    macs: int
    params: int
    plan: Plan
    study: Optional[str] = None
    trial: Optional[int] = None
    family: str = DEFAULT_FAMILY
    choices: Tuple[Tuple[str, Union[int, str]], ...] = ()
    #: The study's full training length (gpnav's --epochs), when it sets one.
    epochs: Optional[int] = None

    def depth(self, key: str) -> Tuple[int, ...]:
        """The depth list called `key`; KeyError when the family has none."""
        return dict(self.depths)[key]

    @property
    def name(self) -> str:
        """A compact description such as `r160 w0.75 mv2(1,1) vit(1,2,2)`, or for MobileViT v1
        `mobilevit r256 w1 mv2(1,3) vit(2,4,3) base_plan=xs expansion=4`."""
        prefix = "" if self.family == DEFAULT_FAMILY else self.family + " "
        depths = "".join(f" {key[:-len('_depths')] if key.endswith('_depths') else key}({','.join(map(str, values))})"
                         for key, values in self.depths)
        choices = "".join(f" {key}={value}" for key, value in self.choices)
        return f"{prefix}r{self.resolution} w{self.width:g}{depths}{choices}"


def load_config(source: Union[str, os.PathLike, Mapping[str, Any]]) -> TrialConfig:
    """Reads a trial configuration from a JSON file's path or from an already parsed mapping.

    A file is read within bounds (`bounded_json`): a regular file of at most `MAX_CONFIG_BYTES`,
    nested at most `MAX_CONFIG_DEPTH` levels, strict JSON numbers.
    Raises ConfigError when the file is missing, unbounded or malformed, the family is not one of
    `FAMILIES`, a key is missing or has the wrong type, or the channel plan disagrees with the
    depths and class count beside it.
    """
    if isinstance(source, Mapping):
        document = source
    else:
        path = os.fspath(source)
        try:
            document = read_bounded_json(path, MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH)
        except FileNotFoundError:
            raise ConfigError(f"config file {path} does not exist") from None
        except OSError as error:
            raise ConfigError(f"config file {path} cannot be read: {error.strerror or error}") from None
        except BoundedJSONError as error:
            raise ConfigError(f"config file {path} {error}") from None
    if not isinstance(document, Mapping):
        raise ConfigError("config is not a JSON object")
    return _parse(document)


def _parse(document: Mapping[str, Any]) -> TrialConfig:
    family = document.get("family", DEFAULT_FAMILY)
    if not isinstance(family, str) or family not in FAMILIES:
        names = [repr(name) for name in FAMILIES]
        raise ConfigError(f"config key 'family' is {family!r}; gpnav_torch builds the families "
                          f"{', '.join(names[:-1])} and {names[-1]}")
    reader = FAMILIES[family]
    if "channel_plan" not in document:
        raise ConfigError(
            "config has no 'channel_plan'; it comes from gpnav's training-command config or "
            "'gpnav export --format json' (gpnav too old?)")
    resolution = positive_integer(document, "resolution")
    depths = tuple((key, _integers(document, key, count)) for key, count in reader.depth_groups)
    classes = positive_integer(document, "classes")
    width = document.get("width")
    # Chained comparisons refuse NaN and infinity (JSON's 1e400 parses as inf) without float(),
    # which overflows on a huge integer.
    if isinstance(width, bool) or not isinstance(width, (int, float)) or not 0 < width <= MAX_WIDTH:
        raise ConfigError(f"config key 'width' must be a number in (0, {MAX_WIDTH}], got {str(width)[:40]}")
    choices = tuple((key, _choice(document, key)) for key in reader.choices)
    plan = reader.read_plan(document["channel_plan"])
    for (key, given), (_, planned) in zip(depths, reader.plan_depths(plan)):
        if planned != given:
            raise ConfigError(f"channel_plan builds {key} {list(planned)}, the config says {list(given)}")
    if plan.classes != classes:
        raise ConfigError(f"channel_plan's classifier has {plan.classes} classes, the config {classes}")
    study = document.get("study")
    trial = document.get("trial")
    epochs = positive_integer(document, "epochs") if "epochs" in document else None
    return TrialConfig(
        resolution=resolution, width=float(width), depths=depths, classes=classes,
        macs=positive_integer(document, "macs"), params=positive_integer(document, "params"),
        plan=plan,
        study=study if isinstance(study, str) else None,
        trial=trial if isinstance(trial, int) and not isinstance(trial, bool) else None,
        family=family, choices=choices, epochs=epochs)


def _plan(value: Any) -> ChannelPlan:
    stem, stages, channels = read_stages(value, _mobilevit_block, "MobileViTv2 block")
    return ChannelPlan(
        stem=stem, stages=tuple(Stage(blocks, mobilevit) for blocks, mobilevit in stages),
        classifier_input=channels, classes=read_classifier(value, channels))


def _mobilevit_depths(plan: Union[ChannelPlan, MobileViTv1Plan]) -> Depths:
    """The MV2 blocks of stages 1-2 and the attention layers of stages 3-5 of a MobileViT plan."""
    return (("mv2_depths", tuple(len(stage.inverted_residuals) for stage in plan.stages[:2])),
            ("vit_depths", tuple(stage.mobilevit.layers for stage in plan.stages[2:] if stage.mobilevit)))


def _choice(document: Mapping[str, Any], key: str) -> Union[int, str]:
    """A family's choice: a label (v1's `base_plan`) or a positive integer (v1's `expansion`)."""
    value = document.get(key)
    if (isinstance(value, str) and value) or (isinstance(value, int) and not isinstance(value, bool) and value > 0):
        return value
    shown = "missing" if key not in document else repr(value)[:40]
    raise ConfigError(f"config key '{key}' must be a name or a positive integer, got {shown}")


def _mobilevit_block(value: Mapping[str, Any], where: str) -> MobileViTBlock:
    return MobileViTBlock(**{key: positive_integer(value, key, where) for key in (
        "channels", "attention_dim", "ffn_hidden", "layers", "patch_size")})


def _integers(document: Mapping[str, Any], key: str, count: int) -> Tuple[int, ...]:
    value = document.get(key)
    if not isinstance(value, Sequence) or isinstance(value, str) or len(value) != count or any(
            isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in value):
        raise ConfigError(f"config key '{key}' must be a list of {count} positive integers, got {value!r}")
    return tuple(value)


_MOBILEVIT_DEPTHS = (("mv2_depths", 2), ("vit_depths", 3))
#: The families whose configs gpnav_torch reads and builds, the default first.
FAMILIES: Dict[str, FamilyReader] = {
    DEFAULT_FAMILY: FamilyReader(_MOBILEVIT_DEPTHS, (), _plan, _mobilevit_depths),
    "mobilevit": FamilyReader(_MOBILEVIT_DEPTHS, ("base_plan", "expansion"), parse_mobilevit_v1_plan, _mobilevit_depths),
    "mobilenetv2": FamilyReader((("depths", MOBILENET_V2_STAGES),), (), parse_mobilenet_v2_plan,
                                lambda plan: (("depths", plan.depths()),)),
}
