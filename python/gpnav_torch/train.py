"""`python -m gpnav_torch.train --config FILE --data DIR`: a gpnav training command.

Builds the configuration's architecture (`build_model`: MobileViTv2, or MobileViT v1 for family
`mobilevit`), checks that its parameters and MACs are gpnav's, trains it on the ImageFolder
dataset DIR/train at the architecture's resolution with the recipe of `gpnav_torch.recipe`,
evaluates on DIR/val, and prints as its last stdout line a
JSON object: `accuracy` (top-1 %, validation), `top5` (top-k with k = the class count below 5),
`epochs`, `train_seconds`, `params`, `macs`, and the last `train_loss` and `val_loss`. Progress
goes to stderr.

A checkpoint written after every epoch (by default beside the config file) lets a restarted
trial continue where it stopped. It is read with `torch.load(weights_only=True)`, so that a file
planted there cannot run code, and a checkpoint of another run (other architecture, classes,
data or recipe), or any file that is not a checkpoint, is refused (exit 2) and left as it is.

Before anything is allocated, the network is counted from the config's plan on PyTorch's `meta`
device (`resource_guard`): a plan over `--max-params` parameters, or whose training would need
more than `--max-memory` (default: the device's memory), is refused with exit 2. The config is
read as a regular file of at most 1 MiB, nested at most 32 levels (`config.load_config`), and
every hyperparameter must be finite and in its range (`recipe.Recipe`).

Exit status: 0 success; 2 bad arguments, config, checkpoint or limits; 3 missing, empty or
unreadable data; 4 out of memory; 1 anything else. Each failure is one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from contextlib import nullcontext
from typing import Optional, Sequence

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets

from PIL import Image

from .checkpoint import CheckpointError, checkpoint_bytes_bound, load_checkpoint, save_checkpoint
from .config import ConfigError, TrialConfig, load_config
from .counting import count_macs, count_params
from .model import build_model
from .recipe import Recipe, RecipeError
from .resource_guard import ResourceError, ResourceLimits, check_resources, device_memory_bytes

EXIT_USAGE, EXIT_DATA, EXIT_MEMORY, EXIT_INTERNAL = 2, 3, 4, 1


class DataError(Exception):
    """The dataset directory is missing, empty, unreadable or does not fit the config."""


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % (2 ** 32))
    torch.manual_seed(seed)


def load_image(path: str) -> Image.Image:
    """An RGB image, read as ImageFolder does, but refused (DataError) when it is not an image or
    has more pixels than Pillow's decompression-bomb bound, before its pixels are decoded."""
    try:
        with open(path, "rb") as handle:
            image = Image.open(handle)
            width, height = image.size
            if Image.MAX_IMAGE_PIXELS and width * height > Image.MAX_IMAGE_PIXELS:
                raise DataError(f"image {path} is {width} x {height} pixels, over {Image.MAX_IMAGE_PIXELS}")
            return image.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise DataError(f"image {path} cannot be read: {error}") from None


def load_split(root: str, split: str, transform) -> datasets.ImageFolder:
    directory = os.path.join(root, split)
    if not os.path.isdir(directory):
        raise DataError(f"data directory {directory} does not exist (expected DIR/train and DIR/val, one folder per class)")
    try:
        dataset = datasets.ImageFolder(directory, transform=transform, loader=load_image)
    except (FileNotFoundError, OSError) as error:  # no class folders, or no images in them
        raise DataError(f"{directory}: {error}") from None
    if len(dataset) == 0:
        raise DataError(f"{directory} holds no images")
    return dataset


def _loader(dataset, batch_size: int, workers: int, shuffle: bool, seed: int, device: torch.device) -> DataLoader:
    generator = torch.Generator()
    generator.manual_seed(seed)
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, num_workers=workers, generator=generator,
                      pin_memory=device.type == "cuda", drop_last=False, persistent_workers=False)


def evaluate(model: nn.Module, loader: DataLoader, device: torch.device, amp) -> dict:
    model.eval()
    loss_sum, top1, top5, count = 0.0, 0, 0, 0
    k = min(5, model.num_classes)
    criterion = nn.CrossEntropyLoss(reduction="sum")
    with torch.no_grad():
        for images, labels in loader:
            images, labels = images.to(device, non_blocking=True), labels.to(device, non_blocking=True)
            with amp():
                logits = model(images)
            loss_sum += float(criterion(logits.float(), labels))
            best = logits.topk(k, dim=1).indices
            top1 += int((best[:, 0] == labels).sum())
            top5 += int((best == labels[:, None]).any(dim=1).sum())
            count += labels.numel()
    return {"accuracy": 100.0 * top1 / count, "top5": 100.0 * top5 / count, "val_loss": loss_sum / count}


def fingerprint(trial: TrialConfig, data: str, recipe: Recipe) -> dict:
    """What makes a checkpoint this run's: the architecture and its counts, the data, the recipe."""
    return {"architecture": trial.name, "classes": trial.classes, "params": trial.params, "macs": trial.macs,
            "data": os.path.abspath(data), "recipe": recipe.as_dict()}


def run(trial: TrialConfig, data: str, recipe: Recipe, device: torch.device, workers: int,
        checkpoint: Optional[str], limits: ResourceLimits = ResourceLimits()) -> dict:
    """Trains and evaluates; returns the report printed as the last stdout line.

    Refuses (ResourceError) a plan over `limits` and (CheckpointError) a checkpoint at
    `checkpoint` that is not this run's, both before building the network or reading data."""
    size = check_resources(trial, recipe.batch_size, limits)
    identity = fingerprint(trial, data, recipe)
    state = load_checkpoint(checkpoint, identity, checkpoint_bytes_bound(size.params)) if checkpoint else None
    _seed_everything(recipe.seed)
    model = build_model(trial)
    params, macs = count_params(model), count_macs(model, trial.resolution)
    if (params, macs) != (trial.params, trial.macs):
        raise ConfigError(f"the built network has {params} parameters and {macs} MACs, the config says "
                          f"{trial.params} and {trial.macs}")
    train_set = load_split(data, "train", recipe.train_transform(trial.resolution))
    val_set = load_split(data, "val", Recipe.evaluation_transform(trial.resolution))
    if train_set.classes != val_set.classes:
        raise DataError(f"{data}/train and {data}/val have different class folders")
    if len(train_set.classes) != trial.classes:
        raise DataError(f"{data}/train has {len(train_set.classes)} classes but the architecture has "
                        f"{trial.classes} outputs (give the search space classes {len(train_set.classes)})")

    model.to(device)
    optimizer = recipe.optimizer(model)
    steps_per_epoch = math.ceil(len(train_set) / recipe.batch_size)
    total_steps = recipe.epochs * steps_per_epoch
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, recipe.learning_rate_factor(total_steps))
    use_amp = device.type == "cuda"
    scaler = torch.amp.GradScaler("cuda", enabled=use_amp)
    amp = (lambda: torch.autocast("cuda", dtype=torch.float16)) if use_amp else nullcontext
    criterion = nn.CrossEntropyLoss(label_smoothing=recipe.label_smoothing)

    start_epoch, train_seconds, train_loss = 0, 0.0, float("nan")
    if state is not None:
        try:  # a file with this run's fingerprint but other contents is refused as well
            model.load_state_dict(state["model"])
            optimizer.load_state_dict(state["optimizer"])
            scheduler.load_state_dict(state["scheduler"])
            scaler.load_state_dict(state["scaler"])
            start_epoch, train_seconds, train_loss = int(state["epoch"]), float(state["train_seconds"]), float(state["train_loss"])
        except (KeyError, TypeError, ValueError, RuntimeError) as error:
            raise CheckpointError(f"checkpoint {checkpoint} does not fit this run ({type(error).__name__})") from None
        if not 0 <= start_epoch <= recipe.epochs:
            raise CheckpointError(f"checkpoint {checkpoint} is at epoch {start_epoch}, outside 0 to {recipe.epochs}")
        _log(f"resuming from {checkpoint} after epoch {start_epoch}/{recipe.epochs}")

    _log(f"training {trial.name} ({params} params, {macs} MACs) on {len(train_set)} images "
         f"({len(train_set.classes)} classes) for {recipe.epochs} epochs on {device}")
    for epoch in range(start_epoch, recipe.epochs):
        # Seeded per epoch, so a resumed run sees the same batches and augmentations.
        _seed_everything(recipe.seed * 100_003 + epoch)
        loader = _loader(train_set, recipe.batch_size, workers, True, recipe.seed * 100_003 + epoch, device)
        model.train()
        started = time.monotonic()
        loss_sum, seen = 0.0, 0
        for images, labels in loader:
            images, labels = images.to(device, non_blocking=True), labels.to(device, non_blocking=True)
            with amp():
                loss = criterion(model(images), labels)
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            scheduler.step()
            value = float(loss.detach())
            if not math.isfinite(value):
                raise FloatingPointError(f"training loss is {value} in epoch {epoch + 1}")
            loss_sum += value * labels.numel()
            seen += labels.numel()
        train_seconds += time.monotonic() - started
        train_loss = loss_sum / max(1, seen)
        _log(f"epoch {epoch + 1}/{recipe.epochs}: train loss {train_loss:.4f}, lr {scheduler.get_last_lr()[0]:.2e}, "
             f"{train_seconds:.1f} s so far")
        if checkpoint:
            save_checkpoint(checkpoint, {
                "fingerprint": identity, "epoch": epoch + 1, "train_seconds": train_seconds,
                "train_loss": train_loss, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(), "scaler": scaler.state_dict()})

    result = evaluate(model, _loader(val_set, recipe.batch_size, workers, False, 0, device), device, amp)
    _log(f"validation: top-1 {result['accuracy']:.2f}%, top-5 {result['top5']:.2f}%, loss {result['val_loss']:.4f}")
    return {"accuracy": result["accuracy"], "top5": result["top5"], "epochs": recipe.epochs,
            "train_seconds": round(train_seconds, 3), "params": params, "macs": macs,
            "train_loss": train_loss, "val_loss": result["val_loss"]}


def _device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise ConfigError("--device cuda: no CUDA device is available")
    return torch.device(name)


def _parser() -> argparse.ArgumentParser:
    defaults = Recipe()
    parser = argparse.ArgumentParser(
        prog="python -m gpnav_torch.train",
        description="Train the architecture of a gpnav config on an ImageFolder dataset (DIR/train, DIR/val) "
                    "and print the result as a JSON line, for gpnav's --evaluator-command.",
        epilog="Example: gpnav search --macs 300M --classes 10 "
               "--evaluator-command 'python -m gpnav_torch.train --config {config} --data demo --epochs 2'")
    parser.add_argument("--config", required=True, help="the trial's JSON config ({config} in gpnav's command)")
    parser.add_argument("--data", required=True, metavar="DIR", help="ImageFolder root with train/ and val/")
    parser.add_argument("--epochs", type=int, default=defaults.epochs, help=f"epochs (default {defaults.epochs})")
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size, help=f"(default {defaults.batch_size})")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto", help="(default auto: cuda if available)")
    parser.add_argument("--workers", type=int, default=min(4, max(0, (os.cpu_count() or 1) - 1)),
                        help="data-loading worker processes (default: CPUs - 1, at most 4)")
    parser.add_argument("--threads", type=int, default=0,
                        help="CPU threads of torch's operators (default 0: torch's choice, one per core); "
                             "1 is much faster on a machine whose cores are busy with other work")
    parser.add_argument("--lr", type=float, default=defaults.learning_rate, help=f"peak learning rate (default {defaults.learning_rate})")
    parser.add_argument("--min-lr", type=float, default=defaults.min_learning_rate, help=f"final learning rate (default {defaults.min_learning_rate})")
    parser.add_argument("--weight-decay", type=float, default=defaults.weight_decay, help=f"(default {defaults.weight_decay})")
    parser.add_argument("--warmup", type=float, default=defaults.warmup_fraction, help=f"warm-up share of all steps (default {defaults.warmup_fraction})")
    parser.add_argument("--label-smoothing", type=float, default=defaults.label_smoothing, help=f"(default {defaults.label_smoothing})")
    parser.add_argument("--seed", type=int, default=defaults.seed, help=f"(default {defaults.seed})")
    parser.add_argument("--checkpoint", help="checkpoint file (default: the config's path with .ckpt.pt; 'none' for none); "
                                             "one of another run is refused, never replaced")
    parser.add_argument("--max-params", type=int, default=ResourceLimits.max_params,
                        help=f"refuse a network with more parameters (default {ResourceLimits.max_params:,})")
    parser.add_argument("--max-memory", type=float, metavar="GIB",
                        help="refuse a training whose weights, optimiser state and activations need more GiB "
                             "(default: the GPU's memory, or the machine's RAM on a CPU)")
    return parser


class _ArgumentError(Exception):
    pass


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
    try:
        args = parser.parse_args(argv)
        if not (0 <= args.workers <= 64 and 0 <= args.threads <= 1024):
            raise _ArgumentError("--workers must be 0 to 64 and --threads 0 to 1024")
        if args.max_params < 1 or (args.max_memory is not None and not 0 < args.max_memory < float("inf")):
            raise _ArgumentError("--max-params must be at least 1 and --max-memory a positive number of GiB")
        if args.threads:
            torch.set_num_threads(args.threads)
        recipe = Recipe(epochs=args.epochs, batch_size=args.batch_size, learning_rate=args.lr,
                        min_learning_rate=args.min_lr, weight_decay=args.weight_decay, warmup_fraction=args.warmup,
                        label_smoothing=args.label_smoothing, seed=args.seed)
        trial = load_config(args.config)
        device = _device(args.device)
        memory = device_memory_bytes(device) if args.max_memory is None else int(args.max_memory * 2 ** 30)
        limits = ResourceLimits(max_params=args.max_params, max_memory_bytes=memory)
        checkpoint = None if args.checkpoint == "none" else (
            args.checkpoint or os.path.splitext(args.config)[0] + ".ckpt.pt")
        report = run(trial, args.data, recipe, device, args.workers, checkpoint, limits)
    except ResourceError as error:
        _log(f"gpnav_torch.train: error: {error} (see --max-params and --max-memory)")
        return EXIT_USAGE
    except CheckpointError as error:
        _log(f"gpnav_torch.train: error: {error}; it is left as it is (move it away, or pass --checkpoint "
             "with another path or 'none')")
        return EXIT_USAGE
    except (_ArgumentError, ConfigError, RecipeError) as error:
        _log(f"gpnav_torch.train: error: {error}")
        return EXIT_USAGE
    except DataError as error:
        _log(f"gpnav_torch.train: error: {_worker_message(error)}")
        return EXIT_DATA
    except (torch.cuda.OutOfMemoryError, MemoryError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        _log(f"gpnav_torch.train: error: out of memory ({first}); try a smaller --batch-size")
        return EXIT_MEMORY
    except KeyboardInterrupt:
        _log("gpnav_torch.train: interrupted")
        return 130
    except Exception as error:  # noqa: BLE001  one line, never a traceback
        if "out of memory" in str(error).lower():
            _log(f"gpnav_torch.train: error: out of memory ({str(error).splitlines()[0]}); try a smaller --batch-size")
            return EXIT_MEMORY
        _log(f"gpnav_torch.train: error: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
        return EXIT_INTERNAL
    print(json.dumps(report, allow_nan=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
