import Foundation
import GPNav
import GRDB
import Testing

/// `gpnav search` killed with SIGKILL, mid-evaluation or mid-write: the database opens, every
/// completed trial is intact, and `--resume` finishes the study without re-running them.
@Suite("SIGKILL during a search")
struct CrashRecoveryTests {
    /// SQLite's own check of the file: "ok" when pages, indexes and constraints are consistent.
    static func integrity(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// Checks what every reader of a study relies on, and that `earlier` complete trials are unchanged.
    static func expectIntact(_ trials: [Reliability.TrialRecord], keeping earlier: [Reliability.TrialRecord]) {
        #expect(trials.map(\.number) == Array(0..<trials.count), "numbers \(trials.map(\.number))")
        for trial in trials {
            switch trial.state {
            case "complete":
                #expect(trial.accuracy != nil && trial.macs != nil && trial.params != nil, "\(trial)")
            case "failed", "abandoned":
                #expect(trial.accuracy == nil && trial.error != nil, "\(trial)")
            default:
                #expect(trial.state == "running" && trial.accuracy == nil, "\(trial)")
            }
        }
        for old in earlier where old.state == "complete" {
            #expect(trials.first { $0.number == old.number } == old, "complete trial \(old.number) changed or vanished")
        }
    }

    /// Complete trials never share an architecture: nothing completed was evaluated again.
    static func expectNoArchitectureCompletedTwice(_ trials: [Reliability.TrialRecord]) {
        let complete = trials.filter { $0.state == "complete" }.map(\.architecture)
        #expect(Set(complete).count == complete.count, "an architecture was evaluated twice: \(complete)")
    }

    @Test func killedDuringAnEvaluationTheStudyResumesWithoutRerunningCompletedTrials() async throws {
        let fixture = try CLIFixture()
        let command = Reliability.trainingCommand(sleep: 0.3)
        let arguments = ["search", "--study", "crash", "--stale-after", "1", "--evaluator-command", command]
        let running = try fixture.runner.start(arguments + ["--macs", "300M", "--trials", "6"])
        // Kill it while the command of its third trial sleeps.
        let reachedTwo = try await Reliability.wait(upTo: 60) {
            // Until the search has made the file and the study, the read fails: keep waiting.
            ((try? await Reliability.trials(fixture, study: "crash")) ?? []).filter { $0.state == "complete" }.count >= 2
        }
        #expect(reachedTwo)
        let killed = try await Reliability.kill(running)
        #expect(killed.status != 0)

        #expect(try Self.integrity(fixture.file("gpnav.sqlite")) == ["ok"])
        let afterKill = try await Reliability.trials(fixture, study: "crash")
        #expect(afterKill.filter { $0.state == "complete" }.count >= 2)
        Self.expectIntact(afterKill, keeping: [])

        // The killed process's running trial has no heartbeat after one second; resume then.
        try await pause(1.2)
        let resumed = try await fixture.runner.run(arguments + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let final = try await Reliability.trials(fixture, study: "crash")
        Self.expectIntact(final, keeping: afterKill)
        #expect(final.filter { $0.state == "complete" }.count == 6)
        #expect(!final.contains { $0.state == "running" })
        Self.expectNoArchitectureCompletedTwice(final)
        let abandoned = afterKill.filter { $0.state == "running" }.count
        #expect(final.filter { $0.state == "abandoned" }.count == abandoned)
        #expect(final.filter { $0.state == "abandoned" }.allSatisfy { $0.error.map { !$0.isEmpty } == true })
        #expect(!final.contains { $0.state == "failed" })
    }

    @Test func resumedRightAfterAKillTheDeadProcessesRunningTrialIsAbandonedAtOnce() async throws {
        let fixture = try CLIFixture()
        // Trainings of 2 s keep a trial running far longer than the gap between two trials, so the
        // kill lands on a running trial even on a loaded machine (0.3 s raced with that gap).
        let command = Reliability.trainingCommand(sleep: 2)
        // The default --stale-after (120 s): only the trial's worker (host and pid) can tell it is dead.
        let arguments = ["search", "--study", "crash", "--evaluator-command", command]
        let running = try fixture.runner.start(arguments + ["--macs", "300M", "--trials", "5"])
        let reachedOne = try await Reliability.wait(upTo: 60) {
            let trials = (try? await Reliability.trials(fixture, study: "crash")) ?? []
            return trials.filter { $0.state == "complete" }.count >= 1 && trials.contains { $0.state == "running" }
        }
        #expect(reachedOne)
        _ = try await Reliability.kill(running)
        let afterKill = try await Reliability.trials(fixture, study: "crash")

        let resumed = try await fixture.runner.run(arguments + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("abandoned running trial"))
        let final = try await Reliability.trials(fixture, study: "crash")
        Self.expectIntact(final, keeping: afterKill)
        #expect(final.filter { $0.state == "complete" }.count == 5)
        #expect(!final.contains { $0.state == "running" })
        #expect(final.filter { $0.state == "abandoned" }.allSatisfy { $0.error?.contains("is gone") == true })
        #expect(!final.contains { $0.state == "failed" })
    }

    @Test func killedAtRandomMomentsOfStoreWritesNothingCompletedIsLost() async throws {
        let fixture = try CLIFixture()
        let arguments = ["search", "--macs", "300M", "--trials", "10", "--study", "writes", "--resume", "--stale-after", "0"]
        var seen: [Reliability.TrialRecord] = []
        // Delays drawn once from a seeded generator; each lands somewhere in the run's writes.
        var generator = SplitMix(seed: 20_251_121)
        for _ in 0..<4 {
            let running = try fixture.runner.start(arguments)
            try await pause(Double(150_000 + generator.next() % 450_000) / 1_000_000)
            _ = try await Reliability.kill(running)
            guard FileManager.default.fileExists(atPath: fixture.file("gpnav.sqlite")) else { continue }
            #expect(try Self.integrity(fixture.file("gpnav.sqlite")) == ["ok"])
            let listed = try await fixture.runner.run(["trials", "--format", "json", "--study", "writes"])
            guard listed.status == 0 else {
                // Killed before the schema or the study was committed (each migration commits on its
                // own, so the file may hold part of the schema): then nothing had completed.
                let partialSchema = listed.stderr.contains("older schema")
                #expect((listed.status == 4 || partialSchema) && seen.isEmpty, "\(listed.stderr)")
                continue
            }
            let trials = try JSONDecoder().decode([Reliability.TrialRecord].self, from: Data(listed.stdout.utf8))
            Self.expectIntact(trials, keeping: seen)
            seen = trials
        }
        let finished = try await fixture.runner.run(arguments)
        #expect(finished.status == 0, "\(finished.stderr)")
        let final = try await Reliability.trials(fixture, study: "writes")
        Self.expectIntact(final, keeping: seen)
        #expect(final.filter { $0.state == "complete" }.count == 10)
        #expect(!final.contains { $0.state == "running" })
        Self.expectNoArchitectureCompletedTwice(final)
    }
}

/// A tiny seeded generator (SplitMix64) for reproducible kill times.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt32 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return UInt32(truncatingIfNeeded: (z ^ (z >> 31)) >> 32)
    }
}
