"""The fidelity benchmark's table from bench.py's JSON lines: per budget and method, the median
and range over seeds, and the issue's goal checked row by row.

    python table.py results.jsonl [--brief]     (--brief: the README's columns only)
"""
import json
import statistics
import sys

ORDER = ("gpnav-today", "gpnav-prune", "tpe-median", "tpe-hyperband", "gp-median", "gp-hyperband", "dehb")


def spread(values, digits=0):
    """`median (min..max)`, or `-` for none."""
    if not values:
        return "-"
    f = (lambda v: f"{v:.{digits}f}")
    return f"{f(statistics.median(values))} ({f(min(values))}..{f(max(values))})"


def to_target(rows, ceiling):
    """Epochs to the target, median and range over seeds, a seed that never got there counted as
    above `ceiling` (the epochs it was given); how many seeds got there."""
    reached = [r["epochs_to_target"] for r in rows if r["epochs_to_target"] is not None]
    values = sorted(reached) + [float("inf")] * (len(rows) - len(reached))
    if not values:
        return "-"
    shown = lambda v: f">{ceiling}" if v == float("inf") else f"{v:.0f}"
    # The median of values some of which are "more than the ceiling" (inf: the mean of inf and a
    # number is inf, which is what the median then is).
    median = statistics.median(values)
    return f"{shown(median)} ({shown(values[0])}..{shown(values[-1])}), {len(reached)}/{len(rows)}"


def median_to_target(rows):
    return statistics.median([r["epochs_to_target"] if r["epochs_to_target"] is not None else float("inf")
                              for r in rows])


def goal(rows, budget):
    """Issue #21's goal at one budget, in words: gpnav --prune reaches gpnav today's final gap
    (median) with at most a third of its epochs to the target and fewer than the best peer's
    (medians), and no study trains more than one model above the budget."""
    by = lambda m: [r for r in rows if r["budget_macs"] == budget and r["method"] == m]
    today, prune = by("gpnav-today"), by("gpnav-prune")
    peers = [m for m in ORDER[2:] if by(m)]
    if not today or not prune:
        return f"\ngoal at {budget // 10**6}M: not checked (gpnav-today or gpnav-prune has no rows)"
    gap = lambda rs: statistics.median([r["final_gap"] if r["final_gap"] is not None else float("inf") for r in rs])
    best_peer = min(peers, key=lambda m: median_to_target(by(m)), default=None)
    checks = [
        ("same final gap", gap(prune) <= gap(today) + 1e-9),
        ("at most a third of the epochs", median_to_target(prune) <= median_to_target(today) / 3),
        (f"fewer epochs than the best peer ({best_peer})",
         best_peer is None or median_to_target(prune) < median_to_target(by(best_peer))),
        ("at most one model above the budget per study",
         all(r["above_budget_trained"] <= 1 for r in rows if r["budget_macs"] == budget)),
    ]
    failed = [name for name, ok in checks if not ok]
    return f"\ngoal at {budget // 10**6}M: " + ("met" if not failed else "not met: " + "; ".join(failed))


def main(path, brief=False):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    errors = [r for r in rows if "error" in r]
    rows = [r for r in rows if "error" not in r]
    ceiling = max((r["epochs_spent"] for r in rows), default=0)
    if brief:
        print_brief(rows, ceiling)
        return
    print("| budget | method | epochs to within 0.1 of the optimum, median (range), seeds that got there "
          "| final gap, points | epochs spent | trainings | stopped early | trained above budget: all studies, most in one "
          "| refused above budget | seconds per study |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for budget in sorted({r["budget_macs"] for r in rows}):
        for method in ORDER:
            own = [r for r in rows if r["budget_macs"] == budget and r["method"] == method]
            if not own:
                continue
            gaps = [r["final_gap"] for r in own if r["final_gap"] is not None]
            print(f"| {budget // 10**6}M | {method} | {to_target(own, ceiling)} | {spread(gaps, 2)} "
                  f"| {spread([r['epochs_spent'] for r in own])} "
                  f"| {spread([r['trainings'] for r in own])} | {spread([r['stopped_early'] for r in own])} "
                  f"| {sum(r['above_budget_trained'] for r in own)}, {max(r['above_budget_trained'] for r in own)} "
                  f"| {spread([r['above_budget_refused'] for r in own])} | {spread([r['seconds'] for r in own], 1)} |")
    for budget in sorted({r["budget_macs"] for r in rows}):
        print(goal(rows, budget))
    for r in errors:
        print(f"\nerror: {r['method']} at {r['budget_macs']} seed {r['seed']}: {r['error']}")


def print_brief(rows, ceiling):
    print("| budget | method | epochs to within 0.1 of the optimum (seeds that got there) | final gap, points "
          "| trained above budget, most in one study |")
    print("|---|---|---|---|---|")
    for budget in sorted({r["budget_macs"] for r in rows}):
        for method in ORDER:
            own = [r for r in rows if r["budget_macs"] == budget and r["method"] == method]
            if own:
                gaps = [r["final_gap"] for r in own if r["final_gap"] is not None]
                print(f"| {budget // 10**6}M | {method} | {to_target(own, ceiling)} | {spread(gaps, 2)} "
                      f"| {max(r['above_budget_trained'] for r in own)} |")


if __name__ == "__main__":
    main(sys.argv[1], brief="--brief" in sys.argv[2:])
