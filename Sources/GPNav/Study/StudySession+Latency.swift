import Foundation
import MobileViT

/// What screening a claimed trial by its latency decided.
public enum LatencyVerdict: Sendable {
    /// Within the budget: train it. The measurement (measured now or reused from the store).
    case withinBudget(LatencyMeasurement)
    /// Over the budget: the trial was ended as pruned, with its measurement, and is never trained.
    case overBudget(Trial, LatencyMeasurement)
    /// The latency command gave no measurement: the trial was failed with the reason.
    case failed(Trial, reason: String)
}

extension StudySession {
    /// The target this study's latencies are measured on; nil for a study without a latency budget.
    public var latencyTarget: LatencyTarget? {
        study.settings.latency?.target(bits: study.settings.deployedBits)
    }

    /// Screens running trial `trial` by its latency on the study's device before it is trained:
    /// reuses the measurement stored for its architecture on the study's target, or measures it
    /// with `meter` and stores it (for every later study on that target). A fresh reading that only
    /// the margin refuses is read again, up to ``LatencyBudget/maxReadings`` in all, and the readings
    /// are judged and stored as one (``LatencyBudget/judgedMeasurement(reading:)``, the rule a
    /// measure-only worker follows too). Over the budget, the trial ends pruned (over, or within it by less than the admission margin: ``LatencyBudget/admits(_:)``), with `latency_ms` among its metrics and the reason as its error; a failed
    /// measurement (the first reading or a repeat) fails the trial with the reason, and nothing is
    /// stored. Nil for a study without a latency budget.
    /// - Throws: store errors; ``StudyError`` when the trial ended meanwhile.
    public func screenLatency(of trial: Trial, meter: any LatencyMeter) async throws -> LatencyVerdict? {
        guard let budget = study.settings.latency, let target = latencyTarget else { return nil }
        let measurement: LatencyMeasurement
        if let stored = try await store.latencyMeasurements(on: target).last(where: { $0.architecture == trial.architecture }) {
            measurement = stored
        } else {
            do throws(LatencyError) {
                measurement = try await budget.judgedMeasurement { () async throws(LatencyError) in
                    try await meter.measurement(of: trial.architecture, on: target, study: study.name, trialNumber: trial.number)
                }.measurement
            } catch {
                return .failed(try await fail(trial: trial.number, reason: error.description), reason: error.description)
            }
            try await store.saveLatencyMeasurement(measurement)
        }
        guard !budget.admits(measurement) else { return .withinBudget(measurement) }
        let reason = "latency \(LatencyBudget.millisecondsText(measurement.latencyMs)) ms"
            + " + \(LatencyBudget.millisecondsText(budget.admissionSpreads)) x spread \(LatencyBudget.millisecondsText(measurement.spreadMs)) ms"
            + " on \(target.device) is over the \(LatencyBudget.millisecondsText(budget.maxMs)) ms budget; not trained"
        guard let id = trial.id else { throw StudyError.unknownTrial(study: study.name, number: trial.number) }
        try await lifecycle.finish(id: id, outcome: TrialOutcome(state: .pruned, metrics: [Self.latencyMetric: measurement.latencyMs],
                                                                error: reason))
        var ended = trial
        ended.state = .pruned
        ended.metrics = [Self.latencyMetric: measurement.latencyMs]
        ended.error = reason
        return .overBudget(ended, measurement)
    }

    /// The architectures this study's asks (``LatencyMeasuring/beforeClaim``) proposed and wait to
    /// have measured on ``latencyTarget``, oldest first: those the store has no measurement of.
    /// Empty for a study without a latency budget or before such an ask.
    public func wantedMeasurements() async throws -> [Architecture] {
        guard let target = latencyTarget, let wanted = proposer?.wanted.withLock({ $0 }), !wanted.isEmpty else { return [] }
        let measured = Set(try await store.latencyMeasurements(on: target).map(\.architecture))
        return wanted.map(\.architecture).filter { !measured.contains($0) }
    }

    /// Records that a measure-only worker's latency command could not measure `architecture` on
    /// `target`, as `gpnav search --latency-command` records its own failed measurement: when
    /// this study waits for it (``wantedMeasurements()``), a trial of it is stored failed, with
    /// the reason as its error, so that the architecture is taken and never proposed again in this
    /// study (another study on the target proposes and measures it afresh), and it leaves the
    /// wanted list. There is no retry: the study goes on with other proposals. Nil, and nothing
    /// stored, when the study does not wait for it: another target, measured meanwhile, a trial
    /// of it exists, or the wanted list was lost with a restart (the next ask proposes again and
    /// lists what it still wants, so a failure that came too late is measured once more).
    /// - Throws: ``LatencyError/invalidFailureReport(_:)`` for an empty, multi-line or over-long
    ///   reason (``MeasurementFailureReason``); store errors.
    public func failMeasurement(of architecture: Architecture, on target: LatencyTarget,
                                reason: String) async throws -> Trial? {
        try MeasurementFailureReason.validate(reason)
        guard let proposer, target == latencyTarget,
              let proposed = proposer.wanted.withLock({ $0.first { $0.architecture == architecture } }) else { return nil }
        defer { proposer.wanted.withLock { $0.removeAll { $0.architecture == architecture } } }
        guard try await !store.latencyMeasurements(on: target).contains(where: { $0.architecture == architecture }),
              let claimed = try await lifecycle.claim(try proposer.trial(proposed, for: "measure-only worker on \(target.device)"),
                                                      retryingAbandonedUpTo: Trial.abandonedRetries),
              let id = claimed.id else { return nil }
        let error = "latency measurement on device '\(target.device)' failed: \(reason)"
        try await lifecycle.finish(id: id, outcome: TrialOutcome(state: .failed, error: error))
        return try await store.trial(study: study.name, number: claimed.number) ?? claimed
    }

    /// Stores `reading`, a latency command's report of `architecture` measured on `target`, as
    /// `gpnav search --latency-command` stores its own: the reading is checked against the target
    /// (``LatencyReading/measurement(of:on:at:)``) and replaces any earlier one.
    /// - Throws: ``LatencyError`` (an invalid reading or target, another runtime, threads or
    ///   precision than the target's), store errors.
    public static func saveMeasurement(_ reading: LatencyReading, of architecture: Architecture, on target: LatencyTarget,
                                       in store: any TrialStore) async throws -> LatencyMeasurement {
        try target.validate()
        try reading.validate()
        let measurement = try reading.measurement(of: architecture, on: target, at: Date())
        try await store.saveLatencyMeasurement(measurement)
        return measurement
    }

    /// The metric a trial's measured latency is stored under, in milliseconds.
    public static let latencyMetric = "latency_ms"
}
