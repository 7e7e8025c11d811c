"""What gpnav's studies spent until their recommendation was first complete, read from the study
databases `bench.py --keep-studies DIR` kept, and the floor of that spend with today's chain.

    python floor.py RESULTS.jsonl DIR [--method gpnav-prune]

Per study (one line each, then medians per budget): the epochs to the target (the report's
`epochs_at_best`), of them the downsizing chain's (its start model above the budget and its
in-budget end, trained in full before any curve can be judged), the other full trainings, the
epochs of trainings paused by then, and how many trainings were continued after a pause (a
trial whose reports another trial's reports interrupt). The floor is what any search with this
chain pays before its recommendation is complete: the chain's epochs, plus the full training of
the recommendation when the chain's end is not it.
"""
import argparse
import json
import os
import sqlite3
import statistics


def study_spend(database, recommended, full):
    """The spend of one study up to the first completion of trial `recommended`."""
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    trials = {row[0]: row[1:] for row in db.execute(
        "SELECT id, number, state, proposal_kind, finished_at FROM trials")}
    reports = db.execute("SELECT trial_id, epoch, reported_at FROM trial_reports ORDER BY reported_at, trial_id, epoch")
    reports = list(reports)
    db.close()
    by_number = {number: trial_id for trial_id, (number, *_rest) in trials.items()}
    at = trials[by_number[recommended]][3]
    before = [r for r in reports if r[2] <= at]
    last = {}
    for trial_id, epoch, _ in before:
        last[trial_id] = max(epoch, last.get(trial_id, 0))
    chain = sum(e for trial_id, e in last.items() if trials[trial_id][2] in ("start", "downsize"))
    other_full = sum(e for trial_id, e in last.items() if trials[trial_id][2] not in ("start", "downsize") and e == full)
    paused = sum(e for trial_id, e in last.items() if e < full)
    # A continued training: its reports are interrupted by another trial's.
    continued = 0
    for trial_id in last:
        own = [i for i, r in enumerate(before) if r[0] == trial_id]
        if own and any(before[i][0] != trial_id for i in range(own[0], own[-1])):
            continued += 1
    rec_in_chain = trials[by_number[recommended]][2] in ("start", "downsize")
    floor = chain if rec_in_chain else chain + full
    return dict(spent=sum(last.values()), chain=chain, other_full=other_full, paused=paused,
                continued=continued, floor=floor, trainings=len(last))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("studies")
    parser.add_argument("--method", default="gpnav-prune")
    parser.add_argument("--epochs", type=int, default=27)
    args = parser.parse_args()
    rows = [json.loads(line) for line in open(args.results) if line.strip()]
    by_budget = {}
    for row in rows:
        if row.get("method") != args.method or row.get("recommended_trial") is None:
            continue
        kind = "prune" if args.method == "gpnav-prune" else "today"
        database = os.path.join(args.studies, f"gpnav-{kind}-{row['budget_macs']}-{row['seed']}.sqlite")
        if not os.path.exists(database):
            continue
        spend = study_spend(database, row["recommended_trial"], args.epochs)
        spend["to_target"] = row["epochs_to_target"]
        by_budget.setdefault(row["budget_macs"], []).append(spend)
        print(f"{row['budget_macs'] // 1_000_000}M seed {row['seed']}: to target {row['epochs_to_target']} "
              f"(counted here {spend['spent']}): chain {spend['chain']}, other full trainings {spend['other_full']}, "
              f"paused by then {spend['paused']} epochs, {spend['continued']} continued; floor {spend['floor']}")
    for budget, spends in sorted(by_budget.items()):
        def median(key):
            return statistics.median(s[key] for s in spends)
        print(f"{budget // 1_000_000}M medians over {len(spends)}: counted {median('spent')}, chain {median('chain')}, "
              f"other full {median('other_full')}, paused {median('paused')}, continued {median('continued')}, "
              f"floor {median('floor')} (min {min(s['floor'] for s in spends)})")


if __name__ == "__main__":
    main()
