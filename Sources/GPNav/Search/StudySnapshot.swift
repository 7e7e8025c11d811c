import MobileViT

/// A study as a ``Proposer`` sees it: a read-only value the study makes from one read of its
/// trials, so that proposing never touches the store.
///
/// It is meant to grow: what later proposers and decisions need (learning curves, latency
/// measurements) joins it as fields, without changing the ``Proposer`` protocol.
struct StudySnapshot: Sendable {
    /// The study's name (for messages).
    var name: String
    /// The space proposals are drawn from.
    var space: SearchSpace
    /// The hard constraints every proposal within budget meets.
    var budget: Budget
    /// Seed of the study's random choices.
    var seed: UInt64
    /// Complete trials the study aims at.
    var targetTrials: Int
    /// The study's settings that proposing reads.
    var settings: ProposerSettings
    /// Every trial of the study, running claims included, without metrics and output.
    var trials: [Trial]
    /// The trials' learning curves by trial id (read only for a study with a training length).
    var curves: [Int64: [EpochReport]] = [:]
    /// The final accuracy the pruning decision predicted for each pruned trial, by trial id.
    var prunedFinals: [Int64: PredictedFinal] = [:]
    /// The pruned trials whose stop was final (``PruningVerdict/resumableMetric`` 0: their trainer
    /// could not resume), by trial id: never among ``paused``.
    var finallyPruned: Set<Int64> = []
    /// The study's latency budget and its device's measurements; nil for a study without one.
    var latency: LatencyScreen? = nil
    /// Whether the asker can continue a paused training from where it stopped
    /// (``Evaluator/canResume``): then ``paused`` trials may be proposed for continuing.
    var resumable = false

    /// The complete trials with an accuracy.
    var complete: [Trial] { StudyModel.observed(trials) }

    /// What the proposals' model learns from: the trials, each pruned one with a predicted final
    /// standing as a result of that value (never its partial curve as if it were final), so that
    /// the model steers away from what was pruned. Recommendations stay among ``complete``.
    var modelTrials: [Trial] {
        guard !prunedFinals.isEmpty else { return trials }
        return trials.map { trial in
            guard trial.state == .pruned, let id = trial.id, let final = prunedFinals[id] else { return trial }
            var standing = trial
            standing.state = .complete
            standing.accuracy = final.mean
            return standing
        }
    }

    /// How uncertain each pruned trial's standing in ``modelTrials`` is, by trial id: the
    /// predicted variance of its final (points^2), which the proposals' model adds to that
    /// point's noise, so that a trial stopped after 3 epochs counts for what its curve showed and
    /// no more. (The prediction's variance includes one training's noise, which the model's own
    /// noise counts again: an overstatement by about the noise floor, on the cautious side.)
    var modelNoise: [Int64: Double] {
        prunedFinals.compactMapValues { final in final.std.map { $0 * $0 } }
    }

    /// The trials being evaluated now (claimed and not ended).
    var running: [Trial] { trials.filter { $0.state == .running } }

    /// The trainings the asker may continue (freeze-thaw): pruned trials within budget that
    /// trained some but not all of the study's epochs, each with the epochs it trained, except
    /// those a trainer that cannot resume stopped for good (``finallyPruned``); none unless the
    /// asker is ``resumable``. Their architectures stay ``taken``: a paused
    /// architecture is continued, never proposed as a new trial.
    var paused: [(trial: Trial, epochs: Int)] {
        guard resumable, let full = settings.epochs else { return [] }
        return trials.compactMap { trial in
            guard trial.state == .pruned, budget.admits(macs: trial.macs, params: trial.params), let id = trial.id,
                  !finallyPruned.contains(id), let last = curves[id]?.last?.epoch, last < full else { return nil }
            return (trial, last)
        }
    }

    /// The trials that count toward the target: the complete ones and those pruned after training
    /// (a stored report), as Optuna counts pruned trials toward `n_trials`, so that a study with
    /// pruning ends after as many trials as one without. A trial stored as pruned before any
    /// training (over a latency budget) does not count.
    var countedTowardTarget: Int {
        complete.count + trials.filter { trial in
            trial.state == .pruned && !(trial.id.flatMap { curves[$0] } ?? []).isEmpty
        }.count
    }

    /// Whether the counted and running trials together reach the target.
    var targetCovered: Bool { countedTowardTarget + running.count >= targetTrials }

    /// Whether the counted trials alone reach the target.
    var targetReached: Bool { countedTowardTarget >= targetTrials }

    /// Architectures that may not be proposed: those of every trial, except trials given up as
    /// abandoned while the architecture has no other trial and at most ``Trial/abandonedRetries``
    /// abandoned ones; and those measured over the latency budget on the study's device (by any study).
    var taken: Set<Architecture> {
        var abandoned: [Architecture: Int] = [:]
        var other = Set<Architecture>()
        for trial in trials {
            if trial.isAbandoned { abandoned[trial.architecture, default: 0] += 1 } else { other.insert(trial.architecture) }
        }
        return other.union(abandoned.filter { $0.value > Trial.abandonedRetries }.keys)
            .union(latency?.refused ?? [])
    }

    /// Whether the latency screen lets `architecture` be proposed (``LatencyScreen/admits(_:)``);
    /// true for a study without a latency budget.
    func latencyAdmits(_ architecture: Architecture) -> Bool {
        latency?.admits(architecture) ?? true
    }

    /// The log probability that `candidate` is admitted by the latency budget once measured
    /// (``LatencyScreen/logAdmissionProbability(of:macs:)``); 0 for a study without a latency budget.
    func latencyLogAdmission(_ candidate: Candidate) -> Double {
        latency?.logAdmissionProbability(of: candidate.architecture, macs: candidate.cost.macs) ?? 0
    }
}

/// The settings of a study that proposing reads, as the study stored them.
struct ProposerSettings: Sendable, Hashable {
    /// s in the downsizing formula.
    var stepFactor: Double
    /// Whether the GP sees the joint factors resolution x depth and resolution x width.
    var jointFactors: Bool
    /// The downsizing chain's first model; nil for ``DownsizingEngine/defaultStart()``.
    var start: Architecture?
    /// The full training length in epochs; nil when the study sets none.
    var epochs: Int? = nil
    /// The epochs the study may spend in all; nil without such a limit.
    var epochBudget: Int? = nil
}

/// The final accuracy the pruning decision predicted for a pruned trial (%), and its standard
/// deviation (points) where the trial keeps one (trials pruned by an older gpnav do not).
struct PredictedFinal: Sendable, Hashable {
    var mean: Double
    var std: Double?
}
