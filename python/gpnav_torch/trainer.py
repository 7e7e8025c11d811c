"""`train_trial`: trains one trial's network with a recipe, in one process or as one of torchrun's.

The order matters: the plan is counted and checked against the limits, and any checkpoint or
final-weights file is read and checked, before the network is built or any data is read (see
`resource_guard` and `checkpoint`). Each epoch is evaluated with the raw weights and, with EMA,
the averaged ones; the run carries the EMA weights when there are any (the raw ones otherwise),
at the last epoch or, with `report="best"`, at its best one, and says which in `carries`.

Files, written by rank 0 only: the checkpoint after every epoch (weights, EMA, optimiser, step,
the epochs' results); at the end the final weights (the carried ones, with the result), after
which the checkpoint is removed unless `keep_checkpoints`. A run whose final weights are there
already reports them again without training; a run with a checkpoint continues after its epoch.
Progress reaches the caller through `Progress`; this module prints nothing.
"""

from __future__ import annotations

import math
import os
import random
import time
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DistributedSampler

from .checkpoint import CheckpointError, checkpoint_bytes_bound, load_checkpoint, save_checkpoint
from .config import ConfigError, TrialConfig
from .counting import count_macs, count_params
from .distributed import Distributed
from .evaluation import evaluate
from .image_data import ClassCountError, DataError, load_split, loader, shard
from .model import build_model
from .recipe import Recipe
from .resource_guard import ResourceLimits, check_resources


@dataclass(frozen=True)
class TrialFiles:
    """Where a trial keeps its resumable `checkpoint` and its `weights` (None: not kept).
    `resume_after`: the epochs gpnav says this trial already trained and reported
    (GPNAV_RESUME_EPOCH, a paused trial it continues); the checkpoint must hold at least those, since
    gpnav counts only the epochs after them."""

    checkpoint: Optional[str] = None
    weights: Optional[str] = None
    keep_checkpoints: bool = False
    resume_after: Optional[int] = None


@dataclass(frozen=True)
class Progress:
    """Callbacks: `log(line)` for people, `epoch(epoch, accuracy)` after each epoch (from 1, in %)."""

    log: Callable[[str], None] = lambda _line: None
    epoch: Callable[[int, float], None] = lambda _epoch, _accuracy: None


@dataclass(frozen=True)
class PretrainedStart:
    """Where a training's weights start: `source`'s published weights (`build_model`'s
    `pretrained`), read from `file` when given, else from the local cache."""

    source: str
    file: Optional[str] = None

    def as_dict(self) -> dict:
        return {"source": self.source, "file": None if self.file is None else os.path.abspath(self.file)}


def fingerprint(trial: TrialConfig, data: str, recipe: Recipe, report: str = "last",
                pretrained: Optional[PretrainedStart] = None) -> dict:
    """What makes a checkpoint this run's: the architecture and its counts, the data, the recipe,
    which epoch's weights it keeps (`report`) and the weights it started from (none: a checkpoint
    written before pretrained starts existed reads as a start from scratch)."""
    return {"architecture": trial.name, "classes": trial.classes, "params": trial.params, "macs": trial.macs,
            "data": os.path.abspath(data), "recipe": recipe.as_dict(), "report": report,
            "pretrained": None if pretrained is None else pretrained.as_dict()}


def train_trial(trial: TrialConfig, data: str, recipe: Recipe, device: torch.device, workers: int = 0,
                files: TrialFiles = TrialFiles(), limits: ResourceLimits = ResourceLimits(),
                place: Distributed = Distributed(), report: str = "last", progress: Progress = Progress(),
                pretrained: Optional[PretrainedStart] = None) -> dict:
    """Trains and evaluates, from `pretrained` weights when given; returns the result line's fields.

    Raises ResourceError (over `limits`), CheckpointError (a file that is not this run's),
    ConfigError (a network whose counts are not the config's), PretrainedError (no such weights
    for this network), DataError (data missing or not fitting), all before training starts;
    FloatingPointError when the loss stops being finite."""
    if report not in ("last", "best"):
        raise ValueError(f"report must be 'last' or 'best', got {report!r}")
    size = check_resources(trial, recipe.batch_size, limits)
    identity = fingerprint(trial, data, recipe, report, pretrained)
    bound = checkpoint_bytes_bound(size.params)
    if files.weights:
        final = load_checkpoint(files.weights, identity, bound)
        if final is not None:
            return _replay(final, files.weights, report, progress)
    state = load_checkpoint(files.checkpoint, identity, bound) if files.checkpoint else None
    if files.resume_after is not None:
        _check_resumes_after(state, files)

    _seed_everything(recipe.seed)
    # A resumed run's weights come from its checkpoint, whatever it started from.
    start = pretrained if state is None else None
    model = build_model(trial, start and start.source, start and start.file)
    params, macs = count_params(model), count_macs(model, trial.resolution)
    if (params, macs) != (trial.params, trial.macs):
        raise ConfigError(f"the built network has {params} parameters and {macs} MACs, the config says "
                          f"{trial.params} and {trial.macs}")
    recipe.apply_dropout(model)
    train_set = load_split(data, "train", recipe.train_transform(trial.resolution))
    val_set = load_split(data, "val", recipe.evaluation_transform(trial.resolution))
    if train_set.classes != val_set.classes:
        raise DataError(f"{data}/train and {data}/val have different class folders")
    if len(train_set.classes) != trial.classes:
        raise ClassCountError(f"{data}/train", len(train_set.classes), trial.classes)

    model.to(device)
    ema = recipe.ema(model)
    optimizer = recipe.optimizer(model)
    sampler = DistributedSampler(train_set, num_replicas=place.world_size, rank=place.rank, shuffle=True,
                                 seed=recipe.seed)
    steps_per_epoch = math.ceil(len(sampler) / recipe.batch_size)
    scheduler = recipe.scheduler(optimizer, recipe.epochs * steps_per_epoch)
    use_amp = device.type == "cuda"
    scaler = torch.amp.GradScaler("cuda", enabled=use_amp)
    amp = (lambda: torch.autocast("cuda", dtype=torch.float16)) if use_amp else nullcontext
    mixer, criterion = recipe.mixer(trial.classes), recipe.loss()

    epoch, step, train_seconds, history, best_state = 0, 0, 0.0, [], None
    if state is not None:
        try:  # a file with this run's fingerprint but other contents is refused as well
            model.load_state_dict(state["model"])
            if ema is not None:
                ema.module.load_state_dict(state["ema"])
            optimizer.load_state_dict(state["optimizer"])
            scaler.load_state_dict(state["scaler"])
            epoch, step, train_seconds = int(state["epoch"]), int(state["step"]), float(state["train_seconds"])
            history, best_state = list(state["history"]), state.get("best_model")
        except (KeyError, TypeError, ValueError, RuntimeError) as error:
            raise CheckpointError(f"checkpoint {files.checkpoint} does not fit this run ({type(error).__name__})") from None
        if not 0 <= epoch <= recipe.epochs or len(history) != epoch:
            raise CheckpointError(f"checkpoint {files.checkpoint} is at epoch {epoch}, outside 0 to {recipe.epochs}")
        progress.log(f"resuming from {files.checkpoint} after epoch {epoch}/{recipe.epochs}")
        for entry in history:
            progress.epoch(entry["epoch"], entry["accuracy"])

    progress.log(f"training {trial.name} ({params} params, {macs} MACs) on {len(train_set)} images "
                 f"({len(train_set.classes)} classes) for {recipe.epochs} epochs on {device}"
                 f"{f' x {place.world_size} processes' if place.is_distributed else ''}; recipe: {recipe.summary()}")
    network = place.wrap(model, device)
    val_batches = loader(shard(val_set, place.rank, place.world_size), recipe.batch_size, workers, 0, device)
    carried = "ema" if ema is not None else "raw"
    while epoch < recipe.epochs:
        # Seeded per epoch, so a resumed run sees the same batches and augmentations.
        _seed_everything(recipe.seed * 100_003 + epoch + 1_000_000_007 * place.rank)
        sampler.set_epoch(epoch)
        batches = loader(train_set, recipe.batch_size, workers, recipe.seed * 100_003 + epoch, device, sampler,
                         training=True)
        started = time.monotonic()
        network.train()
        loss_sum, seen = 0.0, 0
        for images, labels in batches:
            images, labels = images.to(device, non_blocking=True), labels.to(device, non_blocking=True)
            side = recipe.scale_for_step(step, trial.resolution)
            if side != images.shape[-1]:
                images = F.interpolate(images, size=(side, side), mode=recipe.interpolation, align_corners=False)
            targets = labels
            if mixer is not None:
                if len(labels) % 2:  # timm's Mixup pairs images within a batch
                    images, labels = images[:-1], labels[:-1]
                if len(labels) == 0:
                    continue
                images, targets = mixer(images, labels)
            with amp():
                loss = criterion(network(images), targets)
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            if recipe.gradient_clip:
                scaler.unscale_(optimizer)
                nn.utils.clip_grad_norm_(model.parameters(), recipe.gradient_clip)
            scaler.step(optimizer)
            scaler.update()
            step += 1
            scheduler.step_update(num_updates=step)
            if ema is not None:
                ema.update(model, step=step)
            value = float(loss.detach())
            if not math.isfinite(value):
                raise FloatingPointError(f"training loss is {value} in epoch {epoch + 1}")
            loss_sum += value * labels.numel()
            seen += labels.numel()
        train_seconds += time.monotonic() - started
        loss_sum, seen = place.sum([loss_sum, seen], device)
        epoch += 1
        raw = evaluate(model, trial.classes, val_batches, device, amp, place)
        averaged = evaluate(ema.module, trial.classes, val_batches, device, amp, place) if ema is not None else None
        result = averaged or raw
        entry = {"epoch": epoch, "accuracy": result["accuracy"], "top5": result["top5"], "val_loss": result["val_loss"],
                 "train_loss": loss_sum / max(1, seen), "accuracy_raw": raw["accuracy"]}
        if report == "best" and all(entry["accuracy"] > earlier["accuracy"] for earlier in history):
            best_state = _cpu_copy((ema.module if ema is not None else model).state_dict())
        history.append(entry)
        ema_text = f", EMA {averaged['accuracy']:.2f}%" if averaged else ""
        progress.log(f"epoch {epoch}/{recipe.epochs}: train loss {entry['train_loss']:.4f}, "
                     f"lr {optimizer.param_groups[0]['lr']:.2e}, top-1 raw {raw['accuracy']:.2f}%{ema_text}, "
                     f"{train_seconds:.1f} s so far")
        if files.checkpoint and place.is_writer:
            save_checkpoint(files.checkpoint, {
                "fingerprint": identity, "epoch": epoch, "step": step, "train_seconds": train_seconds,
                "history": history, "best_model": best_state, "model": model.state_dict(),
                "ema": ema.module.state_dict() if ema is not None else None,
                "optimizer": optimizer.state_dict(), "scaler": scaler.state_dict()})
        progress.epoch(epoch, entry["accuracy"])

    chosen = max(history, key=lambda item: item["accuracy"]) if report == "best" else history[-1]
    weights = best_state if report == "best" else (ema.module if ema is not None else model).state_dict()
    result = _report(history, chosen, f"{carried}-{report}", recipe.epochs, train_seconds, params, macs)
    if place.is_writer:
        _finish(files, identity, weights, result, history, progress)
    place.barrier()
    return result


def _check_resumes_after(state: Optional[dict], files: TrialFiles) -> None:
    """A continued trial must go on from where gpnav paused it: starting over, or from an older
    checkpoint, would train again epochs that gpnav does not count."""
    epoch = state.get("epoch") if state is not None else None
    if isinstance(epoch, int) and epoch >= files.resume_after:
        return
    if state is None:
        found = (f"there is no checkpoint at {files.checkpoint}" if files.checkpoint
                 else "this run keeps no checkpoint (--checkpoint none)")
    else:
        found = f"the checkpoint {files.checkpoint} is at epoch {epoch}"
    raise ResumeError(f"gpnav continues this trial after epoch {files.resume_after}, but {found}")


class ResumeError(Exception):
    """A trial gpnav continues (GPNAV_RESUME_EPOCH) whose checkpoint is missing or behind."""


def _report(history, chosen, carries, epochs, train_seconds, params, macs) -> dict:
    best = max(history, key=lambda item: item["accuracy"])
    return {"accuracy": chosen["accuracy"], "top5": chosen["top5"], "epochs": epochs,
            "train_seconds": round(train_seconds, 3), "params": params, "macs": macs,
            "train_loss": history[-1]["train_loss"], "val_loss": chosen["val_loss"],
            "accuracy_last": history[-1]["accuracy"], "accuracy_best": best["accuracy"], "best_epoch": best["epoch"],
            "accuracy_raw_last": history[-1]["accuracy_raw"], "carries": carries}


def _finish(files: TrialFiles, identity: dict, weights, result: dict, history, progress: Progress) -> None:
    if files.weights:
        save_checkpoint(files.weights, {"fingerprint": identity, "complete": True, "carries": result["carries"],
                                        "model": weights, "history": history, "report": result})
        result["weights"] = os.path.abspath(files.weights)
        progress.log(f"final weights ({result['carries']}): {result['weights']}")
    if files.checkpoint and os.path.exists(files.checkpoint):
        if files.keep_checkpoints:
            progress.log(f"checkpoint kept: {os.path.abspath(files.checkpoint)}")
        else:
            os.unlink(files.checkpoint)


def _replay(final: dict, path: str, report: str, progress: Progress) -> dict:
    """The result of a run that completed before: its epochs again, then its result line."""
    try:
        history, result = list(final["history"]), dict(final["report"])
        if not final.get("complete"):
            raise KeyError("complete")
        if not str(final["carries"]).endswith("-" + report):
            raise CheckpointError(f"final weights {path} carry {final['carries']}, this run reports the {report} epoch")
        progress.log(f"already trained: final weights at {path}; reporting its result again")
        for entry in history:
            progress.epoch(int(entry["epoch"]), float(entry["accuracy"]))
    except (KeyError, TypeError, ValueError) as error:
        raise CheckpointError(f"final weights {path} do not hold a finished run ({type(error).__name__})") from None
    result["weights"] = os.path.abspath(path)
    return result


def _cpu_copy(state: dict) -> dict:
    return {key: value.detach().to("cpu", copy=True) for key, value in state.items()}


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % (2 ** 32))
    torch.manual_seed(seed % (2 ** 63))

