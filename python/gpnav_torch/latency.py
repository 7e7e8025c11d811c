"""`python -m gpnav_torch.latency --config FILE`: the measured latency of a gpnav architecture.

Builds the configuration's network with random weights (weights do not change which kernels run),
checks its parameter count against the configuration's, and times one forward pass of a batch
on a runtime: ONNX Runtime on the CPU (the default; the network exported as `gpnav_torch.export`
does, and with `--int8` quantised statically, calibrated on random images) or PyTorch eager
(CPU or GPU). Warm-up, the number of timed runs, the median, the spread and the rule that refuses
a measurement are `gpnav_torch.timing`'s. Prints one JSON line: `latency_ms` (median wall time),
`latency_spread_ms` (interquartile range), `relative_spread`, `p25_ms`, `p75_ms`, `min_ms`,
`cpu_ms` (median CPU time of the process per run), `cpu_spread_ms` (its interquartile range),
`runs`, `warmup_runs`, `max_spread`, `runtime`, `runtime_version`, `precision`, `threads`, `batch`,
`device` (the CPU model or the GPU), `load_average_1m` (at the end, from /proc/loadavg; null where
there is none), `cpu_count`, `architecture`, `resolution`, `macs`, `params`, and `int8_calibration` with `--int8`.

Exit status: 0 measured; 1 the measurement was refused (its spread is over `--max-spread`) or the
runtime failed; 2 bad arguments or config. Each failure is one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from typing import Optional, Sequence

from .config import ConfigError, TrialConfig, load_config
from .counting import require_config_counts
from .int8 import QuantizationError
from .model import build_model
from .onnx_export import ExportError
from .runtimes import (LATENCY_CALIBRATION_IMAGES, RUNTIMES, Runner, RuntimeUnavailable, onnxruntime_runner,
                       torch_runner)
from .timing import Clock, TimingPolicy, TimingPolicyError, UnstableMeasurement, time_runs

EXIT_REFUSED, EXIT_USAGE = 1, 2
_NAME = "gpnav_torch.latency"


class LatencyRequestError(ValueError):
    """A measurement asked for with a runtime, option or device it cannot take."""


def load_average_1m(path: str = "/proc/loadavg") -> Optional[float]:
    """The one-minute load average, or None where the system does not say."""
    try:
        with open(path, encoding="ascii") as handle:
            return float(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def measure_latency(trial: TrialConfig, runtime: str = "onnxruntime", threads: int = 1, batch: int = 1,
                    int8: bool = False, policy: TimingPolicy = TimingPolicy(), device: Optional[str] = None,
                    wall_clock: Clock = time.perf_counter, cpu_clock: Clock = time.process_time) -> dict:
    """Builds `trial`'s network, times it as `policy` says, and returns the report (the JSON line).

    Raises ConfigError for a configuration whose network is not gpnav's, LatencyRequestError for a runtime
    or option it does not offer, RuntimeUnavailable, ExportError or QuantizationError when the
    runtime cannot run the network, and UnstableMeasurement when the runs spread too much.
    """
    if runtime not in RUNTIMES:
        raise LatencyRequestError(f"runtime {runtime!r} is not one of {', '.join(RUNTIMES)}")
    if threads < 1 or batch < 1:
        raise LatencyRequestError(f"threads and batch must be at least 1, got {threads} and {batch}")
    if int8 and runtime != "onnxruntime":
        raise LatencyRequestError("int8 is measured with the onnxruntime runtime only")
    if device not in (None, "cpu", "cuda") or (device == "cuda" and runtime != "torch"):
        raise LatencyRequestError(f"device {device!r}: onnxruntime runs on the CPU; torch on 'cpu' or 'cuda'")
    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = build_model(trial).eval()
    require_config_counts(model, trial, macs=False)
    with tempfile.TemporaryDirectory(prefix="gpnav-latency-") as directory:
        if runtime == "onnxruntime":
            runner: Runner = onnxruntime_runner(model, trial.resolution, batch, threads, int8, directory)
        else:
            runner = torch_runner(model, trial.resolution, batch, threads, device)
        summary = time_runs(runner.run, policy, wall_clock, cpu_clock)
    report = {
        "latency_ms": round(summary.latency_ms, 4), "latency_spread_ms": round(summary.latency_spread_ms, 4),
        "relative_spread": round(summary.relative_spread, 4), "p25_ms": round(summary.p25_ms, 4),
        "p75_ms": round(summary.p75_ms, 4), "min_ms": round(summary.min_ms, 4), "cpu_ms": round(summary.cpu_ms, 4),
        "cpu_spread_ms": round(summary.cpu_spread_ms, 4), "runs": summary.runs, "warmup_runs": summary.warmup_runs,
        "max_spread": policy.max_spread,
        "runtime": runner.runtime, "runtime_version": runner.runtime_version, "precision": runner.precision,
        "threads": threads, "batch": batch, "device": runner.device, "load_average_1m": load_average_1m(),
        "cpu_count": os.cpu_count(), "architecture": trial.name, "resolution": trial.resolution,
        "macs": trial.macs, "params": trial.params}
    if int8:
        report["int8_calibration"] = f"{LATENCY_CALIBRATION_IMAGES} random images, uniform in [0, 1)"
    return report


class _ArgumentError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    defaults = TimingPolicy()
    parser = argparse.ArgumentParser(
        prog=f"python -m {_NAME}",
        description="Measure the latency of the network of a gpnav config (random weights) and print one JSON line. "
                    "The median of the timed runs is refused when their interquartile range is over "
                    "--max-spread of it.",
        epilog=f"Example: python -m {_NAME} --config arch.json --threads 1")
    parser.add_argument("--config", required=True, help="the architecture's JSON config (gpnav macs --format json)")
    parser.add_argument("--runtime", choices=RUNTIMES, default="onnxruntime", help="(default onnxruntime, on the CPU)")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads of the runtime (default 1)")
    parser.add_argument("--batch", type=int, default=1, help="images per forward pass (default 1)")
    parser.add_argument("--int8", action="store_true",
                        help="measure the model quantised by ONNX Runtime's static quantisation "
                             f"(calibrated on {LATENCY_CALIBRATION_IMAGES} random images)")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto",
                        help="torch runtime only: where it runs (default auto: the GPU if there is one)")
    parser.add_argument("--max-spread", type=float, default=defaults.max_spread,
                        help=f"refuse when (p75 - p25) / median of the runs is over this (default {defaults.max_spread})")
    parser.add_argument("--min-runs", type=int, default=defaults.min_runs,
                        help=f"timed runs, at least (default {defaults.min_runs})")
    parser.add_argument("--min-seconds", type=float, default=defaults.min_seconds,
                        help=f"seconds of timed runs, at least (default {defaults.min_seconds})")
    parser.add_argument("--max-runs", type=int, default=defaults.max_runs,
                        help=f"timed runs, at most; overrides --min-seconds (default {defaults.max_runs})")
    parser.add_argument("--warmup-runs", type=int, default=defaults.warmup_runs,
                        help=f"untimed runs first, at least (default {defaults.warmup_runs}, and "
                             f"{defaults.warmup_seconds} s)")
    return parser


def main(argv: Optional[Sequence[str]] = None, wall_clock: Clock = time.perf_counter,
         cpu_clock: Clock = time.process_time) -> int:
    """The command; tests pass deterministic clocks."""
    parser = _parser()
    parser.error = lambda message: (_ for _ in ()).throw(_ArgumentError(message))  # one line, no usage dump
    try:
        args = parser.parse_args(argv)
        policy = TimingPolicy(warmup_runs=args.warmup_runs, min_runs=args.min_runs, min_seconds=args.min_seconds,
                              max_runs=args.max_runs, max_spread=args.max_spread)
        trial = load_config(args.config)
        report = measure_latency(trial, args.runtime, args.threads, args.batch, args.int8, policy,
                                 None if args.device == "auto" else args.device, wall_clock, cpu_clock)
    except (_ArgumentError, ConfigError, LatencyRequestError, TimingPolicyError) as error:
        print(f"{_NAME}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except UnstableMeasurement as error:
        print(f"{_NAME}: error: measurement refused: {error}; measure again on a quieter machine, "
              f"or with more --min-runs or a larger --max-spread", file=sys.stderr)
        return EXIT_REFUSED
    except (RuntimeUnavailable, ExportError, QuantizationError) as error:
        print(f"{_NAME}: error: {error}", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as error:  # noqa: BLE001  one line, never a traceback
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print(f"{_NAME}: error: {type(error).__name__}: {first}", file=sys.stderr)
        return EXIT_REFUSED
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
