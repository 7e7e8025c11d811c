import Foundation
import MobileViT
import Testing
@testable import GPNav

/// The latency command seam, driven by small shell scripts standing in for `python -m gpnav_torch.latency`.
@Suite("Latency command")
struct LatencyCommandTests {
    static let line = #"{"latency_ms": 41.25, "latency_spread_ms": 0.5, "cpu_ms": 40.5, "runtime": "onnxruntime", "#
        + #""threads": 1, "precision": "float32", "device": "Test CPU", "load_average_1m": 0.25}"#

    func measure(_ command: String) async throws(LatencyError) -> LatencyReading {
        let scratch = try? ScratchDirectory()
        let meter = LatencyCommand(commandTemplate: command, timeout: .seconds(30),
                                   configDirectory: scratch?.url ?? FileManager.default.temporaryDirectory)
        let request = EvaluationRequest(architecture: try! Architecture(resolution: 224, width: 0.75), macs: 1, params: 1,
                                        study: "s", trialNumber: 3)
        return try await meter.measure(request)
    }

    @Test func theLastJSONLineWithLatencyIsParsedWithEveryField() async throws {
        let reading = try await measure("echo '{\"latency_ms\": 9, \"latency_spread_ms\": 1}'; echo 'warming up'; echo '\(Self.line)'")
        #expect(reading == LatencyReading(latencyMs: 41.25, spreadMs: 0.5, cpuMs: 40.5, runtime: "onnxruntime", threads: 1,
                                          precision: "float32", hardware: "Test CPU", loadAverage: 0.25))
    }

    @Test func theCommandReadsTheArchitectureFromItsConfigFile() async throws {
        let reading = try await measure(
            "grep -q '\"resolution\":224' {config} && grep -q '\"width\":0.75' {config} && echo '\(Self.line)'")
        #expect(reading.latencyMs == 41.25)
    }

    @Test func aCommandThatFailsIsAOneLineErrorEndingWithWhatItSaid() async throws {
        await #expect(throws: LatencyError.measurementFailed(
            "exited with status 3: latency: error: measurement refused: spread 14 % is over 10 %")) {
            try await measure("echo 'latency: error: measurement refused: spread 14 % is over 10 %' >&2; exit 3")
        }
    }

    @Test func aCommandThatPrintsNoLatencyLineOrABrokenOneFailsSayingSo() async throws {
        await #expect(throws: LatencyError.measurementFailed("printed no JSON line with \"latency_ms\" on stdout")) {
            try await measure("echo '{\"accuracy\": 70}'")
        }
        await #expect(throws: LatencyError.self) { try await measure("echo '{\"latency_ms\": NaN, \"latency_spread_ms\": 1}'") }
        await #expect(throws: LatencyError.self) { try await measure("echo '{\"latency_ms\": 0, \"latency_spread_ms\": 1}'") }
        await #expect(throws: LatencyError.self) { try await measure("echo '{\"latency_ms\": 5}'") }
        // A valid line followed by a broken one: the broken one is what the command meant last.
        await #expect(throws: LatencyError.self) {
            try await measure("echo '\(Self.line)'; echo '{\"latency_ms\": 5, \"latency_ms\": 6}'")
        }
    }

    @Test func gpnavsOwnVariablesNeverReachTheLatencyCommand() async throws {
        setenv("GPNAV_LATENCY_TEST_SECRET", "s3cret", 1)
        defer { unsetenv("GPNAV_LATENCY_TEST_SECRET") }
        let reading = try await measure("test -z \"$GPNAV_LATENCY_TEST_SECRET\" || exit 9; echo '\(Self.line)'")
        #expect(reading.latencyMs == 41.25)
    }

    @Test func aReadingOfAnotherRuntimeThreadCountOrPrecisionThanTheTargetIsRefused() throws {
        let reading = LatencyReading(latencyMs: 5, spreadMs: 0.1, runtime: "torch", threads: 1, precision: "float32")
        let architecture = try Architecture(resolution: 224, width: 0.75)
        let onnx = LatencyTarget(device: "d", runtime: "onnxruntime", threads: 1)
        #expect(throws: LatencyError.self) { try reading.measurement(of: architecture, on: onnx, at: Date()) }
        let torch = LatencyTarget(device: "d", runtime: "torch", threads: 1)
        #expect(try reading.measurement(of: architecture, on: torch, at: Date()).latencyMs == 5)
        #expect(throws: LatencyError.self) {
            try reading.measurement(of: architecture, on: LatencyTarget(device: "d", runtime: "torch", threads: 1, bits: 8), at: Date())
        }
    }
}
