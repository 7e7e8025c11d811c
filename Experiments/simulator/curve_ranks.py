"""Rank agreement between early epochs and the full length in `gpnav trials --curves` output.

    python3 curve_ranks.py curves.csv trials.csv

For each study and each epoch e: Kendall's tau between the trials' accuracies at epoch e and at
the last epoch, the share of trial pairs whose order differs (discordant pairs), and for the
smallest and largest network (by MACs) the share of its climb from the first epoch to the last
done by epoch e. Standard library only.
"""

import csv
import sys
from collections import defaultdict
from itertools import combinations


def read(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def main(curves_path, trials_path):
    curves = defaultdict(dict)
    for row in read(curves_path):
        curves[(row["study"], int(row["number"]))][int(row["epoch"])] = float(row["accuracy"])
    macs = {(row["study"], int(row["number"])): int(row["macs"]) for row in read(trials_path)}
    studies = sorted({study for study, _ in curves})
    print("| study | trials | epoch | Kendall tau vs last | discordant pairs | climb done: smallest | largest |")
    print("|---|---|---|---|---|---|---|")
    for study in studies:
        keys = [key for key in curves if key[0] == study]
        last = max(max(points) for key, points in curves.items() if key[0] == study)
        keys = [key for key in keys if last in curves[key]]
        smallest = min(keys, key=lambda key: macs[key])
        largest = max(keys, key=lambda key: macs[key])
        for epoch in (1, 3, 9, 18, last):
            concordant = discordant = 0
            for a, b in combinations(keys, 2):
                early = curves[a][epoch] - curves[b][epoch]
                final = curves[a][last] - curves[b][last]
                if early * final > 0:
                    concordant += 1
                elif early * final < 0:
                    discordant += 1
            pairs = len(keys) * (len(keys) - 1) // 2
            tau = (concordant - discordant) / pairs if pairs else float("nan")

            def climb(key):
                first, end = curves[key][1], curves[key][last]
                return (curves[key][epoch] - first) / (end - first) if end != first else 1.0

            print(f"| {study} | {len(keys)} | {epoch} | {tau:.2f} | {discordant / pairs:.0%} | "
                  f"{climb(smallest):.0%} ({macs[smallest] / 1e6:.0f} M) | {climb(largest):.0%} ({macs[largest] / 1e6:.0f} M) |")


if __name__ == "__main__":
    main(*sys.argv[1:3])
