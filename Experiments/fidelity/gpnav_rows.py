"""gpnav's rows of the benchmark: the real `gpnav search` binary on its training SIMULATOR."""
import json
import os
import subprocess
import time

from outcome import TARGET_GAP, Outcome


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
        above_budget_refused=0, seconds=seconds)
