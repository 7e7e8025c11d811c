"""`Distributed`: one training process among `world_size`, as `torchrun` starts them.

`torchrun --nproc-per-node N -m gpnav_torch.train ...` sets `RANK`, `WORLD_SIZE` and
`LOCAL_RANK` in each process; without them the process is alone (world size 1) and nothing is
initialised. The processes meet through torchrun's store, or through `GPNAV_DIST_INIT_METHOD`
when it is set (a `file://` store, as the tests use: no socket listens on other interfaces). Each process trains on its own shard of every epoch (a `DistributedSampler`),
DistributedDataParallel averages the gradients, and sums of metrics are reduced over all ranks.
Rank 0 alone writes checkpoints and prints the result.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import List, Mapping, Sequence

import torch
import torch.distributed as dist
from torch import nn


#: Where the processes meet, when not torchrun's TCP store (`env://`, whose server listens on every
#: interface): e.g. `file:///shared/path`, a file store that listens nowhere.
INIT_METHOD_VARIABLE = "GPNAV_DIST_INIT_METHOD"


class DistributedError(Exception):
    """The torchrun environment is malformed, or the process group cannot start."""


@dataclass(frozen=True)
class Distributed:
    """This process's place: `rank` of `world_size`, `local_rank` on its machine."""

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0

    @staticmethod
    def from_environment(environment: Mapping[str, str] = os.environ) -> "Distributed":
        """The place torchrun gave this process (RANK, WORLD_SIZE, LOCAL_RANK); alone without them."""
        if "WORLD_SIZE" not in environment:
            return Distributed()
        try:
            place = Distributed(rank=int(environment.get("RANK", "0")), world_size=int(environment["WORLD_SIZE"]),
                                local_rank=int(environment.get("LOCAL_RANK", "0")))
        except ValueError:
            raise DistributedError("RANK, WORLD_SIZE and LOCAL_RANK must be integers") from None
        if not (1 <= place.world_size <= 65_536 and 0 <= place.rank < place.world_size and 0 <= place.local_rank):
            raise DistributedError(f"rank {place.rank} of world size {place.world_size} is not a place")
        return place

    @property
    def is_distributed(self) -> bool:
        return self.world_size > 1

    @property
    def is_writer(self) -> bool:
        """Whether this process writes checkpoints, logs and the result (rank 0)."""
        return self.rank == 0

    def device(self, kind: str) -> torch.device:
        """This process's device of `kind` ("cpu" or "cuda"): its own GPU, `cuda:LOCAL_RANK`."""
        if kind == "cuda":
            if self.local_rank >= torch.cuda.device_count():
                raise DistributedError(f"local rank {self.local_rank} has no GPU ({torch.cuda.device_count()} visible)")
            torch.cuda.set_device(self.local_rank)
            return torch.device("cuda", self.local_rank)
        return torch.device(kind)

    def start(self, device: torch.device) -> None:
        """Joins the process group (NCCL on GPUs, gloo on CPUs); nothing when alone."""
        if not self.is_distributed or dist.is_initialized():
            return
        try:
            dist.init_process_group("nccl" if device.type == "cuda" else "gloo", rank=self.rank,
                                    world_size=self.world_size, init_method=os.environ.get(INIT_METHOD_VARIABLE))
        except (RuntimeError, ValueError) as error:
            raise DistributedError(f"cannot join the process group: {str(error).splitlines()[0]}") from None

    def stop(self) -> None:
        if self.is_distributed and dist.is_initialized():
            dist.destroy_process_group()

    def wrap(self, model: nn.Module, device: torch.device) -> nn.Module:
        """The model under DistributedDataParallel when there are several processes, else itself."""
        if not self.is_distributed:
            return model
        return nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)

    def sum(self, values: Sequence[float], device: torch.device) -> List[float]:
        """Each value summed over all processes (float64, so counts stay exact)."""
        if not self.is_distributed:
            return [float(value) for value in values]
        tensor = torch.tensor(list(values), dtype=torch.float64, device=device)
        dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
        return tensor.tolist()

    def barrier(self) -> None:
        if self.is_distributed:
            dist.barrier()
