"""The runtimes a network's latency is measured on, and the name of the device they run on.

A runner is a callable that runs one forward pass of one batch and returns only when its output
is ready (on a GPU, after synchronising), so that a clock around it times the whole pass.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np
import torch
from torch import nn

from .int8 import quantize_int8, random_calibration_images
from .onnx_export import DEFAULT_OPSET, INPUT_NAME, cpu_session, export_onnx

RUNTIMES = ("onnxruntime", "torch")
#: Random calibration images for `--int8` latency: the values calibrated on change the scales,
#: not which kernels run, and so not the latency.
LATENCY_CALIBRATION_IMAGES = 8


class RuntimeUnavailable(Exception):
    """A runtime that cannot run here (no GPU, a precision it does not offer)."""


@dataclass
class Runner:
    """One forward pass of a fixed input (`run`), and what it runs on."""

    run: Callable[[], object]
    runtime: str
    runtime_version: str
    device: str
    precision: str


def cpu_model_name(cpuinfo: str = "/proc/cpuinfo") -> str:
    """The CPU's model name from /proc/cpuinfo (`model name`, or `Hardware`/`Processor` on ARM),
    else what `platform` knows, else "unknown CPU"."""
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as handle:
            fields = dict(line.split(":", 1) for line in handle if ":" in line)
    except OSError:
        fields = {}
    fields = {key.strip(): value.strip() for key, value in fields.items()}
    for key in ("model name", "Hardware", "Processor", "cpu model"):
        if fields.get(key):
            return fields[key]
    return platform.processor() or platform.machine() or "unknown CPU"


def onnxruntime_runner(model: nn.Module, resolution: int, batch: int, threads: int, int8: bool,
                       directory: str) -> Runner:
    """Exports `model` into `directory` (fixed batch), quantises it with `int8` (calibrated on
    random images), and returns a CPU session's forward pass on random images."""
    import onnxruntime

    float_path = os.path.join(directory, "model.onnx")
    export_onnx(model, resolution, float_path, DEFAULT_OPSET, dynamic_batch=False, batch=batch)
    path = float_path
    if int8:
        path = os.path.join(directory, "model.int8.onnx")
        quantize_int8(float_path, path, random_calibration_images(resolution, LATENCY_CALIBRATION_IMAGES))
    session = cpu_session(path, threads)
    images = np.random.default_rng(0).random((batch, 3, resolution, resolution), dtype=np.float32)
    feeds = {INPUT_NAME: images}
    return Runner(run=lambda: session.run(None, feeds), runtime="onnxruntime",
                  runtime_version=onnxruntime.__version__, device=cpu_model_name(),
                  precision="int8" if int8 else "float32")


def torch_runner(model: nn.Module, resolution: int, batch: int, threads: int, device: Optional[str] = None) -> Runner:
    """PyTorch's eager forward pass in inference mode on `device` (`cpu`, `cuda`, or None: the GPU
    if there is one), with `threads` CPU threads."""
    if device is None:
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise RuntimeUnavailable("no CUDA device is available")
    torch.set_num_threads(threads)
    model = model.eval().to(device)
    images = torch.rand(batch, 3, resolution, resolution, generator=torch.Generator().manual_seed(0)).to(device)
    if device == "cuda":
        def run() -> object:
            with torch.inference_mode():
                output = model(images)
            torch.cuda.synchronize()
            return output
        name = torch.cuda.get_device_name()
    else:
        def run() -> object:
            with torch.inference_mode():
                return model(images)
        name = cpu_model_name()
    return Runner(run=run, runtime="torch", runtime_version=torch.__version__, device=name, precision="float32")
