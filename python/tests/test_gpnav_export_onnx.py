"""`gpnav export --format onnx` against the real exporter: the file it writes gives the logits
of PyTorch's network with the trial's trained weights (found beside its config, as
`gpnav export --weights` finds them), and an interpreter without gpnav_torch is one line."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import onnxruntime
import torch

from conftest import PYTHON_ROOT, gpnav_binary
from gpnav_torch import build_model

# Stands in for a training: builds the config's network with seeded random weights (not its
# initial ones) and saves them where gpnav_torch.train keeps its final weights.
_TRAINING = """
import sys, torch
from gpnav_torch import build_model
torch.manual_seed(5)
model = build_model(sys.argv[1])
with torch.no_grad():
    for parameter in model.parameters():
        parameter.add_(0.05 * torch.randn_like(parameter))
torch.save(model.state_dict(), sys.argv[1][:-len('.json')] + '.weights.pt')
print('{"accuracy": 50}')
"""

_ARCHITECTURE = ["--resolution", "96", "--width", "0.5", "--mv2-depths", "1,1", "--vit-depths", "1,1,1",
                 "--classes", "4"]


def _environment():
    environment = dict(os.environ)
    environment["PYTHONPATH"] = PYTHON_ROOT + os.pathsep + environment.get("PYTHONPATH", "")
    environment["PYTHONWARNINGS"] = "ignore"
    return environment


def _gpnav(*arguments, cwd):
    return subprocess.run([gpnav_binary(), *arguments], capture_output=True, text=True, timeout=300, cwd=cwd,
                          env=_environment(), check=False)


def test_exported_trial_gives_the_logits_of_its_trained_weights(tmp_path):
    database = str(tmp_path / "g.sqlite")
    training = tmp_path / "train.py"
    training.write_text(_TRAINING)
    trained = _gpnav("evaluate", *_ARCHITECTURE, "--study", "s", "--db", database, "--evaluator-command",
                     f"{sys.executable} {training} {{config}}", cwd=tmp_path)
    assert trained.returncode == 0, trained.stderr
    weights = _gpnav("export", "--study", "s", "--trial", "0", "--weights", "--db", database, cwd=tmp_path)
    assert weights.returncode == 0, weights.stderr
    weights_path = weights.stdout.strip()

    exported = _gpnav("export", "--study", "s", "--trial", "best", "--format", "onnx", "--python", sys.executable,
                      "--out", "model.onnx", "--db", database, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert f"weights {weights_path}" in exported.stdout
    assert exported.stdout.startswith(f"wrote {tmp_path / 'model.onnx'}: trial 0 of study 's'")

    architecture = _gpnav("export", "--study", "s", "--trial", "0", "--format", "json", "--db", database, cwd=tmp_path)
    assert architecture.returncode == 0, architecture.stderr
    (tmp_path / "arch.json").write_text(architecture.stdout)
    model = build_model(str(tmp_path / "arch.json")).eval()
    model.load_state_dict(torch.load(weights_path, weights_only=True))
    images = torch.rand(2, 3, 96, 96, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = model(images).numpy()
    session = onnxruntime.InferenceSession(str(tmp_path / "model.onnx"), providers=["CPUExecutionProvider"])
    got = session.run(None, {session.get_inputs()[0].name: images[:1].numpy()})[0]
    assert got.shape == (1, 4)
    assert np.max(np.abs(got - expected[:1])) <= 1e-4 * max(1.0, float(np.max(np.abs(expected))))


def test_interpreter_without_gpnav_torch_is_one_line_with_exit_4(tmp_path):
    database = str(tmp_path / "g.sqlite")
    recorded = _gpnav("evaluate", *_ARCHITECTURE, "--study", "s", "--db", database, "--evaluator-command",
                      "echo '{\"accuracy\": 50}'", cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    bare = tmp_path / "bare-python"  # this Python without site-packages: no gpnav_torch, torch or onnx
    bare.write_text(f'#!/bin/sh\nPYTHONPATH= exec {sys.executable} -S "$@"\n')
    bare.chmod(0o755)
    exported = _gpnav("export", "--study", "s", "--trial", "0", "--format", "onnx", "--python", str(bare),
                      "--db", database, cwd=tmp_path)
    assert exported.returncode == 4
    lines = [line for line in exported.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "cannot import gpnav_torch" in lines[0], exported.stderr
