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


def full_trainings(database, recommended, full, budget):
    """The trainings of one study that reached the full length before the recommendation first
    completed, in completion order: (number, kind, macs, final, best before, class)."""
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    trials = {row[0]: row[1:] for row in db.execute(
        "SELECT id, number, proposal_kind, macs, accuracy, finished_at, predicted_accuracy, predicted_std FROM trials")}
    ended = {trial_id: at for trial_id, at in db.execute(
        "SELECT trial_id, reported_at FROM trial_reports WHERE epoch = ?", (full,))}
    db.close()
    at = next(ended[i] for i, t in trials.items() if t[0] == recommended)
    rows, best = [], None
    for trial_id, reached in sorted(ended.items(), key=lambda item: item[1]):
        if reached > at:
            continue
        number, kind, macs, accuracy, _finished, predicted, std = trials[trial_id]
        within = macs <= budget
        if kind in ("start", "downsize"):
            label = "chain"
        elif number == recommended:
            label = "recommendation"
        elif within and accuracy is not None and (best is None or accuracy > best):
            label = "best so far"
        else:
            label = "never best"
        rows.append(dict(number=number, kind=kind, macs=macs, final=accuracy, best_before=best, label=label,
                         predicted=predicted, std=std))
        if within and accuracy is not None:
            best = accuracy if best is None else max(best, accuracy)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("studies")
    parser.add_argument("--method", default="gpnav-prune")
    parser.add_argument("--epochs", type=int, default=27)
    parser.add_argument("--trials", action="store_true", help="list each study's full trainings before the target")
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
        if args.trials:
            rows_before = full_trainings(database, row["recommended_trial"], args.epochs, row["budget_macs"])
            never = [t for t in rows_before if t["label"] == "never best"]
            spend["never_best"] = len(never)
            spend["best_so_far"] = sum(t["label"] == "best so far" for t in rows_before)
            for t in rows_before:
                shown = "-" if t["final"] is None else f"{t['final']:.2f}"
                before = "-" if t["best_before"] is None else f"{t['best_before']:.2f}"
                predicted = "" if t["predicted"] is None else f", proposed at {t['predicted']:.2f} +/- {t['std']:.2f}"
                print(f"    trial {t['number']} ({t['kind']}, {t['macs'] / 1e6:.0f}M): final {shown}, best before {before}"
                      f"{predicted}: {t['label']}")
    for budget, spends in sorted(by_budget.items()):
        def median(key):
            return statistics.median(s[key] for s in spends)
        print(f"{budget // 1_000_000}M medians over {len(spends)}: counted {median('spent')}, chain {median('chain')}, "
              f"other full {median('other_full')}, paused {median('paused')}, continued {median('continued')}, "
              f"floor {median('floor')} (min {min(s['floor'] for s in spends)})")
        if args.trials:
            print(f"    full trainings before the target, medians: never best {median('never_best')}, "
                  f"best so far {median('best_so_far')} (besides the chain and the recommendation)")


if __name__ == "__main__":
    main()
