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
        let output = try await fixture.runner.run(["worker", "--server", server.url, "--study", "curves", "--evaluator", "command",
                                             "--command", "sh \(script)", "--max-trials", "1"])
        #expect(output.status == 0, "\(output.stderr)")
        _ = try await server.stop()
        let store = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readOnly)
        let trial = try #require(try store.trials(TrialQuery(study: "curves")).first)
        #expect(trial.state == .complete && trial.accuracy == 31)
        #expect(try store.learningCurves(study: "curves")[try #require(trial.id)]
                == [EpochReport(epoch: 1, accuracy: 10), EpochReport(epoch: 2, accuracy: 20), EpochReport(epoch: 3, accuracy: 30)])
    }

    @Test func aWorkerStopsTheCommandTheStudyPrunesAndTheTrialEndsPrunedWithItsCurve() async throws {
        let fixture = try CLIFixture()
        let server = try ServeProcess(fixture.runner)
        let created = try await server.send("POST", "/v1/studies", body: [
            "name": "prune", "budget": ["macs": 300_000_000], "trials": 8, "epochs": 9, "prune": true,
        ])
        #expect(created.status == 201)
        // Two trials trained in full to about 70 % give the study a best and complete curves.
        let claimed = try await server.send("POST", "/v1/studies/prune/suggestions", body: ["worker": "setup", "count": 2])
        let numbers = (claimed.json["trials"] as? [[String: Any]])?.compactMap { $0["number"] as? Int } ?? []
        try #require(numbers.count == 2)
        for (number, final) in zip(numbers, [70.0, 71.0]) {
            for epoch in 1...9 {
                try await server.send("POST", "/v1/studies/prune/trials/\(number)/reports", body: [
                    "epoch": epoch, "accuracy": final * (1 - 0.5 * exp(-Double(epoch) / 2)),
                ])
            }
            try await server.send("POST", "/v1/studies/prune/trials/\(number)/complete", body: ["accuracy": final])
        }
        // A training that stays near 12 % and has a child of its own; left alone it would run ~20 s.
        let script = fixture.file("train.sh")
        try """
            sleep 60 &
            echo $! > \(fixture.file("child.pid"))
            for epoch in 1 2 3 4 5 6 7 8 9; do
              echo "{\\"epoch\\": $epoch, \\"accuracy\\": 12}"
              sleep 2
            done
            kill $!
            echo '{"accuracy": 12}'
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let output = try await fixture.runner.run(["worker", "--server", server.url, "--study", "prune", "--evaluator", "command",
                                             "--command", "sh \(script)", "--max-trials", "1"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("pruned by the study after epoch"), "\(output.stderr)")
        let child = try #require(pid_t(try String(contentsOfFile: fixture.file("child.pid"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        var alive = kill(child, 0) == 0
        for _ in 0..<100 where alive {
            try await Task.sleep(for: .milliseconds(50))
            alive = kill(child, 0) == 0
        }
        #expect(!alive, "the command's child \(child) outlived the prune")
        _ = try await server.stop()
        let store = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readOnly)
        let trial = try #require(try store.trials(TrialQuery(study: "prune")).first { !numbers.contains($0.number) })
        #expect(trial.state == .pruned)
        let id = try #require(trial.id)
        let curve = try #require(try store.learningCurves(study: "prune")[id])
        #expect(!curve.isEmpty && curve.count < 9 && curve.allSatisfy { $0.accuracy == 12 })
    }
}
