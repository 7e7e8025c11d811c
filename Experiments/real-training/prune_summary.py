"""The comparison table of digits-prune.sh: one row per study (no-prune, prune) from what it wrote.

Reads OUT/<study>/studies.json (gpnav studies --format json), trials.csv, time.txt (GNU time's
"wall user system" seconds of the study and every training it waited for) and OUT/load.txt (the
load average sampled while both ran), and prints a Markdown table. Then, from the --prune study's
curves (curves.txt, `gpnav trials --curves`), what its rule saw: every complete trial's accuracy
at each rung (epochs m, m x 3, ... below E, m = E / 9 rounded up, as `--prune` judges) and at the
end, and how well each rung ranks the finals (Spearman's rank correlation, ties averaged).

    python3 Experiments/real-training/prune_summary.py OUT
"""

from __future__ import annotations

import csv
import json
import os
import statistics
import sys


def _row(folder: str) -> dict:
    with open(os.path.join(folder, "studies.json"), encoding="utf-8") as handle:
        study = json.load(handle)[0]
    with open(os.path.join(folder, "trials.csv"), encoding="utf-8", newline="") as handle:
        trials = list(csv.DictReader(handle))
    with open(os.path.join(folder, "time.txt"), encoding="utf-8") as handle:
        wall, user, system = (float(value) for value in handle.read().split()[-3:])
    within = [t for t in trials if t["state"] == "complete" and float(t["macs"]) <= study["budget"]["macs"]]
    best_within = max(within, key=lambda t: float(t["accuracy"]), default=None)
    name = (f"#{best_within['number']} r{best_within['resolution']} w{best_within['width']} "
            f"mv2({best_within['mv2_depths']}) vit({best_within['vit_depths']}) "
            f"{int(best_within['macs']) / 1e6:.2f} M") if best_within else "-"
    return {"complete": study["complete"], "pruned": study["pruned"], "failed": study["failed"],
            "epochs": study["epochs_spent"], "epochs_at_best": study.get("epochs_at_best"),
            "best": study.get("best_accuracy"), "best_trial": name, "wall": wall, "cpu": user + system}


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2
        start = end + 1
    return ranks


def _spearman(first: list[float], second: list[float]) -> float:
    a, b = _ranks(first), _ranks(second)
    mean_a, mean_b = statistics.fmean(a), statistics.fmean(b)
    covariance = sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b))
    spread = (sum((x - mean_a) ** 2 for x in a) * sum((y - mean_b) ** 2 for y in b)) ** 0.5
    return covariance / spread if spread else float("nan")


def _rungs_against_finals(folder: str) -> None:
    curves: dict[int, dict[int, float]] = {}
    states: dict[int, str] = {}
    with open(os.path.join(folder, "curves.txt"), encoding="utf-8") as handle:
        for line in handle:
            fields = line.split()
            if len(fields) == 5 and fields[1].isdigit():
                curves.setdefault(int(fields[1]), {})[int(fields[3])] = float(fields[4])
                states[int(fields[1])] = fields[2]
    complete = {number: curve for number, curve in curves.items() if states[number] == "complete"}
    if len(complete) < 2:
        print("\nFewer than 2 complete curves: no rung to compare.")
        return
    full = max(max(curve) for curve in complete.values())
    rungs, rung = [], -(-full // 9)
    while rung < full:
        rungs.append(rung)
        rung *= 3
    print(f"\nRungs against finals ({os.path.basename(folder)}, full length {full}, complete trials):\n")
    print("| trial | " + " | ".join(f"epoch {r}" for r in rungs) + f" | epoch {full} |")
    print("|---" * (len(rungs) + 2) + "|")
    for number, curve in sorted(complete.items()):
        print(f"| {number} | " + " | ".join(f"{curve.get(r, float('nan')):.2f}" for r in rungs + [full]) + " |")
    finals = [curve.get(full, float("nan")) for curve in complete.values()]
    for r in rungs:
        correlation = _spearman([curve.get(r, float("nan")) for curve in complete.values()], finals)
        print(f"\nSpearman(epoch {r}, epoch {full}) over {len(finals)} trials: {correlation:.2f}", end="")
    print(f"\nFinals span {max(finals) - min(finals):.2f} points ({min(finals):.2f} to {max(finals):.2f} %).")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: prune_summary.py OUT", file=sys.stderr)
        return 2
    out = argv[0]
    print("| study | trials complete / pruned / failed | epochs spent | best within budget | "
          "epochs when first found | wall s | CPU s |")
    print("|---|---|---|---|---|---|---|")
    for name in ("no-prune", "prune"):
        try:
            row = _row(os.path.join(out, name))
        except (OSError, ValueError, KeyError, IndexError) as error:
            print(f"| {name} | unreadable: {error} | | | | | |")
            continue
        best = f"{row['best']:.2f} %, {row['best_trial']}" if row["best"] is not None else "-"
        print(f"| {name} | {row['complete']} / {row['pruned']} / {row['failed']} | {row['epochs']} | {best} | "
              f"{row['epochs_at_best']} | {row['wall']:.0f} | {row['cpu']:.0f} |")
    try:
        with open(os.path.join(out, "load.txt"), encoding="utf-8") as handle:
            loads = [float(line.split()[1]) for line in handle if line.strip()]
        print(f"\nLoad average (1 min, every 30 s, {len(loads)} samples): min {min(loads):.2f}, "
              f"median {statistics.median(loads):.2f}, max {max(loads):.2f}")
    except (OSError, ValueError, IndexError):
        print("\nLoad average: not sampled")
    try:
        _rungs_against_finals(os.path.join(out, "prune"))
    except (OSError, ValueError, KeyError) as error:
        print(f"\nCurves unreadable: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
