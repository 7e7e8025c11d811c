"""Loading trained weights into a built network for export and quantisation, safely and only when they fit it.

A checkpoint is read with `torch.load(weights_only=True)`, which unpickles tensors, numbers,
strings and containers and nothing that could run code. It is either a model's `state_dict` or
a dictionary holding one under `model` (what `python -m gpnav_torch.train` writes after every
epoch, beside its optimiser's state). Its keys and shapes must be exactly the network's: a
checkpoint of another architecture, or of another class count, is refused rather than loaded
in part. The file is read only as a regular file of bounded size (`weights_bytes_bound`): a
training checkpoint of the network is the largest thing it may be.
"""

from __future__ import annotations

import io
import os
import pickle
from typing import Any, Mapping, Optional, Union

import torch
from torch import nn

from .bounded_json import BoundedJSONError, read_regular_file
from .checkpoint import checkpoint_bytes_bound


class WeightsError(Exception):
    """A checkpoint that cannot be read safely or does not fit the network."""


def weights_bytes_bound(model: nn.Module) -> int:
    """The most bytes a weights file of `model` may hold: what a training checkpoint of it takes at
    most (`checkpoint.checkpoint_bytes_bound` of its tensors' element count, buffers included)."""
    return checkpoint_bytes_bound(sum(tensor.numel() for tensor in model.state_dict().values()))


def load_weights(model: nn.Module, path: Union[str, os.PathLike], max_bytes: Optional[int] = None) -> None:
    """Loads the checkpoint at `path` into `model`, on the CPU.

    Raises WeightsError when the file is missing, unreadable, not a regular file or larger than
    `max_bytes` (default `weights_bytes_bound(model)`), holds anything besides tensors and plain
    containers, holds no state dict, or its keys or shapes differ from the model's (the message
    names the first few).
    """
    path = os.fspath(path)
    weights = read_state_dict(path, weights_bytes_bound(model) if max_bytes is None else max_bytes)
    check_fits(model, weights, path)
    model.load_state_dict(weights, strict=True)


def read_state_dict(path: str, max_bytes: int) -> Mapping[str, torch.Tensor]:
    """The state dict in the file at `path`: a `.safetensors` file, or a `torch.save` file of a
    state dict or of a dictionary holding one under `model`, loaded with `weights_only=True`.

    Raises WeightsError as `load_weights` does, before anything is unpickled when the file is not
    a regular file of at most `max_bytes` bytes."""
    if not os.path.lexists(path):
        raise WeightsError(f"checkpoint {path} does not exist")
    try:
        data = read_regular_file(path, max_bytes)
    except BoundedJSONError as error:
        raise WeightsError(f"checkpoint {path} {error}") from None
    except OSError as error:
        raise WeightsError(f"checkpoint {path} cannot be read: {error.strerror or error}") from None
    if path.endswith(".safetensors"):
        return _safetensors(data, path)
    try:
        state = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else "unpickling refused"
        raise WeightsError(f"checkpoint {path} holds more than weights (refused by weights_only loading: {first})") from None
    except (OSError, RuntimeError, EOFError, ValueError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise WeightsError(f"checkpoint {path} cannot be read: {first}") from None
    return _state_dict(state, path)


def _safetensors(data: bytes, path: str) -> Mapping[str, torch.Tensor]:
    # safetensors holds tensors only, by design: reading one runs no code.
    from safetensors import SafetensorError
    from safetensors.torch import load

    try:
        return _state_dict(load(data), path)
    except SafetensorError as error:
        raise WeightsError(f"checkpoint {path} cannot be read as safetensors: {error}") from None


def _state_dict(state: Any, path: str) -> Mapping[str, torch.Tensor]:
    if isinstance(state, Mapping) and isinstance(state.get("model"), Mapping):
        state = state["model"]
    if not isinstance(state, Mapping) or not state or not all(
            isinstance(key, str) and isinstance(value, torch.Tensor) for key, value in state.items()):
        raise WeightsError(f"checkpoint {path} is neither a state dict nor a dictionary with one under 'model'")
    return state


def check_fits(model: nn.Module, weights: Mapping[str, torch.Tensor], path: str) -> None:
    """Raises WeightsError unless `weights` has exactly `model`'s keys and shapes."""
    expected = model.state_dict()
    missing = [key for key in expected if key not in weights]
    unexpected = [key for key in weights if key not in expected]
    reshaped = [f"{key} {list(weights[key].shape)} (network {list(value.shape)})"
                for key, value in expected.items() if key in weights and weights[key].shape != value.shape]
    problems = []
    if missing:
        problems.append(f"{len(missing)} missing ({', '.join(missing[:3])})")
    if unexpected:
        problems.append(f"{len(unexpected)} unexpected ({', '.join(unexpected[:3])})")
    if reshaped:
        problems.append(f"{len(reshaped)} of another shape ({', '.join(reshaped[:2])})")
    if problems:
        raise WeightsError(f"checkpoint {path} is not of this architecture: tensors " + "; ".join(problems))
