/// The epochs a study spends, as a snapshot shows them: the epoch budget's one rule.
extension StudySnapshot {
    /// Whether another full training would pass the epoch budget, counting the epochs the
    /// finished trials trained and a full training for each running one (a running trial may use
    /// all of its share; one that ends early gives the rest back). False without an epoch budget.
    var epochBudgetCovered: Bool {
        guard let budget = settings.epochBudget, let epochs = settings.epochs, epochs > 0 else { return false }
        let finished = EpochAccount(trials: trials.filter { $0.state != .running }, curves: curves, epochs: epochs)
        return finished.total + running.count * epochs + epochs > budget
    }

    /// Whether proposing stops: the target of complete trials or the epoch budget is covered by
    /// what finished and what runs.
    var proposingStops: Bool { targetCovered || epochBudgetCovered }
}
