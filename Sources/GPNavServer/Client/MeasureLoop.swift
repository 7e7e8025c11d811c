import Foundation
import GPNav
import MobileViT

/// What a measure-only worker does and sees, for the command line to print.
public enum MeasureEvent: Sendable {
    /// `architecture` was measured for `study` and the server stored it: the median of `readings`
    /// readings (more than one when the first was within the budget by less than the margin).
    case measured(study: String, architecture: String, latencyMs: Double, readings: Int)
    /// The latency command gave no measurement, and the server was told: the studies that waited
    /// for the architecture stored `failedTrials` failed and never propose it again (none when
    /// none waits for it now).
    case measurementFailed(architecture: String, reason: String, failedTrials: [FailedMeasurementTrial])
    /// The server refused the measurement (another runtime, threads or precision than the study's).
    case measurementRefused(architecture: String, detail: String)
    /// The server could not be reached; the worker tries again after `retryIn` seconds.
    case serverUnreachable(detail: String, retryIn: Double)
    /// No study on the server measures on the device (yet); asking again after `seconds`.
    case unknownDevice(detail: String, seconds: Double)
    /// Nothing is wanted now (or only what the server refused); asking again after `seconds`.
    case waiting(seconds: Double)
}

/// How a measure-only worker's run ended.
public enum MeasureEnd: Sendable, Equatable {
    /// `maxMeasurements` measurements were stored.
    case maxMeasurementsReached
    /// The task was cancelled (SIGTERM, SIGINT).
    case stopped
}

/// The loop of `gpnav worker --measure-only`: a worker on the target device measures the
/// architectures the server's studies on that device wait for, so that the search host need not
/// be the device. It asks for the wanted architectures, runs the latency command on each
/// (``LatencyMeter``, as `gpnav search --latency-command` does), reads again while only the margin
/// of the study's budget refuses it (``LatencyBudget/judgedMeasurement(reading:)``, the search's
/// rule) and sends the readings' combined measurement, which the server checks against the
/// study's target and stores; the studies then train those
/// measured within their budget. A measurement the command cannot take is reported as failed
/// (bounded to ``MeasurementFailureReason/maxLength`` characters) rather than tried again: the
/// studies waiting for it store a failed trial of it and go on with other proposals, as `gpnav
/// search --latency-command` does. An unreachable server is retried with exponential backoff.
public struct MeasureLoop: Sendable {
    public let client: ServiceClient
    /// The device's name, as the studies' latency budgets name it.
    public let device: String
    public let meter: any LatencyMeter
    /// Measurements to store before stopping; nil for no limit.
    public let maxMeasurements: Int?
    /// Seconds between asks while nothing is wanted.
    public let pollSeconds: Double
    /// The first and the longest wait between retries of an unreachable server, seconds.
    public let backoff: ClosedRange<Double>

    public init(client: ServiceClient, device: String, meter: any LatencyMeter, maxMeasurements: Int? = nil,
                pollSeconds: Double = 2.5, backoff: ClosedRange<Double> = 0.25...10) {
        self.client = client
        self.device = device
        self.meter = meter
        self.maxMeasurements = maxMeasurements
        self.pollSeconds = pollSeconds
        self.backoff = backoff
    }

    /// Runs until `maxMeasurements` are stored or the task is cancelled.
    /// - Throws: ``ServiceClientError`` when the server refuses the worker (a wrong token):
    ///   retrying would not help.
    public func run(events: @escaping @Sendable (MeasureEvent) -> Void = { _ in }) async throws(ServiceClientError) -> MeasureEnd {
        var stored = 0
        while maxMeasurements.map({ stored < $0 }) ?? true {
            let wanted: [WantedMeasurement]
            do {
                guard let answer = try await answered(events, { () async throws(ServiceClientError) in
                    try await client.wantedMeasurements(device: device)
                }) else { return .stopped }
                wanted = answer
            } catch .refused(let status, let message) where status == 404 {
                events(.unknownDevice(detail: message, seconds: pollSeconds))
                guard await pause() else { return .stopped }
                continue
            }
            var progressed = false
            for item in wanted {
                if let maxMeasurements, stored >= maxMeasurements { break }
                switch try await measure(item, events) {
                case nil: return .stopped
                case .stored?: stored += 1; progressed = true
                case .reportedFailed(let recorded)?: progressed = progressed || recorded
                case .refused?: break
                }
            }
            // Nothing wanted, or nothing the server took: wait rather than measure it again at once.
            if !progressed {
                events(.waiting(seconds: pollSeconds))
                guard await pause() else { return .stopped }
            }
        }
        return .maxMeasurementsReached
    }

    /// What became of one wanted measurement.
    private enum Outcome {
        /// The server stored the reading.
        case stored
        /// The command failed and the server was told; `recorded`: a study stored it.
        case reportedFailed(recorded: Bool)
        /// The server refused the reading or the report.
        case refused
    }

    /// Measures `item` as `gpnav search --latency` measures its own candidates (read again while
    /// only the margin of the study's budget refuses it: ``LatencyBudget/judgedMeasurement(reading:)``)
    /// and stores the readings' combined measurement, or reports why there is none; nil when cancelled.
    private func measure(_ item: WantedMeasurement,
                         _ events: @escaping @Sendable (MeasureEvent) -> Void) async throws(ServiceClientError) -> Outcome? {
        let cost = CostModel.cost(of: item.architecture)
        // A measurement belongs to no trial: {trial} is 0.
        let request = EvaluationRequest(architecture: item.architecture, macs: cost.macs, params: cost.params,
                                        study: item.study, trialNumber: 0)
        let judged: (measurement: LatencyMeasurement, readings: Int)
        do throws(LatencyError) {
            judged = try await item.budget.judgedMeasurement { () async throws(LatencyError) in
                try await meter.measure(request).measurement(of: item.architecture, on: item.target, at: Date())
            }
        } catch {
            if Task.isCancelled { return nil }
            if case .targetMismatch = error {
                // Another runtime, threads or precision than the study's: the server would refuse it too.
                events(.measurementRefused(architecture: item.architecture.description, detail: error.description))
                return .refused
            }
            return try await reportFailure(of: item, reason: error.description, events)
        }
        do {
            guard try await answered(events, { () async throws(ServiceClientError) in
                try await client.saveMeasurement(LatencyReading(judged.measurement), of: item.architecture, on: item.target)
            }) != nil else { return nil }
        } catch .refused(let status, let message) where status == 400 || status == 422 {
            events(.measurementRefused(architecture: item.architecture.description, detail: message))
            return .refused
        }
        events(.measured(study: item.study, architecture: item.architecture.description,
                         latencyMs: judged.measurement.latencyMs, readings: judged.readings))
        return .stored
    }

    /// Tells the server that `item` could not be measured, for `reason`; nil when cancelled.
    private func reportFailure(of item: WantedMeasurement, reason: String,
                               _ events: @escaping @Sendable (MeasureEvent) -> Void) async throws(ServiceClientError) -> Outcome? {
        let failed: [FailedMeasurementTrial]
        do {
            guard let answer = try await answered(events, { () async throws(ServiceClientError) in
                try await client.reportMeasurementFailure(of: item.architecture, on: item.target, reason: reason)
            }) else { return nil }
            failed = answer
        } catch .refused(let status, let message) where status == 400 || status == 404 || status == 422 {
            events(.measurementRefused(architecture: item.architecture.description, detail: message))
            return .refused
        }
        events(.measurementFailed(architecture: item.architecture.description, reason: reason, failedTrials: failed))
        return .reportedFailed(recorded: !failed.isEmpty)
    }

    private func answered<T>(_ events: @escaping @Sendable (MeasureEvent) -> Void,
                             _ operation: () async throws(ServiceClientError) -> T) async throws(ServiceClientError) -> T? {
        try await untilAnswered(backoff: backoff, unreachable: { detail, wait in
            events(.serverUnreachable(detail: detail, retryIn: wait))
        }, operation)
    }

    /// Waits ``pollSeconds``; false when cancelled meanwhile.
    private func pause() async -> Bool {
        do {
            try await Task.sleep(for: Seconds(clamping: pollSeconds).duration)
            return true
        } catch {
            return false
        }
    }
}
