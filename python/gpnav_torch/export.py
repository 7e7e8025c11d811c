"""`python -m gpnav_torch.export --config FILE --onnx OUT.onnx`: a gpnav architecture as ONNX.

Builds the configuration's network (`build_model`), checks that its parameters and MACs are the
configuration's, loads `--checkpoint` if given (`gpnav_torch.checkpoint`: weights only, refused
unless it fits), writes the ONNX file (`gpnav_torch.onnx_export`), runs it with ONNX Runtime
and PyTorch on the same random images and prints one JSON line: `onnx`, `opset`,
`dynamic_batch`, `max_abs_diff`, `max_abs_logit`, `tolerance`, `limit`, `passed`, `checked_batches`,
`architecture`, `macs`, `params`, `checkpoint`.

Exit status: 0 exported and within tolerance; 1 the ONNX model disagrees with PyTorch by more
than the tolerance (the file is removed) or the export failed; 2 bad arguments, config or
checkpoint. Each failure is one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Optional, Sequence

from .weights import WeightsError, load_weights
from .config import ConfigError, load_config
from .counting import require_config_counts
from .model import build_model
from .onnx_export import (DEFAULT_OPSET, MIN_OPSET, ExportError, ExportRequestError, check_against_torch,
                          check_batch_sizes, export_onnx, max_opset, onnx_opset)

EXIT_MISMATCH, EXIT_USAGE = 1, 2
_NAME = "gpnav_torch.export"


class _ArgumentError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"python -m {_NAME}",
        description="Export the network of a gpnav config (gpnav macs --format json, or a trial's config) "
                    "as ONNX, and check it against PyTorch with ONNX Runtime.",
        epilog="Example: gpnav macs --resolution 256 --width 1 --format json > arch.json && "
               f"python -m {_NAME} --config arch.json --onnx arch.onnx --dynamic-batch")
    parser.add_argument("--config", required=True, help="the architecture's JSON config")
    parser.add_argument("--checkpoint", help="trained weights (a state dict, or gpnav_torch.train's checkpoint); "
                                             "default: random initial weights, seed 0")
    parser.add_argument("--onnx", required=True, metavar="OUT.onnx", help="the ONNX file to write")
    parser.add_argument("--opset", type=int, default=DEFAULT_OPSET,
                        help=f"ONNX opset, {MIN_OPSET} to {max_opset()} (default {DEFAULT_OPSET})")
    parser.add_argument("--dynamic-batch", action="store_true",
                        help="let the batch dimension vary (checked at two batch sizes); default: fixed")
    parser.add_argument("--batch", type=int, default=1, help="the batch the graph is traced at (default 1)")
    parser.add_argument("--tolerance", type=float, default=1e-4,
                        help="pass when max |ONNX - PyTorch| <= TOLERANCE x max(1, max |PyTorch logit|) (default 1e-4)")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads of the check (default 1)")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = _parser()
    parser.error = lambda message: (_ for _ in ()).throw(_ArgumentError(message))  # one line, no usage dump
    try:
        args = parser.parse_args(argv)
        if args.batch < 1 or args.threads < 1:
            raise _ArgumentError("--batch and --threads must be at least 1")
        import torch

        torch.set_num_threads(args.threads)
        torch.manual_seed(0)  # without a checkpoint, the same random weights every time
        trial = load_config(args.config)
        model = build_model(trial)
        require_config_counts(model, trial)
        if args.checkpoint:
            load_weights(model, args.checkpoint)
        export_onnx(model, trial.resolution, args.onnx, args.opset, args.dynamic_batch, args.batch)
        check = check_against_torch(model, args.onnx, trial.resolution, args.tolerance,
                                    check_batch_sizes(args.dynamic_batch, args.batch), threads=args.threads)
    except (_ArgumentError, ConfigError, WeightsError, ExportRequestError) as error:
        print(f"{_NAME}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except ExportError as error:
        print(f"{_NAME}: error: {error}", file=sys.stderr)
        return EXIT_MISMATCH
    except Exception as error:  # noqa: BLE001  one line, never a traceback
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print(f"{_NAME}: error: {type(error).__name__}: {first}", file=sys.stderr)
        return EXIT_MISMATCH
    report = {
        "onnx": args.onnx, "opset": onnx_opset(args.onnx), "dynamic_batch": args.dynamic_batch,
        "max_abs_diff": check.max_abs_diff, "max_abs_logit": check.max_abs_logit, "tolerance": check.tolerance,
        "limit": check.limit, "passed": check.passed, "checked_batches": list(check.batch_sizes),
        "architecture": trial.name, "macs": trial.macs, "params": trial.params, "checkpoint": args.checkpoint}
    print(json.dumps(report), flush=True)
    if not check.passed:
        os.remove(args.onnx)
        print(f"{_NAME}: error: the ONNX model's logits differ from PyTorch's by up to {check.max_abs_diff:.3g}, "
              f"over the limit {check.limit:.3g} (--tolerance {check.tolerance:g}); {args.onnx} removed",
              file=sys.stderr)
        return EXIT_MISMATCH
    return 0


if __name__ == "__main__":
    sys.exit(main())
