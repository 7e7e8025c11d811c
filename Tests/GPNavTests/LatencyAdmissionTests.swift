import Foundation
import MobileViT
import Testing
@testable import GPNav

/// The admission margin of a latency budget: a reading is admitted when its median plus k times
/// its spread is within the budget (``LatencyBudget/admits(_:)``), wherever it is checked.
@Suite("Latency admission margin")
struct LatencyAdmissionTests {
    @Test func aReadingWithinTheBudgetButInsideTheMarginIsRefusedAndOneClearOfItAdmitted() {
        let budget = LatencyBudget(maxMs: 26, device: "edge", admissionSpreads: 2)
        #expect(!budget.admits(latencyMs: 25.5, spreadMs: 0.3), "25.5 + 2 x 0.3 = 26.1 > 26")
        #expect(budget.admits(latencyMs: 25.4, spreadMs: 0.3), "25.4 + 2 x 0.3 = 26.0")
        #expect(!budget.admits(latencyMs: 26.01, spreadMs: 0))
        var medianOnly = budget
        medianOnly.admissionSpreads = 0
        #expect(medianOnly.admits(latencyMs: 25.9, spreadMs: 5))
    }

    @Test func theDefaultMarginIsOneSpreadAndAStudyStoredWithoutOneReadsWithIt() throws {
        #expect(LatencyBudget(maxMs: 10, device: "edge").admissionSpreads == 1)
        let stored = Data(#"{"max_ms": 10, "device": "edge"}"#.utf8)
        #expect(try JSONDecoder().decode(LatencyBudget.self, from: stored).admissionSpreads == 1)
        let given = Data(#"{"max_ms": 10, "device": "edge", "admission_spreads": 2.5}"#.utf8)
        let budget = try JSONDecoder().decode(LatencyBudget.self, from: given)
        #expect(budget.admissionSpreads == 2.5)
        #expect(try JSONDecoder().decode(LatencyBudget.self, from: JSONEncoder().encode(budget)) == budget)
        #expect(budget.text == "10 ms on edge (onnxruntime, 1 thread, margin 2.5 spreads)")
    }

    @Test func aMarginOutsideZeroToTenSpreadsIsRefusedSayingSo() {
        for spreads in [-0.5, 10.5, .nan, .infinity] {
            #expect(throws: LatencyError.self) { try LatencyBudget(maxMs: 10, device: "edge", admissionSpreads: spreads).validate() }
        }
        #expect(throws: Never.self) { try LatencyBudget(maxMs: 10, device: "edge", admissionSpreads: 0).validate() }
    }

    /// The fake meter reads 208 px at exactly 26 ms with a spread of 0.25 ms: within a 26 ms budget
    /// by its median, inside it by a margin of one spread, so it is read three times (the readings
    /// agree: median 26 ms, spread 0.25 x sqrt((1 + 0.4487) / 2) = 0.213 ms) and still refused.
    @Test func aClaimedTrialMeasuredInsideTheMarginIsPrunedNotTrained() async throws {
        for (spreads, trained) in [(1.0, false), (0.0, true)] {
            let scratch = try ScratchDirectory()
            let store = try SQLiteTrialStore(path: scratch.path("s.sqlite"), access: .readWrite(createIfMissing: true))
            var settings = StudySettings(budget: Budget(macs: 300_000_000), targetTrials: 4, seed: 3)
            settings.latency = LatencyBudget(maxMs: 26, device: "edge", admissionSpreads: spreads)
            let session = try await StudySession.open(store: store, name: "s", settings: settings, mode: .create, leaseSeconds: 60)
            let architecture = try Architecture(family: MobileViTv2Family(), resolution: 208, width: 0.5)
            #expect(FakeLatencyMeter.latency(of: architecture) == 26)
            let claimed = try await session.startManualTrial(architecture, worker: "test")
            let meter = FakeLatencyMeter()
            let verdict = try await session.screenLatency(of: claimed.trial, meter: meter)
            #expect(meter.measured.withLock { $0.count } == (trained ? 1 : LatencyBudget.maxReadings))
            switch verdict {
            case .withinBudget?: #expect(trained, "margin \(spreads)")
            case .overBudget(let trial, _)?:
                #expect(!trained, "margin \(spreads)")
                #expect(trial.state == .pruned)
                #expect(trial.error?.contains("26 ms + 1 x spread 0.2127") == true)
                #expect(trial.error?.contains("ms on edge is over the 26 ms budget; not trained") == true)
            default: Issue.record("unexpected verdict \(String(describing: verdict))")
            }
        }
    }
}
