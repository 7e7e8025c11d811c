"""The training-command protocol's configuration: the JSON gpnav writes for `{config}`.

gpnav writes one file per trial (and `gpnav export --format json` the same document) with the
architecture (`family`, `resolution`, `width`, `classes`, and the family's own parts: its depth
groups and choices), its exact counts (`macs`, `params`) and `channel_plan`, every layer width a
builder needs. Each registered family (`families.FAMILIES`, declared in its own folder) says which
parts its config has and how its plan reads, e.g. `mobilevitv2` (also when `family` is absent:
`mv2_depths`, `vit_depths`), `mobilevit` (v1: the same depths, `base_plan` and `expansion`) and
`mobilenetv2` (`depths`). This module reads and checks that document; it rounds nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence, Tuple, Union

from .bounded_json import BoundedJSONError, read_bounded_json
from .config_error import ConfigError, positive_integer
from .families import FAMILIES
from .families.family import Depths

#: The family of a config without `family` (gpnav writes none for its default family, MobileViTv2).
DEFAULT_FAMILY = next(iter(FAMILIES))
#: The largest width multiplier read (published models use 0.5 to 2).
MAX_WIDTH = 1000
#: The largest config file read. gpnav's configs are a few kB; a plan of hundreds of blocks fits.
MAX_CONFIG_BYTES = 1 << 20
#: The deepest nesting of a config read; gpnav's nest 5 levels (channel_plan.stages[i].inverted_residuals[j]).
MAX_CONFIG_DEPTH = 32


@dataclass(frozen=True)
class TrialConfig:
    """One trial's configuration: the architecture, its exact counts and its channel plan.

    `depths` holds the family's depth lists by key (MobileViT: `mv2_depths`, `vit_depths`;
    MobileNetV2: `depths`), `choices` its other parts (v1: `base_plan`, `expansion`), and `plan`
    the family's plan as its `read_plan` returns it (`families.FAMILIES`).
    """

    resolution: int
    width: float
    depths: Depths
    classes: int
    macs: int
    params: int
    plan: Any
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
    `families.FAMILIES`, a key is missing or has the wrong type, or the channel plan disagrees with the
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


def _choice(document: Mapping[str, Any], key: str) -> Union[int, str]:
    """A family's choice: a label (v1's `base_plan`) or a positive integer (v1's `expansion`)."""
    value = document.get(key)
    if (isinstance(value, str) and value) or (isinstance(value, int) and not isinstance(value, bool) and value > 0):
        return value
    shown = "missing" if key not in document else repr(value)[:40]
    raise ConfigError(f"config key '{key}' must be a name or a positive integer, got {shown}")


def _integers(document: Mapping[str, Any], key: str, count: int) -> Tuple[int, ...]:
    value = document.get(key)
    if not isinstance(value, Sequence) or isinstance(value, str) or len(value) != count or any(
            isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in value):
        raise ConfigError(f"config key '{key}' must be a list of {count} positive integers, got {value!r}")
    return tuple(value)
