"""What a trial's training needs, known before anything is allocated, and the limits it must fit.

A config is untrusted: its `params` could understate a plan of 1e5-channel layers, 1e12
classes, a million attention layers or resolution 1e5, whose real build would try to allocate
tens of gigabytes before any check. `plan_size` therefore counts from the plan itself: first the
blocks (a structural bound, so that no million modules are built), then the network built on
PyTorch's `meta` device, which has shapes and no storage: its exact parameter count, and, from a
forward pass of one image on the same device, the activations a training step keeps.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional

import torch
from timm.layers import Attention
from torch import nn

from .config import TrialConfig
from .config_error import ConfigError
from .model import build_model

#: Bytes per parameter while training: fp32 weights, gradients, AdamW's two moments, and the EMA copy.
BYTES_PER_PARAMETER = 4 * 5
#: Bytes per activation element kept for the backward pass (fp32).
BYTES_PER_ACTIVATION = 4


class ResourceError(ConfigError):
    """A trial that cannot fit the limits: too many blocks, parameters or bytes of memory."""


@dataclass(frozen=True)
class PlanSize:
    """A plan's exact size: `blocks` (inverted residuals and attention layers), `params`, and
    `activations`, the elements of every layer's output for one image (attention matrices
    included), which a training step keeps for its backward pass."""

    blocks: int
    params: int
    activations: int

    def training_bytes(self, batch_size: int) -> int:
        """An estimate of the memory one training process needs at `batch_size` images per step
        (fp32; 0.94 to 1.23 times the measured peak on a CPU, Experiments/trainer-memory)."""
        return self.params * BYTES_PER_PARAMETER + batch_size * self.activations * BYTES_PER_ACTIVATION


@dataclass(frozen=True)
class ResourceLimits:
    """The most a trial may use: `max_blocks` (inverted residuals plus attention layers; published
    models have under 40), `max_params`, and `max_memory_bytes` of one training process."""

    max_params: int = 100_000_000
    max_memory_bytes: Optional[int] = None
    max_blocks: int = 1_000


def device_memory_bytes(device: torch.device, processes_sharing: int = 1) -> int:
    """The memory one training process may use on `device`: the GPU's, or the machine's RAM
    shared among `processes_sharing` processes on a CPU."""
    if device.type == "cuda":
        return int(torch.cuda.get_device_properties(device).total_memory)
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return int(ram) // max(1, processes_sharing)


def plan_blocks(trial: TrialConfig) -> int:
    """Inverted residuals plus attention layers of the plan: what the builder makes modules of."""
    return sum(len(stage.inverted_residuals) + (stage.mobilevit.layers if stage.mobilevit else 0)
               for stage in trial.plan.stages)


def plan_size(trial: TrialConfig, max_blocks: int) -> PlanSize:
    """Counts `trial`'s network without allocating it.

    Raises ResourceError when the plan has more than `max_blocks` blocks (before building
    anything), ConfigError when the network cannot run at the config's resolution."""
    blocks = plan_blocks(trial)
    if blocks > max_blocks:
        raise ResourceError(f"the plan has {blocks} blocks (inverted residuals and attention layers), "
                            f"over the limit of {max_blocks}")
    with torch.device("meta"):
        model = build_model(trial)
    params = sum(parameter.numel() for parameter in model.parameters())
    return PlanSize(blocks=blocks, params=params, activations=_activations(model, trial.resolution))


def check_resources(trial: TrialConfig, batch_size: int, limits: ResourceLimits) -> PlanSize:
    """The plan's size, when it fits `limits` at `batch_size`; ResourceError naming the limit otherwise."""
    size = plan_size(trial, limits.max_blocks)
    if size.params > limits.max_params:
        raise ResourceError(f"the network has {size.params:,} parameters, over the limit of {limits.max_params:,}")
    if limits.max_memory_bytes is not None:
        needed = size.training_bytes(batch_size)
        if needed > limits.max_memory_bytes:
            raise ResourceError(
                f"training needs about {_gib(needed)} ({size.params:,} parameters, {size.activations:,} "
                f"activations per image x {batch_size} images), over the limit of {_gib(limits.max_memory_bytes)}")
    return size


def _gib(size: int) -> str:
    return f"{size / 2 ** 30:.3g} GiB"


def _activations(model: nn.Module, resolution: int) -> int:
    total = 3 * resolution * resolution  # the input batch itself

    def count_output(_module: nn.Module, _inputs, output) -> None:
        nonlocal total
        if isinstance(output, torch.Tensor):
            total += output.numel()

    def count_attention(module: nn.Module, inputs, _output) -> None:
        # timm's fused attention hides the [B', heads, N, N] weights from the hooks above; on CPU
        # they are materialised, so they count.
        nonlocal total
        sequences, tokens, _ = inputs[0].shape
        total += sequences * module.num_heads * tokens * tokens

    hooks = [module.register_forward_hook(count_output) for module in model.modules()
             if not any(True for _ in module.children())]
    hooks += [module.register_forward_hook(count_attention) for module in model.modules() if isinstance(module, Attention)]
    # Evaluation mode: the sizes are the same, and batch norm in training mode refuses one image
    # at a 1x1 feature map (MobileViT's last stage at 32 px), which no training batch then is.
    model.eval()
    try:
        with torch.no_grad():
            model(torch.empty(1, 3, resolution, resolution, device="meta"))
    except RuntimeError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ConfigError(f"the network cannot run at resolution {resolution}: {first}") from None
    finally:
        for hook in hooks:
            hook.remove()
    return int(total)
