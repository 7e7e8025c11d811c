"""`torchrun --nproc-per-node 2 -m gpnav_torch.train` on CPU (gloo): one trial, two processes, started
with the environment torchrun gives them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import PYTHON_ROOT

#: The result line's keys, the same with one process or several.
RESULT_KEYS = {"accuracy", "top5", "epochs", "train_seconds", "params", "macs", "train_loss", "val_loss",
               "accuracy_last", "accuracy_best", "best_epoch", "accuracy_raw_last", "carries", "weights"}


def _processes(*arguments: str, rendezvous: str, count: int = 2) -> list:
    """`count` training processes with the environment torchrun gives them (RANK, WORLD_SIZE,
    LOCAL_RANK, LOCAL_WORLD_SIZE), meeting through a file store: torchrun's own TCP store would
    listen on every interface of this shared machine, and gloo here binds to loopback only."""
    children = []
    for rank in range(count):
        environment = dict(os.environ, PYTHONPATH=PYTHON_ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
                           PYTHONWARNINGS="ignore", GLOO_SOCKET_IFNAME="lo", OMP_NUM_THREADS="1",
                           RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(count), LOCAL_WORLD_SIZE=str(count),
                           GPNAV_DIST_INIT_METHOD=f"file://{rendezvous}")
        children.append(subprocess.Popen([sys.executable, "-m", "gpnav_torch.train", *arguments], env=environment,
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    try:
        return [(child.wait(timeout=300), *child.communicate()) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()


def test_two_processes_train_one_trial_with_one_writer_and_the_same_result_line(tiny_config, tiny_data, tmp_path):
    path, config = tiny_config
    (status0, stdout, stderr), (status1, stdout1, stderr1) = _processes(
        "--config", path, "--data", tiny_data, "--epochs", "1", "--batch-size", "4", "--workers", "0",
        "--threads", "1", "--device", "cpu", "--keep-checkpoints", rendezvous=str(tmp_path / "rendezvous"))
    assert (status0, status1) == (0, 0), stderr[-3000:] + stderr1[-3000:]
    assert stdout1 == "" and stderr1 == ""  # rank 1 prints nothing
    lines = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 2 and set(lines[0]) == {"epoch", "accuracy"} and lines[0]["epoch"] == 1
    report = lines[-1]
    assert set(report) == RESULT_KEYS and (report["params"], report["macs"]) == (config["params"], config["macs"])
    # 3 validation images in shards of 2 and 1: the reduced accuracy is a count of 3.
    assert abs(report["accuracy"] * 3 / 100 - round(report["accuracy"] * 3 / 100)) < 1e-9
    assert "x 2 processes" in stderr
    folder = os.path.dirname(path)
    assert sorted(os.listdir(folder)) == ["pytest-trial-0.ckpt.pt", "pytest-trial-0.json", "pytest-trial-0.log",
                                          "pytest-trial-0.weights.pt"]  # one checkpoint, one writer
    with open(os.path.join(folder, "pytest-trial-0.log"), encoding="utf-8") as handle:
        assert handle.read().count("epoch 1/1:") == 1
