"""The training-command protocol's configuration: the JSON gpnav writes for `{config}`.

gpnav writes one file per trial (and `gpnav export --format json` the same document) with the
architecture (`family`, `resolution`, `width`, `mv2_depths`, `vit_depths`, `classes`, and the
family's own choices), its exact counts (`macs`, `params`) and `channel_plan`, every layer width
a builder needs. `family` is `mobilevitv2` (also when absent) or `mobilevit` (v1, whose config
adds `base_plan` and `expansion`, and whose plan is `MobileViTv1Plan`). This module reads and
checks that document; it rounds nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence, Tuple, Union

from .bounded_json import BoundedJSONError, read_bounded_json
from .config_error import ConfigError, positive_integer, require_mapping
from .mobilevit_v1_plan import MobileViTv1Plan, parse_mobilevit_v1_plan
from .plan_stages import InvertedResidual, read_stages

#: The family of a config without `family` (gpnav writes none for MobileViTv2).
DEFAULT_FAMILY = "mobilevitv2"
#: The families whose configs gpnav_torch reads and builds.
FAMILIES = (DEFAULT_FAMILY, "mobilevit")
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


@dataclass(frozen=True)
class TrialConfig:
    """One trial's configuration: the architecture, its exact counts and its channel plan.

    `plan` is a `ChannelPlan` for family `mobilevitv2` and a `MobileViTv1Plan` for `mobilevit`;
    `choices` holds the family's factors besides the depths (v1: `base_plan`, `expansion`).
    """

    resolution: int
    width: float
    mv2_depths: Tuple[int, ...]
    vit_depths: Tuple[int, ...]
    classes: int
    macs: int
    params: int
    plan: Union[ChannelPlan, MobileViTv1Plan]
    study: Optional[str] = None
    trial: Optional[int] = None
    family: str = DEFAULT_FAMILY
    choices: Tuple[Tuple[str, Union[int, str]], ...] = ()
    #: The study's full training length (gpnav's --epochs), when it sets one.
    epochs: Optional[int] = None

    @property
    def name(self) -> str:
        """A compact description such as `r160 w0.75 mv2(1,1) vit(1,2,2)`, or for MobileViT v1
        `mobilevit r256 w1 mv2(1,3) vit(2,4,3) base_plan=xs expansion=4`."""
        depths = lambda values: ",".join(str(v) for v in values)  # noqa: E731
        prefix = "" if self.family == DEFAULT_FAMILY else self.family + " "
        choices = "".join(f" {key}={value}" for key, value in self.choices)
        return (f"{prefix}r{self.resolution} w{self.width:g} mv2({depths(self.mv2_depths)}) "
                f"vit({depths(self.vit_depths)}){choices}")


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
    if family not in FAMILIES:
        raise ConfigError(f"config key 'family' is {family!r}; gpnav_torch builds the families "
                          f"{' and '.join(repr(name) for name in FAMILIES)}")
    if "channel_plan" not in document:
        raise ConfigError(
            "config has no 'channel_plan'; it comes from gpnav's training-command config or "
            "'gpnav export --format json' (gpnav too old?)")
    resolution = positive_integer(document, "resolution")
    mv2_depths = _integers(document, "mv2_depths", count=2)
    vit_depths = _integers(document, "vit_depths", count=3)
    classes = positive_integer(document, "classes")
    width = document.get("width")
    # Chained comparisons refuse NaN and infinity (JSON's 1e400 parses as inf) without float(),
    # which overflows on a huge integer.
    if isinstance(width, bool) or not isinstance(width, (int, float)) or not 0 < width <= MAX_WIDTH:
        raise ConfigError(f"config key 'width' must be a number in (0, {MAX_WIDTH}], got {str(width)[:40]}")
    choices: Tuple[Tuple[str, Union[int, str]], ...] = ()
    if family == "mobilevit":
        plan = parse_mobilevit_v1_plan(document["channel_plan"])
        base_plan = document.get("base_plan")
        if not isinstance(base_plan, str) or not base_plan:
            raise ConfigError(f"config key 'base_plan' must be the name of a v1 base plan, got {base_plan!r}")
        choices = (("base_plan", base_plan), ("expansion", positive_integer(document, "expansion")))
    else:
        plan = _plan(document["channel_plan"])
    if tuple(len(stage.inverted_residuals) for stage in plan.stages[:2]) != mv2_depths:
        raise ConfigError(f"channel_plan's MV2 blocks of stages 1-2 disagree with mv2_depths {list(mv2_depths)}")
    if tuple(stage.mobilevit.layers for stage in plan.stages[2:] if stage.mobilevit) != vit_depths:
        raise ConfigError(f"channel_plan's attention layers of stages 3-5 disagree with vit_depths {list(vit_depths)}")
    if plan.classes != classes:
        raise ConfigError(f"channel_plan's classifier has {plan.classes} classes, the config {classes}")
    study = document.get("study")
    trial = document.get("trial")
    epochs = positive_integer(document, "epochs") if "epochs" in document else None
    return TrialConfig(
        resolution=resolution, width=float(width), mv2_depths=mv2_depths, vit_depths=vit_depths,
        classes=classes, macs=positive_integer(document, "macs"), params=positive_integer(document, "params"),
        plan=plan,
        study=study if isinstance(study, str) else None,
        trial=trial if isinstance(trial, int) and not isinstance(trial, bool) else None,
        family=family, choices=choices, epochs=epochs)


def _plan(value: Any) -> ChannelPlan:
    where = "channel_plan"
    stem, stages, channels = read_stages(value, _mobilevit_block, "MobileViTv2 block")
    classifier = value.get("classifier")
    require_mapping(classifier, f"{where}.classifier")
    classifier_input = positive_integer(classifier, "in", f"{where}.classifier")
    if classifier_input != channels:
        raise ConfigError(f"{where}.classifier.in is {classifier_input}, but the last stage has {channels} channels")
    return ChannelPlan(
        stem=stem, stages=tuple(Stage(blocks, mobilevit) for blocks, mobilevit in stages),
        classifier_input=classifier_input, classes=positive_integer(classifier, "classes", f"{where}.classifier"))


def _mobilevit_block(value: Mapping[str, Any], where: str) -> MobileViTBlock:
    return MobileViTBlock(**{key: positive_integer(value, key, where) for key in (
        "channels", "attention_dim", "ffn_hidden", "layers", "patch_size")})


def _integers(document: Mapping[str, Any], key: str, count: int) -> Tuple[int, ...]:
    value = document.get(key)
    if not isinstance(value, Sequence) or isinstance(value, str) or len(value) != count or any(
            isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in value):
        raise ConfigError(f"config key '{key}' must be a list of {count} positive integers, got {value!r}")
    return tuple(value)
