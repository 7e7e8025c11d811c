"""The training-command protocol's configuration: the JSON gpnav writes for `{config}`.

gpnav writes one file per trial (and `gpnav export --format json` the same document) with the
architecture (`family`, `resolution`, `width`, `mv2_depths`, `vit_depths`, `classes`, and the
family's own choices), its exact counts (`macs`, `params`) and `channel_plan`, every layer width
a builder needs. `family` is `mobilevitv2` (also when absent) or `mobilevit` (v1, whose config
adds `base_plan` and `expansion`, and whose plan is `MobileViTv1Plan`). This module reads and
checks that document; it rounds nothing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence, Tuple, Union

if TYPE_CHECKING:  # mobilevit_v1_plan imports this module
    from .mobilevit_v1_plan import MobileViTv1Plan

#: The family of a config without `family` (gpnav writes none for MobileViTv2).
DEFAULT_FAMILY = "mobilevitv2"
#: The families whose configs gpnav_torch reads and builds.
FAMILIES = (DEFAULT_FAMILY, "mobilevit")


class ConfigError(ValueError):
    """A configuration that does not describe a network gpnav_torch can build."""


@dataclass(frozen=True)
class InvertedResidual:
    """An MV2 block: 1x1 `input` -> `hidden`, 3x3 depthwise with `stride`, 1x1 `hidden` -> `output`."""

    input: int
    hidden: int
    output: int
    stride: int


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
    plan: Union[ChannelPlan, "MobileViTv1Plan"]
    study: Optional[str] = None
    trial: Optional[int] = None
    family: str = DEFAULT_FAMILY
    choices: Tuple[Tuple[str, Union[int, str]], ...] = ()

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

    Raises ConfigError when the file is missing or malformed, the family is not one of
    `FAMILIES`, a key is missing or has the wrong type, or the channel plan disagrees with the
    depths and class count beside it.
    """
    if isinstance(source, Mapping):
        document = source
    else:
        path = os.fspath(source)
        try:
            with open(path, encoding="utf-8") as handle:
                document = json.load(handle)
        except FileNotFoundError:
            raise ConfigError(f"config file {path} does not exist") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"config file {path} cannot be read: {error}") from None
        except json.JSONDecodeError as error:
            raise ConfigError(f"config file {path} is not JSON: {error.msg} at line {error.lineno}") from None
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
    resolution = _integer(document, "resolution")
    mv2_depths = _integers(document, "mv2_depths", count=2)
    vit_depths = _integers(document, "vit_depths", count=3)
    classes = _integer(document, "classes")
    width = document.get("width")
    if isinstance(width, bool) or not isinstance(width, (int, float)) or not width > 0:
        raise ConfigError(f"config key 'width' must be a positive number, got {width!r}")
    choices: Tuple[Tuple[str, Union[int, str]], ...] = ()
    if family == "mobilevit":
        # Imported here: mobilevit_v1_plan builds on this module's ConfigError and InvertedResidual.
        from .mobilevit_v1_plan import parse_mobilevit_v1_plan
        plan = parse_mobilevit_v1_plan(document["channel_plan"])
        base_plan = document.get("base_plan")
        if not isinstance(base_plan, str) or not base_plan:
            raise ConfigError(f"config key 'base_plan' must be the name of a v1 base plan, got {base_plan!r}")
        choices = (("base_plan", base_plan), ("expansion", _integer(document, "expansion")))
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
    return TrialConfig(
        resolution=resolution, width=float(width), mv2_depths=mv2_depths, vit_depths=vit_depths,
        classes=classes, macs=_integer(document, "macs"), params=_integer(document, "params"), plan=plan,
        study=study if isinstance(study, str) else None,
        trial=trial if isinstance(trial, int) and not isinstance(trial, bool) else None,
        family=family, choices=choices)


def _plan(value: Any) -> ChannelPlan:
    where = "channel_plan"
    _require_mapping(value, where)
    stages_value = value.get("stages")
    if not isinstance(stages_value, list) or len(stages_value) != 5:
        raise ConfigError(f"{where}.stages must be a list of 5 stages")
    stages = []
    channels = _integer(value, "stem", where)
    for index, stage in enumerate(stages_value):
        at = f"{where}.stages[{index}]"
        _require_mapping(stage, at)
        blocks_value = stage.get("inverted_residuals")
        if not isinstance(blocks_value, list) or not blocks_value:
            raise ConfigError(f"{at}.inverted_residuals must be a non-empty list")
        blocks = []
        for number, block in enumerate(blocks_value):
            block_at = f"{at}.inverted_residuals[{number}]"
            _require_mapping(block, block_at)
            parsed = InvertedResidual(
                input=_integer(block, "in", block_at), hidden=_integer(block, "hidden", block_at),
                output=_integer(block, "out", block_at), stride=_integer(block, "stride", block_at))
            if parsed.stride not in (1, 2) or (number > 0 and parsed.stride != 1):
                raise ConfigError(f"{block_at}.stride must be 1 or 2, and 1 after a stage's first block")
            if parsed.input != channels:
                raise ConfigError(f"{block_at}.in is {parsed.input}, but the previous layer has {channels} channels")
            channels = parsed.output
            blocks.append(parsed)
        mobilevit = None
        if stage.get("mobilevit") is not None:
            block = stage["mobilevit"]
            block_at = f"{at}.mobilevit"
            _require_mapping(block, block_at)
            mobilevit = MobileViTBlock(
                channels=_integer(block, "channels", block_at),
                attention_dim=_integer(block, "attention_dim", block_at),
                ffn_hidden=_integer(block, "ffn_hidden", block_at),
                layers=_integer(block, "layers", block_at),
                patch_size=_integer(block, "patch_size", block_at))
            if mobilevit.channels != channels:
                raise ConfigError(f"{block_at}.channels is {mobilevit.channels}, but the stage has {channels}")
        if (mobilevit is not None) != (index >= 2):
            raise ConfigError(f"{at}: stages 3 to 5, and only they, end in a MobileViTv2 block")
        stages.append(Stage(tuple(blocks), mobilevit))
    classifier = value.get("classifier")
    _require_mapping(classifier, f"{where}.classifier")
    classifier_input = _integer(classifier, "in", f"{where}.classifier")
    if classifier_input != channels:
        raise ConfigError(f"{where}.classifier.in is {classifier_input}, but the last stage has {channels} channels")
    return ChannelPlan(
        stem=_integer(value, "stem", where), stages=tuple(stages), classifier_input=classifier_input,
        classes=_integer(classifier, "classes", f"{where}.classifier"))


def _require_mapping(value: Any, where: str) -> None:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where} must be a JSON object")


def _integer(document: Mapping[str, Any], key: str, where: str = "config") -> int:
    value = document.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        shown = "missing" if key not in document else repr(value)
        raise ConfigError(f"{where} key '{key}' must be a positive integer, got {shown}")
    return value


def _integers(document: Mapping[str, Any], key: str, count: int) -> Tuple[int, ...]:
    value = document.get(key)
    if not isinstance(value, Sequence) or isinstance(value, str) or len(value) != count or any(
            isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in value):
        raise ConfigError(f"config key '{key}' must be a list of {count} positive integers, got {value!r}")
    return tuple(value)
