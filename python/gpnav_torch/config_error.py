"""`ConfigError`, and the two checks of a JSON value that every reader of gpnav's documents makes.

It sits under the readers (`config`, `plan_stages`, `mobilevit_v1_plan`), so that each of them
can import it without importing the others.
"""

from __future__ import annotations

from typing import Any, Mapping


class ConfigError(ValueError):
    """A configuration that does not describe a network gpnav_torch can build."""


def require_mapping(value: Any, where: str) -> None:
    """Raises ConfigError unless `value`, found at `where`, is a JSON object."""
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where} must be a JSON object")


def positive_integer(document: Mapping[str, Any], key: str, where: str = "config") -> int:
    """`document[key]` when it is a positive integer (not a bool); ConfigError naming `where` otherwise."""
    value = document.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        shown = "missing" if key not in document else repr(value)
        raise ConfigError(f"{where} key '{key}' must be a positive integer, got {shown}")
    return value
