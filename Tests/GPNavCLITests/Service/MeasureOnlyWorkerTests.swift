import Foundation
import GPNav
import MobileViT
import Testing

/// `gpnav worker --measure-only` against a `gpnav serve` process: the device measures what a
/// served latency study waits for, and a training worker then trains only architectures measured
/// within the budget. The latency command's latency is the architecture's resolution / 8 ms.
@Suite(.serialized, .enabled(if: BuildFeature.server.isBuilt, "needs the Server trait: swift test --traits Full"))
struct MeasureOnlyWorkerTests {
    @Test func aMeasureOnlyWorkerMeasuresWhatTheStudyWaitsForAndOnlyArchitecturesWithinBudgetAreTrained() async throws {
        let fixture = try CLIFixture()
        let server = try ServeProcess(fixture.runner, arguments: ["--stale-after", "10"])
        let created = try await server.send("POST", "/v1/studies", body: [
            "name": "lat", "budget": ["macs": 300_000_000], "trials": 3, "latency": ["max_ms": 26, "device": "edge"],
        ])
        #expect(created.status == 201, "\(created.json)")
        let meter = try fixture.runner.start(["worker", "--server", server.url, "--measure-only", "--device-name", "edge",
                                              "--latency-command", try LatencySearchCommandTests.fakeLatencyCommand(in: fixture)])
        let trainer = try await fixture.runner.run(["worker", "--server", server.url, "--study", "lat", "--evaluator", "stub",
                                                    "--worker-id", "trainer"])
        #expect(trainer.status == 0, "\(trainer.stderr)")
        meter.process.terminate()
        let metered = try await meter.wait()
        try await server.stop()
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
