"""Post-training int8 quantisation of a trained network, and the accuracy it keeps.

`int8_accuracy` exports the trained network (`gpnav_torch.onnx_export`, dynamic batch), quantises
it with ONNX Runtime's static quantisation (`gpnav_torch.int8`) calibrated on training images
(a seeded random choice of DIR/train, preprocessed as for evaluation: resize to 9/8 of the
resolution, centre crop), and measures top-1 accuracy on all of DIR/val with the float and the
int8 model, both run by ONNX Runtime on the same arrays, so that the drop is the quantisation's
alone. `python -m gpnav_torch.quantize --config F --checkpoint C --data DIR` prints the result as
one JSON line: `accuracy` (float, %), `accuracy_int8` (%), `accuracy_drop` (percentage points),
`calibration_images`, `val_images`, `quantization`, `architecture`, `macs`, `params`.

Exit status: 0 success; 2 bad arguments, config or checkpoint; 3 missing, empty or unreadable
data, or data whose class count is not the network's; 1 anything else. Each failure is one line
on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import asdict, dataclass
from typing import Optional, Sequence

import numpy as np
from torch import nn

from .weights import WeightsError, load_weights
from .config import ConfigError, TrialConfig, load_config
from .counting import require_config_counts
from .image_data import DataError as DatasetError, load_split
from .image_folders import array_batches
from .int8 import QuantizationError, quantize_int8
from .model import build_model
from .onnx_export import DEFAULT_OPSET, INPUT_NAME, ExportError, cpu_session, export_onnx
from .recipe import Recipe

#: What `accuracy_int8` is the accuracy of (see gpnav_torch.int8).
QUANTIZATION = "onnxruntime static QDQ, uint8 activations, int8 per-channel weights, MinMax calibration"
EXIT_INTERNAL, EXIT_USAGE, EXIT_DATA = 1, 2, 3


@dataclass(frozen=True)
class Int8Accuracy:
    """Top-1 accuracy (%) of the float and the int8 model on the same validation images."""

    accuracy: float
    accuracy_int8: float
    calibration_images: int
    val_images: int
    quantization: str = QUANTIZATION

    @property
    def accuracy_drop(self) -> float:
        """Percentage points lost to quantisation (negative when int8 happens to do better)."""
        return self.accuracy - self.accuracy_int8

    def as_dict(self) -> dict:
        return {**asdict(self), "accuracy_drop": self.accuracy_drop}


def _top1(session, batches) -> float:
    correct = count = 0
    for images, labels in batches:
        logits = session.run(None, {INPUT_NAME: images})[0]
        if not np.all(np.isfinite(logits)):
            raise QuantizationError("a model's logits are not all finite on the validation images")
        correct += int((logits.argmax(axis=1) == labels).sum())
        count += labels.size
    return 100.0 * correct / count


def int8_accuracy(model: nn.Module, trial: TrialConfig, data: str, calibration_images: int = 64,
                  batch_size: int = 32, threads: int = 1, seed: int = 0) -> Int8Accuracy:
    """The float and int8 accuracy of `model` (trained weights, the network of `trial`) on
    `data`/val, the int8 model calibrated on `calibration_images` images of `data`/train.

    Raises DatasetError when a split is missing, empty, unreadable or has another class count
    than the network, and ExportError or QuantizationError when ONNX Runtime fails.
    """
    if calibration_images < 1 or batch_size < 1 or threads < 1:
        raise ValueError("calibration images, batch size and threads must be at least 1")
    transform = Recipe.for_family(trial.family).evaluation_transform(trial.resolution)
    train, val = load_split(data, "train", transform), load_split(data, "val", transform)
    for split, dataset in (("train", train), ("val", val)):
        if len(dataset.classes) != trial.classes:
            raise DatasetError(f"{data}/{split} has {len(dataset.classes)} classes but the network has "
                               f"{trial.classes} outputs")
    if train.classes != val.classes:
        raise DatasetError(f"{data}/train and {data}/val have different class folders")
    with tempfile.TemporaryDirectory(prefix="gpnav-quantize-") as directory:
        float_path, int8_path = os.path.join(directory, "model.onnx"), os.path.join(directory, "model.int8.onnx")
        export_onnx(model, trial.resolution, float_path, DEFAULT_OPSET, dynamic_batch=True)
        try:
            calibration = [images for images, _ in array_batches(train, batch_size, calibration_images, seed)]
            calibrated = sum(len(images) for images in calibration)
            quantize_int8(float_path, int8_path, calibration)
            validation = list(array_batches(val, batch_size))
        except OSError as error:  # an image PIL cannot read
            raise DatasetError(f"{data}: an image cannot be read: {error}") from None
        float_accuracy = _top1(cpu_session(float_path, threads), validation)
        quantized_accuracy = _top1(cpu_session(int8_path, threads), validation)
    return Int8Accuracy(accuracy=float_accuracy, accuracy_int8=quantized_accuracy, calibration_images=calibrated,
                        val_images=len(val))


def trained_int8_accuracy(trial: TrialConfig, weights: str, data: str, calibration_images: int = 64,
                          batch_size: int = 32, threads: int = 1, seed: int = 0) -> Int8Accuracy:
    """`int8_accuracy` of `trial`'s network with the trained weights at `weights` (a state dict or
    gpnav_torch.train's final weights), loaded with weights-only loading.

    Raises WeightsError for weights that do not fit, and as `int8_accuracy`."""
    model = build_model(trial)
    load_weights(model, weights)
    return int8_accuracy(model, trial, data, calibration_images, batch_size, threads, seed)


class _ArgumentError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gpnav_torch.quantize",
        description="Post-training int8 quantisation (ONNX Runtime, static, calibrated on training images) of a "
                    "trained gpnav network: its validation accuracy next to the float model's, as one JSON line.",
        epilog="Example: python -m gpnav_torch.quantize --config trial.json --checkpoint trial.weights.pt --data demo")
    parser.add_argument("--config", required=True, help="the architecture's JSON config")
    parser.add_argument("--checkpoint", required=True, help="trained weights (gpnav_torch.train's checkpoint or a state dict)")
    parser.add_argument("--data", required=True, metavar="DIR", help="ImageFolder root with train/ and val/")
    parser.add_argument("--calibration-images", type=int, default=64,
                        help="training images to calibrate on, a seeded random choice (default 64)")
    parser.add_argument("--batch-size", type=int, default=32, help="(default 32)")
    parser.add_argument("--threads", type=int, default=1, help="ONNX Runtime's CPU threads (default 1)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the calibration images' choice (default 0)")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = _parser()
    parser.error = lambda message: (_ for _ in ()).throw(_ArgumentError(message))  # one line, no usage dump
    name = "gpnav_torch.quantize"
    try:
        args = parser.parse_args(argv)
        if args.calibration_images < 1 or args.batch_size < 1 or args.threads < 1:
            raise _ArgumentError("--calibration-images, --batch-size and --threads must be at least 1")
        import torch

        torch.set_num_threads(args.threads)
        trial = load_config(args.config)
        model = build_model(trial)
        require_config_counts(model, trial, macs=False)
        load_weights(model, args.checkpoint)
        result = int8_accuracy(model, trial, args.data, args.calibration_images, args.batch_size, args.threads,
                               args.seed)
    except (_ArgumentError, ConfigError, WeightsError) as error:
        print(f"{name}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except DatasetError as error:
        print(f"{name}: error: {error}", file=sys.stderr)
        return EXIT_DATA
    except (ExportError, QuantizationError) as error:
        print(f"{name}: error: {error}", file=sys.stderr)
        return EXIT_INTERNAL
    except Exception as error:  # noqa: BLE001  one line, never a traceback
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print(f"{name}: error: {type(error).__name__}: {first}", file=sys.stderr)
        return EXIT_INTERNAL
    print(json.dumps({**result.as_dict(), "architecture": trial.name, "macs": trial.macs, "params": trial.params}),
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
