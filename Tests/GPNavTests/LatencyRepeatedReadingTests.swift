import Foundation
import GaussianProcess
import MobileViT
import Synchronization
import Testing
@testable import GPNav

/// A latency meter that reads the given (median, spread) pairs in turn, and fails once they run out.
final class SequenceLatencyMeter: LatencyMeter {
    let readings: Mutex<[(Double, Double)]>
    let asked = Mutex(0)
    var summary: String { "sequence latency meter" }

    init(_ readings: [(Double, Double)]) { self.readings = Mutex(readings) }

    func measure(_ request: EvaluationRequest) async throws(LatencyError) -> LatencyReading {
        asked.withLock { $0 += 1 }
        guard let next = readings.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
            throw .measurementFailed("no more readings")
        }
        return LatencyReading(latencyMs: next.0, spreadMs: next.1, runtime: "onnxruntime", threads: 1, precision: "float32")
    }
}

/// A fresh reading that only the admission margin refuses is read again (up to three readings),
/// and the readings are judged as one: the median of their medians, with a margin that a repeated
/// reading narrows but their disagreement widens (``LatencyMeasurement/repeated(_:_:)``).
@Suite("Latency repeated readings")
struct LatencyRepeatedReadingTests {
    static let target = LatencyTarget(device: "edge", runtime: "onnxruntime", threads: 1)

    static func reading(_ median: Double, _ spread: Double) throws -> LatencyMeasurement {
        LatencyMeasurement(target: target, architecture: try architecture, latencyMs: median, spreadMs: spread,
                           measuredAt: Date(timeIntervalSince1970: 0))
    }

    static var architecture: Architecture {
        get throws { try Architecture(family: MobileViTv2Family(), resolution: 208, width: 0.5) }
    }

    /// Screens one claimed trial of a 26 ms budget (margin 1 spread) with `meter`.
    func screen(_ meter: SequenceLatencyMeter) async throws -> (LatencyVerdict?, [LatencyMeasurement]) {
        let scratch = try ScratchDirectory()
        let store = try SQLiteTrialStore(path: scratch.path("s.sqlite"), access: .readWrite(createIfMissing: true))
        var settings = StudySettings(budget: Budget(macs: 300_000_000), targetTrials: 4, seed: 3)
        settings.latency = LatencyBudget(maxMs: 26, device: "edge")
        let session = try await StudySession.open(store: store, name: "s", settings: settings, mode: .create, leaseSeconds: 60)
        let claimed = try await session.startManualTrial(try Self.architecture, worker: "test")
        let verdict = try await session.screenLatency(of: claimed.trial, meter: meter)
        return (verdict, try store.latencyMeasurements(on: Self.target))
    }

    @Test func aSecondReadingAdmitsACandidateTheFirstReadingAloneRefused() async throws {
        let budget = LatencyBudget(maxMs: 26, device: "edge")
        #expect(!budget.admits(try Self.reading(25, 1.5)), "25 + 1.5 > 26")
        let meter = SequenceLatencyMeter([(25, 1.5), (24.4, 1.2), (30, 0)])
        let (verdict, stored) = try await screen(meter)
        guard case .withinBudget(let measurement)? = verdict else {
            Issue.record("expected the repeated reading to be admitted, got \(String(describing: verdict))")
            return
        }
        // median (25 + 24.4) / 2; spread max((1.5 + 1.2) / 2 x sqrt(3 / 4), 0.6) = 1.169: 25.87 <= 26.
        #expect(abs(measurement.latencyMs - 24.7) < 1e-12)
        #expect(abs(measurement.spreadMs - 1.35 * 0.75.squareRoot()) < 1e-12)
        #expect(meter.asked.withLock { $0 } == 2, "admitted after two readings: no third")
        #expect(stored.count == 1 && stored.first?.latencyMs == measurement.latencyMs, "stored once, as one measurement")
    }

    @Test func readingsThatDisagreeWidenTheMarginAndTheCandidateIsRefusedAfterThree() async throws {
        let meter = SequenceLatencyMeter([(25.5, 0.8), (24, 0.8), (25.4, 0.8), (20, 0)])
        let (verdict, _) = try await screen(meter)
        guard case .overBudget(let trial, let measurement)? = verdict else {
            Issue.record("expected a refusal, got \(String(describing: verdict))")
            return
        }
        // median of three 25.4, spread the range 1.5 (above 0.8 x 0.851): 26.9 > 26.
        #expect(measurement.latencyMs == 25.4)
        #expect(abs(measurement.spreadMs - 1.5) < 1e-12)
        #expect(meter.asked.withLock { $0 } == LatencyBudget.maxReadings)
        #expect(trial.state == .pruned)
    }

    @Test func aReadingOverTheBudgetByItsMedianIsRefusedWithoutAnotherReading() async throws {
        let meter = SequenceLatencyMeter([(26.5, 0.1), (20, 0.1)])
        let (verdict, _) = try await screen(meter)
        guard case .overBudget? = verdict else {
            Issue.record("expected a refusal, got \(String(describing: verdict))")
            return
        }
        #expect(meter.asked.withLock { $0 } == 1)
    }

    @Test func aRepeatThatFailsFailsTheTrialWithAReasonThatSaysSoAndStoresNothing() async throws {
        let meter = SequenceLatencyMeter([(25, 1.5)])
        let (verdict, stored) = try await screen(meter)
        guard case .failed(let trial, let reason)? = verdict else {
            Issue.record("expected a failed measurement, got \(String(describing: verdict))")
            return
        }
        #expect(trial.state == .failed)
        #expect(reason == "reading 2 of at most 3 failed (the readings before it, median 25 ms, were within the 26 ms "
                + "budget by less than the margin): latency command: no more readings")
        #expect(trial.error?.contains(reason) == true, "\(trial.error ?? "")")
        #expect(stored.isEmpty, "a decision the rule did not finish is not stored")
    }

    @Test func aFailedFirstReadingIsTheCommandsOwnError() async throws {
        let budget = LatencyBudget(maxMs: 26, device: "edge")
        await #expect(throws: LatencyError.measurementFailed("no more readings")) {
            _ = try await budget.judgedMeasurement { () async throws(LatencyError) in
                throw .measurementFailed("no more readings")
            }
        }
    }

    @Test func withoutAMarginNothingIsReadAgain() throws {
        let budget = LatencyBudget(maxMs: 26, device: "edge", admissionSpreads: 0)
        #expect(!budget.readsAgain(try Self.reading(25.9, 5), readings: 1), "admitted on its median")
        #expect(!budget.readsAgain(try Self.reading(26.1, 0), readings: 1), "over by its median")
    }

    @Test func theCombinedSpreadIsTheMedianSpreadNarrowedByTheMedianOfReadingsVariance() throws {
        let three = LatencyMeasurement.repeated(try Self.reading(10, 1), [try Self.reading(10.1, 2), try Self.reading(10.05, 3)])
        #expect(three.latencyMs == 10.05)
        // sqrt((1 + 0.4487) / 2) x the median spread 2; the range 0.1 is smaller.
        #expect(abs(three.spreadMs - 2 * (1.4487 / 2).squareRoot()) < 1e-12)
        let one = try Self.reading(10, 1)
        #expect(LatencyMeasurement.repeated(one, []) == one)
    }

    /// The variance of the median of three standard normal readings, against a Monte Carlo
    /// estimate that does not use the integral the constant comes from.
    @Test func theMedianOfThreeReadingsVarianceMatchesSampling() {
        var generator = SplitMix64(seed: 11)
        var sum = 0.0
        let count = 100_000
        for _ in 0..<count {
            var values = (0..<3).map { _ in
                // Box-Muller.
                let u = max(Double.random(in: 0..<1, using: &generator), 1e-300), v = Double.random(in: 0..<1, using: &generator)
                return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
            }
            values.sort()
            sum += values[1] * values[1]
        }
        #expect(abs(sum / Double(count) - LatencyMeasurement.medianVariance(readings: 3)) < 0.01)
    }
}
