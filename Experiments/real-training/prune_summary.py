"""The comparison table of digits-prune.sh: one row per study (no-prune, prune) from what it wrote.

Reads OUT/<study>/studies.json (gpnav studies --format json), trials.csv, time.txt (GNU time's
"wall user system" seconds of the study and every training it waited for) and OUT/load.txt (the
load average sampled while both ran), and prints a Markdown table.

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
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
