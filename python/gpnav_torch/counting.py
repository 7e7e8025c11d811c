"""Counting a built model the way gpnav counts it: parameters, and MACs under the published
convention (convolutions and linear layers, plus one MAC per output element of each biased one,
plus, in multi-head attention (MobileViT v1), the two matrix products Q K^T and the weighted sum
of the values: 2 x B' x N^2 x d for the [B', N, d] tokens an attention module receives).

fvcore's `FlopCountAnalysis` counts one multiply-accumulate per weight use of a convolution or a
linear layer, bias excluded; the bias adds are counted here with forward hooks. Everything else
fvcore can count (normalisation, pooling, resizing) is left out, as the published convention
leaves it out. timm's attention runs as one fused operator that fvcore does not count; its two
products are counted here with forward hooks from the shapes. MobileViTv2's separable attention
has no such module, so its count is conv and linear only.
"""

from __future__ import annotations

import warnings

import torch
from timm.layers import Attention
from torch import nn

from .config_error import ConfigError

with warnings.catch_warnings():
    # fvcore's import touches torch.jit.script, which recent torch marks deprecated.
    warnings.simplefilter("ignore", FutureWarning)
    from fvcore.nn import FlopCountAnalysis

# fvcore's operator names for convolutions and linear layers (aten::linear, or addmm where a
# traced linear layer lowers to it).
_COUNTED_OPERATORS = ("conv", "linear", "addmm")


def count_params(model: nn.Module) -> int:
    """Learnable parameters (BatchNorm running statistics are buffers, not parameters)."""
    return sum(parameter.numel() for parameter in model.parameters())


def count_macs(model: nn.Module, resolution: int) -> int:
    """MACs of one `resolution` x `resolution` image under gpnav's published convention."""
    was_training = model.training
    model.eval()
    bias_outputs = 0
    attention_products = 0

    def count_bias(module: nn.Module, _inputs, output: torch.Tensor) -> None:
        nonlocal bias_outputs
        if module.bias is not None:
            # One image is traced; a linear layer over tokens has [P, N, d] outputs for it, all counted.
            bias_outputs += int(output.numel())

    def count_attention(_module: nn.Module, inputs, _output) -> None:
        nonlocal attention_products
        # One image is traced, so the sequences are the patch's pixel positions.
        # int(): under fvcore's trace the sizes are tensors, which a JSON report cannot hold.
        sequences, tokens, dimension = (int(size) for size in inputs[0].shape)
        attention_products += 2 * sequences * tokens * tokens * dimension

    hooks = [module.register_forward_hook(count_bias)
             for module in model.modules() if isinstance(module, (nn.Conv2d, nn.Linear))]
    hooks += [module.register_forward_hook(count_attention) for module in model.modules() if isinstance(module, Attention)]
    try:
        device = next(model.parameters()).device
        image = torch.zeros(1, 3, resolution, resolution, device=device)
        with torch.no_grad():
            analysis = FlopCountAnalysis(model, image)
            analysis.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
            by_operator = analysis.by_operator()
    finally:
        for hook in hooks:
            hook.remove()
        model.train(was_training)
    # fvcore's trace runs the forward pass once, and so the hooks count each biased layer once.
    weights = sum(by_operator.get(name, 0) for name in _COUNTED_OPERATORS)
    return int(weights) + bias_outputs + attention_products


def require_config_counts(model: nn.Module, trial, macs: bool = True) -> None:
    """Raises ConfigError unless `model` has the parameters (and, with `macs`, the MACs) that the
    configuration `trial` (a `TrialConfig`) says gpnav counted: the built network is the one gpnav
    counts, or nothing measured on it is gpnav's."""
    params = count_params(model)
    counted_macs = count_macs(model, trial.resolution) if macs else trial.macs
    if (params, counted_macs) != (trial.params, trial.macs):
        counts = f"{params} parameters and {counted_macs} MACs" if macs else f"{params} parameters"
        said = f"{trial.params} and {trial.macs}" if macs else f"{trial.params}"
        raise ConfigError(f"the built network has {counts}, the config says {said}")
