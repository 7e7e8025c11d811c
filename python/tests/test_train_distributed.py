"""`torchrun --nproc-per-node 2 -m gpnav_torch.train` on CPU (gloo): one trial, two processes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

from conftest import PYTHON_ROOT

#: The result line's keys, the same with one process or several.
RESULT_KEYS = {"accuracy", "top5", "epochs", "train_seconds", "params", "macs", "train_loss", "val_loss",
               "accuracy_last", "accuracy_best", "best_epoch", "accuracy_raw_last", "carries", "weights"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _torchrun(*arguments: str, processes: int = 2) -> subprocess.CompletedProcess:
    environment = dict(os.environ, PYTHONPATH=PYTHON_ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
                       PYTHONWARNINGS="ignore", GLOO_SOCKET_IFNAME="lo", OMP_NUM_THREADS="1")
    command = [sys.executable, "-m", "torch.distributed.run", "--nnodes", "1", "--nproc-per-node", str(processes),
               "--master-addr", "127.0.0.1", "--master-port", str(_free_port()), "-m", "gpnav_torch.train", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=environment, check=False)


def test_two_processes_train_one_trial_with_one_writer_and_the_same_result_line(tiny_config, tiny_data):
    path, config = tiny_config
    completed = _torchrun("--config", path, "--data", tiny_data, "--epochs", "1", "--batch-size", "4",
                          "--workers", "0", "--threads", "1", "--device", "cpu", "--keep-checkpoints")
    assert completed.returncode == 0, completed.stderr[-3000:]
    lines = [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]
    assert lines[0] == {"epoch": 1, "accuracy": lines[0]["accuracy"]} and len(lines) == 2  # rank 0 alone prints
    report = lines[-1]
    assert set(report) == RESULT_KEYS and (report["params"], report["macs"]) == (config["params"], config["macs"])
    # 3 validation images in shards of 2 and 1: the reduced accuracy is a count of 3.
    assert abs(report["accuracy"] * 3 / 100 - round(report["accuracy"] * 3 / 100)) < 1e-9
    assert "x 2 processes" in completed.stderr
    folder = os.path.dirname(path)
    assert sorted(os.listdir(folder)) == ["pytest-trial-0.ckpt.pt", "pytest-trial-0.json", "pytest-trial-0.log",
                                          "pytest-trial-0.weights.pt"]  # one checkpoint, one writer
    with open(os.path.join(folder, "pytest-trial-0.log"), encoding="utf-8") as handle:
        assert handle.read().count("epoch 1/1:") == 1

