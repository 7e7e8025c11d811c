"""Post-training static int8 quantisation of an exported model with ONNX Runtime.

`quantize_int8` calibrates on the images it is given (MinMax: each activation's range is the
range it took on them) and writes a QDQ model with ONNX Runtime's CPU settings: activations
unsigned 8-bit, weights signed 8-bit per output channel (U8S8, the format whose kernels x86 and
ARM CPUs run fastest). The float model first goes through ONNX Runtime's `quant_pre_process`
(shape inference and graph optimisation), as its documentation advises before quantising.
Which images calibrate is the caller's choice, and it says which: random images for latency
(the values do not change the kernels that run), training images for accuracy.
"""

from __future__ import annotations

import logging
import os
import tempfile
from typing import Iterable, Iterator, Optional

import numpy as np

from .onnx_export import INPUT_NAME


class QuantizationError(Exception):
    """A model ONNX Runtime could not quantise, or calibration images that cannot calibrate it."""


def random_calibration_images(resolution: int, count: int = 8, seed: int = 0) -> Iterator[np.ndarray]:
    """`count` single-image batches of uniform random pixels in [0, 1), the range the recipe feeds."""
    rng = np.random.default_rng(seed)
    for _ in range(count):
        yield rng.random((1, 3, resolution, resolution), dtype=np.float32)


def _reader(batches: Iterable[np.ndarray]):
    from onnxruntime.quantization import CalibrationDataReader

    class _Batches(CalibrationDataReader):
        def __init__(self) -> None:
            self.batches = iter(batches)
            self.count = 0

        def get_next(self) -> Optional[dict]:
            batch = next(self.batches, None)
            if batch is None:
                return None
            batch = np.ascontiguousarray(batch, dtype=np.float32)
            if not np.all(np.isfinite(batch)):
                raise QuantizationError("a calibration image has a pixel that is not finite")
            self.count += 1
            return {INPUT_NAME: batch}

    return _Batches()


def quantize_int8(float_path: str, int8_path: str, calibration_batches: Iterable[np.ndarray]) -> int:
    """Writes the int8 model of the ONNX file `float_path` to `int8_path`, calibrated on
    `calibration_batches` (float32 arrays `[batch, 3, resolution, resolution]`); returns the
    number of batches calibrated on.

    Raises QuantizationError when there is no calibration batch or ONNX Runtime fails.
    """
    from onnxruntime.quantization import (CalibrationMethod, QuantFormat, QuantType, quant_pre_process,
                                          quantize_static)

    batches = list(calibration_batches)
    if not batches:
        raise QuantizationError("no calibration image: static quantisation needs at least one")
    reader = _reader(batches)
    with tempfile.TemporaryDirectory(prefix="gpnav-int8-") as directory:
        prepared = os.path.join(directory, "prepared.onnx")
        # ONNX Runtime's quantiser logs warnings on the root logger (e.g. about per-channel axes
        # of rank-1 norm constants); a library prints nothing.
        previous = logging.root.manager.disable
        logging.disable(logging.WARNING)
        try:
            quant_pre_process(float_path, prepared)
            quantize_static(prepared, int8_path, reader, quant_format=QuantFormat.QDQ, per_channel=True,
                            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                            calibrate_method=CalibrationMethod.MinMax)
        except QuantizationError:
            raise
        except Exception as error:  # noqa: BLE001  ONNX Runtime raises many types; one line for each
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise QuantizationError(f"ONNX Runtime's static quantisation failed: {first}") from None
        finally:
            logging.disable(previous)
    return reader.count
