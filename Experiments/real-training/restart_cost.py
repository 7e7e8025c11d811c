"""What a pause costs a real training: one network trained straight through, and the same network
stopped at every rung and continued from its checkpoint, as `gpnav search --prune
--evaluator-resumes` and `gpnav worker --evaluator-resumes` run it.

Both runs are `python -m gpnav_torch.train` on one thread with the same config, data and recipe.
The paused run gets SIGTERM as soon as it prints the epoch line of a rung (gpnav stops a command
the same way, and the trainer writes its checkpoint before that line), waits for it to exit, and
starts it again with GPNAV_RESUME_EPOCH set to that epoch. Measured per run: wall seconds and CPU
seconds (user + system of the training processes, from getrusage), per process the times of its
epoch lines (an epoch's seconds; start-up is the time to the first line less one epoch), and the
curve. The runs alternate (straight, paused, paused, straight, ...) so load falls on both.

    python Experiments/real-training/restart_cost.py --gpnav .build/debug/gpnav \\
        --python .venv-ci/bin/python --data Experiments/out/digits64 --out Experiments/out/restart-cost
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# The light recipe of digits-prune.sh (digits in a few epochs).
RECIPE = ["--lr", "0.003", "--rand-augment", "none", "--mixup", "0", "--cutmix", "0", "--random-erase", "0",
          "--no-flip", "--crop-scale", "0.6", "--ema-decay", "0"]


def write_config(gpnav: str, folder: str, architecture: list[str]) -> str:
    """The trial config gpnav hands a training command, for one architecture of 10 classes."""
    database = os.path.join(folder, "config.sqlite")
    subprocess.run([gpnav, "evaluate", "--db", database, "--study", "restart-cost", "--classes", "10",
                    *architecture], check=True, capture_output=True)
    exported = subprocess.run([gpnav, "export", "--db", database, "--study", "restart-cost", "--trial", "0",
                               "--format", "json"], check=True, capture_output=True, text=True)
    path = os.path.join(folder, "config.json")
    with open(path, "w") as file:
        file.write(exported.stdout)
    return path


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def segment(command: list[str], env: dict, stop_at: int | None, after: int | None) -> dict:
    """One training process, read line by line; SIGTERM after the epoch line `stop_at`. A continued
    process first prints again the lines of the epochs up to `after`, from its checkpoint."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    curve, times, final = [], [], None
    assert process.stdout is not None
    for line in process.stdout:
        try:
            report = json.loads(line)
        except ValueError:
            continue
        if not isinstance(report, dict) or "accuracy" not in report:
            continue
        if "epoch" not in report:
            final = report
            continue
        times.append((report["epoch"], time.monotonic() - started))
        curve.append((report["epoch"], report["accuracy"]))
        if stop_at is not None and report["epoch"] >= stop_at and (after is None or report["epoch"] > after):
            process.send_signal(signal.SIGTERM)
            break
    status = process.wait()
    process.stdout.close()
    if stop_at is None and (status != 0 or final is None):
        raise RuntimeError(f"training exited with {status} and no final line: {' '.join(command)}")
    return {"seconds": time.monotonic() - started, "line_times": times, "after": after, "curve": curve,
            "status": status, "final": final}


def train_once(args, config: str, folder: str, rungs: list[int]) -> dict:
    """One training of args.epochs epochs, straight through (no rungs) or paused at each rung."""
    if os.path.exists(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    local = os.path.join(folder, "config.json")  # checkpoint and weights are written beside it
    shutil.copy(config, local)
    command = [args.python, "-m", "gpnav_torch.train", "--config", local, "--data", args.data, "--epochs",
               str(args.epochs), "--batch-size", "32", "--workers", "0", "--threads", "1", *RECIPE]
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"), PYTHONWARNINGS="ignore",
               OMP_NUM_THREADS="1")
    env.pop("GPNAV_RESUME_EPOCH", None)
    cpu, started, segments, after = children_cpu(), time.monotonic(), [], None
    for stop in [*rungs, None]:
        if after is not None:
            env["GPNAV_RESUME_EPOCH"] = str(after)
        segments.append(segment(command, env, stop, after))
        after = segments[-1]["curve"][-1][0]
    curve = {}
    for part in segments:
        for epoch, accuracy in part["curve"]:
            curve.setdefault(epoch, accuracy)  # a continued process prints earlier epochs again; keep the first
    return {"rungs": rungs, "wall": time.monotonic() - started, "cpu": children_cpu() - cpu,
            "segments": [{key: part[key] for key in ("seconds", "line_times", "after", "status")} for part in segments],
            "curve": [curve[epoch] for epoch in sorted(curve)], "final": segments[-1]["final"]["accuracy"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpnav", required=True)
    parser.add_argument("--python", default=sys.executable, help="the interpreter that has gpnav_torch's deps")
    parser.add_argument("--data", required=True, help="an ImageFolder of 10 classes (digits.py writes one)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--epochs", type=int, default=9)
    parser.add_argument("--rungs", default="1,3", help="epochs to pause at (gpnav's at 9 epochs: 1 and 3)")
    parser.add_argument("--pairs", type=int, default=2, help="straight/paused pairs, alternated")
    parser.add_argument("--architecture", default="--resolution 64 --width 0.375 --mv2-depths 1,2 "
                        "--vit-depths 1,1,1", help="gpnav evaluate's architecture flags")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    config = write_config(args.gpnav, args.out, args.architecture.split())
    rungs = [int(value) for value in args.rungs.split(",")]
    runs = []
    for pair in range(args.pairs):
        order = [[], rungs] if pair % 2 == 0 else [rungs, []]
        for stops in order:
            result = train_once(args, config, os.path.join(args.out, f"run-{len(runs)}"), stops)
            result["load"] = os.getloadavg()[0]
            runs.append(result)
            print(json.dumps(result), flush=True)
    straight = [run for run in runs if not run["rungs"]]
    paused = [run for run in runs if run["rungs"]]
    # An epoch's seconds: between two lines of epochs trained by one process. A continued process's
    # start-up (interpreter, torch, data, model, checkpoint): the seconds to its last replayed line;
    # a fresh one's: to its first line less one epoch.
    trained = [[(epoch, at) for epoch, at in part["line_times"] if part["after"] is None or epoch > part["after"]]
               for run in runs for part in run["segments"]]
    epoch_seconds = statistics.median(later - earlier for lines in trained
                                      for (_, earlier), (_, later) in zip(lines, lines[1:]))
    fresh = [part["line_times"][0][1] - epoch_seconds for run in runs for part in run["segments"]
             if part["after"] is None]
    continued = [max(at for epoch, at in part["line_times"] if epoch <= part["after"])
                 for run in runs for part in run["segments"] if part["after"] is not None]
    print(json.dumps({
        "epochs": args.epochs, "rungs": rungs, "pairs": args.pairs,
        "straight_cpu_median": statistics.median(run["cpu"] for run in straight),
        "paused_cpu_median": statistics.median(run["cpu"] for run in paused),
        "straight_wall_median": statistics.median(run["wall"] for run in straight),
        "paused_wall_median": statistics.median(run["wall"] for run in paused),
        "epoch_seconds_median": epoch_seconds, "fresh_startup_seconds_median": statistics.median(fresh),
        "continued_startup_seconds_median": statistics.median(continued), "continued_processes": len(continued),
        "finals_straight": [run["final"] for run in straight], "finals_paused": [run["final"] for run in paused],
        "same_curve": all(run["curve"] == straight[0]["curve"] for run in runs)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
