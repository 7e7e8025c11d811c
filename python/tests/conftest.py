"""Shared fixtures: the gpnav binary (env GPNAV_BIN, default .build/debug/gpnav) and its configs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Sequence

import pytest
import torch

# One thread: on a machine whose cores are busy (CI runners, shared hosts) torch's default of one
# thread per core is many times slower, and the tests' tensors are small.
torch.set_num_threads(int(os.environ.get("GPNAV_TORCH_TEST_THREADS", "1")))

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON_ROOT = os.path.join(REPOSITORY, "python")
CLIENT_ROOT = os.path.join(PYTHON_ROOT, "client")
for root in (CLIENT_ROOT, PYTHON_ROOT):  # the packages themselves, installed or not
    if root not in sys.path:
        sys.path.insert(0, root)


def repository_file(*parts: str) -> str:
    """The path of a file of the gpnav repository outside python/ that a test reads. Where python/ was
    installed or copied without the repository, the test (or, called at import, its whole module)
    is skipped with that reason instead of failing."""
    path = os.path.join(REPOSITORY, *parts)
    if not os.path.exists(path):
        pytest.skip(f"{'/'.join(parts)} is not here: python/ was installed without the gpnav repository",
                    allow_module_level=True)
    return path


def gpnav_binary() -> str:
    return os.environ.get("GPNAV_BIN") or os.path.join(REPOSITORY, ".build", "debug", "gpnav")


def gpnav_config(resolution: int, width: float, mv2_depths: Sequence[int], vit_depths: Sequence[int],
                 classes: int) -> dict:
    """The JSON gpnav writes for this architecture (`gpnav macs --format json`, with its channel_plan)."""
    binary = gpnav_binary()
    if not os.access(binary, os.X_OK):
        pytest.fail(f"no gpnav binary at {binary}: run 'swift build' first or set GPNAV_BIN")
    command = [binary, "macs", "--resolution", str(resolution), "--width", repr(width),
               "--mv2-depths", ",".join(map(str, mv2_depths)), "--vit-depths", ",".join(map(str, vit_depths)),
               "--classes", str(classes), "--format", "json"]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def gpnav_trial_config(directory: str, *architecture: str) -> dict:
    """The `{config}` file gpnav's command evaluator writes for one trial (`gpnav evaluate` with the
    architecture flags given, e.g. `--family mobilevit`), read back as the training command would."""
    binary = gpnav_binary()
    if not os.access(binary, os.X_OK):
        pytest.fail(f"no gpnav binary at {binary}: run 'swift build' first or set GPNAV_BIN")
    copy = os.path.join(directory, "written-config.json")
    command = [binary, "evaluate", *architecture, "--study", "pytest", "--db", os.path.join(directory, "configs.sqlite"),
               "--evaluator-command", f"cp {{config}} {copy} && echo '{{\"accuracy\": 50}}'"]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    with open(copy, encoding="utf-8") as handle:
        return json.load(handle)


def run_module(module: str, *arguments: str, timeout: float = 240) -> subprocess.CompletedProcess:
    """`python -m gpnav_torch.<module> ...` in a child process, as gpnav runs a training command."""
    environment = dict(os.environ)
    environment["PYTHONPATH"] = PYTHON_ROOT + os.pathsep + environment.get("PYTHONPATH", "")
    environment["PYTHONWARNINGS"] = "ignore"
    return subprocess.run([sys.executable, "-m", f"gpnav_torch.{module}", *arguments], capture_output=True,
                          text=True, timeout=timeout, env=environment, check=False)


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory):
    """A 3-class demo dataset of 8 training images per class, 64 px."""
    from gpnav_torch.demo_data import write_dataset
    directory = str(tmp_path_factory.mktemp("demo"))
    write_dataset(directory, classes=3, per_class=8, size=64, seed=1)
    return directory


@pytest.fixture(scope="session")
def tiny_config_document():
    """gpnav's config of a small MobileViTv2 for `tiny_data` (96 px, width 0.25, 3 classes)."""
    config = gpnav_config(96, 0.25, (1, 1), (1, 1, 1), 3)
    config.update(study="pytest", trial=0)
    return config


@pytest.fixture
def tiny_config(tiny_config_document, tmp_path):
    """`tiny_config_document` written to a folder of this test's own (the trainer writes its
    checkpoint, weights and log beside the config): its path and the document."""
    folder = tmp_path / "configs"
    folder.mkdir()
    path = folder / "pytest-trial-0.json"
    path.write_text(json.dumps(tiny_config_document))
    return str(path), tiny_config_document
