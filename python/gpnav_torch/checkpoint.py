"""Checkpoints of a training run: written atomically, read without running code, refused when foreign.

A checkpoint is found by its path (by default beside the trial's config), so anyone who can
write there can plant a file. It is therefore read only as a regular file of bounded size, with
`torch.load(weights_only=True)`, whose unpickler builds tensors and plain containers and refuses
every other object instead of calling it; and it must carry this run's fingerprint (architecture,
classes, data, recipe). A file that fails any of this is refused, never loaded, replaced or
overwritten: it may be another run's work, or an attack.

Everything stored is a tensor, a number, a string, a bool, None, or a list or dict of them, so
that `weights_only=True` loads it.
"""

from __future__ import annotations

import io
import os
import tempfile
from typing import Any, Mapping, Optional

import torch

from .bounded_json import BoundedJSONError, read_regular_file


class CheckpointError(Exception):
    """A checkpoint that is not this run's, or that cannot be read as plain tensors and values."""


def save_checkpoint(path: str, state: Mapping[str, Any]) -> None:
    """Writes `state` to `path` atomically: a new file of its own in the same folder (never one
    that already exists, so a planted link is not followed), then renamed over `path`."""
    folder = os.path.dirname(os.path.abspath(path))
    descriptor, temporary = tempfile.mkstemp(prefix=os.path.basename(path) + ".", suffix=".partial", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            torch.save(dict(state), handle)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def load_checkpoint(path: str, fingerprint: Mapping[str, Any], max_bytes: int) -> Optional[dict]:
    """The state stored at `path` by a run with `fingerprint`; None when there is no file.

    Raises CheckpointError when the path is not a regular file, holds more than `max_bytes`
    bytes, does not load with `weights_only=True` (a damaged file, or one holding objects other
    than tensors and plain values), or was written by a run with another fingerprint."""
    if not os.path.lexists(path):
        return None
    try:
        data = read_regular_file(path, max_bytes)
    except BoundedJSONError as error:
        raise CheckpointError(f"checkpoint {path} {error}") from None
    except OSError as error:
        raise CheckpointError(f"checkpoint {path} cannot be read: {error.strerror or error}") from None
    try:
        state = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except Exception as error:  # noqa: BLE001  the unpickler's refusals have many types
        raise CheckpointError(f"checkpoint {path} does not load as plain tensors and values "
                              f"({_first_line(error)})") from None
    if not isinstance(state, dict) or not isinstance(state.get("fingerprint"), dict):
        raise CheckpointError(f"checkpoint {path} is not a gpnav_torch checkpoint")
    stored = state["fingerprint"]
    differing = sorted(key for key in set(stored) | set(fingerprint) if stored.get(key) != fingerprint.get(key))
    if differing:
        key = differing[0]
        raise CheckpointError(f"checkpoint {path} is of another run: its {key} is {_shown(stored.get(key))}, "
                              f"this run's {_shown(fingerprint.get(key))}")
    return state


def checkpoint_bytes_bound(params: int) -> int:
    """The most bytes a checkpoint of a `params`-parameter network can take: fp32 weights, their
    EMA and AdamW's two moments, as much again for normalisation buffers (never more than the
    weights), and room for the fingerprint and each tensor's entry in the archive."""
    return 4 * 6 * params + (4 << 20)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:200] if text else type(error).__name__


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
