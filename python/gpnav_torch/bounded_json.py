"""`read_bounded_json`: a JSON document from a file that may be hostile, read within bounds.

A training command reads files that others wrote (gpnav's `{config}`, or anything a user or a
planted file puts at that path). Python's `json.load` reads until the end, however far that is
(`/dev/zero` never ends, a FIFO blocks on open), recurses once per nesting level (a few thousand
`[` raise RecursionError), and accepts `NaN` and `Infinity`, which are not JSON. Here a file is
opened without blocking, must be a regular file of at most `max_bytes`, must nest at most
`max_depth` levels, and must hold strict JSON numbers.
"""

from __future__ import annotations

import json
import os
import re
import stat
from typing import Any


class BoundedJSONError(ValueError):
    """A file that is not a regular file, is too large, nests too deeply or is not strict JSON."""


def read_regular_file(path: str, max_bytes: int) -> bytes:
    """The bytes of the regular file at `path`; BoundedJSONError when it is something else (a
    directory, device, FIFO or socket) or holds more than `max_bytes` bytes.

    The file is opened with O_NONBLOCK, so a FIFO cannot block the open, and checked with fstat
    on the open descriptor, so it cannot be swapped between the check and the read. OSError
    (missing, unreadable) propagates."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise BoundedJSONError("is not a regular file")
        if status.st_size > max_bytes:
            raise BoundedJSONError(f"is {status.st_size} bytes, over the limit of {max_bytes}")
        data = handle.read(max_bytes + 1)  # a file that grows after fstat is still bounded
    if len(data) > max_bytes:
        raise BoundedJSONError(f"is over the limit of {max_bytes} bytes")
    return data


# A JSON string, escapes included; linear time (no nested quantifiers).
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text`, brackets inside strings not counted."""
    depth = deepest = 0
    for character in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        if character in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _refuse_constant(name: str) -> Any:
    raise BoundedJSONError(f"holds {name}, which is not a JSON number")


def read_bounded_json(path: str, max_bytes: int, max_depth: int) -> Any:
    """The JSON document in the file at `path`, read within the bounds above.

    Raises BoundedJSONError for a non-regular or too large file, a document nested deeper than
    `max_depth`, text that is not UTF-8 or not JSON (with the line), or `NaN`/`Infinity`;
    OSError when the file is missing or unreadable."""
    data = read_regular_file(path, max_bytes)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BoundedJSONError(f"is not UTF-8 text (byte {error.start})") from None
    depth = nesting_depth(text)
    if depth > max_depth:
        raise BoundedJSONError(f"nests {depth} levels deep, over the limit of {max_depth}")
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise BoundedJSONError(f"is not JSON: {error.msg} at line {error.lineno}") from None
