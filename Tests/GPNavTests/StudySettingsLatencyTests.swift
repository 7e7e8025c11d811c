import Foundation
import GaussianProcess
import Testing
@testable import GPNav

/// The latency budget as a study setting: it reads back from its JSON exactly, its reading is
/// strict, its rule refuses what it should, and a resume names a difference in words.
@Suite("Study settings: latency budget")
struct StudySettingsLatencyTests {
    static func withLatency(_ budget: LatencyBudget?) -> StudySettings {
        var settings = StudySettings(budget: Budget(macs: 300_000_000))
        settings.latency = budget
        return settings
    }

    @Test func aLatencyBudgetReadsBackFromTheSettingsJSONExactly() throws {
        var generator = SplitMix64(state: 22)
        let names = ["pixel-8", "AMD EPYC 7B13 \"quoted\"", "é", "raspberry pi 5"]
        for _ in 0..<200 {
            let budget = LatencyBudget(maxMs: Double.random(in: 0.001...600_000, using: &generator),
                                       device: names.randomElement(using: &generator) ?? "",
                                       runtime: Bool.random(using: &generator) ? "onnxruntime" : "torch",
                                       threads: Int.random(in: 1...1024, using: &generator))
            let settings = Self.withLatency(budget)
            try settings.validate()
            let back = try JSONDecoder().decode(StudySettings.self, from: try JSONEncoder().encode(settings))
            #expect(back == settings)
        }
    }

    @Test func settingsWithoutALatencyBudgetWriteNoLatencyKeyAndReadBackWithout() throws {
        let json = String(decoding: try JSONEncoder().encode(Self.withLatency(nil)), as: UTF8.self)
        #expect(!json.contains("latency"))
        #expect(try JSONDecoder().decode(StudySettings.self, from: Data(json.utf8)).latency == nil)
    }

    @Test func aLatencyBudgetTakesTheDefaultRuntimeAndThreadsAndRefusesAnUnknownKey() throws {
        let read = try JSONDecoder().decode(StudySettings.self, from: Data(#"{"budget":{"macs":1},"latency":{"max_ms":40,"device":"d"}}"#.utf8))
        #expect(read.latency == LatencyBudget(maxMs: 40, device: "d", runtime: "onnxruntime", threads: 1))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(StudySettings.self, from: Data(#"{"latency":{"max_ms":40,"device":"d","max_s":1}}"#.utf8))
        }
    }

    @Test(arguments: [
        (LatencyBudget(maxMs: 0, device: "d"), "invalid latency budget: 0.0 ms is not a latency in (0, 600000] ms"),
        (LatencyBudget(maxMs: .nan, device: "d"), "invalid latency budget: nan ms is not a latency in (0, 600000] ms"),
        (LatencyBudget(maxMs: 40, device: " "), "invalid latency budget: the device name must be 1 to 200 printable characters"),
        (LatencyBudget(maxMs: 40, device: "a\nb"), "invalid latency budget: the device name must be 1 to 200 printable characters"),
        (LatencyBudget(maxMs: 40, device: "d", runtime: ""), "invalid latency budget: the runtime must be 1 to 200 printable characters"),
        (LatencyBudget(maxMs: 40, device: "d", threads: 0), "invalid latency budget: threads 0 is not in 1...1024"),
    ])
    func eachLatencyRuleRefusesInItsOwnWords(budget: LatencyBudget, message: String) {
        #expect(throws: LatencyError.invalidBudget(String(message.dropFirst("invalid latency budget: ".count)))) {
            try Self.withLatency(budget).validate()
        }
        #expect(LatencyError.invalidBudget(String(message.dropFirst("invalid latency budget: ".count))).description == message)
    }

    @Test func aResumeNamesADifferentLatencyBudgetInWords() {
        let stored = Self.withLatency(LatencyBudget(maxMs: 40, device: "edge"))
        let given = Self.withLatency(LatencyBudget(maxMs: 12.5, device: "edge", threads: 4))
        #expect(given.differences(from: stored, in: [.latency])
            == ["latency budget: stored 40 ms on edge (onnxruntime, 1 thread, margin 1 spread), given 12.5 ms on edge (onnxruntime, 4 threads, margin 1 spread)"])
        #expect(Self.withLatency(nil).differences(from: stored, in: [.latency])
            == ["latency budget: stored 40 ms on edge (onnxruntime, 1 thread, margin 1 spread), given none"])
    }

    @Test func theTargetMeasuresInt8ExactlyWhenTheBudgetCountsWeightsAt8Bits() {
        let budget = LatencyBudget(maxMs: 40, device: "edge")
        #expect(budget.target(bits: 8).bits == 8)
        #expect(budget.target(bits: nil).bits == 32)
        #expect(budget.target(bits: 4).bits == 32)
    }
}
