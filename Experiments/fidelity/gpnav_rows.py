"""gpnav's rows of the benchmark: the real `gpnav search` binary on its training SIMULATOR."""
import json
import os
import subprocess
import time

from outcome import TARGET_GAP, Outcome
from simulator_client import Curves


def run_gpnav(binary, simulator, space, seed, epochs, epoch_budget, scratch, prune):
    """One `gpnav search` study; its own report gives the recommendation and the epochs spent when
    it was first complete, the stored trials give what each trained."""
    database = os.path.join(scratch, f"gpnav-{'prune' if prune else 'today'}-{space.budget_macs}-{seed}.sqlite")
    command = [binary, "search", "--macs", str(space.budget_macs), "--seed", str(seed), "--epochs", str(epochs),
               "--epoch-budget", str(epoch_budget), "--format", "json", "--db", database]
    if prune:
        command.append("--prune")
    started = time.monotonic()
    search = subprocess.run(command, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if search.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {search.stderr.strip()[-500:]}")
    report = json.loads(search.stdout)
    if not report["simulated"]:
        raise RuntimeError("gpnav search did not run on the simulator")
    listing = subprocess.run([simulator, "trials", "--db", database, "--study", report["study"]],
                             check=True, capture_output=True, text=True)
    trials = json.loads(listing.stdout)
    _check_same_simulator(simulator, seed, epochs, report["study"], trials)
    by_number = {t["trial"]: t for t in trials}
    best = report.get("best")
    gap = None if best is None else space.optimum_accuracy - by_number[best["trial"]]["noise_free_accuracy"]
    reached = gap is not None and gap <= TARGET_GAP
    return Outcome(
        method="gpnav-prune" if prune else "gpnav-today", budget_macs=space.budget_macs, seed=seed,
        epochs_spent=sum(t["epochs"] for t in trials),
        epochs_to_target=report["epochs_at_best"] if reached else None, final_gap=gap, trainings=len(trials),
        stopped_early=sum(t["state"] == "pruned" for t in trials),
        above_budget_trained=sum(t["macs"] > space.budget_macs and t["epochs"] > 0 for t in trials),
        above_budget_refused=0, seconds=seconds, recommended_trial=None if best is None else best["trial"])


def _check_same_simulator(simulator, seed, epochs, study, trials):
    """Every curve `gpnav search` stored must be, point for point, the one the peers get from
    `fidelity-simulator curves` for the same study, trial and architecture."""
    with Curves(simulator, seed, epochs) as curves:
        for t in trials:
            if t["point"] is None or not t["curve"]:
                continue
            expected = curves.curve(study, t["trial"], t["point"])[:len(t["curve"])]
            if max(abs(a - b) for a, b in zip(expected, t["curve"])) > 1e-9:
                raise RuntimeError(f"trial {t['trial']} of {study}: gpnav's stored curve is not the simulator's")
