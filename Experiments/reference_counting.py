"""The counting the reference scripts share: fvcore's MACs of one traced image, with hooks.

`Experiments/mobilevit-v1/reference_counts.py` and `Experiments/mobilenet-v2/reference_counts.py`
count a framework's own model (timm's, torchvision's) for gpnav's Swift tests. Both take fvcore's
count of convolutions and linear layers (one MAC per weight use, biases left out), add one per
output element of every biased convolution or linear layer (forward hooks), and add what their
family's convention counts beside that, from hooks of their own (attention products, BatchNorm,
residual adds). `trace` does the common part; gpnav_torch's `counting` module is the training
side's equivalent and is not used here, so that the references stay independent of gpnav's code.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, Tuple

import torch

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import fvcore
    from fvcore.nn import FlopCountAnalysis

#: fvcore's version, for the fixtures' `versions`.
FVCORE_VERSION = getattr(fvcore, "__version__", "?")

#: fvcore's operator names for convolutions and linear layers (addmm where a traced linear lowers to it).
WEIGHT_OPERATORS = ("conv", "linear", "addmm")

#: A forward hook for the modules a predicate picks.
Hook = Tuple[Callable[[torch.nn.Module], bool], Callable]


@dataclass(frozen=True)
class Traced:
    """One image traced through a model: fvcore's count by operator, the weight and bias MACs, the parameters."""

    by_operator: Dict[str, int]
    weight_macs: int
    bias_macs: int
    params: int


def trace(model: torch.nn.Module, resolution: int, hooks: Iterable[Hook] = ()) -> Traced:
    """fvcore's count of `model` on one `resolution` x `resolution` image in eval mode, with one MAC
    per output element of each biased convolution or linear layer, and `hooks` (predicate, hook)
    registered on the modules their predicate picks for the run, removed after it."""
    model.eval()
    bias = 0

    def on_bias(module, _inputs, output):
        nonlocal bias
        if module.bias is not None:
            bias += output.numel()  # one image is traced: every output element is its own

    handles = [m.register_forward_hook(on_bias) for m in model.modules() if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    for picks, hook in hooks:
        handles += [m.register_forward_hook(hook) for m in model.modules() if picks(m)]
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            analysis = FlopCountAnalysis(model, torch.zeros(1, 3, resolution, resolution))
            analysis.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
            by_operator = dict(analysis.by_operator())
    finally:
        for handle in handles:
            handle.remove()
    weights = sum(by_operator.get(op, 0) for op in WEIGHT_OPERATORS)
    return Traced(by_operator=by_operator, weight_macs=int(weights), bias_macs=int(bias),
                  params=sum(p.numel() for p in model.parameters()))
