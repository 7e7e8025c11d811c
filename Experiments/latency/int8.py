"""int8 post-training quantisation of a few trained architectures: accuracy drop and latency.

Writes a data set: `--data demo`, the demo data (`gpnav_torch.demo_data`: CLASSES classes,
PER_CLASS training images each, SIZE px), or `--data digits`, scikit-learn's handwritten digits
as a SIZE px ImageFolder (Experiments/real-training/digits.py: 10 classes, 1,347 training and 450
validation images). Draws COUNT distinct architectures of the default space (at RESOLUTION when
given, the sampled widths and depths unchanged) whose MACs are at most MAX_MACS (so that training
on a shared CPU fits in minutes), trains each with `python -m gpnav_torch.train --int8-eval`
(EPOCHS epochs, one thread, learning rate LR, and TRAIN_ARGS appended: e.g. a lighter recipe than
ml-cvnets' ImageNet one, which does not learn in a few epochs), whose result line gives the float and
int8 accuracy on the demo validation set (ONNX Runtime static quantisation of the carried weights
calibrated on CALIBRATION training images, both models run by ONNX Runtime on the same arrays),
then reports for each those accuracies and the float32 and int8 latency and CPU time on ONNX Runtime,
one thread (`gpnav_torch.latency.measure_latency`; a refused measurement is kept and marked).
Writes OUT/int8.csv and prints it.

    Experiments/latency/run.sh is for measure.py; this one runs as
    PYTHONPATH=python .venv-ci/bin/python Experiments/latency/int8.py --count 5
    (RESULTS.md has the command of the committed table; `--data digits` needs scikit-learn)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shlex
import subprocess
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
sys.path.insert(0, os.path.join(_HERE, "..", "real-training"))
from measure import sample_architectures  # noqa: E402

from gpnav_torch import load_config  # noqa: E402
from gpnav_torch.demo_data import write_dataset  # noqa: E402
from gpnav_torch.latency import load_average_1m, measure_latency  # noqa: E402
from gpnav_torch.timing import TimingPolicy, UnstableMeasurement  # noqa: E402


def _config(gpnav, architecture, classes):
    resolution, width, mv2, vit = architecture
    command = [gpnav, "macs", "--resolution", str(resolution), "--width", repr(width), "--mv2-depths",
               ",".join(map(str, mv2)), "--vit-depths", ",".join(map(str, vit)), "--classes", str(classes),
               "--format", "json"]
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def _latency(trial, int8):
    try:
        report = measure_latency(trial, "onnxruntime", 1, 1, int8, TimingPolicy())
        return report["latency_ms"], report["cpu_ms"], 0
    except UnstableMeasurement as refused:
        return refused.summary.latency_ms, refused.summary.cpu_ms, 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--classes", type=int, default=4)
    parser.add_argument("--per-class", type=int, default=100)
    parser.add_argument("--size", type=int, default=96)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--max-macs", type=int, default=300_000_000)
    parser.add_argument("--calibration", type=int, default=64)
    parser.add_argument("--lr", type=float, default=None, help="peak learning rate (default: the recipe's)")
    parser.add_argument("--data", choices=("demo", "digits"), default="demo", help="data set (default demo)")
    parser.add_argument("--resolution", type=int, default=None,
                        help="every architecture's resolution (default: the sampled one, 96 to 384)")
    parser.add_argument("--train-nice", type=int, default=0,
                        help="run the trainings under `nice -n N` (the latency measurements keep this process's priority)")
    parser.add_argument("--train-args", default="",
                        help="more arguments of gpnav_torch.train, e.g. '--mixup 0 --cutmix 0'")
    parser.add_argument("--gpnav", default=os.environ.get("GPNAV_BIN", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".build", "debug", "gpnav")))
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "int8"))
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    data = os.path.join(args.out, f"{args.data}-{args.size}")
    if args.data == "digits":
        args.classes = 10
        if not os.path.isdir(data):
            from digits import write_digits
            write_digits(data, args.size, 0.25, 0)
    elif not os.path.isdir(data):
        write_dataset(data, classes=args.classes, per_class=args.per_class, size=args.size, seed=0)
    chosen = []
    for architecture in sample_architectures(400, args.seed):
        if args.resolution is not None:
            architecture = (args.resolution,) + architecture[1:]
        document = _config(args.gpnav, architecture, args.classes)
        if document["macs"] <= args.max_macs and document not in chosen:
            chosen.append(document)
        if len(chosen) == args.count:
            break
    rows = []
    for index, document in enumerate(chosen):
        config = os.path.join(args.out, f"arch{index}.json")
        with open(config, "w", encoding="utf-8") as handle:
            json.dump(document, handle)
        command = [sys.executable, "-m", "gpnav_torch.train", "--config", config, "--data", data, "--epochs",
                   str(args.epochs), "--batch-size", "32", "--workers", "0", "--threads", "1", "--device", "cpu",
                   "--int8-eval", "--calibration-images", str(args.calibration)]
        if args.lr is not None:
            command += ["--lr", str(args.lr)]
        command += shlex.split(args.train_args)
        if args.train_nice:
            command = ["nice", "-n", str(args.train_nice)] + command
        trained = subprocess.run(command, capture_output=True, text=True, check=True)
        report = json.loads(trained.stdout.strip().splitlines()[-1])
        trial = load_config(document)
        rows.append({"architecture": trial.name, "macs": trial.macs, "params": trial.params,
                     "accuracy_torch": report["accuracy"], "accuracy": report["accuracy_onnx"],
                     "accuracy_int8": report["accuracy_int8"], "accuracy_drop": report["accuracy_int8_drop"],
                     "train_seconds": report["train_seconds"], "trial": trial})
        print(json.dumps({key: value for key, value in rows[-1].items() if key != "trial"}), flush=True)
    # Latency last, all together: training is not timed, and this part is short.
    for row in rows:
        float_ms, float_cpu, float_refused = _latency(row["trial"], False)
        int8_ms, int8_cpu, int8_refused = _latency(row["trial"], True)
        row.update({"latency_ms": float_ms, "cpu_ms": float_cpu, "refused": float_refused,
                    "latency_ms_int8": int8_ms, "cpu_ms_int8": int8_cpu, "refused_int8": int8_refused,
                    "load_1m": load_average_1m()})
        print(json.dumps({key: value for key, value in row.items() if key != "trial"}), flush=True)
    with open(os.path.join(args.out, "int8.csv"), "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, [key for key in rows[0] if key != "trial"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
