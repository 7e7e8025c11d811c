"""Rows of latency-search benchmark runs (search_bench.py's search-bench.json), with the load beside them.

Per latency study: how far inside its budget B the trained trials sat (their search readings over B),
the re-measurements (within B, the worst over B), the best (accuracy, reading, reading / B), the
matched MACs search's best (accuracy, reading, its fresh re-reading) and the gap in points, and the
1-minute load average over the run's measurements. With --estimators, also how well three stand-ins
for the latency model predict each measurement of the run's store held out in turn (one median
milliseconds per MAC; the median ratio of the 3 nearest in MACs; a power of MACs fitted on the logs):
the RMS relative error.

    python Experiments/latency/search_summary.py Experiments/out/latsearch-seed*/search-bench.json --estimators
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sqlite3
import statistics


def rows(path):
    document = json.load(open(path, encoding="utf-8"))
    seed, log = document["args"]["seed"], document["measurements"]
    for result in document["results"]:
        budget, study = result["budget_ms"], result["study"]
        readings = [v for v in (result["search_latency_ms"] or {}).values() if v]
        trained = [m["latency_ms"] for m in result["remeasured"]]
        best, match = result["best"], (result.get("macs_match") or {})
        chosen, again = match.get("chosen"), match.get("chosen_remeasured")
        loads = [m["load_1m"] for m in log if study in m["purpose"] or f"for-{budget:g}ms" in m["purpose"]]
        loads += [result["load_before"], result["load_after"]]
        search_readings = [result["search_latency_ms"][str(r["trial"])] for r in result["remeasured"]]
        yield {
            "budget": budget, "seed": seed, "margin": result.get("latency_margin", 1.0),
            "measured": (result["search_counts"] or {}).get("measurements"),
            "refused_after": (result["search_counts"] or {}).get("refused_after_measuring"),
            "trained": result["trained"], "within": result["remeasured_within"],
            "worst_remeasured_over_b": round(max(trained) / budget, 3) if trained else None,
            "trained_readings_over_b": (round(min(search_readings) / budget, 2), round(max(search_readings) / budget, 2))
            if search_readings else None,
            "best": best and (round(best["accuracy"], 2), best["latency_ms"] and round(best["latency_ms"], 2),
                              best["latency_ms"] and round(best["latency_ms"] / budget, 3)),
            "match": chosen and (round(chosen["accuracy"], 2), round(chosen["measurement"]["latency_ms"], 2),
                                 again and round(again["latency_ms"], 2)),
            "gap": chosen and best and round(chosen["accuracy"] - best["accuracy"], 2),
            "load": (round(min(loads), 1), round(max(loads), 1)),
            "readings": len(readings),
        }


def estimator_errors(database):
    """RMS relative error of each stand-in, each measurement held out in turn."""
    connection = sqlite3.connect(database)
    macs = dict(connection.execute("select architecture, macs from trials"))
    points = [(macs[a], latency) for a, latency in connection.execute(
        "select architecture, latency_ms from latency_measurements") if a in macs]

    def ratio(others, m):
        return statistics.median(latency / mm for mm, latency in others) * m

    def nearest(others, m):
        near = sorted(others, key=lambda p: abs(math.log(p[0] / m)))[:3]
        return statistics.median(latency / mm for mm, latency in near) * m

    def power(others, m):
        xs, ys = [math.log(p[0]) for p in others], [math.log(p[1]) for p in others]
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        return math.exp(my + slope * (math.log(m) - mx))

    result = {"measurements": len(points)}
    for name, estimate in (("median_ratio", ratio), ("nearest_3_ratio", nearest), ("power_of_macs", power)):
        errors = [estimate(points[:i] + points[i + 1:], m) / latency - 1 for i, (m, latency) in enumerate(points)]
        result[name] = round(math.sqrt(statistics.fmean(e * e for e in errors)), 3)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", help="search-bench.json files")
    parser.add_argument("--estimators", action="store_true", help="also the stand-ins' held-out errors")
    args = parser.parse_args()
    gaps = []
    for path in args.runs:
        print(path)
        for row in rows(path):
            print("  " + json.dumps(row))
            if row["gap"] is not None:
                gaps.append(row["gap"])
        database = os.path.join(os.path.dirname(path), "latency.sqlite")
        if args.estimators and os.path.exists(database):
            print("  estimators (RMS relative error, held out):", json.dumps(estimator_errors(database)))
    if gaps:
        print(f"gap (MACs match - latency search), points: mean {statistics.fmean(gaps):.2f} over {len(gaps)}, "
              f"range {min(gaps):.2f} to {max(gaps):.2f}")


if __name__ == "__main__":
    main()
