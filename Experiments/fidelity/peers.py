"""Optuna (TPE, GPSampler) x (MedianPruner, HyperbandPruner) and DEHB on gpnav's training SIMULATOR.

Each method searches gpnav's default grid (one integer index per factor, so the same discrete
space) under the same MACs budget and epoch budget, with curves from `fidelity-simulator`.
A suggestion above the MACs budget is never trained: it costs no epoch, is counted as refused, and
is told to the method as chance accuracy (0.1 %) with the MACs constraint violated
(`Trial.set_constraint`, which TPE and GPSampler use), as a user would reject it before training.
"""
import time

import optuna

from outcome import Ledger, outcome_from_ledger
from simulator_client import CHANCE_ACCURACY

def _sampler(name, seed):
    if name.startswith("tpe"):
        return optuna.samplers.TPESampler(seed=seed)
    return optuna.samplers.GPSampler(seed=seed)


def _pruner(name, epochs):
    if name.endswith("median"):
        return optuna.pruners.MedianPruner()
    return optuna.pruners.HyperbandPruner(min_resource=1, max_resource=epochs, reduction_factor=3)


def _constraint(space, point):
    return space.macs[space.index(point)] / space.budget_macs - 1


def run_optuna(method, space, curves, seed, epoch_budget):
    """One Optuna study, ask and tell, until no full training fits in `epoch_budget`."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    started = time.monotonic()
    # A fixed name: HyperbandPruner picks each trial's bracket from a hash of the study's name.
    study = optuna.create_study(study_name=f"{method}-{space.budget_macs}-{seed}", direction="maximize",
                                sampler=_sampler(method, seed),
                                pruner=_pruner(method, curves.epochs))
    ledger = Ledger()
    while ledger.epochs_spent + curves.epochs <= epoch_budget:
        trial = study.ask()
        point = [trial.suggest_int(name, 0, len(grid) - 1) for name, grid in zip(space.factors, space.grids)]
        trial.set_constraint("macs", _constraint(space, point))
        if not space.admits(point):
            ledger.above_budget_refused += 1
            study.tell(trial, CHANCE_ACCURACY)
            # A search that only proposes what it may not train would never end.
            if ledger.above_budget_refused > 100 * epoch_budget:
                break
            continue
        curve = curves.curve(method, trial.number, point)
        stopped_at = None
        for epoch, accuracy in enumerate(curve, start=1):
            trial.report(accuracy, epoch)
            if epoch < len(curve) and trial.should_prune():
                stopped_at = epoch
                break
        if stopped_at is None:
            ledger.trained(len(curve), point, above_budget=False, final=curve[-1])
            study.tell(trial, curve[-1])
        else:
            ledger.trained(stopped_at, point, above_budget=False)
            study.tell(trial, state=optuna.trial.TrialState.PRUNED)
    return outcome_from_ledger(method, space, seed, ledger, time.monotonic() - started)


def run_dehb(space, curves, seed, epoch_budget, scratch):
    """DEHB (Awad et al., 2021) over the same integer grid, fidelity = epochs 1..E with eta 3.

    A DEHB evaluation at fidelity b trains from scratch for b epochs (DEHB does not resume) and
    scores the b-th point of the full-length curve, so each evaluation costs b epochs; only
    evaluations at the full length are candidates for the recommendation.
    """
    import ConfigSpace
    from dehb import DEHB

    started = time.monotonic()
    configspace = ConfigSpace.ConfigurationSpace(seed=seed)
    for name, grid in zip(space.factors, space.grids):
        configspace.add(ConfigSpace.UniformIntegerHyperparameter(name, 0, len(grid) - 1))
    optimizer = DEHB(cs=configspace, dimensions=len(space.factors), min_fidelity=1, max_fidelity=curves.epochs,
                     eta=3, n_workers=1, seed=seed, output_path=scratch, log_level="ERROR")
    ledger = Ledger()
    trial_number = 0
    while ledger.epochs_spent + curves.epochs <= epoch_budget:
        job = optimizer.ask()
        config = job["config"]
        point = [int(config[name]) for name in space.factors]
        fidelity = int(round(job["fidelity"]))
        if not space.admits(point):
            ledger.above_budget_refused += 1
            optimizer.tell(job, {"fitness": -CHANCE_ACCURACY, "cost": 0})
            if ledger.above_budget_refused > 100 * epoch_budget:
                break
            continue
        curve = curves.curve("dehb", trial_number, point)
        trial_number += 1
        accuracy = curve[fidelity - 1]
        ledger.trained(fidelity, point, above_budget=False, final=accuracy if fidelity == len(curve) else None)
        optimizer.tell(job, {"fitness": -accuracy, "cost": fidelity})
    return outcome_from_ledger("dehb", space, seed, ledger, time.monotonic() - started)
