import Foundation
import MobileViT
import Synchronization
import Testing
@testable import GPNav

/// A latency meter whose latency is 0.3 ms plus 10 ms per G MACs (a non-negative combination of
/// the latency model's terms), recording what it was asked to measure.
final class MACsLatencyMeter: LatencyMeter {
    let measured = Mutex<[Architecture]>([])
    var summary: String { "fake latency meter, linear in MACs" }
    static func latency(of architecture: Architecture) -> Double { 0.3 + 1e-8 * Double(CostModel.cost(of: architecture).macs) }
    func measure(_ request: EvaluationRequest) async throws(LatencyError) -> LatencyReading {
        measured.withLock { $0.append(request.architecture) }
        return LatencyReading(latencyMs: Self.latency(of: request.architecture), spreadMs: 0.01, runtime: "onnxruntime",
                              threads: 1, precision: "float32")
    }
}

@Suite("Latency screening by the latency model")
struct LatencyModelScreeningTests {
    static let budgetMs = 2.0
    static let target = LatencyTarget(device: "edge", runtime: "onnxruntime", threads: 1)

    func search(_ name: String, store: any TrialStore, meter: MACsLatencyMeter) async throws -> SearchReport {
        var settings = StudySettings(budget: Budget(macs: 300_000_000), targetTrials: 8, seed: 5)
        settings.latency = LatencyBudget(maxMs: Self.budgetMs, device: "edge")
        var search = ArchitectureSearch(store: store, evaluator: RecordingEvaluator(),
                                        configuration: SearchConfiguration(studyName: name, settings: settings))
        search.latencyMeter = meter
        return try await search.run()
    }

    /// Measurements of 30 architectures on `target` from 0.5 to 3.8 ms, by `meter`'s rule.
    func measuredBefore(into store: any TrialStore, on target: LatencyTarget) async throws {
        for index in 0..<30 {
            let architecture = try Architecture(family: MobileViTv2Family(), resolution: 96 + 16 * (index % 6),
                                                width: 0.25 + 0.0625 * Double(index / 6))
            try await store.saveLatencyMeasurement(LatencyMeasurement(
                target: target, architecture: architecture, latencyMs: MACsLatencyMeter.latency(of: architecture),
                spreadMs: 0.01, measuredAt: Date(timeIntervalSince1970: Double(index))))
        }
    }

    @Test func withAModelFittedOnTheDeviceNoArchitecturePredictedOverTheBudgetIsMeasuredOrTrained() async throws {
        let scratch = try ScratchDirectory()
        let store = try SQLiteTrialStore(path: scratch.path("s.sqlite"), access: .readWrite(createIfMissing: true))
        try await measuredBefore(into: store, on: Self.target)
        let meter = MACsLatencyMeter()
        let report = try await search("a", store: store, meter: meter)
        let measured = meter.measured.withLock { $0 }
        #expect(!measured.isEmpty)
        // The model is exact here (spread about 0), so whatever it let through is within the budget.
        #expect(measured.allSatisfy { MACsLatencyMeter.latency(of: $0) <= Self.budgetMs })
        #expect(report.trials.filter { $0.state == .pruned }.isEmpty, "nothing was measured over the budget")
        #expect(report.trials.filter { $0.state == .complete }.count == 8)
        #expect(report.trials.allSatisfy { MACsLatencyMeter.latency(of: $0.architecture) <= Self.budgetMs })
    }

    @Test func anotherDevicesMeasurementsScreenNothing() async throws {
        let scratch = try ScratchDirectory()
        let store = try SQLiteTrialStore(path: scratch.path("s.sqlite"), access: .readWrite(createIfMissing: true))
        var phone = Self.target
        phone.device = "phone"
        try await measuredBefore(into: store, on: phone)
        let meter = MACsLatencyMeter()
        let report = try await search("a", store: store, meter: meter)
        // Without a model of its own device the study measures before screening, and the chain
        // starts above 2 ms, so something is measured over the budget and stored pruned.
        let pruned = report.trials.filter { $0.state == .pruned }
        #expect(!pruned.isEmpty)
        #expect(pruned.allSatisfy { $0.error?.hasPrefix("latency ") == true })
    }
}
