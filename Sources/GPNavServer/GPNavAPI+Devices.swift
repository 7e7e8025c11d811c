import Foundation
import GPNav
import MobileViT

/// The operations on a device's latency measurements: what the studies measured on it wait for,
/// a measurement taken on it, and a measurement its latency command could not take (`gpnav worker
/// --measure-only`).
extension GPNavAPI {
    func wantedMeasurements(_ input: Operations.WantedMeasurements.Input) async throws -> Operations.WantedMeasurements.Output {
        let device = input.path.name
        var wanted: [Components.Schemas.WantedMeasurement] = []
        var listed = Set<WantedKey>()
        for study in try await studies(measuredOn: device) {
            // Only a study served since the server started has asks that wait: a closed one's next ask lists its own.
            guard let session = await sessions.openSessions[study.name], let target = session.latencyTarget,
                  let budget = session.study.settings.latency else { continue }
            // Listed once per target: the first study's budget is the one the worker's repeated readings are judged by.
            for architecture in try await session.wantedMeasurements()
            where listed.insert(WantedKey(target: target, architecture: architecture)).inserted {
                let cost = CostModel.cost(of: architecture)
                wanted.append(.init(study: study.name, maxMs: budget.maxMs, admissionSpreads: budget.admissionSpreads,
                                    architecture: architecture, runtime: target.runtime, threads: target.threads,
                                    bits: target.bits, macs: cost.macs, params: cost.params))
            }
        }
        return .ok(.init(body: .json(.init(wanted: wanted))))
    }

    func saveMeasurement(_ input: Operations.SaveMeasurement.Input) async throws -> Operations.SaveMeasurement.Output {
        let device = input.path.name
        let body = switch input.body { case .json(let body): body }
        _ = try await studies(measuredOn: device)
        let reading = LatencyReading(latencyMs: body.reading.latencyMs, spreadMs: body.reading.latencySpreadMs,
                                     cpuMs: body.reading.cpuMs, runtime: body.reading.runtime, threads: body.reading.threads,
                                     precision: body.reading.precision, hardware: body.reading.device,
                                     loadAverage: body.reading.loadAverage1m)
        let target = LatencyTarget(device: device, runtime: body.runtime, threads: body.threads, bits: body.bits)
        let measurement = try await StudySession.saveMeasurement(reading, of: body.architecture, on: target, in: store)
        logger.info("latency measured", metadata: [
            "event": "latency_measured", "device": "\(device)", "architecture": "\(body.architecture)",
            "latency_ms": "\(measurement.latencyMs)",
        ])
        return .noContent(.init())
    }

    func reportMeasurementFailure(_ input: Operations.ReportMeasurementFailure.Input) async throws
        -> Operations.ReportMeasurementFailure.Output {
        let device = input.path.name
        let body = switch input.body { case .json(let body): body }
        let target = LatencyTarget(device: device, runtime: body.runtime, threads: body.threads, bits: body.bits)
        try target.validate()
        try MeasurementFailureReason.validate(body.error)
        var failed: [(study: String, trial: Int)] = []
        for study in try await studies(measuredOn: device) {
            // Only a served study's asks wait (as for the wanted list); a study with another target never does.
            guard let session = await sessions.openSessions[study.name],
                  let trial = try await session.failMeasurement(of: body.architecture, on: target, reason: body.error) else {
                continue
            }
            failed.append((study.name, trial.number))
            logger.info("latency measurement failed", metadata: [
                "event": "latency_measurement_failed", "device": "\(device)", "study": "\(study.name)",
                "trial": "\(trial.number)", "architecture": "\(body.architecture)",
            ])
        }
        return .ok(.init(body: .json(.init(failedTrials: failed.map { .init(study: $0.study, trial: $0.trial) }))))
    }

    /// The studies with a latency budget on `device`.
    /// - Throws: ``LatencyError/unknownDevice(_:)`` when there is none (404).
    private func studies(measuredOn device: String) async throws -> [Study] {
        let studies = try await store.studies().filter { $0.settings.latency?.device == device }
        guard !studies.isEmpty else { throw LatencyError.unknownDevice(device) }
        return studies
    }

    /// A wanted architecture on a target, listed once however many studies wait for it.
    private struct WantedKey: Hashable {
        var target: LatencyTarget
        var architecture: Architecture
    }
}
