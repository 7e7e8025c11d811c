"""`evaluate`: top-1, top-k and loss of a model on the validation set, summed over every process."""

from __future__ import annotations

from typing import Callable, ContextManager

import torch
from torch import nn
from torch.utils.data import DataLoader

from .distributed import Distributed


def evaluate(model: nn.Module, classes: int, batches: DataLoader, device: torch.device,
             amp: Callable[[], ContextManager], place: Distributed) -> dict:
    """`accuracy` and `top5` in percent (top-k with k = min(5, classes)) and the mean `val_loss`
    over every validation image: each process counts its shard, and the counts are summed."""
    was_training = model.training
    model.eval()
    loss_sum, top1, top5, count = 0.0, 0, 0, 0
    k = min(5, classes)
    criterion = nn.CrossEntropyLoss(reduction="sum")
    with torch.no_grad():
        for images, labels in batches:
            images, labels = images.to(device, non_blocking=True), labels.to(device, non_blocking=True)
            with amp():
                logits = model(images)
            loss_sum += float(criterion(logits.float(), labels))
            best = logits.topk(k, dim=1).indices
            top1 += int((best[:, 0] == labels).sum())
            top5 += int((best == labels[:, None]).any(dim=1).sum())
            count += labels.numel()
    model.train(was_training)
    loss_sum, top1, top5, count = place.sum([loss_sum, top1, top5, count], device)
    return {"accuracy": 100.0 * top1 / count, "top5": 100.0 * top5 / count, "val_loss": loss_sum / count}
