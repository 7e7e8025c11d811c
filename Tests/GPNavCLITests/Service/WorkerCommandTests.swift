import Foundation
import GPNav
import MobileViT
import Testing

/// `gpnav worker` processes against a `gpnav serve` process, over loopback HTTP.
@Suite(.serialized, .enabled(if: BuildFeature.server.isBuilt, "needs the Server trait: swift test --traits Full")) struct WorkerCommandTests {
    private func trials(_ fixture: CLIFixture, study: String) throws -> [Trial] {
        try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readOnly).trials(TrialQuery(study: study))
    }

    @Test func eightWorkersCompleteAFortyTrialStudyWithUniqueGapFreeNumbers() async throws {
        let fixture = try CLIFixture()
        let server = try ServeProcess(fixture.runner, arguments: ["--stale-after", "10"])
        #expect(try await server.createStudy("e2e", trials: 40) == 201)
        let workers = try (0..<8).map { index in
            try fixture.runner.start(["worker", "--server", server.url, "--study", "e2e", "--evaluator", "stub",
                                      "--worker-id", "w\(index)"])
        }
        for worker in workers {
            let output = try await worker.wait()
            #expect(output.status == 0, "\(output.stderr)")
        }
        try await server.stop()
        let trials = try trials(fixture, study: "e2e")
        #expect(trials.map(\.number) == Array(0..<trials.count))
        let complete = trials.filter { $0.state == .complete }
        #expect(complete.count >= 40)
        #expect(Set(complete.map(\.architecture)).count == complete.count)
        #expect(!trials.contains { $0.state == .running })
    }

    @Test func aWorkerWithSlotsTrainsSeveralTrialsAtOnceEachCommandWithItsSlotAndGPU() async throws {
        let fixture = try CLIFixture()
        let server = try ServeProcess(fixture.runner, arguments: ["--stale-after", "10"])
        #expect(try await server.createStudy("slots", trials: 4) == 201)
        let command = #"sleep 0.5; printf '{"accuracy": %s, "slot": %s, "gpu": %s}\n' "$((50 + GPNAV_TRIAL))" {slot} "$CUDA_VISIBLE_DEVICES""#
        let output = try await fixture.runner.run(["worker", "--server", server.url, "--study", "slots", "--worker-id", "w",
                                             "--slots", "2", "--gpus", "6,4", "--command", command])
        #expect(output.status == 0, "\(output.stderr)")
        try await server.stop()
        let complete = try trials(fixture, study: "slots").filter { $0.state == .complete }
        #expect(complete.count >= 4)
        #expect(Set(complete.compactMap(\.worker)) == ["w/0", "w/1"])
        for trial in complete {
            let slot = trial.worker == "w/0" ? 0.0 : 1.0
            #expect(trial.metrics["slot"] == slot && trial.metrics["gpu"] == (slot == 0 ? 6 : 4))
        }
        // The two slots' trainings overlapped in time.
        let spans = complete.compactMap { trial in trial.finishedAt.map { trial.startedAt...$0 } }
        #expect(spans.contains { a in spans.contains { b in a != b && a.overlaps(b) } })
    }

    @Test func workerSlotsAndGPUsAreCheckedBeforeAnyRequest() async throws {
        let fixture = try CLIFixture()
        let uneven = try await fixture.runner.run(["worker", "--server", "http://127.0.0.1:9", "--study", "s", "--slots", "2",
                                             "--gpus", "0,1,2", "--command", "true"])
        #expect(uneven.status == 2)
        #expect(uneven.stderr.contains("--gpus: 3 GPUs do not split evenly among 2 slots"))
        let stub = try await fixture.runner.run(["worker", "--server", "http://127.0.0.1:9", "--study", "s", "--gpus", "0",
                                           "--evaluator", "stub"])
        #expect(stub.status == 2)
        #expect(stub.stderr.contains("--gpus needs a training command"))
    }

    @Test func aServerKilledMidStudyAndRestartedLosesNothingTold() async throws {
        let fixture = try CLIFixture()
        var server = try ServeProcess(fixture.runner, arguments: ["--stale-after", "10"])
        let port = server.port
        #expect(try await server.createStudy("crash", trials: 40) == 201)
        let workers = try (0..<4).map { index in
            try fixture.runner.start(["worker", "--server", server.url, "--study", "crash", "--evaluator", "stub",
                                      "--worker-id", "w\(index)"])
        }
        #expect(try await eventually(within: 60) { try trials(fixture, study: "crash").filter { $0.state == .complete }.count >= 8 })
        server.signal(SIGKILL)
        _ = try await server.running.wait()
        let before = try trials(fixture, study: "crash").filter { $0.state == .complete }
        try await pause(0.5)
        server = try ServeProcess(fixture.runner, port: port, arguments: ["--stale-after", "10"])
        var told: [Int: String] = [:]
        var retried = false
        for worker in workers {
            let output = try await worker.wait()
            #expect(output.status == 0, "\(output.stderr)")
            retried = retried || output.stderr.contains("server unreachable")
            // "gpnav worker: trial 7 complete: 66.12%": printed only once the server has the result.
            for line in output.stderr.split(separator: "\n") where line.contains(" complete: ") {
                let words = line.split(separator: " ")
                if let number = Int(words[3]) { told[number] = String(words[5].dropLast()) }
            }
        }
        try await server.stop()
        let after = try trials(fixture, study: "crash")
        let afterByNumber = Dictionary(uniqueKeysWithValues: after.map { ($0.number, $0) })
        for trial in before {
            #expect(afterByNumber[trial.number]?.accuracy == trial.accuracy)
        }
        #expect(retried)
        #expect(told.count >= 40)
        for (number, accuracy) in told {
            #expect(afterByNumber[number]?.state == .complete)
            #expect(afterByNumber[number].flatMap { $0.accuracy.map { String(format: "%.2f", $0) } } == accuracy)
        }
        #expect(after.filter { $0.state == .complete }.count >= 40)
    }

    @Test func silentlyDeadWorkersHaveTheirTrialsReapedAndSuggestedAgain() async throws {
        let fixture = try CLIFixture()
        let server = try ServeProcess(fixture.runner, arguments: ["--stale-after", "2"])
        #expect(try await server.createStudy("reap", trials: 6) == 201)
        let dying = try (0..<2).map { index in
            try fixture.runner.start(["worker", "--server", server.url, "--study", "reap", "--worker-id", "remote-\(index)",
                                      "--command", "sleep 300"])
        }
        #expect(try await eventually(within: 20) { try trials(fixture, study: "reap").filter { $0.state == .running }.count == 2 })
        for worker in dying {
            kill(worker.process.processIdentifier, SIGKILL)
            _ = try await worker.wait()
        }
        #expect(try await eventually(within: 10) { try trials(fixture, study: "reap").filter { $0.state == .abandoned }.count == 2 })
        let abandoned = try trials(fixture, study: "reap").filter { $0.state == .abandoned }
        let finisher = try await fixture.runner.run(["worker", "--server", server.url, "--study", "reap", "--evaluator", "stub"])
        #expect(finisher.status == 0, "\(finisher.stderr)")
        try await server.stop()
        let complete = Set(try trials(fixture, study: "reap").filter { $0.state == .complete }.map(\.architecture))
        for trial in abandoned {
            #expect(trial.error?.contains("no heartbeat since") == true, "\(trial.error ?? "")")
            #expect(complete.contains(trial.architecture))
        }
    }

    @Test func sigtermStopsTheCommandReportsTheTrialAbandonedAndExits143() async throws {
        let fixture = try CLIFixture()
        let server = try ServeProcess(fixture.runner)
        #expect(try await server.createStudy("stop", trials: 4) == 201)
        let worker = try fixture.runner.start(["worker", "--server", server.url, "--study", "stop",
                                               "--command", "sleep 300"])
        #expect(try await eventually(within: 20) { try trials(fixture, study: "stop").contains { $0.state == .running } })
        try await pause(0.3)
        let started = Date()
        kill(worker.process.processIdentifier, SIGTERM)
        let output = try await worker.wait()
        #expect(output.status == 143, "\(output.stderr)")
        #expect(Date().timeIntervalSince(started) < 8)
        try await server.stop()
        let stopped = try trials(fixture, study: "stop")
        #expect(stopped.count == 1)
        // One rule with an interrupted search's: a stopped training is not a failed one.
        #expect(stopped.first?.state == .abandoned)
        #expect(stopped.first?.error == "stopped: the worker was interrupted")
    }

    @Test func aStubWorkerSimulatesTrainingWithTheStudysSeed() async throws {
        let fixture = try CLIFixture()
        let server = try ServeProcess(fixture.runner)
        let created = try await server.send("POST", "/v1/studies", body: [
            "name": "seeded", "budget": ["macs": 300_000_000], "trials": 2, "seed": 7,
        ])
        #expect(created.status == 201)
        let output = try await fixture.runner.run(["worker", "--server", server.url, "--study", "seeded", "--evaluator", "stub",
                                             "--max-trials", "1"])
        #expect(output.status == 0, "\(output.stderr)")
        _ = try await server.stop()
        let trial = try #require(try trials(fixture, study: "seeded").first { $0.state == .complete })
        let request = EvaluationRequest(architecture: trial.architecture, macs: trial.macs, params: trial.params,
                                        study: "seeded", trialNumber: trial.number)
        let seeded = try await TrainingSimulator(seed: 7, noise: 0.15).evaluate(request)
        let unseeded = try await TrainingSimulator(seed: 0, noise: 0.15).evaluate(request)
        #expect(trial.accuracy == seeded.accuracy)
        #expect(trial.accuracy != unseeded.accuracy)
    }

    @Test func aWorkerWithAWrongTokenStopsWithOneLine() async throws {
        let fixture = try CLIFixture()
        let server = try ServeProcess(fixture.runner, arguments: [], environment: ["GPNAV_TOKEN": "right"])
        #expect(try await server.createStudy("t", trials: 2, token: "right") == 201)
        var runner = fixture.runner
        runner.environment["GPNAV_TOKEN"] = "wrong"
        let output = try await runner.run(["worker", "--server", server.url, "--study", "t", "--evaluator", "stub"])
        #expect(output.status == 2)
        #expect(output.stderr == "gpnav: error: server refused (HTTP 401): missing or wrong bearer token\n")
        try await server.stop()
    }

    @Test func aWorkerStartedBeforeTheServerRetriesUntilItAnswers() async throws {
        let fixture = try CLIFixture()
        let first = try ServeProcess(fixture.runner)
        #expect(try await first.createStudy("late", trials: 3) == 201)
        let port = first.port
        try await first.stop()
        let worker = try fixture.runner.start(["worker", "--server", "http://127.0.0.1:\(port)", "--study", "late",
                                               "--evaluator", "stub"])
        try await pause(1.5)
        let server = try ServeProcess(fixture.runner, port: port)
        let output = try await worker.wait()
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("server unreachable"))
        try await server.stop()
        #expect(try trials(fixture, study: "late").filter { $0.state == .complete }.count >= 3)
    }

    @Test func heartbeatsKeepATrainingLongerThanTheLeaseAlive() async throws {
        let fixture = try CLIFixture()
        let server = try ServeProcess(fixture.runner, arguments: ["--stale-after", "1"])
        #expect(try await server.createStudy("long", trials: 1) == 201)
        let output = try await fixture.runner.run([
            "worker", "--server", server.url, "--study", "long", "--worker-id", "remote-gpu",
            "--command", #"sleep 3; echo '{"accuracy": 70.5}'"#,
        ])
        #expect(output.status == 0, "\(output.stderr)")
        // Never given up: a late result would also complete it, so check the reaper's count.
        #expect(try await server.text("/metrics").contains("\ngpnav_abandoned_trials_total 0\n"))
        try await server.stop()
        let trials = try trials(fixture, study: "long")
        #expect(trials.count == 1)
        #expect(trials.first?.state == .complete)
        #expect(trials.first?.accuracy == 70.5)
    }

    @Test func aResultFinishedWhileTheServerIsDownIsDeliveredAfterItsRestart() async throws {
        let fixture = try CLIFixture()
        var server = try ServeProcess(fixture.runner, arguments: ["--stale-after", "60"])
        let port = server.port
        #expect(try await server.createStudy("held", trials: 1) == 201)
        let worker = try fixture.runner.start([
            "worker", "--server", server.url, "--study", "held", "--max-trials", "1",
            "--command", #"sleep 1; echo '{"accuracy": 66.25}'"#,
        ])
        #expect(try await eventually(within: 20) { try trials(fixture, study: "held").contains { $0.state == .running } })
        server.signal(SIGKILL)
        _ = try await server.running.wait()
        try await pause(2.5)  // the training ends while no server listens
        #expect(try trials(fixture, study: "held").first?.state == .running)
        server = try ServeProcess(fixture.runner, port: port, arguments: ["--stale-after", "60"])
        let output = try await worker.wait()
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("server unreachable"))
        try await server.stop()
        #expect(try trials(fixture, study: "held").first?.state == .complete)
        #expect(try trials(fixture, study: "held").first?.accuracy == 66.25)
    }
}
