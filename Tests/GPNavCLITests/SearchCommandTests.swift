import Foundation
import GPNav
import MobileViT
import Testing

/// `gpnav search`, `gpnav downsize` and `gpnav evaluate` end to end through the built executable.
@Suite("search, downsize and evaluate commands")
struct SearchCommandTests {
    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("search writes every trial, recommends a model within budget and says it is simulated")
    func searchEndToEnd() async throws {
        let fixture = try CLIFixture()
        let result = try await fixture.runner.run(["search", "--macs", "250M", "--trials", "12", "--seed", "3", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result.stdout)
        #expect(report["study"] as? String == "macs-250M")
        #expect(report["simulated"] as? Bool == true)
        #expect(report["complete_trials"] as? Int == 12)
        let best = try #require(report["best"] as? [String: Any])
        let macs = try #require(best["macs"] as? Int)
        #expect(macs <= 250_000_000)
        // The reported counts are the exact counts of the reported architecture.
        let architecture = try Architecture(
            resolution: try #require(best["resolution"] as? Int), width: try #require(best["width"] as? Double),
            mv2Depths: try #require(best["mv2_depths"] as? [Int]), vitDepths: try #require(best["vit_depths"] as? [Int]))
        #expect(CostModel.cost(of: architecture).macs == macs)
        #expect(CostModel.cost(of: architecture).params == best["params"] as? Int)
        // Progress lines on stderr (not a terminal: plain lines): each trial's start, then its
        // result with the trial's own time beside the search's.
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("[") }.count == 12)
        #expect(lines.filter { $0.hasPrefix("trial ") && $0.contains(" started (") }.count == 12)
        #expect(lines.filter { $0.hasPrefix("[") }.allSatisfy { $0.contains("  [trial ") && $0.contains(" s; search ") })

        let trials = try await fixture.runner.run(["trials", "--study", "macs-250M", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(trials.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 12)
        #expect(rows.compactMap { $0["number"] as? Int } == Array(0..<12))
        #expect(rows.prefix(2).map { $0["proposal"] as? String } == ["downsize", "start"])
    }

    @Test("--classes sizes every network's classifier: counts, configs and the study's space say so")
    func classesSizeTheClassifier() async throws {
        let fixture = try CLIFixture()
        let result = try await fixture.runner.run(["search", "--macs", "150M", "--trials", "4", "--classes", "10", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let trials = try await fixture.runner.run(["trials", "--study", "macs-150M", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(trials.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 4)
        for row in rows {
            #expect(row["classes"] as? Int == 10)
            let architecture = try Architecture(
                resolution: try #require(row["resolution"] as? Int), width: try #require(row["width"] as? Double),
                mv2Depths: try #require(row["mv2_depths"] as? [Int]), vitDepths: try #require(row["vit_depths"] as? [Int]),
                classes: 10)
            #expect(CostModel.cost(of: architecture).params == row["params"] as? Int)
            #expect(CostModel.cost(of: architecture).macs == row["macs"] as? Int)
        }
        // Resuming with the same count is the same study; another count is refused.
        let same = try await fixture.runner.run(["search", "--macs", "150M", "--trials", "5", "--classes", "10", "--resume"])
        #expect(same.status == 0, "\(same.stderr)")
        let other = try await fixture.runner.run(["search", "--macs", "150M", "--trials", "6", "--classes", "100", "--resume"])
        #expect(other.status != 0)
        #expect(other.stderr.hasPrefix("gpnav: error: ") && other.stderr.split(separator: "\n").count == 1, "\(other.stderr)")
        let none = try await fixture.runner.run(["search", "--macs", "150M", "--classes", "0", "--study", "zero"])
        #expect(none.status == 2)
        #expect(none.stderr.contains("class count 0 is invalid"), "\(none.stderr)")
    }

    @Test("the same seed repeats a search; a new study name is needed or --resume continues it")
    func reproducibleAndResumable() async throws {
        let fixture = try CLIFixture()
        let arguments = ["search", "--macs", "300M", "--trials", "8", "--seed", "11"]
        _ = try await fixture.runner.run(arguments + ["--db", "a.sqlite"])
        _ = try await fixture.runner.run(arguments + ["--db", "b.sqlite"])
        let a = try await fixture.runner.run(["trials", "--db", "a.sqlite", "--format", "csv"]).stdout
        let b = try await fixture.runner.run(["trials", "--db", "b.sqlite", "--format", "csv"]).stdout
        // Every column but the wall-clock times, found by name in the header.
        let dropTimes = { (csv: String) -> [String] in
            let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            let times: Set<Int> = Set((rows.first ?? []).indices.filter { ["started_at", "finished_at"].contains(rows[0][$0]) })
            return rows.map { row in row.indices.filter { !times.contains($0) }.map { String(row[$0]) }.joined(separator: ",") }
        }
        #expect(dropTimes(a) == dropTimes(b))

        let again = try await fixture.runner.run(arguments + ["--db", "a.sqlite"])
        #expect(again.status == 2)
        #expect(again.stderr.contains("already exists") && again.stderr.contains("--resume"))
        let resumed = try await fixture.runner.run(["search", "--study", "macs-300M", "--resume", "--trials", "10", "--db", "a.sqlite", "--format", "json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try json(resumed.stdout)["complete_trials"] as? Int == 10)
    }

    @Test("a command evaluator's accuracy and metrics reach the store")
    func commandEvaluator() async throws {
        let fixture = try CLIFixture()
        let script = fixture.file("train.sh")
        try """
            #!/bin/sh
            # A stand-in for training: reads the config, prints progress, then the result line.
            grep -q '"resolution"' "$1" || exit 3
            echo "epoch 1 loss 2.0"
            echo '{"accuracy": 71.25, "loss": 1.5}'
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let result = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "4",
                                             "--evaluator-command", "sh \(script) {config}", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result.stdout)
        #expect(report["simulated"] as? Bool == false)
        let trials = try await fixture.runner.run(["trials", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(trials.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0["accuracy"] as? Double == 71.25 })
        #expect(rows.allSatisfy { (($0["metrics"] as? [String: Any])?["loss"] as? Double) == 1.5 })
    }

    @Test("downsize prints a chain from the preset to the budget without touching any database")
    func downsize() async throws {
        let fixture = try CLIFixture()
        let result = try await fixture.runner.run(["downsize", "--macs", "200M", "--from", "mobilevitv2-1.0", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let steps = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(steps.first?["width"] as? Double == 1.0)
        #expect(steps.first?["resolution"] as? Int == 256)
        let macs = steps.compactMap { $0["macs"] as? Int }
        #expect(macs.count == steps.count)
        #expect(zip(macs, macs.dropFirst()).allSatisfy { $0 > $1 })
        #expect((macs.last ?? .max) <= 200_000_000)
        #expect(try fixture.contents().isEmpty)

        let table = try await fixture.runner.run(["downsize", "--macs", "200M"])
        #expect(table.stdout.contains("default shares"))
    }

    @Test("downsize with a study uses its GP and shows predictions")
    func downsizeGuided() async throws {
        let fixture = try CLIFixture()
        _ = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "12"])
        let result = try await fixture.runner.run(["downsize", "--macs", "200M", "--study", "macs-300M", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let steps = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(steps.allSatisfy { $0["predicted_accuracy"] is Double })
        #expect(steps.dropFirst().allSatisfy { $0["guided_by_model"] as? Bool == true })
    }

    @Test("evaluate records one trial, with the stub and with a failing command")
    func evaluate() async throws {
        let fixture = try CLIFixture()
        let ok = try await fixture.runner.run(["evaluate", "--model", "mobilevitv2-0.75", "--resolution", "224", "--format", "json"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let report = try json(ok.stdout)
        #expect(report["state"] as? String == "complete")
        #expect(report["macs"] as? Int == CostModel.cost(of: try Architecture(resolution: 224, width: 0.75)).macs)
        let accuracy = try #require(report["accuracy"] as? Double)
        #expect(accuracy > 70 && accuracy < 80)
        // The table rounds metrics for people (six significant digits); JSON keeps every digit.
        let table = try await fixture.runner.run(["evaluate", "--model", "mobilevitv2-0.75", "--resolution", "224"])
        let metricLine = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix("  noise_free_accuracy  ") })
        #expect(metricLine.split(separator: " ").last.map { $0.count <= 7 } == true, "\(metricLine)")

        let failed = try await fixture.runner.run(["evaluate", "--model", "mobilevitv2-0.5", "--evaluator-command", "exit 7"])
        #expect(failed.status == 6)
        #expect(failed.stderr.split(separator: "\n").count == 1)
        let trials = try await fixture.runner.run(["trials", "--study", "evaluations", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(trials.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["state"] as? String } == ["complete", "complete", "failed"])
    }

    @Test func parallelTrainingCommandsGetTheirSlotsGPUs() async throws {
        let fixture = try CLIFixture()
        let command = #"printf '{"accuracy": %s, "slot": %s, "gpu": %s}\n' "$((50 + GPNAV_TRIAL))" {slot} "$CUDA_VISIBLE_DEVICES""#
        let output = try await fixture.runner.run(["search", "--macs", "300M", "--trials", "3", "--study", "gpus", "--parallel", "2",
                                             "--gpus", "4,6", "--evaluator-command", command])
        #expect(output.status == 0, "\(output.stderr)")
        let trials = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readOnly).trials(TrialQuery(study: "gpus"))
        #expect(trials.filter { $0.state == .complete }.count == 3)
        for trial in trials where trial.state == .complete {
            let slot = try #require(trial.worker.flatMap(WorkerIdentity.slotNumber(of:)))
            #expect(trial.metrics["slot"] == Double(slot))
            #expect(trial.metrics["gpu"] == (slot == 0 ? 4 : 6))
        }
        let uneven = try await fixture.runner.run(["search", "--macs", "300M", "--parallel", "2", "--gpus", "0,1,2",
                                             "--evaluator-command", "true"])
        #expect(uneven.status == 2)
        #expect(uneven.stderr.contains("--gpus: 3 GPUs do not split evenly among 2 slots"))
        let stub = try await fixture.runner.run(["search", "--macs", "300M", "--gpus", "0"])
        #expect(stub.status == 2)
        #expect(stub.stderr.contains("--gpus needs a training command"))
    }

    @Test func resumingIsSaidOfATrainingCommandInASearchOnly() async throws {
        let fixture = try CLIFixture()
        let stub = try await fixture.runner.run(["search", "--macs", "300M", "--epochs", "9", "--prune", "--evaluator-resumes"])
        #expect(stub.status == 2)
        #expect(stub.stderr.contains("--evaluator-resumes needs a training command (--evaluator-command); the simulator always resumes"))
        let evaluate = try await fixture.runner.run(["evaluate", "--resolution", "256", "--width", "1",
                                                     "--evaluator-command", "true", "--evaluator-resumes"])
        #expect(evaluate.status == 2)
        #expect(evaluate.stderr.contains("--evaluator-resumes is for gpnav search --prune"))
        #expect(try fixture.contents().isEmpty, "nothing stored")
    }
}
