import Foundation
import MobileViT
import Synchronization
import Testing
@testable import GPNav

/// A latency meter whose latency is the architecture's resolution / 8 ms (256 px: 32 ms), and
/// that records what it was asked to measure.
final class FakeLatencyMeter: LatencyMeter {
    let measured = Mutex<[Architecture]>([])
    var summary: String { "fake latency meter" }
    static func latency(of architecture: Architecture) -> Double { Double(architecture.resolution) / 8 }
    func measure(_ request: EvaluationRequest) async throws(LatencyError) -> LatencyReading {
        measured.withLock { $0.append(request.architecture) }
        return try LatencyReading(fields: ["latency_ms": .number(Self.latency(of: request.architecture)),
                                           "latency_spread_ms": .number(0.25), "runtime": .string("onnxruntime"),
                                           "threads": .number(1), "precision": .string("float32")])
    }
}

/// The simulator, recording every architecture it trains.
final class RecordingEvaluator: Evaluator {
    let trained = Mutex<[Architecture]>([])
    let inner = TrainingSimulator(seed: 3)
    var summary: String { "recording simulator" }
    var isSimulated: Bool { true }
    func evaluate(_ request: EvaluationRequest) async throws(EvaluationFailure) -> EvaluationResult {
        trained.withLock { $0.append(request.architecture) }
        return try await inner.evaluate(request)
    }
}

@Suite("Latency screening")
struct LatencyScreeningTests {
    static let budgetMs = 26.0

    func search(_ name: String, device: String, store: any TrialStore, meter: FakeLatencyMeter,
                evaluator: RecordingEvaluator, trials: Int = 8) async throws -> SearchReport {
        var settings = StudySettings(budget: Budget(macs: 300_000_000), targetTrials: trials, seed: 3)
        settings.latency = LatencyBudget(maxMs: Self.budgetMs, device: device)
        var search = ArchitectureSearch(store: store, evaluator: evaluator,
                                        configuration: SearchConfiguration(studyName: name, settings: settings))
        search.latencyMeter = meter
        return try await search.run()
    }

    @Test func anArchitectureMeasuredOverTheLatencyBudgetIsStoredPrunedWithItsLatencyAndNeverTrained() async throws {
        let scratch = try ScratchDirectory()
        let store = try SQLiteTrialStore(path: scratch.path("s.sqlite"), access: .readWrite(createIfMissing: true))
        let meter = FakeLatencyMeter()
        let evaluator = RecordingEvaluator()
        let report = try await search("a", device: "edge", store: store, meter: meter, evaluator: evaluator)
        let trained = evaluator.trained.withLock { $0 }
        #expect(trained.allSatisfy { FakeLatencyMeter.latency(of: $0) <= Self.budgetMs })
        let pruned = report.trials.filter { $0.state == .pruned }
        #expect(!pruned.isEmpty, "the chain starts above 26 ms, so something is refused")
        for trial in pruned {
            #expect(trial.metrics["latency_ms"] == FakeLatencyMeter.latency(of: trial.architecture))
            #expect(trial.error?.contains("over the 26 ms budget; not trained") == true)
            #expect(!trained.contains(trial.architecture))
        }
        let complete = report.trials.filter { $0.state == .complete }
        #expect(complete.count == 8)
        #expect(complete.allSatisfy { $0.metrics["latency_ms"] == FakeLatencyMeter.latency(of: $0.architecture) })
        let measured = meter.measured.withLock { $0 }
        let budget = LatencyBudget(maxMs: Self.budgetMs, device: "edge")
        for architecture in Set(measured) {
            // Read again only when the margin alone refused the first reading (at 26 ms: 208 px).
            let reading = FakeLatencyMeter.latency(of: architecture)
            let inMargin = reading <= budget.maxMs && !budget.admits(latencyMs: reading, spreadMs: 0.25)
            #expect(measured.filter { $0 == architecture }.count == (inMargin ? LatencyBudget.maxReadings : 1))
        }
        #expect(Set(report.trials.map(\.architecture)).count == report.trials.count, "a refused one is never proposed again")
        #expect(try await store.latencyMeasurements(device: "edge").count == Set(measured).count, "stored once each")
    }

    @Test func aStudyOnTheSameDeviceReusesItsMeasurementsAndOneOnAnotherDeviceNeverDoes() async throws {
        let scratch = try ScratchDirectory()
        let store = try SQLiteTrialStore(path: scratch.path("s.sqlite"), access: .readWrite(createIfMissing: true))
        let first = FakeLatencyMeter()
        let firstReport = try await search("a", device: "edge", store: store, meter: first, evaluator: RecordingEvaluator(), trials: 4)
        let firstMeasured = Set(first.measured.withLock { $0 })
        let firstRefused = Set(firstReport.trials.filter { $0.state == .pruned }.map(\.architecture))
        #expect(!firstRefused.isEmpty)

        let again = FakeLatencyMeter()
        let sameDevice = try await search("b", device: "edge", store: store, meter: again, evaluator: RecordingEvaluator(), trials: 4)
        #expect(again.measured.withLock { $0 }.allSatisfy { !firstMeasured.contains($0) }, "nothing is measured twice on one device")
        // What the first study found over the budget is never even claimed by the second.
        #expect(sameDevice.trials.allSatisfy { !firstRefused.contains($0.architecture) })
        // What it trained was measured by the first study and not again: its latency comes from the store.
        // A trained architecture of the first study, claimed by the second: screened from the store, not measured.
        let known = try #require(firstReport.trials.first { $0.state == .complete })
        let session = try await StudySession.open(store: store, name: "b", leaseSeconds: 60)
        let claimed = try await session.startManualTrial(known.architecture, worker: "test")
        let measuredBefore = again.measured.withLock { $0.count }
        guard case .withinBudget(let reused)? = try await session.screenLatency(of: claimed.trial, meter: again) else {
            Issue.record("a stored measurement within budget is reused")
            return
        }
        #expect(reused.latencyMs == FakeLatencyMeter.latency(of: known.architecture))
        #expect(again.measured.withLock { $0.count } == measuredBefore)

        let other = FakeLatencyMeter()
        _ = try await search("c", device: "phone", store: store, meter: other, evaluator: RecordingEvaluator(), trials: 4)
        #expect(!firstMeasured.isDisjoint(with: other.measured.withLock { $0 }), "device phone measures for itself")
        #expect(try await store.latencyMeasurements(device: "phone").count == Set(other.measured.withLock { $0 }).count)
    }

    @Test func aStudyWithALatencyBudgetAndNoMeterIsRefusedBeforeAnyTrialStarts() async throws {
        let scratch = try ScratchDirectory()
        let store = try SQLiteTrialStore(path: scratch.path("s.sqlite"), access: .readWrite(createIfMissing: true))
        var settings = StudySettings(budget: Budget(macs: 300_000_000), targetTrials: 4)
        settings.latency = LatencyBudget(maxMs: 30, device: "edge")
        let search = ArchitectureSearch(store: store, evaluator: TrainingSimulator(seed: 0),
                                        configuration: SearchConfiguration(studyName: "a", settings: settings))
        await #expect(throws: LatencyError.noMeter(study: "a")) { try await search.run() }
        #expect(try await store.trials(TrialQuery()).isEmpty)
    }
}
