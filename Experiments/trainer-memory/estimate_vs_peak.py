"""The trainer's memory guard against a measurement: `PlanSize.training_bytes` (counted on the meta
device, before anything is allocated) beside the growth of peak RSS over two real AdamW steps with
EMA on the CPU, for three MobileViT v1 networks of gpnav's fixtures.

Run from the repository root (each case in a process of its own, so that peaks do not mix):
    PYTHONPATH=python:python/tests python3 Experiments/trainer-memory/estimate_vs_peak.py
"""

from __future__ import annotations

import resource
import subprocess
import sys

CASES = ((0, 8), (14, 4), (31, 8))  # (fixture case, batch size)


def measure(case: int, batch: int) -> None:
    import torch
    from timm.utils import ModelEmaV3

    from gpnav_torch.config import load_config
    from gpnav_torch.model import build_model
    from gpnav_torch.resource_guard import plan_size
    from hostile_configs import v1_reference_config

    torch.set_num_threads(1)
    trial = load_config(v1_reference_config(case))
    size = plan_size(trial, 1000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    model = build_model(trial)
    ema, optimizer = ModelEmaV3(model), torch.optim.AdamW(model.parameters())
    images = torch.randn(batch, 3, trial.resolution, trial.resolution)
    for _ in range(2):
        loss = model(images).logsumexp(1).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        ema.update(model)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    estimate = size.training_bytes(batch)
    print(f"| {case} | {trial.resolution} | {size.params:,} | {batch} | {estimate / 2 ** 20:.0f} | "
          f"{peak / 2 ** 20:.0f} | {estimate / peak:.2f} |", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 3:
        measure(int(sys.argv[1]), int(sys.argv[2]))
    else:
        print("| case | resolution | params | batch | estimate MiB | peak RSS growth MiB | estimate / peak |")
        print("|---|---|---|---|---|---|---|")
        for case, batch in CASES:
            subprocess.run([sys.executable, __file__, str(case), str(batch)], check=True)
