import Foundation

/// Early stopping: when an intermediate report of a study with ``StudySettings/prune`` on reaches
/// a rung (``PruningDecision/rungs``), the study judges the running trial with ``PruningDecision``
/// and, when its curve shows it will not beat the best complete result within budget, stores it
/// as pruned there and then, so that whoever runs it (the local search, a remote worker) only
/// has to stop the training.
extension StudySession {
    /// The study's answer to the report of running trial `trial` just stored: ``TrainingDirective/prune``
    /// after storing the trial as pruned (its curve and the epochs it used stay with it), or
    /// ``TrainingDirective/proceed``. A trial pruned already is told to stop again; a study without
    /// pruning, without a training length or without a best complete trial within budget always proceeds.
    /// With `resumable` (the caller's training can be continued later), every rung the training
    /// reaches with a model is a pause (``PruningDecision/resumable``), and the next ask decides
    /// whether it goes on.
    func pruningDirective(for trial: Trial, resumable: Bool = false) async throws -> TrainingDirective {
        if trial.state == .pruned { return .prune }
        guard study.settings.prune, let epochs, trial.state == .running, let id = trial.id else { return .proceed }
        let curves = try await store.learningCurves(study: study.name)
        // Judged at rungs only: between them no trial is read and no model is fitted.
        guard try PruningDecision(fullEpochs: epochs).reachesRung((curves[id] ?? []).map(\.epoch)) else { return .proceed }
        let trials = try await store.trials(TrialQuery(study: study.name, details: false))
        guard let best = StudySession.bestObserved(trials, budget: study.budget)?.accuracy else { return .proceed }
        let decision = try StudySession.pruningDecision(epochs: epochs, trials: trials, resumable: resumable)
        let encoding = FactorEncoding(space: study.space)
        let judged = trials.compactMap { other in
            Self.pruningCurve(other, curve: other.id.flatMap { curves[$0] } ?? [], epochs: epochs, encoding: encoding)
        }
        let verdict: PruningVerdict
        do {
            verdict = try decision.verdict(for: trial.number, curves: judged, best: best)
        } catch {
            // Curves the decision cannot read (another family's trial, say) never stop a training.
            return .proceed
        }
        guard verdict.shouldStop, let mean = verdict.predictedFinal, let std = verdict.predictedStd,
              let optimistic = verdict.optimisticFinal else { return .proceed }
        let last = curves[id]?.last?.epoch ?? 0
        let reason = verdict.reason == .paused
            ? String(format: "paused after epoch %d of %d: predicted final %.2f +/- %.2f against the best %.2f, "
                     + "to be weighed against new candidates", last, epochs, mean, std, best)
            : String(format: "pruned after epoch %d of %d: predicted final %.2f +/- %.2f, at best %.2f, below the best %.2f",
                     last, epochs, mean, std, optimistic, best)
        do {
            try await lifecycle.finish(id: id, outcome: TrialOutcome(
                state: .pruned, metrics: [PruningVerdict.predictedFinalMetric: mean, PruningVerdict.predictedStdMetric: std,
                                          PruningVerdict.resumableMetric: resumable ? 1 : 0], error: reason))
        } catch StoreError.trialNotRunning {
            // Ended meanwhile (a result, a reaper): pruned only if someone pruned it.
            return try await store.trial(study: study.name, number: trial.number)?.state == .pruned ? .prune : .proceed
        }
        return .prune
    }

    /// Trial `number` when the study pruned it; nil otherwise.
    public func prunedTrial(_ number: Int) async throws -> Trial? {
        guard study.settings.prune, let trial = try await store.trial(study: study.name, number: number),
              trial.state == .pruned else { return nil }
        return trial
    }

    /// The study's pruning rule for a training length of `epochs`: ``PruningDecision`` with the
    /// noise floor of the study's repeated trainings (the stated prior without any).
    static func pruningDecision(epochs: Int, trials: [Trial], resumable: Bool = false) throws -> PruningDecision {
        try PruningDecision(fullEpochs: epochs, noiseFloor: TrainingNoise(trials: trials).floorVariance, resumable: resumable)
    }

    /// `trial`'s learning curve as the decision reads it; nil for a trial that is neither running,
    /// complete nor pruned, or has no point. A complete trial's result is its last point at the full
    /// length when its curve stops short of it (a command that printed no curve).
    static func pruningCurve(_ trial: Trial, curve: [EpochReport], epochs: Int, encoding: FactorEncoding) -> PruningCurve? {
        let status: PruningCurve.Status
        switch trial.state {
        case .running: status = .running
        case .complete: status = .complete
        case .pruned: status = .pruned
        case .failed, .abandoned: return nil
        }
        var reports = curve.filter { $0.epoch <= epochs }.map { PruningCurve.Report(epoch: $0.epoch, accuracy: $0.accuracy) }
        if status == .complete, let accuracy = trial.accuracy, reports.last?.epoch != epochs {
            reports.append(PruningCurve.Report(epoch: epochs, accuracy: accuracy))
        }
        guard !reports.isEmpty || status == .running else { return nil }
        return PruningCurve(trial: trial.number, factors: encoding.encode(trial.architecture), reports: reports, status: status)
    }
}
