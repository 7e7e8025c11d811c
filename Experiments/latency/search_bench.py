"""`gpnav search --latency` at a few budgets, re-measured, against MACs-budget searches of the same latency.

For each latency budget B (milliseconds of one forward pass, CPU time of a one-thread ONNX Runtime
run, as `cpu_time_latency.py` measures it):

1. **Latency study.** `gpnav search --latency B --macs CAP` with the training simulator, the
   latency command `cpu_time_latency.py --threads 1` and device DEVICE. CAP = B / MS_PER_GMAC is a
   MACs bound no architecture beats (none measured in RESULTS.md ran under 22 ms per G MACs), so
   the latency budget is the one that binds. All latency studies share one store, as studies on
   one device do: a later study reuses the earlier ones' measurements and their latency model.
   Counted: the measurements the study made (new stored rows), the trials it measured over the
   budget (never trained), the failed measurements, and its wall time.
2. **Re-measurement.** Every trained (complete) trial is measured again, fresh, in a new process
   of the same command (cpu_time_latency.py); how many are within B. The search's own counts (its
   JSON report's `latency`: measurements, refusals after measuring, the model's refusals) are kept
   as `search_counts`.
3. **Screening.** The share of SCREEN_SAMPLE random architectures of the space within CAP (drawn
   from SCREEN_DRAWS at most) that the
   device's latency model, as fitted at the end of the study (`gpnav latency predict`), predicts
   over B by more than two spreads: the screen of `LatencyScreen` that keeps such candidates from
   being proposed, measured or trained, as the share of the space it refuses at the end (the
   search's report counts the refusals it made).
4. **MACs match.** Plain `gpnav search --macs M` (same simulator, seed and trial count), M chosen
   so that its best model within M measures just within B: starting from the latency study's best
   model's MACs x B / its latency, each step measures the MACs study's best model and moves M by
   B / measured (secant on a proportional model), then bisects (geometric mean) once B is
   bracketed; MATCH_STEPS searches at most. The comparison takes the largest M whose best model
   measured within B, and that model is measured once more, fresh (the match admits on one reading
   with no margin, the latency study on its margin: does the match's best still meet B?).

--latency-margin K sets the latency study's margin (gpnav's --latency-margin); --skip-match runs
the latency studies and their re-measurements only; --nice N runs gpnav niced and its latency
command back at the driver's priority.

Writes OUT/search-bench.json and prints a table. Needs GPNAV_BIN, onnx, onnxruntime.

    Experiments/latency/search.sh --budgets 5,15,45 --trials 8 --seed 1
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shlex
import shutil
import subprocess
import sys
import time

import numpy as np

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
from measure import sample_architectures  # noqa: E402

from gpnav_torch import load_config  # noqa: E402
from gpnav_torch.latency import load_average_1m  # noqa: E402


def gpnav(args, *arguments, check=True):
    # gpnav's own work (searches, GP fits, listings) runs niced; the latency command inside a latency
    # search is brought back to the driver's priority (latency_command), as the re-measurements run.
    niced = ["nice", "-n", str(args.nice)] if args.nice else []
    completed = subprocess.run([*niced, args.gpnav, *map(str, arguments)], capture_output=True, text=True)
    if check and completed.returncode != 0:
        raise RuntimeError(f"gpnav {' '.join(map(str, arguments[:2]))} failed: {completed.stderr.strip()[-400:]}")
    return completed


def factors(trial):
    return (trial["resolution"], float(trial["width"]), tuple(trial["mv2_depths"]), tuple(trial["vit_depths"]))


def architecture_flags(architecture):
    resolution, width, mv2, vit = architecture
    return ["--resolution", resolution, "--width", repr(width), "--mv2-depths", ",".join(map(str, mv2)),
            "--vit-depths", ",".join(map(str, vit))]


class Meter:
    """Fresh CPU-time measurements, each in a fresh process of cpu_time_latency.py (as the search's
    latency command takes them: an in-process re-measurement ran 9-22 % above a fresh process's
    late in a run, last session), one try more when the spread rule refuses; every measurement is
    logged with the load."""

    def __init__(self, args):
        self.args = args
        self.log = []

    def measure(self, architecture, purpose):
        document = json.loads(gpnav(self.args, "macs", *architecture_flags(architecture), "--format", "json").stdout)
        trial = load_config(document)
        refused = 0
        config = os.path.join(self.args.out, "remeasure-config.json")
        with open(config, "w", encoding="utf-8") as handle:
            json.dump(document, handle)
        environment = {**os.environ, "PYTHONPATH": self.args.pythonpath}
        for _attempt in range(2):
            completed = subprocess.run([self.args.python, os.path.join(_HERE, "cpu_time_latency.py"), "--config", config,
                                        "--threads", "1", "--max-spread", f"{self.args.max_spread:g}",
                                        "--min-seconds", f"{self.args.min_seconds:g}"],
                                       capture_output=True, text=True, env=environment)
            lines = [line for line in completed.stdout.splitlines() if '"latency_ms"' in line]
            if completed.returncode == 0 and lines:
                report = json.loads(lines[-1])
                milliseconds, spread = report["latency_ms"], report["latency_spread_ms"]
                break
            refused += 1
            milliseconds, spread = float("nan"), float("nan")
        entry = {"architecture": trial.name, "macs": trial.macs, "latency_ms": round(milliseconds, 4),
                 "spread_ms": round(spread, 4), "refused": refused, "trusted": refused < 2,
                 "load_1m": load_average_1m(), "purpose": purpose}
        self.log.append(entry)
        print("  measured", json.dumps(entry), flush=True)
        return entry


def trials_of(args, db, study):
    return json.loads(gpnav(args, "trials", "--db", db, "--study", study, "--format", "json").stdout)


def measurement_count(args, db):
    completed = gpnav(args, "latency", "list", "--db", db, "--device", args.device, "--format", "json", check=False)
    return len(json.loads(completed.stdout)) if completed.returncode == 0 and completed.stdout.strip() else 0


def best_within(trials, max_macs):
    within = [t for t in trials if t["state"] == "complete" and t["macs"] <= max_macs and t["accuracy"] is not None]
    return max(within, key=lambda t: t["accuracy"]) if within else None


def latency_study(args, budget, meter):
    db, study = os.path.join(args.out, "latency.sqlite"), f"latency-{budget:g}ms"
    cap = int(budget / args.ms_per_gmac * 1e9)
    unniced = f"nice -n -{args.nice} " if args.nice else ""
    command = (f"PYTHONPATH={shlex.quote(args.pythonpath)} {unniced}{shlex.quote(args.python)} "
               f"{shlex.quote(os.path.join(_HERE, 'cpu_time_latency.py'))} --config {{config}} --threads 1 "
               f"--max-spread {args.max_spread:g} --min-seconds {args.min_seconds:g}")
    before, load_before, start = measurement_count(args, db), load_average_1m(), time.time()
    search = gpnav(args, "search", "--db", db, "--study", study, "--macs", cap, "--latency", f"{budget:g}ms",
                   "--latency-command", command, "--device-name", args.device, "--trials", args.trials,
                   "--latency-margin", f"{args.latency_margin:g}",
                   "--seed", args.seed, "--max-failures", 50, "--format", "json", check=False)
    try:
        counts = json.loads(search.stdout).get("latency")
    except json.JSONDecodeError:
        counts = None
    wall = time.time() - start
    with open(os.path.join(args.out, f"{study}.txt"), "w", encoding="utf-8") as handle:
        handle.write(search.stdout + "\n--- stderr ---\n" + search.stderr)
    trials = trials_of(args, db, study)
    trained = [t for t in trials if t["state"] == "complete"]
    over = [t for t in trials if t["state"] == "pruned" and "over the" in (t.get("error") or "")]
    failed = [t for t in trials if t["state"] == "failed"]
    print(f"latency {budget:g} ms: search exit {search.returncode}, {len(trained)} trained, {len(over)} measured "
          f"over, {len(failed)} failed, {wall:.0f} s", flush=True)
    remeasured = [meter.measure(factors(t), f"re-measure {study} #{t['number']}") for t in trained]
    best = best_within(trials, cap)
    return {"budget_ms": budget, "study": study, "macs_cap": cap, "exit": search.returncode, "wall_s": round(wall, 1),
            "load_before": load_before, "load_after": load_average_1m(),
            "measurements_made": measurement_count(args, db) - before, "trials": len(trials),
            "search_counts": counts,
            "trained": len(trained), "measured_over_budget": len(over), "failed_measurements": len(failed),
            "failures": [t.get("error") for t in failed],
            "search_latency_ms": {t["number"]: t["metrics"].get("latency_ms") for t in trials if t.get("metrics")},
            "remeasured": [{"trial": t["number"], **m} for t, m in zip(trained, remeasured)],
            "remeasured_within": sum(m["latency_ms"] <= budget for m in remeasured),
            "best": best and {"trial": best["number"], "factors": factors(best), "macs": best["macs"],
                              "accuracy": best["accuracy"],
                              "latency_ms": (best.get("metrics") or {}).get("latency_ms")},
            "latency_margin": args.latency_margin,
            "screened": None if args.skip_match else screened_share(args, db, budget, cap)}


def screened_share(args, db, budget, cap):
    """Of random architectures within `cap`, how many the device's model predicts clearly over `budget`."""
    refused = considered = drawn = 0
    for architecture in sample_architectures(args.screen_draws, args.seed + int(budget * 1000)):
        drawn += 1
        flags = architecture_flags(architecture)
        if json.loads(gpnav(args, "macs", *flags, "--format", "json").stdout)["macs"] > cap:
            continue
        completed = gpnav(args, "latency", "predict", "--db", db, "--device", args.device, *flags, "--format", "json",
                          check=False)
        if completed.returncode != 0:
            return {"error": completed.stderr.strip()[:300]}
        prediction = json.loads(completed.stdout)
        considered += 1
        refused += prediction["predicted_latency_ms"] - 2 * prediction["predicted_spread_ms"] > budget
        if considered == args.screen_sample:
            break
    return {"drawn": drawn, "within_cap": considered, "predicted_clearly_over": refused}


def macs_match(args, budget, start_macs, meter):
    """MACs searches until the best model's measured latency is just within `budget`."""
    db = os.path.join(args.out, "macs.sqlite")
    steps, low, high, macs = [], None, None, start_macs
    for step in range(args.match_steps):
        study = f"macs-for-{budget:g}ms-{step}"
        search = gpnav(args, "search", "--db", db, "--study", study, "--macs", int(macs), "--trials", args.trials,
                       "--seed", args.seed)
        best = best_within(trials_of(args, db, study), int(macs))
        if best is None:
            steps.append({"study": study, "macs_budget": int(macs), "error": "no complete trial within the budget"})
            break
        cached = next((s for s in steps if s.get("factors") == factors(best)), None)
        measured = cached["measurement"] if cached else meter.measure(factors(best), f"match {study}")
        steps.append({"study": study, "macs_budget": int(macs), "best_trial": best["number"], "factors": factors(best),
                      "macs": best["macs"], "accuracy": best["accuracy"], "measurement": measured,
                      "exit": search.returncode})
        latency = measured["latency_ms"]
        if latency <= budget:
            low = macs if low is None else max(low, macs)
        else:
            high = macs if high is None else min(high, macs)
        if low is not None and latency <= budget and latency >= (1 - args.match_tolerance) * budget:
            break
        macs = math.sqrt(low * high) if low is not None and high is not None else macs * budget / latency
    within = [s for s in steps if "measurement" in s and s["measurement"]["latency_ms"] <= budget]
    chosen = max(within, key=lambda s: s["macs_budget"]) if within else None
    # The match admits its best on one reading with no margin; a fresh reading says whether it holds.
    remeasured = chosen and meter.measure(chosen["factors"], f"re-measure {chosen['study']}")
    return {"steps": steps, "chosen": chosen, "chosen_remeasured": remeasured}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", default="5,15,45", help="latency budgets in ms, comma-separated")
    parser.add_argument("--trials", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--device", default="shared-2core-cpu-time-1t")
    parser.add_argument("--max-spread", type=float, default=0.25,
                        help="refuse a measurement whose interquartile range is over this share of its median (default "
                             "0.25: CPU-time medians here repeat within +/-10 %% for 82-94 %% of architectures while "
                             "their range is 10-17 %%; the command's own default, 0.1, failed most small ones)")
    parser.add_argument("--min-seconds", type=float, default=1.0,
                        help="seconds of timed runs per measurement, at least (default 1; 20 runs at least)")
    parser.add_argument("--ms-per-gmac", type=float, default=20.0, help="CAP = budget / this (default 20)")
    parser.add_argument("--screen-sample", type=int, default=40, help="architectures within CAP to screen")
    parser.add_argument("--screen-draws", type=int, default=120, help="random architectures drawn for them, at most")
    parser.add_argument("--match-steps", type=int, default=6)
    parser.add_argument("--match-tolerance", type=float, default=0.05)
    parser.add_argument("--latency-margin", type=float, default=1.0,
                        help="the latency study's admission margin in spreads (gpnav's --latency-margin, default 1)")
    parser.add_argument("--skip-match", action="store_true",
                        help="only the latency studies and their re-measurements (no MACs match, no screening share)")
    parser.add_argument("--nice", type=int, default=0,
                        help="run gpnav niced by this (the latency command inside a search is brought back to the "
                             "driver's priority: needs the right to lower a nice value)")
    parser.add_argument("--gpnav", default=os.environ.get("GPNAV_BIN", ".build/debug/gpnav"))
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--pythonpath", default=os.path.join(_HERE, "..", "..", "python"))
    parser.add_argument("--out", default=os.path.join(_HERE, "..", "out", "latency-search"))
    args = parser.parse_args()
    args.pythonpath, args.gpnav = os.path.abspath(args.pythonpath), os.path.abspath(args.gpnav)
    args.python = os.path.abspath(shutil.which(args.python) or args.python)  # the latency command runs elsewhere
    os.makedirs(args.out, exist_ok=True)
    for name in ("latency.sqlite", "macs.sqlite"):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(os.path.join(args.out, name + suffix)):
                os.remove(os.path.join(args.out, name + suffix))
    import torch

    torch.set_num_threads(1)
    meter, results, start = Meter(args), [], time.time()
    for budget in (float(b) for b in args.budgets.split(",")):
        study = latency_study(args, budget, meter)
        best = study["best"]
        start_macs = best["macs"] * budget / best["latency_ms"] if best and best["latency_ms"] else study["macs_cap"] / 2
        study["macs_match"] = None if args.skip_match else macs_match(args, budget, start_macs, meter)
        results.append(study)
        with open(os.path.join(args.out, "search-bench.json"), "w", encoding="utf-8") as handle:
            json.dump({"args": vars(args), "results": results, "measurements": meter.log,
                       "wall_s": round(time.time() - start, 1)}, handle, indent=1)
    print(f"\nall done in {time.time() - start:.0f} s")
    print("budget  made  over  failed  trained  re-measured within  screened  best lat. (acc, ms)  best MACs-match (M, acc, ms)  its re-measured ms")
    for r in results:
        chosen, best = (r["macs_match"] or {}).get("chosen"), r["best"]
        print(f"{r['budget_ms']:>5g}  {r['measurements_made']:>4}  {r['measured_over_budget']:>4}  "
              f"{r['failed_measurements']:>6}  {r['trained']:>7}  {r['remeasured_within']:>3}/{r['trained']:<3}  "
              f"{r['screened']}  {best and (best['accuracy'], best['latency_ms'])}  "
              f"{chosen and (chosen['macs_budget'], chosen['accuracy'], chosen['measurement']['latency_ms'])}  "
              f"{((r['macs_match'] or {}).get('chosen_remeasured') or {}).get('latency_ms')}")


if __name__ == "__main__":
    main()
