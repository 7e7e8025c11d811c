"""The fidelity benchmark (issue #21) on gpnav's training SIMULATOR: every method, budget and seed
side by side, one JSON line per search in --out, then the table (table.py).

    python bench.py --gpnav BIN --simulator BIN [--budgets 100M,300M,600M] [--seeds 10]
                    [--epochs 27] [--epoch-budget 810] [--methods ...] [--jobs 2] --out FILE

--first-seed S runs seeds S..S+N-1 instead of 0..N-1: a change is tried on seeds the written
rows (0..9) never saw, so that nothing is tuned on the held-out measure.
"""
import argparse
import contextlib
import json
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor

from gpnav_rows import run_gpnav
from simulator_client import Curves, load_space

GPNAV_METHODS = ("gpnav-today", "gpnav-prune")
# The peers' names without importing them: optuna and dehb are needed only for their own rows.
OPTUNA_METHODS = ("tpe-median", "tpe-hyperband", "gp-median", "gp-hyperband")
ALL_METHODS = GPNAV_METHODS + OPTUNA_METHODS + ("dehb",)


def count(text):
    units = {"K": 10**3, "M": 10**6, "G": 10**9}
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def run_one(args, method, budget, seed, scratch):
    space = load_space(args.simulator, budget)
    if method in GPNAV_METHODS:
        return run_gpnav(args.gpnav, args.simulator, space, seed, args.epochs, args.epoch_budget, scratch,
                         prune=method == "gpnav-prune")
    from peers import run_dehb, run_optuna

    with Curves(args.simulator, seed, args.epochs) as curves:
        if method == "dehb":
            return run_dehb(space, curves, seed, args.epoch_budget, os.path.join(scratch, f"dehb-{budget}-{seed}"))
        return run_optuna(method, space, curves, seed, args.epoch_budget)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpnav", required=True)
    parser.add_argument("--simulator", required=True)
    parser.add_argument("--budgets", default="100M,300M,600M")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=27)
    parser.add_argument("--epoch-budget", type=int, default=810)
    parser.add_argument("--methods", default=",".join(ALL_METHODS))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", required=True)
    parser.add_argument("--keep-studies", metavar="DIR",
                        help="keep gpnav's study databases in DIR (for floor.py) instead of a temporary folder")
    args = parser.parse_args()
    methods = args.methods.split(",")
    unknown = [m for m in methods if m not in ALL_METHODS]
    if unknown:
        parser.error(f"unknown method {unknown[0]} (known: {', '.join(ALL_METHODS)})")
    budgets = [count(b) for b in args.budgets.split(",")]
    jobs = [(m, b, s) for b in budgets for s in range(args.first_seed, args.first_seed + args.seeds) for m in methods]
    if args.keep_studies:
        os.makedirs(args.keep_studies, exist_ok=True)
    with (contextlib.nullcontext(args.keep_studies) if args.keep_studies
          else tempfile.TemporaryDirectory(prefix="gpnav-fidelity-")) as scratch, \
            ProcessPoolExecutor(max_workers=args.jobs) as pool, open(args.out, "w") as out:
        futures = [(job, pool.submit(run_one, args, *job, scratch)) for job in jobs]
        for (method, budget, seed), future in futures:
            try:
                row = future.result().as_dict()
            except Exception as error:  # one broken method must not hide the others' rows
                row = {"method": method, "budget_macs": budget, "seed": seed, "error": str(error)[-300:]}
                print(f"{method} {budget} seed {seed}: {row['error']}", file=sys.stderr)
            out.write(json.dumps(row) + "\n")
            out.flush()


if __name__ == "__main__":
    main()
