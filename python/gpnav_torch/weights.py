"""Loading trained weights into a built network for export and quantisation, safely and only when they fit it.

A checkpoint is read with `torch.load(weights_only=True)`, which unpickles tensors, numbers,
strings and containers and nothing that could run code. It is either a model's `state_dict` or
a dictionary holding one under `model` (what `python -m gpnav_torch.train` writes after every
epoch, beside its optimiser's state). Its keys and shapes must be exactly the network's: a
checkpoint of another architecture, or of another class count, is refused rather than loaded
in part.
"""

from __future__ import annotations

import os
import pickle
from typing import Any, Mapping, Union

import torch
from torch import nn


class WeightsError(Exception):
    """A checkpoint that cannot be read safely or does not fit the network."""


def load_weights(model: nn.Module, path: Union[str, os.PathLike]) -> None:
    """Loads the checkpoint at `path` into `model`, on the CPU.

    Raises WeightsError when the file is missing or unreadable, holds anything besides
    tensors and plain containers, holds no state dict, or its keys or shapes differ from the
    model's (the message names the first few).
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise WeightsError(f"checkpoint {path} does not exist")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else "unpickling refused"
        raise WeightsError(f"checkpoint {path} holds more than weights (refused by weights_only loading: {first})") from None
    except (OSError, RuntimeError, EOFError, ValueError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise WeightsError(f"checkpoint {path} cannot be read: {first}") from None
    weights = _state_dict(state, path)
    _check_fits(model, weights, path)
    model.load_state_dict(weights, strict=True)


def _state_dict(state: Any, path: str) -> Mapping[str, torch.Tensor]:
    if isinstance(state, Mapping) and isinstance(state.get("model"), Mapping):
        state = state["model"]
    if not isinstance(state, Mapping) or not state or not all(
            isinstance(key, str) and isinstance(value, torch.Tensor) for key, value in state.items()):
        raise WeightsError(f"checkpoint {path} is neither a state dict nor a dictionary with one under 'model'")
    return state


def _check_fits(model: nn.Module, weights: Mapping[str, torch.Tensor], path: str) -> None:
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
