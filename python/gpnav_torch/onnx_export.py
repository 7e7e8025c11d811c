"""ONNX export of a built network, and its check against PyTorch with ONNX Runtime.

The export uses PyTorch's TorchScript-based exporter (`dynamo=False`): it needs no package
besides `onnx`, exists in every PyTorch this package supports, and exports timm's MobileViT
blocks (their reshapes included) with a dynamic batch dimension. The graph has one input,
`image` (`[batch, 3, resolution, resolution]`, float32, values in [0, 1] as the training recipe
feeds them) and one output, `logits` (`[batch, classes]`).
"""

from __future__ import annotations

import inspect
import os
import warnings
from dataclasses import dataclass
from typing import Optional

import numpy as np
import torch
from torch import nn

#: The opset written unless another is asked for: the first with LayerNormalization as one operator.
DEFAULT_OPSET = 17
#: The opsets accepted: 13 is the first where ONNX Runtime's static quantisation can quantise per
#: channel; the top is what PyTorch's TorchScript exporter can write.
MIN_OPSET = 13
INPUT_NAME, OUTPUT_NAME = "image", "logits"


def max_opset() -> int:
    """The newest opset PyTorch's TorchScript-based exporter writes."""
    try:
        from torch.onnx import _constants
        return int(getattr(_constants, "ONNX_TORCHSCRIPT_EXPORTER_MAX_OPSET", _constants.ONNX_MAX_OPSET))
    except (ImportError, AttributeError):
        return DEFAULT_OPSET


class ExportError(Exception):
    """An export that failed, or whose model ONNX Runtime cannot run."""


class ExportRequestError(ExportError):
    """An export asked for with values it cannot take: an opset, a tolerance, an output path."""


@dataclass(frozen=True)
class ExportCheck:
    """The ONNX model's logits against PyTorch's on the same images.

    Passes when `max_abs_diff <= tolerance * max(1, max_abs_logit)`: the tolerance is relative to
    the logits' scale, and absolute for logits under 1.
    """

    max_abs_diff: float
    max_abs_logit: float
    tolerance: float
    batch_sizes: tuple

    @property
    def limit(self) -> float:
        return self.tolerance * max(1.0, self.max_abs_logit)

    @property
    def passed(self) -> bool:
        return self.max_abs_diff <= self.limit


def export_onnx(model: nn.Module, resolution: int, path: str, opset: int = DEFAULT_OPSET,
                dynamic_batch: bool = False, batch: int = 1) -> None:
    """Writes `model` (put in eval mode) as an ONNX file at `path` for `batch` images of
    `resolution` pixels, or any batch with `dynamic_batch`.

    Raises ExportError for an opset outside MIN_OPSET..max_opset() or a failed export.
    """
    if not MIN_OPSET <= opset <= max_opset():
        raise ExportRequestError(f"opset {opset} is not one this exporter writes ({MIN_OPSET} to {max_opset()})")
    model.eval()
    example = torch.rand(batch, 3, resolution, resolution)
    dynamic_axes = {INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}} if dynamic_batch else None
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise ExportRequestError(f"cannot write {path}: directory {directory} does not exist")
    try:
        with warnings.catch_warnings():
            # The tracer warns about Python values computed from shapes (timm's patch sizes);
            # the resolution is fixed, so those values are constants of the graph.
            warnings.simplefilter("ignore")
            torch.onnx.export(model, (example,), path, input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
                              opset_version=opset, dynamic_axes=dynamic_axes, do_constant_folding=True,
                              **_torchscript_exporter())
    except OSError as error:
        raise ExportRequestError(f"cannot write {path}: {error.strerror or error}") from None
    except Exception as error:  # noqa: BLE001  the exporter raises many types; one line for each
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ExportError(f"PyTorch's ONNX export failed: {first}") from None


def _torchscript_exporter() -> dict:
    # Recent PyTorch exports with dynamo (which needs onnxscript) unless told otherwise; older
    # PyTorch has no `dynamo` argument and only the TorchScript-based exporter.
    return {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}


def cpu_session(path: str, threads: int = 1, optimize: bool = True):
    """An ONNX Runtime session on the CPU with `threads` intra-op threads and one inter-op thread."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = (onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL if optimize
                                        else onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL)
    options.log_severity_level = 3  # errors only: no warnings on stderr from library code
    return onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def check_against_torch(model: nn.Module, path: str, resolution: int, tolerance: float = 1e-4,
                        batch_sizes: tuple = (1,), seed: int = 0, threads: int = 1) -> ExportCheck:
    """Runs the ONNX model at `path` with ONNX Runtime and `model` with PyTorch on the same seeded
    random images, one batch of each size in `batch_sizes`, and compares their logits.

    Raises ExportError when ONNX Runtime cannot load or run the model, or an output is not finite.
    """
    if not (tolerance > 0 and np.isfinite(tolerance)):
        raise ExportRequestError(f"tolerance must be a positive number, got {tolerance}")
    try:
        session = cpu_session(path, threads)
    except Exception as error:  # noqa: BLE001
        raise ExportError(f"ONNX Runtime cannot load {path}: {str(error).strip().splitlines()[0]}") from None
    model.eval()
    generator = torch.Generator().manual_seed(seed)
    max_diff, max_logit = 0.0, 0.0
    for batch in batch_sizes:
        images = torch.rand(batch, 3, resolution, resolution, generator=generator)
        with torch.no_grad():
            expected = model(images).numpy()
        try:
            actual = session.run([OUTPUT_NAME], {INPUT_NAME: images.numpy()})[0]
        except Exception as error:  # noqa: BLE001
            raise ExportError(f"ONNX Runtime cannot run {path} on a batch of {batch}: "
                              f"{str(error).strip().splitlines()[0]}") from None
        if actual.shape != expected.shape:
            raise ExportError(f"the ONNX model's logits have shape {list(actual.shape)}, PyTorch's {list(expected.shape)}")
        if not (np.all(np.isfinite(actual)) and np.all(np.isfinite(expected))):
            raise ExportError("the logits of ONNX Runtime or PyTorch are not all finite")
        max_diff = max(max_diff, float(np.abs(actual - expected).max()))
        max_logit = max(max_logit, float(np.abs(expected).max()))
    return ExportCheck(max_abs_diff=max_diff, max_abs_logit=max_logit, tolerance=tolerance,
                       batch_sizes=tuple(batch_sizes))


def check_batch_sizes(dynamic_batch: bool, batch: int) -> tuple:
    """The batch sizes an export is checked at: its own, and with a dynamic batch also another."""
    return (batch, batch + 2) if dynamic_batch else (batch,)


def onnx_opset(path: str) -> Optional[int]:
    """The default-domain opset an ONNX file declares (None if it declares none)."""
    import onnx

    model = onnx.load(path, load_external_data=False)
    for entry in model.opset_import:
        if entry.domain in ("", "ai.onnx"):
            return int(entry.version)
    return None
