import Foundation
import GPNav
import Testing

/// `gpnav worker` forwards each point of a training's learning curve to the server as it comes.
@Suite(.serialized, .enabled(if: BuildFeature.server.isBuilt, "needs the Server trait: swift test --traits Full"))
struct WorkerReportTests {
    @Test func aWorkerForwardsTheCommandsCurveAndTheServerStoresItWithTheTrial() async throws {
        let fixture = try CLIFixture()
        let server = try ServeProcess(fixture.runner)
        let created = try await server.send("POST", "/v1/studies", body: [
            "name": "curves", "budget": ["macs": 300_000_000], "trials": 1, "epochs": 3,
        ])
        #expect(created.status == 201)
        let script = fixture.file("train.sh")
        try """
            printf '%s\\n' "{\\"epoch\\": 1, \\"accuracy\\": 10}" "{\\"epoch\\": 2, \\"accuracy\\": 20}" "{\\"epoch\\": $GPNAV_EPOCHS, \\"accuracy\\": 30}" '{"accuracy": 31}'
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let output = try fixture.runner.run(["worker", "--server", server.url, "--study", "curves", "--evaluator", "command",
                                             "--command", "sh \(script)", "--max-trials", "1"])
        #expect(output.status == 0, "\(output.stderr)")
        _ = try server.stop()
        let store = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readOnly)
        let trial = try #require(try store.trials(TrialQuery(study: "curves")).first)
        #expect(trial.state == .complete && trial.accuracy == 31)
        #expect(try store.learningCurves(study: "curves")[try #require(trial.id)]
                == [EpochReport(epoch: 1, accuracy: 10), EpochReport(epoch: 2, accuracy: 20), EpochReport(epoch: 3, accuracy: 30)])
    }
}
