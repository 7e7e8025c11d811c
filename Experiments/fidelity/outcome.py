"""One search's outcome in the benchmark's terms, the same for every method."""
from dataclasses import dataclass, asdict

TARGET_GAP = 0.1  # points, noise-free at full length


@dataclass
class Ledger:
    """Every training a method ran, in the order they ended, and what it recommends."""

    epochs_spent: int = 0
    trainings: int = 0
    stopped_early: int = 0  # pruned, or (DEHB) evaluated below full length by design
    above_budget_trained: int = 0
    above_budget_refused: int = 0  # suggestions above the budget, never trained
    # (epochs spent when it ended, grid point, observed final accuracy) of each full-length,
    # in-budget training, the candidates for the recommendation.
    complete: list = None

    def __post_init__(self):
        self.complete = self.complete or []

    def trained(self, epochs, point, above_budget, final=None):
        """Records a training of `epochs` epochs; `final` is its full-length result, None if stopped."""
        self.epochs_spent += epochs
        self.trainings += 1
        self.above_budget_trained += int(above_budget)
        if final is None:
            self.stopped_early += 1
        elif not above_budget:
            self.complete.append((self.epochs_spent, tuple(point), final))

    def best_observed(self):
        """The full-length, in-budget training with the best observed accuracy (the earliest on ties)."""
        return max(self.complete, key=lambda c: (c[2], -c[0]), default=None)


@dataclass
class Outcome:
    method: str
    budget_macs: int
    seed: int
    epochs_spent: int
    epochs_to_target: int | None  # None: the recommendation is not within TARGET_GAP
    final_gap: float | None
    trainings: int
    stopped_early: int
    above_budget_trained: int
    above_budget_refused: int
    seconds: float
    recommended_trial: int | None = None  # gpnav rows: the recommended trial's number in its study


    def as_dict(self):
        return asdict(self)


def outcome_from_ledger(method, space, seed, ledger, seconds):
    """Scores the best observed training (the peers' recommendation): its gap, and the epochs spent
    when it first completed (an architecture trained twice counts from its first full training)."""
    best = ledger.best_observed()
    gap = None if best is None else space.gap(best[1])
    first = None if best is None else min(c[0] for c in ledger.complete if c[1] == best[1])
    return Outcome(method, space.budget_macs, seed, ledger.epochs_spent,
                   first if gap is not None and gap <= TARGET_GAP else None, gap, ledger.trainings,
                   ledger.stopped_early, ledger.above_budget_trained, ledger.above_budget_refused, seconds)
