import Foundation
import GPNav
import Testing

/// `gpnav worker --evaluator-resumes` continues the trainings a study paused (freeze-thaw through
/// the service); a worker without it never gets one, and its stops stay final.
@Suite(.serialized, .enabled(if: BuildFeature.server.isBuilt, "needs the Server trait: swift test --traits Full"))
struct WorkerFreezeThawTests {
    /// Three architectures in all: once two are trained and one is stopped, continuing it is the
    /// only training left.
    static var space: [String: Any] {
        ["resolutions": [64], "widths": [0.25], "mv2_depth_multipliers": [1.0],
         "vit_depth_multipliers": [0.5, 1.0, 1.5], "classes": 10]
    }
    static let epochs = 9

    static func accuracy(_ final: Double, epoch: Int) -> Double { final * (1 - 0.5 * exp(-Double(epoch) / 2)) }

    /// Creates study `name` (9 epochs, prune on, ``space``) and trains two of its trials in full
    /// (70 and 71 %) over HTTP; returns the third trial's number, claimed by `claimer` when given.
    static func twoTrained(_ server: ServeProcess, _ name: String, claimThird: Bool) async throws -> Int? {
        let created = try await server.send("POST", "/v1/studies", body: [
            "name": name, "budget": ["macs": 300_000_000], "trials": 8, "epochs": epochs, "prune": true, "space": space,
        ])
        try #require(created.status == 201, "\(created.json)")
        let claimed = try await server.send("POST", "/v1/studies/\(name)/suggestions",
                                            body: ["worker": "setup", "count": claimThird ? 3 : 2])
        let numbers = (claimed.json["trials"] as? [[String: Any]])?.compactMap { $0["number"] as? Int } ?? []
        try #require(numbers.count == (claimThird ? 3 : 2), "\(claimed.json)")
        for (number, final) in zip(numbers, [70.0, 71.0]) {
            for epoch in 1...epochs {
                try await server.send("POST", "/v1/studies/\(name)/trials/\(number)/reports",
                                      body: ["epoch": epoch, "accuracy": accuracy(final, epoch: epoch)])
            }
            try await server.send("POST", "/v1/studies/\(name)/trials/\(number)/complete", body: ["accuracy": final])
        }
        return claimThird ? numbers[2] : nil
    }

    /// Pauses `number` at its first rung: reports of a training that can be continued, until the study stops it.
    static func pause(_ server: ServeProcess, _ name: String, _ number: Int) async throws -> Int {
        for epoch in 1...epochs {
            let reply = try await server.send("POST", "/v1/studies/\(name)/trials/\(number)/reports", body: [
                "epoch": epoch, "accuracy": accuracy(72, epoch: epoch), "resumable": true,
            ])
            if reply.json["prune"] as? Bool == true { return epoch }
        }
        throw WorkerTestFailure(description: "the study never paused trial \(number)")
    }

    /// A training command that resumes as gpnav_torch.train does: it keeps the epochs it trained
    /// in a state file beside its config, prints that curve again when run again, then trains on
    /// (a second per epoch), to a final of 72 %. Each run appends its GPNAV_RESUME_EPOCH ("-" when
    /// unset) to `<config>.runs`.
    static func resumingTrainer(_ fixture: CLIFixture) throws -> String {
        let script = fixture.file("train.sh")
        try #"""
            echo "${GPNAV_RESUME_EPOCH:--}" >> "$GPNAV_CONFIG.runs"
            state="$GPNAV_CONFIG.state"
            done=0
            if [ -f "$state" ]; then done=$(cat "$state"); fi
            i=1
            while [ $i -le "$GPNAV_EPOCHS" ]; do
                if [ $i -gt $done ]; then sleep 1; echo $i > "$state"; fi
                awk -v e=$i 'BEGIN { printf "{\"epoch\": %d, \"accuracy\": %.6f}\n", e, 72 * (1 - 0.5 * exp(-e / 2)) }'
                i=$((i + 1))
            done
            echo '{"accuracy": 72}'
            """#.write(toFile: script, atomically: true, encoding: .utf8)
        return script
    }

    @Test func aResumingWorkerContinuesAPausedTrialAsTheSameTrialWithOneCurveAndEachEpochOnce() async throws {
        let fixture = try CLIFixture()
        let server = try ServeProcess(fixture.runner)
        let number = try #require(try await Self.twoTrained(server, "ft", claimThird: true))
        let pausedAfter = try await Self.pause(server, "ft", number)
        let configs = fixture.file("configs")
        let output = try await fixture.runner.run([
            "worker", "--server", server.url, "--study", "ft", "--evaluator-resumes", "--config-dir", configs,
            "--command", "sh \(try Self.resumingTrainer(fixture))",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("trial \(number) of ft (slot 0): continued after epoch \(pausedAfter): "), "\(output.stderr)")
        _ = try await server.stop()

        let store = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readOnly)
        let trials = try store.trials(TrialQuery(study: "ft"))
        #expect(trials.count == 3, "the paused trial went on as itself")
        let trial = try #require(trials.first { $0.number == number })
        #expect(trial.state == .complete && trial.accuracy == 72, "\(trial.state) \(trial.error ?? "")")
        let id = try #require(trial.id)
        let curve = try #require(try store.learningCurves(study: "ft")[id])
        #expect(curve.map(\.epoch) == Array(1...Self.epochs), "one curve, each epoch once")
        // Every run of the command was a continuation, of the one config path of the trial.
        let runFiles = try FileManager.default.contentsOfDirectory(atPath: configs).filter { $0.hasSuffix(".runs") }
        #expect(runFiles.count == 1, "\(runFiles)")
        let runs = try String(contentsOfFile: configs + "/" + (runFiles.first ?? ""), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(runs.first == String(pausedAfter), "\(runs)")
        #expect(!runs.isEmpty && !runs.contains("-"), "\(runs)")
    }

    @Test func aWorkerThatDoesNotResumeIsNeverHandedAPausedTrialAndItsOwnStopsAreFinal() async throws {
        let fixture = try CLIFixture()
        let server = try ServeProcess(fixture.runner)
        let number = try #require(try await Self.twoTrained(server, "paused", claimThird: true))
        _ = try await Self.pause(server, "paused", number)
        let marker = fixture.file("ran")
        let untouched = try await fixture.runner.run([
            "worker", "--server", server.url, "--study", "paused", "--command", "touch \(marker); echo '{\"accuracy\": 1}'",
        ])
        #expect(untouched.status == 0, "\(untouched.stderr)")
        #expect(!FileManager.default.fileExists(atPath: marker), "the paused trial was not handed out")

        // Its own training, hopeless at 12 %, is stopped for good: not even a resuming ask gets it.
        _ = try await Self.twoTrained(server, "final", claimThird: false)
        let script = fixture.file("hopeless.sh")
        try """
            for epoch in 1 2 3 4 5 6 7 8 9; do echo "{\\"epoch\\": $epoch, \\"accuracy\\": 12}"; sleep 1; done
            echo '{"accuracy": 12}'
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let stopped = try await fixture.runner.run(["worker", "--server", server.url, "--study", "final",
                                                    "--command", "sh \(script)", "--max-trials", "1"])
        #expect(stopped.status == 0, "\(stopped.stderr)")
        #expect(stopped.stderr.contains("pruned by the study after epoch") && !stopped.stderr.contains("paused"),
                "\(stopped.stderr)")
        let asked = try await server.send("POST", "/v1/studies/final/suggestions", body: ["worker": "r", "resumes": true])
        #expect((asked.json["trials"] as? [[String: Any]])?.isEmpty == true, "\(asked.json)")
        _ = try await server.stop()

        let store = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readOnly)
        #expect(try store.trials(TrialQuery(study: "paused")).first { $0.number == number }?.state == .pruned)
        let final = try #require(try store.trials(TrialQuery(study: "final")).first { $0.state == .pruned })
        #expect(final.error?.hasPrefix("pruned after epoch") == true, "\(final.error ?? "")")
    }

    @Test func resumingIsSaidOfATrainingCommandWithAConfigDirectory() async throws {
        let fixture = try CLIFixture()
        let stub = try await fixture.runner.run(["worker", "--server", "http://127.0.0.1:1", "--study", "s",
                                                 "--evaluator", "stub", "--evaluator-resumes"])
        #expect(stub.status == 2)
        #expect(stub.stderr.contains("--evaluator-resumes needs a training command (--command); the simulator always resumes"),
                "\(stub.stderr)")
        let noDirectory = try await fixture.runner.run(["worker", "--server", "http://127.0.0.1:1", "--study", "s",
                                                        "--command", "true", "--evaluator-resumes"])
        #expect(noDirectory.status == 2)
        #expect(noDirectory.stderr.contains("--evaluator-resumes needs --config-dir"), "\(noDirectory.stderr)")
    }
}

/// A worker test's own failure, with what went wrong.
struct WorkerTestFailure: Error, CustomStringConvertible {
    var description: String
}
