import Foundation
import GaussianProcess
import MobileViT
import Synchronization

/// What a proposer knows of a study's latency budget: the budget, the latencies measured on its
/// target (by any study on the same device, runtime, threads and bits, never another's), and the
/// latency model fitted to them (``LatencyModel``) once there are enough.
///
/// A candidate is refused when its measurement is not admitted (over the budget, or within it by
/// less than the admission margin: ``LatencyBudget/admits(_:)``), or when it was not measured and
/// the model predicts it over the budget by more than two of its spreads: such a candidate is
/// never proposed, so it is neither measured nor trained and leaves no trial behind. Any other
/// candidate may be proposed, and is measured before it is trained (the study session's part).
/// Screening reads measurements only; measuring and storing them is the study session's.
struct LatencyScreen: Sendable {
    var budget: LatencyBudget
    var target: LatencyTarget
    /// The measurement of each measured architecture (the newest).
    var measured: [Architecture: LatencyMeasurement] = [:]
    /// The model of the study's family on the target; nil while too few are measured (or the fit failed).
    var model: LatencyModel?
    /// The median of the measurements' spreads over their medians (0 before any): what the
    /// admission margin will add to an architecture not yet measured, in its prediction's terms.
    private(set) var relativeSpread = 0.0
    /// Latency as a power of MACs fitted to the measurements, with its learned spread: the
    /// estimate before the model has enough measurements; nil before any.
    private(set) var fallback: PowerLawLatencyEstimate?
    /// The measurements the model was fitted to (count and newest time), so that it is refitted
    /// only when they change.
    private var fittedTo: (count: Int, newest: Date)?
    /// What the screen refused by prediction, for the search's report (shared by the copies of
    /// the screen a study's snapshots make).
    let tally = LatencyScreenTally()
    /// The model's terms of each architecture screened so far: a term walks the whole network, and
    /// a proposal screens thousands of candidates, most of them again at the next proposal.
    private let terms = TermCache()

    init(budget: LatencyBudget, target: LatencyTarget) {
        self.budget = budget
        self.target = target
    }

    /// Keeps `measurements` of the screen's target (any other is ignored) and refits the latency
    /// model of `family` to them when they changed.
    mutating func read(_ measurements: [LatencyMeasurement], family: any ArchitectureFamily) {
        measured = [:]
        let own = measurements.filter { $0.target == target }
        for measurement in own { measured[measurement.architecture] = measurement }
        let newest = own.map(\.measuredAt).max() ?? .distantPast
        if let fittedTo, fittedTo.count == own.count, fittedTo.newest == newest { return }
        fittedTo = (own.count, newest)
        let ratios = own.map { $0.spreadMs / $0.latencyMs }.sorted()
        relativeSpread = ratios.isEmpty ? 0 : ratios[ratios.count / 2]
        let points = own.map { PowerLawLatencyEstimate.Point(macs: Double(CostModel.cost(of: $0.architecture).macs),
                                                              latencyMs: $0.latencyMs) }
        fallback = PowerLawLatencyEstimate(points: points, readingRelativeSpread: relativeSpread)
        model = try? LatencyModel(family: family, target: target, measurements: own)
    }

    /// The architectures whose measurement the budget does not admit: never proposed.
    var refused: Set<Architecture> {
        Set(measured.filter { !budget.admits($0.value) }.keys)
    }

    /// Whether `architecture`'s measurement is admitted (``LatencyBudget/admits(_:)``): what a study that is measured by
    /// measure-only workers (``LatencyMeasuring/beforeClaim``) requires before it trains one.
    func measuredWithinBudget(_ architecture: Architecture) -> Bool {
        measured[architecture].map { budget.admits($0) } ?? false
    }

    /// Whether `architecture` may be proposed: its measurement admitted, or, when not measured,
    /// not predicted clearly over the budget.
    func admits(_ architecture: Architecture) -> Bool {
        if let measurement = measured[architecture] { return budget.admits(measurement) }
        guard let model, let values = terms.values(of: architecture, features: model.features) else { return true }
        let admitted = !model.prediction(values: values).isClearlyOver(admissionLimitMs)
        tally.screened(architecture, refused: !admitted)
        return admitted
    }

    /// The latency `architecture` (of `macs` MACs) is expected to have on the target: its
    /// measurement (spread 0: it is known); else the model's prediction; else, before the model
    /// has enough measurements, the measurements' power of MACs with its learned spread
    /// (``PowerLawLatencyEstimate``). Nil before any measurement.
    func estimate(of architecture: Architecture, macs: Int) -> LatencyPrediction? {
        if let measurement = measured[architecture] { return LatencyPrediction(latencyMs: measurement.latencyMs, spreadMs: 0) }
        if let model, let values = terms.values(of: architecture, features: model.features) {
            return model.prediction(values: values)
        }
        return fallback?.prediction(macs: macs)
    }

    /// log P(admitted): the log probability that `architecture` (of `macs` MACs) is admitted once
    /// measured, the feasibility term of constrained expected improvement (Gardner et al. 2014;
    /// Schonlau et al. 1998): for a measured one 0 or -inf, for an unmeasured one
    /// log Phi((limit - mu) / sigma) under ``estimate(of:macs:)``, with the limit
    /// ``admissionLimitMs``; 0 (no weight) before any measurement.
    func logAdmissionProbability(of architecture: Architecture, macs: Int) -> Double {
        if let measurement = measured[architecture] { return budget.admits(measurement) ? 0 : -.infinity }
        guard let estimate = estimate(of: architecture, macs: macs) else { return 0 }
        guard estimate.spreadMs > 0 else { return estimate.latencyMs <= admissionLimitMs ? 0 : -.infinity }
        return Acquisition.logCumulative((admissionLimitMs - estimate.latencyMs) / estimate.spreadMs)
    }

    /// The most a median latency predicted for an unmeasured architecture may be and still be
    /// admitted once measured with a typical spread: a median m is admitted when
    /// m + k x (relativeSpread x m) <= budget (``LatencyBudget/admits(latencyMs:spreadMs:)``).
    var admissionLimitMs: Double {
        budget.maxMs / (1 + budget.admissionSpreads * relativeSpread)
    }
}

/// The architectures a study's ``LatencyScreen`` judged by the model's prediction (never measured
/// ones), and those it refused as clearly over the budget: distinct architectures, over the
/// proposer's lifetime (one search run, or one served study's proposer).
final class LatencyScreenTally: Sendable {
    private let seen = Mutex<(screened: Set<Architecture>, refused: Set<Architecture>)>(([], []))

    func screened(_ architecture: Architecture, refused: Bool) {
        seen.withLock { seen in
            seen.screened.insert(architecture)
            if refused { seen.refused.insert(architecture) }
        }
    }

    /// How many were screened by prediction, and how many of them refused.
    var counts: (screened: Int, refused: Int) { seen.withLock { ($0.screened.count, $0.refused.count) } }
}

/// Architectures' latency terms, computed once each (per family's terms).
private final class TermCache: Sendable {
    private let values = Mutex<[Architecture: [Double]]>([:])

    func values(of architecture: Architecture, features: LatencyFeatures) -> [Double]? {
        if let known = values.withLock({ $0[architecture] }) { return known }
        guard let computed = features.values(of: architecture) else { return nil }
        values.withLock { $0[architecture] = computed }
        return computed
    }
}
