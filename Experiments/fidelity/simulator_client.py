"""The training SIMULATOR of gpnav, seen from Python through `fidelity-simulator` (main.swift).

Nothing here computes an accuracy: the space, the MACs, the noise-free optimum and every simulated
learning curve come from the Swift simulator that `gpnav search` uses, so that every method of
the benchmark trains on the same curves.
"""
import json
import subprocess
from dataclasses import dataclass

CHANCE_ACCURACY = 0.1  # percent: a 1000-class network that was never trained


@dataclass(frozen=True)
class Space:
    """gpnav's default search space under one MACs budget (every grid point, first factor slowest)."""

    factors: list
    grids: list
    budget_macs: int
    macs: list
    accuracy: list  # noise-free, full length, percent
    optimum_index: int
    optimum_accuracy: float
    admitted: int

    def index(self, point):
        """The position of a grid point (one index per factor) in the flat lists."""
        flat = 0
        for i, grid in zip(point, self.grids):
            flat = flat * len(grid) + i
        return flat

    def admits(self, point):
        return self.macs[self.index(point)] <= self.budget_macs

    def gap(self, point):
        """Points between the optimum and `point`, both noise-free at full length."""
        return self.optimum_accuracy - self.accuracy[self.index(point)]


def load_space(binary, budget_macs):
    out = subprocess.run([binary, "space", "--macs", str(budget_macs)], check=True, capture_output=True, text=True)
    d = json.loads(out.stdout)
    if "simulator" not in d["simulator"]:
        raise RuntimeError(f"fidelity-simulator is not the simulator: {d['simulator']}")
    return Space(d["factors"], d["grids"], d["budget_macs"], d["macs"], d["accuracy"],
                 d["optimum_index"], d["optimum_accuracy"], d["admitted"])


class Curves:
    """A running `fidelity-simulator curves` process answering one training's curve per call."""

    def __init__(self, binary, seed, epochs):
        self.epochs = epochs
        self._process = subprocess.Popen([binary, "curves", "--seed", str(seed), "--epochs", str(epochs)],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def curve(self, study, trial, point):
        """The simulated accuracy after each epoch 1..E of training `point` as trial `trial` of `study`."""
        self._process.stdin.write(json.dumps({"study": study, "trial": trial, "point": list(point)}) + "\n")
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError("fidelity-simulator curves stopped answering")
        return json.loads(line)["curve"]

    def close(self):
        self._process.stdin.close()
        self._process.wait(timeout=30)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
