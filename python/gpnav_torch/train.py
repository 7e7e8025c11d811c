"""`python -m gpnav_torch.train --config FILE --data DIR`: a gpnav training command.

Builds the configuration's architecture (`build_model`: MobileViTv2, or MobileViT v1 for family
`mobilevit`), checks that its parameters and MACs are gpnav's, trains it on the ImageFolder
dataset DIR/train with the family's recipe (`gpnav_torch.recipe`, every value a flag) and
evaluates it on DIR/val after every epoch (`gpnav_torch.trainer`).

stdout: after each epoch one JSON line `{"epoch": 3, "accuracy": 41.2}` (epochs from 1, top-1 % of
the carried weights; as many epochs as --epochs says, else the config's `epochs`, the study's
length from gpnav's --epochs, else the recipe's), then the result line: `accuracy` (top-1 %, validation), `top5`, `epochs`,
`train_seconds`, `params`, `macs`, `train_loss`, `val_loss`, `accuracy_last`, `accuracy_best`,
`best_epoch`, `accuracy_raw_last`, `carries` (which weights and epoch `accuracy` is of:
`ema-last`, `ema-best`, `raw-last` or `raw-best`) and `weights` (the final weights' file). The
human-readable log goes to stderr and, as it runs, to a log file beside the config.

With `--int8-eval` the carried weights are then quantised after training (post-training static
quantisation with ONNX Runtime, calibrated on training images: `gpnav_torch.quantize`), and the
result line adds `accuracy_int8` (top-1 % of the int8 model on DIR/val), `accuracy_onnx` (the float
model run by ONNX Runtime on the same arrays) and `accuracy_int8_drop` (their difference, points).

Under `torchrun --nproc-per-node N -m gpnav_torch.train ...` each process trains its shard with
DistributedDataParallel; rank 0 alone writes files and prints. `--batch-size` is per process.

Checkpoints (beside the config by default) are read with `torch.load(weights_only=True)`, and a
file of another run is refused (exit 2) and left as it is. Before anything is allocated, the
network is counted from the plan on PyTorch's `meta` device and refused (exit 2) over
`--max-params` or `--max-memory`.

Exit status: 0 success; 2 bad arguments, config, checkpoint or limits; 3 missing, empty or
unreadable data; 4 out of memory; 1 anything else. Each failure is one line on stderr.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from typing import Optional, Sequence, TextIO

import torch

from .checkpoint import CheckpointError
from .config import ConfigError, load_config
from .distributed import Distributed, DistributedError
from .image_data import ClassCountError, DataError
from .pretrained import PretrainedError, PretrainedNotCachedError
from .recipe import Recipe, RecipeError
from .resource_guard import ResourceError, ResourceLimits, device_memory_bytes
from .int8 import QuantizationError
from .onnx_export import ExportError
from .quantize import trained_int8_accuracy
from .trainer import PretrainedStart, Progress, ResumeError, TrialFiles, train_trial

EXIT_USAGE, EXIT_DATA, EXIT_MEMORY, EXIT_INTERNAL = 2, 3, 4, 1

# Flags that set a recipe value: (flag, Recipe field, type, help).
_RECIPE_FLAGS = (
    ("--epochs", "epochs", int, "epochs (default: the config's `epochs`, gpnav's --epochs, else the recipe's)"),
    ("--batch-size", "batch_size", int, "images per step and process"),
    ("--lr", "learning_rate", float, "peak learning rate"),
    ("--min-lr", "min_learning_rate", float, "final learning rate of the cosine"),
    ("--warmup", "warmup_fraction", float, "warm-up share of all steps"),
    ("--warmup-lr", "warmup_start_learning_rate", float, "learning rate the warm-up starts from"),
    ("--weight-decay", "weight_decay", float, "AdamW weight decay"),
    ("--label-smoothing", "label_smoothing", float, "label smoothing"),
    ("--crop-scale", "crop_scale_min", float, "smallest area share of the random resized crop"),
    ("--interpolation", "interpolation", str, "bilinear or bicubic"),
    ("--rand-augment", "rand_augment", str, "timm RandAugment policy, e.g. rand-m9-n2; 'none' for none"),
    ("--random-erase", "random_erase", float, "random erasing probability"),
    ("--mixup", "mixup", float, "mixup alpha (0: none)"),
    ("--cutmix", "cutmix", float, "cutmix alpha (0: none)"),
    ("--grad-clip", "gradient_clip", float, "gradient norm clipping (0: none)"),
    ("--dropout", "dropout", float, "transformer dropout"),
    ("--classifier-dropout", "classifier_dropout", float, "dropout before the classifier"),
    ("--multi-scale", "multi_scale", str, "comma-separated factors of the resolution, one per batch; 'none' for none"),
    ("--ema-decay", "ema_decay", float, "EMA decay of the weights (0: no EMA)"),
    ("--seed", "seed", int, "seed"),
)


def _parser() -> argparse.ArgumentParser:
    v2, v1 = Recipe.for_family("mobilevitv2"), Recipe.for_family("mobilevit")
    parser = argparse.ArgumentParser(
        prog="python -m gpnav_torch.train",
        description="Train the architecture of a gpnav config on an ImageFolder dataset (DIR/train, DIR/val) "
                    "with ml-cvnets' recipe of its family, and print one JSON line per epoch and the result "
                    "as the last JSON line, for gpnav's --evaluator-command.",
        epilog="Example: gpnav search --macs 300M --classes 10 "
               "--evaluator-command 'python -m gpnav_torch.train --config {config} --data demo --epochs 2'. "
               "Many GPUs: torchrun --nproc-per-node 4 -m gpnav_torch.train --config ... --data ...")
    parser.add_argument("--config", required=True, help="the trial's JSON config ({config} in gpnav's command)")
    parser.add_argument("--data", required=True, metavar="DIR", help="ImageFolder root with train/ and val/")
    for flag, field, kind, text in _RECIPE_FLAGS:
        shown = lambda value: ",".join(map(str, value)) if isinstance(value, tuple) else (value if value != "" else "none")  # noqa: E731
        parser.add_argument(flag, dest=field, type=kind, help=f"{text} (default: MobileViTv2 "
                            f"{shown(getattr(v2, field))}, MobileViT v1 {shown(getattr(v1, field))})")
    parser.add_argument("--no-flip", dest="flip", action="store_false", default=None, help="no random horizontal flip")
    parser.add_argument("--decay-norms-and-biases", dest="decay_norms_and_biases", action=argparse.BooleanOptionalAction,
                        default=None, help="weight decay on normalisation weights and biases too "
                                           "(default: MobileViTv2 no, MobileViT v1 yes)")
    parser.add_argument("--report", choices=("last", "best"), default="last",
                        help="carry the last epoch's result or the best epoch's (default last); the EMA weights' "
                             "when there is EMA, else the raw ones")
    parser.add_argument("--pretrained", choices=("timm",),
                        help="start from timm's published ImageNet weights; only for a config that is one of timm's "
                             "published models (e.g. mobilevitv2-1.0), not for searched widths and depths; a "
                             "classifier for another class count starts fresh")
    parser.add_argument("--pretrained-file", metavar="FILE",
                        help="the pretrained weights (.safetensors, or a torch.save state dict) instead of the local "
                             "Hugging Face cache")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto", help="(default auto: cuda if available)")
    parser.add_argument("--workers", type=int, default=min(4, max(0, (os.cpu_count() or 1) - 1)),
                        help="data-loading worker processes (default: CPUs - 1, at most 4)")
    parser.add_argument("--threads", type=int, default=0,
                        help="CPU threads of torch's operators (default 0: torch's choice, one per core); "
                             "1 is much faster on a machine whose cores are busy with other work")
    parser.add_argument("--checkpoint", help="resumable checkpoint, written after every epoch (default: the config's "
                                             "path with .ckpt.pt; 'none' for none); one of another run is refused")
    parser.add_argument("--weights", help="final weights (default: the config's path with .weights.pt; 'none' for none)")
    parser.add_argument("--keep-checkpoints", action="store_true",
                        help="keep the checkpoint after the run completes (default: keep only the final weights)")
    parser.add_argument("--int8-eval", action="store_true",
                        help="after training, quantise the carried weights to int8 (ONNX Runtime static, calibrated "
                             "on training images) and add accuracy_int8 to the result line; needs the final weights")
    parser.add_argument("--calibration-images", type=int, default=64,
                        help="training images --int8-eval calibrates on, a seeded random choice (default 64)")
    parser.add_argument("--log-file", help="where the log is streamed as well as stderr (default: the config's path "
                                           "with .log; 'none' for none)")
    parser.add_argument("--max-params", type=int, default=ResourceLimits.max_params,
                        help=f"refuse a network with more parameters (default {ResourceLimits.max_params:,})")
    parser.add_argument("--max-memory", type=float, metavar="GIB",
                        help="refuse a training whose weights, optimiser state, EMA and activations need more GiB "
                             "(default: the GPU's memory, or the machine's RAM shared by the processes on a CPU)")
    return parser


class _ArgumentError(Exception):
    pass


def _resume_epoch(value: Optional[str]) -> Optional[int]:
    """GPNAV_RESUME_EPOCH, set by gpnav when it continues a paused trial: the epochs it trained."""
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 10_000:
        raise _ArgumentError(f"GPNAV_RESUME_EPOCH must be an epoch from 1 to 10000, not {value[:40]!r}")
    return int(value)


def _recipe_overrides(args: argparse.Namespace) -> dict:
    overrides = {field: getattr(args, field) for _, field, _, _ in _RECIPE_FLAGS}
    overrides.update(flip=args.flip, decay_norms_and_biases=args.decay_norms_and_biases)
    if overrides["rand_augment"] == "none":
        overrides["rand_augment"] = ""
    if overrides["multi_scale"] is not None:
        text = overrides["multi_scale"]
        try:
            overrides["multi_scale"] = () if text == "none" else tuple(float(part) for part in text.split(","))
        except ValueError:
            raise _ArgumentError(f"--multi-scale must be comma-separated numbers or 'none', got {text!r}") from None
    return overrides


def _beside_config(config: str, given: Optional[str], suffix: str) -> Optional[str]:
    if given == "none":
        return None
    return given or os.path.splitext(config)[0] + suffix


def _device(name: str, place: Distributed) -> torch.device:
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise ConfigError("--device cuda: no CUDA device is available")
    return place.device(name)


def _open_log(path: str) -> TextIO:
    """Appends to `path`, never through a symbolic link someone put there."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    return os.fdopen(os.open(path, flags, 0o644), "a", encoding="utf-8", buffering=1)


def _worker_message(error: Exception) -> str:
    """The error's own message; a DataLoader worker's error arrives as "Caught DataError in
    DataLoader worker process 0." and a traceback whose last line holds the message."""
    text = str(error).strip()
    if text.startswith("Caught "):
        last = text.splitlines()[-1]
        return last.split(": ", 1)[1] if ": " in last else last
    return text.splitlines()[0] if text else type(error).__name__


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = _parser()
    parser.error = lambda message: (_ for _ in ()).throw(_ArgumentError(message))  # one line, no usage dump
    log_file: Optional[TextIO] = None
    place = Distributed()

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)
        if log_file is not None:
            log_file.write(line + "\n")

    def progress_line(line: str) -> None:
        if place.is_writer:  # only rank 0 tells the story; every rank's errors reach stderr
            log(line)

    def epoch_line(epoch: int, accuracy: float) -> None:
        if place.is_writer:
            print(json.dumps({"epoch": epoch, "accuracy": round(accuracy, 4)}), flush=True)

    def fail(message: str, status: int) -> int:
        log(f"gpnav_torch.train: error: {message}")
        return status

    try:
        args = parser.parse_args(argv)
        place = Distributed.from_environment()
        if not (0 <= args.workers <= 64 and 0 <= args.threads <= 1024):
            raise _ArgumentError("--workers must be 0 to 64 and --threads 0 to 1024")
        if args.int8_eval and args.weights == "none":
            raise _ArgumentError("--int8-eval quantises the final weights; it cannot be used with --weights none")
        if args.calibration_images < 1:
            raise _ArgumentError("--calibration-images must be at least 1")
        if args.int8_eval:  # before training, not after it
            missing = [name for name in ("onnx", "onnxruntime") if importlib.util.find_spec(name) is None]
            if missing:
                raise _ArgumentError(f"--int8-eval needs {' and '.join(missing)}, not installed here "
                                     "(the deploy extra: pip install 'gpnav-torch[deploy]')")
        if args.max_params < 1 or (args.max_memory is not None and not 0 < args.max_memory < float("inf")):
            raise _ArgumentError("--max-params must be at least 1 and --max-memory a positive number of GiB")
        if args.pretrained_file is not None and args.pretrained is None:
            raise _ArgumentError("--pretrained-file needs --pretrained timm")
        if args.threads:
            torch.set_num_threads(args.threads)
        trial = load_config(args.config)
        overrides = _recipe_overrides(args)
        if overrides["epochs"] is None:
            # The study's length (gpnav's --epochs, `epochs` in the config) unless --epochs says otherwise.
            overrides["epochs"] = trial.epochs
        recipe = Recipe.for_family(trial.family, **overrides)
        device = _device(args.device, place)
        sharing = 1 if device.type == "cuda" else int(os.environ.get("LOCAL_WORLD_SIZE", place.world_size))
        memory = device_memory_bytes(device, sharing) if args.max_memory is None else int(args.max_memory * 2 ** 30)
        limits = ResourceLimits(max_params=args.max_params, max_memory_bytes=memory)
        files = TrialFiles(checkpoint=_beside_config(args.config, args.checkpoint, ".ckpt.pt"),
                           weights=_beside_config(args.config, args.weights, ".weights.pt"),
                           keep_checkpoints=args.keep_checkpoints,
                           resume_after=_resume_epoch(os.environ.get("GPNAV_RESUME_EPOCH")))
        log_path = _beside_config(args.config, args.log_file, ".log")
        if log_path and place.is_writer:
            log_file = _open_log(log_path)
        place.start(device)
        report = train_trial(trial, args.data, recipe, device, args.workers, files, limits, place, args.report,
                             Progress(log=progress_line, epoch=epoch_line),
                             pretrained=None if args.pretrained is None else PretrainedStart(args.pretrained, args.pretrained_file))
        if place.is_writer:
            if args.int8_eval:
                progress_line(f"int8: quantising the carried weights, calibrated on {args.calibration_images} "
                              "training images")
                int8 = trained_int8_accuracy(trial, files.weights, args.data, args.calibration_images,
                                             threads=max(1, args.threads or 1), seed=recipe.seed)
                report.update(accuracy_int8=int8.accuracy_int8, accuracy_onnx=int8.accuracy,
                              accuracy_int8_drop=int8.accuracy_drop)
                progress_line(f"int8: top-1 {int8.accuracy_int8:.2f}% (float on ONNX Runtime {int8.accuracy:.2f}%)")
            print(json.dumps(report, allow_nan=False), flush=True)
        return 0
    except ResourceError as error:
        return fail(f"{error} (see --max-params and --max-memory)", EXIT_USAGE)
    except CheckpointError as error:
        return fail(f"{error}; it is left as it is (move it away, or pass --checkpoint/--weights with another "
                    "path or 'none')", EXIT_USAGE)
    except PretrainedNotCachedError as error:
        return fail(f"{error} (--pretrained-file gives the file)", EXIT_USAGE)
    except PretrainedError as error:
        return fail(str(error), EXIT_USAGE)
    except (_ArgumentError, ConfigError, RecipeError, DistributedError, ResumeError) as error:
        return fail(str(error), EXIT_USAGE)
    except ClassCountError as error:
        return fail(f"{error} (search with gpnav search --classes {error.found}, or \"classes\": {error.found} "
                    "in the space file)", EXIT_DATA)
    except DataError as error:
        return fail(_worker_message(error), EXIT_DATA)
    except (ExportError, QuantizationError) as error:
        return fail(f"--int8-eval: {error}", EXIT_INTERNAL)
    except (torch.cuda.OutOfMemoryError, MemoryError) as error:
        return fail(f"out of memory ({_worker_message(error)}); try a smaller --batch-size", EXIT_MEMORY)
    except KeyboardInterrupt:
        return fail("interrupted", 130)
    except OSError as error:  # a file the run writes: checkpoint, weights, log
        return fail(f"{error.filename or ''}: {error.strerror or error}", EXIT_INTERNAL)
    except Exception as error:  # noqa: BLE001  one line, never a traceback
        if "out of memory" in str(error).lower():
            return fail(f"out of memory ({str(error).splitlines()[0]}); try a smaller --batch-size", EXIT_MEMORY)
        return fail(f"{type(error).__name__}: {_worker_message(error)}", EXIT_INTERNAL)
    finally:
        place.stop()
        if log_file is not None:
            log_file.close()


if __name__ == "__main__":
    sys.exit(main())
