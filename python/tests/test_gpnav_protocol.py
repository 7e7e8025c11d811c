"""gpnav itself runs the training command: `gpnav evaluate --evaluator-command`, then `gpnav export`."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

from conftest import PYTHON_ROOT, gpnav_binary
from gpnav_torch import build_model
from gpnav_torch.counting import count_params
from gpnav_torch.demo_data import write_dataset


def _gpnav(*arguments, cwd):
    environment = dict(os.environ, PYTHONPATH=PYTHON_ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
                       PYTHONWARNINGS="ignore")
    environment.pop("GPNAV_DB", None)
    return subprocess.run([gpnav_binary(), *arguments], capture_output=True, text=True, cwd=cwd,
                          env=environment, timeout=300, check=False)


def test_gpnav_evaluate_records_the_accuracy_and_export_rebuilds_the_same_network(tmp_path):
    write_dataset(str(tmp_path / "demo"), classes=3, per_class=6, size=64, seed=2)
    command = (f"{shlex.quote(sys.executable)} -m gpnav_torch.train --config {{config}} --data demo "
               "--epochs 1 --batch-size 8 --workers 0 --threads 1 --device cpu")
    evaluated = _gpnav("evaluate", "--resolution", "96", "--width", "0.25", "--mv2-depths", "1,1", "--vit-depths",
                       "1,1,1", "--classes", "3", "--study", "real", "--evaluator-command", command,
                       "--format", "json", "--db", "t.sqlite", cwd=tmp_path)
    assert evaluated.returncode == 0, evaluated.stderr
    trials = _gpnav("trials", "--study", "real", "--format", "json", "--db", "t.sqlite", cwd=tmp_path)
    trial = json.loads(trials.stdout)[0]
    assert trial["state"] == "complete" and 0 <= trial["accuracy"] <= 100
    assert trial["metrics"]["top5"] >= trial["accuracy"]
    # The trainer prints an {"epoch", "accuracy"} line per epoch first; gpnav keeps the last line's metrics.
    assert "epoch" not in trial["metrics"] and trial["metrics"]["best_epoch"] == 1
    assert (trial["metrics"]["params"], trial["metrics"]["macs"]) == (trial["params"], trial["macs"])

    exported = _gpnav("export", "--study", "real", "--trial", "0", "--format", "json", "--db", "t.sqlite", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    document = json.loads(exported.stdout)
    assert count_params(build_model(document)) == document["params"] == trial["params"]
