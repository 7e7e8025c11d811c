import Foundation
import GPNav
import MobileViT
import Testing

/// `gpnav worker --measure-only` against a `gpnav serve` process: the device measures what a
/// served latency study waits for, and a training worker then trains only architectures measured
/// within the budget. The latency command's latency is the architecture's resolution / 8 ms.
@Suite(.serialized, .enabled(if: BuildFeature.server.isBuilt, "needs the Server trait: swift test --traits Full"))
struct MeasureOnlyWorkerTests {
    /// Serves study `lat` of 3 trials under `maxMs` on device `edge`, with a measure-only worker
    /// running `latencyCommand` and a training worker on the simulator; returns once the training
    /// worker is done (checked to end with exit 0: the study finished) and the rest has stopped,
    /// with the measure-only worker's output.
    static func serveStudy(_ fixture: CLIFixture, maxMs: Double, latencyCommand: String) async throws -> GPNavRunner.Output {
        let server = try ServeProcess(fixture.runner, arguments: ["--stale-after", "10"])
        let created = try await server.send("POST", "/v1/studies", body: [
            "name": "lat", "budget": ["macs": 300_000_000], "trials": 3, "latency": ["max_ms": maxMs, "device": "edge"],
        ])
        #expect(created.status == 201, "\(created.json)")
        let meter = try fixture.runner.start(["worker", "--server", server.url, "--measure-only", "--device-name", "edge",
                                              "--latency-command", latencyCommand])
        let trainer = try await fixture.runner.run(["worker", "--server", server.url, "--study", "lat", "--evaluator", "stub",
                                                    "--worker-id", "trainer"])
        #expect(trainer.status == 0, "the study finished: \(trainer.stderr)")
        meter.process.terminate()
        let metered = try await meter.wait()
        try await server.stop()
        return metered
    }

    @Test func aMeasureOnlyWorkerMeasuresWhatTheStudyWaitsForAndOnlyArchitecturesWithinBudgetAreTrained() async throws {
        let fixture = try CLIFixture()
        let metered = try await Self.serveStudy(fixture, maxMs: 26,
                                                latencyCommand: try LatencySearchCommandTests.fakeLatencyCommand(in: fixture))
        #expect(metered.stderr.contains("measured "), "\(metered.stderr)")
        let store = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readOnly)
        let measured = try store.latencyMeasurements(on: LatencyTarget(device: "edge", runtime: "onnxruntime", threads: 1))
        let latency = Dictionary(measured.map { ($0.architecture, $0.latencyMs) }, uniquingKeysWith: { first, _ in first })
        let trials = try store.trials(TrialQuery(study: "lat"))
        #expect(trials.filter { $0.state == .complete }.count >= 3)
        for trial in trials {
            let ms = try #require(latency[trial.architecture], "trial \(trial.number) was measured before training")
            #expect(ms <= 26, "trial \(trial.number) at \(ms) ms")
        }
        #expect(measured.contains { $0.latencyMs > 26 }, "some proposal was measured over the budget: \(measured.map(\.latencyMs))")
    }

    /// A latency command that fails for the first two architectures it is given (an operator the
    /// device's runtime lacks, say) and measures the others at resolution / 8 ms. Under a 45 ms
    /// budget most proposals are within it, so the study is quick to finish (about 16 s).
    static func failingLatencyCommand(in fixture: CLIFixture) throws -> String {
        let script = fixture.file("failing-latency.sh")
        let count = fixture.file("measured-count")
        try """
            n=$(cat '\(count)' 2>/dev/null || echo 0); echo $((n + 1)) > '\(count)'
            r=$(grep -o '"resolution":[0-9]*' "$1" | cut -d: -f2)
            if [ "$n" -lt 2 ]; then echo "unsupported operator at resolution $r" >&2; exit 3; fi
            echo "{\\"latency_ms\\": $((r / 8)), \\"latency_spread_ms\\": 0.1}"
            """.write(toFile: script, atomically: true, encoding: .utf8)
        return "sh \(script) {config}"
    }

    @Test func aMeasurementThatFailsIsReportedAsAFailedTrialAndTheStudyStillFinishes() async throws {
        let fixture = try CLIFixture()
        let metered = try await Self.serveStudy(fixture, maxMs: 45, latencyCommand: try Self.failingLatencyCommand(in: fixture))
        let store = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readOnly)
        let trials = try store.trials(TrialQuery(study: "lat"))
        let failed = trials.filter { $0.state == .failed }
        #expect(failed.count == 2, "\(trials.map { ($0.number, $0.state, $0.error ?? "") })")
        let measured = Set(try store.latencyMeasurements(device: "edge").map(\.architecture))
        for trial in failed {
            #expect(trial.error?.hasPrefix("latency measurement on device 'edge' failed: latency command: exited with status 3: "
                                           + "unsupported operator at resolution \(trial.architecture.resolution)") == true,
                    "\(trial.error ?? "")")
            #expect(trials.filter { $0.architecture == trial.architecture }.count == 1, "never proposed again")
            #expect(!measured.contains(trial.architecture))
        }
        #expect(trials.filter { $0.state == .complete }.count >= 3)
        #expect(metered.stderr.contains("reported, failed trial "), "\(metered.stderr)")
        #expect(metered.stderr.split(separator: "\n").filter { $0.contains("failed: latency command") }.count == 2,
                "each failure reported once, not tried again: \(metered.stderr)")
    }

    @Test func aMeasureOnlyWorkerNeedsADeviceAndALatencyCommandAndNoTrainingFlags() async throws {
        let fixture = try CLIFixture()
        for (flags, message) in [
            (["--measure-only", "--latency-command", "true"], "--measure-only needs the device it measures on: --device-name NAME"),
            (["--measure-only", "--device-name", "edge"], "--measure-only needs --latency-command"),
            (["--measure-only", "--device-name", "edge", "--latency-command", "true", "--study", "s"], "--measure-only trains nothing"),
            (["--study", "s", "--device-name", "edge"], "--device-name, --latency-command and --max-measurements need --measure-only"),
            ([String](), "give the study to work on: --study NAME (or --measure-only)"),
        ] {
            let result = try await fixture.runner.run(["worker", "--server", "http://127.0.0.1:9"] + flags)
            #expect(result.status == 2, "\(flags): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(flags): \(result.stderr)")
        }
    }
}
